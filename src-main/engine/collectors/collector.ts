/**
 * The interface every collector implements. The driver (simulation.ts) runs the mutator and calls
 * into the collector at the points where Go's runtime does:
 *
 *  1. Mutator hooks, on every event, each returning the extra mutator nanoseconds it cost (a
 *     barrier, a count update and the frees it cascaded into, a mark assist); afterMalloc may
 *     also park the goroutine until a later step releases it (parkRequested, unparked):
 *     - writePointer: a pointer store into a heap object (Go's write barrier point; a refcount
 *       collector adjusts counts here; an incremental/concurrent one shades objects);
 *     - writeRoot: a store into a stack or global root slot (Go puts the barrier on globals, never on
 *       stacks: roots.isStack tells them apart; a refcount collector counts both);
 *     - afterMalloc: object `objectId` was just allocated by goroutine `goroutine` (allocate-black
 *       during a mark, assist debt). heap.lastMallocElemBytes says how many bytes it took.
 *     Every hook performs the store itself, so a collector decides the order of barrier and write.
 *  2. startCycle: the pacer (or runtime.GC) asks for a cycle. A stop-the-world collector does the
 *     whole cycle here and returns it finished; a concurrent or incremental one does its first STW
 *     phase (sweep termination) and returns with `cycleRunning` set.
 *  3. step: the driver calls it once virtual time reaches `nextStepNs` (background mark work, a mark
 *     slice, mark termination, background sweeping). Collectors with no concurrent work keep
 *     nextStepNs = Infinity. A hook may set nextStepNs to 0, meaning "as soon as possible" (an
 *     assist that finished the mark): the driver steps at its current time.
 *  4. A step that stops the world reports how long: every P is stopped for stopTheWorldNs from the
 *     step's start, and the driver delays every goroutine by it. (Background sweeping between
 *     cycles runs on idle Ps and is not counted as GC CPU, as gctrace does not count it.)
 *  5. The step that ends a cycle returns its CycleResult; the driver turns it into a CycleRecord
 *     (adding the pacer's goal and trigger, the sequence number and the cumulative CPU fraction).
 *     A cycle's sweep may go on after it (concurrent, lazy); `sweepDone` says when it has finished.
 *
 * Every collector owns its mark state but not the heap: allocation, sweeping and accounting are
 * the heap's (heap.ts); a collector marks, then asks the heap to sweep.
 */
import type { CostModel } from '../cost-model';
import type { Heap } from '../heap';
import type { CycleTrigger, PauseWindow } from '../record';
import type { Roots } from '../roots';

/** The write barrier an incremental collector keeps its invariant with ('none' only in tests). */
export type BarrierName = 'dijkstra' | 'yuasa' | 'none';
export const BARRIER_NAMES: readonly BarrierName[] = ['dijkstra', 'yuasa'];

/** Options some collectors take; every collector ignores the ones that are not its own. */
export interface CollectorOptions {
  /** incremental: Dijkstra insertion or Yuasa deletion barrier. */
  barrier: BarrierName;
  /** refcount: run the trial-deletion cycle collector at every cycle. */
  cycleCollector: boolean;
}

export const DEFAULT_COLLECTOR_OPTIONS: CollectorOptions = { barrier: 'dijkstra', cycleCollector: false };

/** The pacer's current decision, read live by collectors that pace their own work. */
export interface PacerView {
  readonly heapGoalBytes: number;
  readonly triggerBytes: number;
  /** GOGC (−1: off): revise's hard cap on an extrapolated goal is (1 + GOGC/100) × the goal. */
  readonly gogc: number;
  /** The GC CPU limiter is on: assists are skipped (Go 1.19 mgclimit.go). */
  readonly limiterOn: boolean;
}

/** What the collector may ask of the running program. */
export interface MutatorView {
  /** Ps the program could use right now: min(procs, goroutines runnable); the rest are idle. */
  busyProcs(nowNs: number): number;
  /**
   * The virtual time the running goroutine has reached: its step's start plus the mutator work it
   * has done in the step so far. A hook's returned time (an assist) runs from here.
   */
  clockNs(): number;
}

