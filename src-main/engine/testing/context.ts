/**
 * A CollectorContext for tests that drive a collector directly, without the simulation driver: a
 * fixed pacer decision and a program that keeps every P busy unless told otherwise.
 */
import {
  DEFAULT_COLLECTOR_OPTIONS,
  type CollectorContext,
  type CollectorOptions,
  type PacerView,
} from '../collectors/collector';
import { DEFAULT_COST_MODEL, type CostModel } from '../cost-model';
import type { Heap } from '../heap';
import type { Roots } from '../roots';

export interface TestContextOptions {
  procs?: number;
  /** The machine's CPUs; procs when absent. */
  cpus?: number;
  cost?: CostModel;
  options?: Partial<CollectorOptions>;
  pacer?: Partial<PacerView>;
  busyProcs?: number;
}

export function testCollectorContext(heap: Heap, roots: Roots, o: TestContextOptions = {}): CollectorContext {
  const procs = o.procs ?? heap.procs;
  const busy = o.busyProcs ?? procs;
  return {
    heap,
    roots,
    cost: o.cost ?? DEFAULT_COST_MODEL,
    procs,
    cpus: o.cpus ?? procs,
    options: { ...DEFAULT_COLLECTOR_OPTIONS, ...o.options },
    pacer: { heapGoalBytes: 4 << 20, triggerBytes: 3_997_696, gogc: 100, limiterOn: false, ...o.pacer },
    mutator: { busyProcs: () => busy, clockNs: () => 0 },
  };
}
