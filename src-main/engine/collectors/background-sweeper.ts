/**
 * bgsweep: between cycles, the background sweeper sweeps spans with the time of the Ps the program
 * leaves idle (it yields to every goroutine, so a busy machine leaves it nothing and allocations
 * sweep instead: proportional sweep in heap.ts). Shared by the collectors that sweep lazily.
 */
import type { CollectorContext } from './collector';

/** The background sweeper wakes every 100 µs of virtual time while spans are unswept. */
export const SWEEP_STEP_NS = 100_000;

export class BackgroundSweeper {
  private readonly context: CollectorContext;
  private lastStepNs = 0;

  constructor(context: CollectorContext) {
    this.context = context;
  }

  /** A sweep round began at `nowNs` (mark termination's end); returns when to step next. */
  start(nowNs: number): number {
    this.lastStepNs = nowNs;
    return this.context.heap.unsweptSpans > 0 ? nowNs + SWEEP_STEP_NS : Infinity;
  }

  /** Sweeps what the idle Ps had time for since the last step; returns when to step next. */
  step(nowNs: number): number {
    const { heap, cost, procs, mutator } = this.context;
    const elapsedNs = Math.max(0, nowNs - this.lastStepNs);
    this.lastStepNs = nowNs;
    const idleProcs = Math.max(0, procs - mutator.busyProcs(nowNs));
    let spans = Math.floor((elapsedNs * idleProcs) / cost.sweepSpanNs);
    while (spans-- > 0 && heap.sweepOne());
    return heap.unsweptSpans > 0 ? nowNs + SWEEP_STEP_NS : Infinity;
  }
}
