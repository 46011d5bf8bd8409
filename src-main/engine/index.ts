/**
 * The engine's public surface: what the worker, the services and the tests may use. Everything
 * here is pure ECMAScript (no I/O, no clock, no host randomness).
 */
export { CYCLE_RECORD_VERSION, type CycleRecord, type CycleTrigger, type HeapSample } from './record';
export {
  SCENARIO_FORMAT_VERSION,
  type AllocationSite,
  type GoroutineKind,
  type Lifetime,
  type Scenario,
  type SizeDistribution,
} from './scenario';
export {
  ENGINE_VERSION,
  MAX_GRID_SAMPLES,
  MAX_SAMPLED_CYCLES,
  SAMPLE_INTERVAL_NS,
  createSimulation,
  type HeapView,
  type Simulation,
  type SimulationConfig,
  type SimulationObserver,
  type SimulationOptions,
  type SimulationOutput,
} from './simulation';
export { COLLECTORS, collectorNames, findCollector, type CollectorRegistration } from './collectors/registry';
export type {
  Collector,
  CollectorContext,
  CollectorFactory,
  CollectorStep,
  CycleResult,
  CycleStart,
} from './collectors/collector';
export { DEFAULT_COST_MODEL, type CostModel } from './cost-model';
export {
  DEFAULT_HEAP_MINIMUM_BYTES,
  GOGC_OFF,
  heapGoalBytes,
  heapMinimumBytes,
  pace,
  triggerBytes,
  type PacerDecision,
  type PacerInputs,
} from './pacer';
export {
  MAX_SMALL_SIZE_BYTES,
  NUM_SIZE_CLASSES,
  NUM_SPAN_CLASSES,
  PAGE_BYTES,
  SIZE_CLASSES,
  roundUpSize,
  sizeToClass,
  type SizeClass,
} from './size-classes';
export { Prng } from './prng';
export { Heap, NIL, POINTER_BYTES, type SweepResult } from './heap';
export { Roots, STACK_START_BYTES } from './roots';