export interface CollectorContext {
  readonly heap: Heap;
  readonly roots: Roots;
  readonly cost: CostModel;
  /** GOMAXPROCS. */
  readonly procs: number;
  /**
   * The machine's CPUs (ncpu). With more Ps than CPUs, the threads running Ps time-share them: a
   * goroutine or mark worker progresses at cpus / (threads wanting a CPU) of its speed.
   */
  readonly cpus: number;
  readonly options: CollectorOptions;
  readonly pacer: PacerView;
  readonly mutator: MutatorView;
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
  /** Every stop-the-world window, in time order (absolute virtual time). */
  pauses: PauseWindow[];
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
  /**
   * Objects (and slot bytes) the cycle found unreachable: freed by its sweep, at once or lazily
   * afterwards; for reference counting, everything freed since the previous cycle.
   */
  objectsFreed: number;
  bytesFreed: number;
  /** Objects still allocated once this cycle's garbage is gone. */
  liveObjects: number;
  /** Collector fields of the record (record.ts); null where the collector has no such thing. */
  assistRatio: number | null;
  markUtilization: number | null;
  writeBarrierHits: number | null;
  writeBarrierShades: number | null;
  leakedObjects: number | null;
  leakedBytes: number | null;
  refcountFrees: number | null;
  cascadeMaxObjects: number | null;
  cascadeMaxNs: number | null;
}

export interface CollectorStep {
  /**
   * startCycle only: time the calling goroutine worked before the world stopped (Go's gcStart
   * sweeps the spans the last cycle left unswept before it stops the world); the stop-the-world
   * window starts this much after the cycle's start. 0 when absent.
   */
  callerNs?: number;
  /** Stop-the-world time this step imposed, from its start (after callerNs). */
  stopTheWorldNs: number;
  /** Set when this step ended a cycle. */
  finished: CycleResult | null;
}

export interface Collector {
  readonly name: string;
  /** True between startCycle and the step that finishes the cycle. */
  readonly cycleRunning: boolean;
  /** The last finished cycle's sweep is complete (a stop-the-world collector: always). */
  readonly sweepDone: boolean;
  /** Virtual time at which the collector next needs `step`; Infinity when nothing is scheduled. */
  readonly nextStepNs: number;
  /**
   * True while writePointer and writeRoot are plain stores that cost nothing and afterMalloc does
   * nothing and costs nothing: the driver then stores directly instead of calling the hooks. A
   * field, not a getter: it is read on every allocation, at call sites that see every collector.
   */
  readonly plainWrites: boolean;
  /**
   * Set by afterMalloc when the goroutine it ran for must block once its step ends: Go's
   * gcParkAssist, for an assist that found too little mark work to pay its debt. The driver parks
   * the goroutine and clears the flag.
   */
  parkRequested: boolean;
  /**
   * Goroutines a step released from that park, each with the time it may run again (when the
   * world restarts after mark termination). The driver empties it after every step.
   */
  readonly unparked: { goroutine: number; atNs: number }[];
  /**
   * Factor (≥ 1) by which the program's own work is slowed now because GC workers hold Ps, or
   * the threads running Ps outnumber the CPUs (mutatorCpuSlowdown when no GC work runs).
   */
  mutatorSlowdown(nowNs: number): number;

  writePointer(objectId: number, field: number, targetId: number): number;
  writeRoot(rootSlot: number, targetId: number): number;
  afterMalloc(objectId: number, goroutine: number): number;

  startCycle(start: CycleStart): CollectorStep;
  step(nowNs: number): CollectorStep;
  /**
   * Finish the last cycle's sweep now (runtime.GC() sweeps everything before it returns); returns
   * the time it took the calling goroutine.
   */
  finishSweep(nowNs: number): number;
}

export type CollectorFactory = (context: CollectorContext) => Collector;

/**
 * The share of a CPU each of `threads` runnable threads gets on `cpus` CPUs (the OS time-shares
 * them evenly): 1 while there are CPUs enough.
 */
export function cpuShare(cpus: number, threads: number): number {
  return threads > cpus ? cpus / threads : 1;
}

/** How much slower the program runs when its busy Ps outnumber the CPUs (no GC work running). */
export function mutatorCpuSlowdown(context: CollectorContext, nowNs: number): number {
  return 1 / cpuShare(context.cpus, context.mutator.busyProcs(nowNs));
}

/** CycleResult's collector fields for a collector that has none of them. */
export const NO_COLLECTOR_FIELDS = {
  assistRatio: null,
  markUtilization: null,
  writeBarrierHits: null,
  writeBarrierShades: null,
  leakedObjects: null,
  leakedBytes: null,
  refcountFrees: null,
  cascadeMaxObjects: null,
  cascadeMaxNs: null,
} as const satisfies Partial<CycleResult>;
