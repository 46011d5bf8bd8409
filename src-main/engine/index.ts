/**
 * The engine's public surface: what the worker, the services and the tests may use. Everything
 * here is pure ECMAScript (no I/O, no clock, no host randomness).
 */
export {
  CYCLE_RECORD_VERSION,
  type CycleRecord,
  type CycleTrigger,
  type HeapSample,
  type PauseWindow,
} from './record';
export {
  SCENARIO_FORMAT_VERSION,
  type AllocationSite,
  type DepthDistribution,
  type GoroutineKind,
  type Lifetime,
  type ObjectSite,
  type Phase,
  type PoolLifetime,
  type PoolSite,
  type PoolSpec,
  type RuntimeGcSpec,
  type Scenario,
  type ScriptOp,
  type SizeDistribution,
  type StackSpec,
  type Structure,
} from './scenario';
export {
  DEFAULT_SNAPSHOT_OPTIONS,
  GRAPH_NO_SITE,
  ROOT_GLOBAL,
  ROOT_POOL,
  ROOT_STACK,
  ROOT_TINY,
  SNAPSHOT_VERSION,
  graphsCycle,
  snapshotsCycle,
  type HeapSnapshot,
  type HeapTotals,
  type ObjectGraph,
  type PoolContents,
  type SiteRow,
  type SizeClassRow,
  type SnapshotOptions,
  type SpanMap,
  type StackSummary,
} from './snapshot';
export { decodeBase64, decodeInt32, decodeUint16, decodeUint8, encodeBase64 } from './base64';
export {
  ENGINE_VERSION,
  MAX_GRID_SAMPLES,
  MAX_SAMPLED_CYCLES,
  SAMPLE_INTERVAL_NS,
  SCAVENGER_CPU_FRACTION,
  createSimulation,
  type HeapView,
  type Simulation,
  type SimulationConfig,
  type SimulationObserver,
  type SimulationOptions,
  type SimulationOutput,
} from './simulation';
export { COLLECTORS, collectorNames, findCollector, type CollectorRegistration } from './collectors/registry';
export {
  BARRIER_NAMES,
  DEFAULT_COLLECTOR_OPTIONS,
  type BarrierName,
  type Collector,
  type CollectorContext,
  type CollectorFactory,
  type CollectorOptions,
  type CollectorStep,
  type CycleResult,
  type CycleStart,
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
export { Heap, NIL, POINTER_BYTES, TINY_SIZE_BYTES, type SweepResult } from './heap';
export { GLOBAL, Roots, STACK_START_BYTES } from './roots';
export {
  GOROUTINE_BASE_STACK_BYTES,
  STACK_GUARD_BYTES,
  STACK_LIMIT_BYTES,
  STACK_MIN_BYTES,
  Stacks,
} from './stacks';
export {
  POOL_HIT_PRIVATE,
  POOL_HIT_SHARED,
  POOL_HIT_STOLEN,
  POOL_HIT_VICTIM,
  POOL_MISS,
  SyncPool,
  type PoolRootStore,
} from './pool';
export { RateSchedule } from './phases';
export { Workload } from './workload';
export { treeNodes } from './structure';
