/**
 * The interface every collector implements. The driver (simulation.ts) runs the mutator and calls
 * into the collector at the points where Go's runtime does:
 *
 *  1. Mutator hooks, on every event, each returning the extra mutator nanoseconds it cost:
 *     - writePointer: a pointer store into a heap object (Go's write barrier point; a refcount
 *       collector adjusts counts here; an incremental/concurrent one shades objects);
 *     - writeRoot: a store into a stack or global root slot (no barrier in Go for stacks; a refcount
 *       collector counts them);
 *     - afterMalloc: an object was just allocated (allocate-black during a mark, assist debt).
 *     Every hook performs the store itself, so a collector decides the order of barrier and write.
 *  2. startCycle: the pacer (or runtime.GC) asks for a cycle. A stop-the-world collector does the
 *     whole cycle here and returns it finished; a concurrent one does its first STW phase (sweep
 *     termination) and returns with `cycleRunning` set.
 *  3. step: the driver calls it once virtual time reaches `nextStepNs` (background mark work, the
 *     end of the mark phase, concurrent sweep). Collectors without concurrent phases keep
 *     nextStepNs = Infinity.
 *  4. A step that stops the world reports how long: every P is stopped for stopTheWorldNs from the
 *     step's start, and the driver delays every goroutine by it.
 *  5. The step that ends a cycle returns its CycleResult; the driver turns it into a CycleRecord
 *     (adding the pacer's goal and trigger, the sequence number and the cumulative CPU fraction).
 *
 * Every collector owns its mark state but not the heap: allocation, sweeping and accounting are
 * the heap's (heap.ts); a collector marks, then asks the heap to sweep.
 */
import type { CostModel } from '../cost-model';
import type { Heap } from '../heap';
import type { CycleTrigger } from '../record';
import type { Roots } from '../roots';

export interface CollectorContext {
  readonly heap: Heap;
  readonly roots: Roots;
  readonly cost: CostModel;
  /** GOMAXPROCS. */
  readonly procs: number;
}

export interface CycleStart {
  /** Virtual time the cycle starts (sweep termination begins). */
  startNs: number;
  trigger: CycleTrigger;
  /**
   * Runtime work the driver already did inside sweep termination's stop-the-world window besides
   * stopping it (clearpools: sync.Pool cleanup); the collector adds it to that phase.
   */
  sweepTermWorkNs?: number;
}

/** What one cycle did, in the collector's own terms. */
export interface CycleResult {
  /** Phase clocks (gctrace "a+b+c ms clock"). */
  sweepTermNs: number;
  markNs: number;
  markTermNs: number;
  /** Σ of the cycle's stop-the-world windows. */
  pauseNs: number;
  /** All GC CPU of the cycle: STW windows × procs, plus assist, background and idle mark work. */
  gcCpuNs: number;
  assistCpuNs: number;
  backgroundCpuNs: number;
  idleCpuNs: number;
  /** heapLive at mark termination, before it is reset to heapMarkedBytes (gctrace h1). */
  heapEndBytes: number;
  /** Slot bytes of the objects marked (gctrace h2, the pacer's heapMarked). */
  heapMarkedBytes: number;
  objectsMarked: number;
  /**
   * Scan work by source: requested bytes of scannable heap objects, stack bytes in use (Σ hi − sp
   * of every goroutine, Go 1.19's lastStackScan), global bytes.
   */
  heapScanBytes: number;
  stackScanBytes: number;
  globalsScanBytes: number;
  pointersFollowed: number;
  spansSwept: number;
  spansFreed: number;
  objectsFreed: number;
  bytesFreed: number;
}

export interface CollectorStep {
  /** Stop-the-world time this step imposed, from its start. */
  stopTheWorldNs: number;
  /** Set when this step ended a cycle. */
  finished: CycleResult | null;
}

export interface Collector {
  readonly name: string;
  /** True between startCycle and the step that finishes the cycle. */
  readonly cycleRunning: boolean;
  /** Virtual time at which the collector next needs `step`; Infinity when nothing is scheduled. */
  readonly nextStepNs: number;

  writePointer(objectId: number, field: number, targetId: number): number;
  writeRoot(rootSlot: number, targetId: number): number;
  afterMalloc(objectId: number): number;

  startCycle(start: CycleStart): CollectorStep;
  step(nowNs: number): CollectorStep;
}

export type CollectorFactory = (context: CollectorContext) => Collector;
