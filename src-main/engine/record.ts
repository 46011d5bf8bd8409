/**
 * The cycle record: one garbage-collection cycle, described the same way wherever it travels
 * (engine → SQLite → API → charts → exports). It carries at least what a Go gctrace line carries,
 * plus what only a simulation can know. Fields a source cannot know (an imported gctrace line has no
 * object counts) are `null`, never guessed.
 *
 * Every quantity names its unit. Times are virtual nanoseconds since the session started.
 * Bump CYCLE_RECORD_VERSION when a field changes meaning; add fields with a store migration.
 */

export const CYCLE_RECORD_VERSION = 1;

/** Why a cycle started (gctrace marks only `forced` on the line). */
export type CycleTrigger = 'heap' | 'forced' | 'periodic';

export interface CycleRecord {
  /** 1-based cycle number, as `gc N` in gctrace. */
  seq: number;
  /** Start of sweep termination. */
  startNs: number;
  trigger: CycleTrigger;

  /** heapLive when the cycle started (gctrace h0). */
  heapStartBytes: number;
  /** heapLive at mark termination, before it is reset (gctrace h1). */
  heapEndBytes: number;
  /** Bytes marked reachable (gctrace h2); the next cycle's heapMarked. */
  heapMarkedBytes: number;
  /** The goal this cycle was paced against (gctrace "MB goal"). */
  heapGoalBytes: number;
  /** heapLive value whose crossing started the cycle. */
  heapTriggerBytes: number;
  /** Goroutine stack bytes counted towards the goal (gctrace "MB stacks"). */
  stacksBytes: number;
  /** Scannable global bytes (gctrace "MB globals"). */
  globalsBytes: number;
  /** GOMAXPROCS during the cycle (gctrace "N P"). */
  procs: number;

  /** Wall-clock phases (gctrace "a+b+c ms clock"). */
  sweepTermNs: number;
  markNs: number;
  markTermNs: number;
  /** Total stop-the-world time of the cycle. */
  pauseNs: number;
  /** GC CPU by source during the cycle (gctrace "b/c/d" of "a+b/c/d+e ms cpu"). */
  assistCpuNs: number;
  backgroundCpuNs: number;
  idleCpuNs: number;
  /** Fraction of available CPU spent in GC since the session started (gctrace "P%" / 100). */
  gcCpuFraction: number;

  /** Simulation only (null when imported). */
  objectsFreed: number | null;
  bytesFreed: number | null;
  liveObjects: number | null;
  /** Bytes in in-use spans not occupied by objects (tail waste + free slots + rounding). */
  fragmentationBytes: number | null;
}

/** A point of the heap sawtooth between cycles. */
export interface HeapSample {
  tNs: number;
  /** Bytes of allocated heap objects, including dead ones not yet swept (MemStats.HeapAlloc). */
  heapAllocBytes: number;
  /** Bytes in spans in use (MemStats.HeapInuse). */
  heapInUseBytes: number;
}
