/**
 * The cycle record: one garbage-collection cycle, described the same way wherever it travels
 * (engine → SQLite → API → charts → exports). It carries at least what a Go gctrace line carries,
 * plus what only a simulation can know. Fields a source cannot know (an imported gctrace line has no
 * object counts) are `null`, never guessed.
 *
 * Every quantity names its unit. Times are virtual nanoseconds since the session started.
 * Bump CYCLE_RECORD_VERSION when a field changes meaning; add fields with a store migration.
 */

/**
 * 2: stacksBytes is the stack bytes in use (Σ hi − sp) that the goal counts, no longer Σ stack sizes
 * (now stackInUseBytes); the allocator, stack, escape and sync.Pool fields were added (migration 3).
 * 3: every stop-the-world window (pauses) and the collector fields (assists, barrier, reference
 * counting) were added (migration 4).
 */
export const CYCLE_RECORD_VERSION = 3;

/** One stop-the-world window: every P stopped from startNs for durationNs. */
export interface PauseWindow {
  startNs: number;
  durationNs: number;
}

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
  /**
   * Goroutine stack bytes the goal counted: Σ (hi − sp) of the stacks scanned (Go 1.19's
   * lastStackScan; tip's gctrace prints it as "MB stacks", Go 1.19's prints stackInUseBytes there).
   */
  stacksBytes: number;
  /** Scannable global bytes (gctrace "MB globals"). */
  globalsBytes: number;
  /** GOMAXPROCS during the cycle (gctrace "N P"). */
  procs: number;

  /** Wall-clock phases (gctrace "a+b+c ms clock"). */
  sweepTermNs: number;
  markNs: number;
  markTermNs: number;
  /** Total stop-the-world time of the cycle: Σ pauses[].durationNs. */
  pauseNs: number;
  /**
   * Every stop-the-world window of the cycle in time order: one for mark-sweep, sweep and mark
   * termination for Go's collector (an imported line gives both), each mark slice and the
   * termination for the incremental one, none for reference counting without a cycle collection.
   */
  pauses: PauseWindow[];
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
  /** Bytes in in-use spans not occupied by objects: tailWasteBytes + free slots. */
  fragmentationBytes: number | null;

  // Simulation only, at the cycle's end (after its sweep); null when imported.
  /** Σ goroutine stack sizes, hi − lo (MemStats.StackInuse; Go 1.19's gctrace "MB stacks"). */
  stackInUseBytes: number | null;
  /** Bytes in in-use heap spans (MemStats.HeapInuse). */
  heapInUseBytes: number | null;
  /** Bytes of free heap pages, released ones included (MemStats.HeapIdle). */
  heapIdleBytes: number | null;
  /** Bytes of free heap pages returned to the OS (MemStats.HeapReleased). */
  heapReleasedBytes: number | null;
  /** Span bytes past the last slot of every in-use small span. */
  tailWasteBytes: number | null;
  /** Slot bytes allocated objects did not request (size-class and page rounding, tiny padding). */
  internalWasteBytes: number | null;

  // Simulation only, counted from the previous cycle's end (the session's start for cycle 1) to
  // this cycle's end; null when imported.
  /** Objects the program allocated on the heap (tiny sub-objects and pool News included). */
  heapAllocations: number | null;
  /** Bytes those objects requested. */
  heapAllocatedBytes: number | null;
  /** Non-escaping objects (kept in their goroutine's frame). */
  stackAllocations: number | null;
  stackAllocatedBytes: number | null;
  /** Heap allocations packed into an existing 16 B tiny block (Go's tinyAllocs). */
  tinyAllocations: number | null;
  /** Stack doublings (morestack), halvings (shrinkstack at GC), and the bytes their copies moved. */
  stackGrowths: number | null;
  stackShrinks: number | null;
  stackCopiedBytes: number | null;

  // sync.Pool, summed over the scenario's pools over the same interval; null when the session has
  // no simulated pools. poolGets = poolHitsPrivate + poolHitsShared + poolHitsStolen +
  // poolHitsVictim + poolMisses.
  poolGets: number | null;
  /** Gets served by the P's private slot, its own shared chain, another P's chain, the victim cache. */
  poolHitsPrivate: number | null;
  poolHitsShared: number | null;
  poolHitsStolen: number | null;
  poolHitsVictim: number | null;
  /** Gets that found nothing and called New. */
  poolMisses: number | null;
  poolPuts: number | null;
  /** Objects dropped with the victim cache at this cycle's start (poolCleanup). */
  poolDropped: number | null;

  // Collector fields; null where the collector (or an imported trace) has no such thing.
  /** Scan work owed per byte allocated during the mark, at its start (gcpacertrace's assist ratio). */
  assistRatio: number | null;
  /**
   * GC CPU during the mark phase (background, idle and assist) over markNs × procs: how much of the
   * machine marking took while the program ran (Go aims its background share at 25 %).
   */
  markUtilization: number | null;
  /** Pointer stores that went through an enabled write barrier during the cycle. */
  writeBarrierHits: number | null;
  /** Objects the write barrier shaded (made grey) that marking had not reached yet. */
  writeBarrierShades: number | null;
  /**
   * Reference counting: objects (and their slot bytes) unreachable from every root yet still
   * counted, at the cycle's end — garbage cycles counting alone can never free.
   */
  leakedObjects: number | null;
  leakedBytes: number | null;
  /**
   * Reference counting, since the previous cycle: frees caused by counts dropping to zero, and the
   * largest cascade one store set off (objects freed, and the mutator time it took).
   */
  refcountFrees: number | null;
  cascadeMaxObjects: number | null;
  cascadeMaxNs: number | null;
}

/** A point of the heap sawtooth between cycles. */
export interface HeapSample {
  tNs: number;
  /** Bytes of allocated heap objects, including dead ones not yet swept (MemStats.HeapAlloc). */
  heapAllocBytes: number;
  /** Bytes in spans in use (MemStats.HeapInuse). */
  heapInUseBytes: number;
}
