/**
 * The GOGC pacer of Go ≥ 1.18 (mgcpacer.go, design 44167): when the next cycle must start and what
 * heap size it aims at. Reference §3.5 (goal) and §3.7 (trigger).
 *
 *  1. Goal. After a cycle marked heapMarked bytes,
 *       goal = heapMarked + (heapMarked + stacks + globals) · GOGC / 100     (integer division)
 *     and never less than heapMinimum = 4 MiB · GOGC / 100. GOGC = −1 (off) makes the goal infinite:
 *     the heap never triggers a cycle. Before the first cycle heapMarked = 0, so the goal is the
 *     minimum: 4 MiB at GOGC = 100.
 *  2. Trigger. With runway r (bytes the mutator is expected to allocate while the cycle's mark
 *     runs),
 *       minTrigger = max(sweepDistMinTrigger, heapMarked, heapMarked + (goal − heapMarked)/64·45)
 *       maxTrigger = max(minTrigger, heapMarked + (goal − heapMarked)/64·61, goal − 4 MiB if larger)
 *       trigger    = clamp(goal − r, minTrigger, maxTrigger)
 *     and trigger = goal when heapMarked ≥ goal. (goal − heapMarked)/64 is an integer division
 *     done before the multiply, exactly as Go does it.
 *  3. A cycle starts when heapLive ≥ trigger; Go tests it only when an allocation refills an mcache
 *     span or allocates a large object (the heap does the same, see heap.ts).
 *
 *  4. Runway comes from the cons/mark estimate (ConsMarkController below), which only a collector
 *     that lets the program run during its mark can measure; for the stop-the-world ones it stays
 *     0, so their trigger is maxTrigger ≈ 0.95 of the way to the goal. sweepDistMinTrigger
 *     (heapLive + 1 MiB while the last sweep is unfinished) applies to collectors that sweep lazily.
 *  5. GOMEMLIMIT (§3.6): memoryLimitHeapGoalBytes; when it is below GOGC's goal it wins and the
 *     sweep floor is skipped. The memory it counts includes the runtime's own
 *     (runtimeMetadataBytes: ≈ 9.2 MiB at a 60 MiB heap, Go 1.19.8 measured 9.5). The 64 KiB
 *     minRunway of a running cycle is not modelled (the goal is fixed for a cycle once it starts).
 */

/** defaultHeapMinimum: the goal never falls below 4 MiB · GOGC / 100. */
export const DEFAULT_HEAP_MINIMUM_BYTES = 4 << 20;
/** GOGC=off. */
export const GOGC_OFF = -1;
/** triggerRatioDen with the 0.7 (45/64) and 0.95 (61/64) bounds of the trigger. */
const TRIGGER_DEN = 64;
const MIN_TRIGGER_NUM = 45;
const MAX_TRIGGER_NUM = 61;

export interface PacerInputs {
  /** GOGC percent; −1 = off. */
  gogc: number;
  /** Bytes marked by the last cycle; 0 before the first one. */
  heapMarkedBytes: number;
  /** Goroutine stack bytes scanned by the last cycle (Go 1.19: lastStackScan). */
  stacksBytes: number;
  /** Scannable global bytes (globalsScan). */
  globalsBytes: number;
  /** Expected allocation during the mark phase; 0 until a concurrent collector estimates cons/mark. */
  runwayBytes: number;
  /** heapLive + 1 MiB while the previous cycle's sweep is unfinished, else 0. */
  sweepDistMinTriggerBytes: number;
  /** memoryLimitHeapGoalBytes; Infinity (or absent) with no GOMEMLIMIT. */
  memoryLimitGoalBytes?: number;
}

export interface PacerDecision {
  /** Infinity when GOGC is off and there is no memory limit. */
  heapGoalBytes: number;
  /** Infinity when GOGC is off and there is no memory limit. */
  triggerBytes: number;
  /** The memory limit set the goal (it was below GOGC's). */
  memoryLimited: boolean;
}

/** gcPercentHeapGoal with its heapMinimum floor. */
export function heapGoalBytes(
  gogc: number,
  heapMarkedBytes: number,
  stacksBytes: number,
  globalsBytes: number,
): number {
  if (gogc < 0) return Infinity;
  const goal = heapMarkedBytes + Math.floor(((heapMarkedBytes + stacksBytes + globalsBytes) * gogc) / 100);
  return Math.max(goal, heapMinimumBytes(gogc));
}

/** heapMinimum = defaultHeapMinimum · GOGC / 100. */
export function heapMinimumBytes(gogc: number): number {
  return Math.floor((DEFAULT_HEAP_MINIMUM_BYTES * gogc) / 100);
}

/** gcControllerState.trigger for a given goal. */
export function triggerBytes(
  goalBytes: number,
  heapMarkedBytes: number,
  runwayBytes: number,
  sweepDistMinTriggerBytes: number,
): number {
  if (!Number.isFinite(goalBytes)) return Infinity;
  if (heapMarkedBytes >= goalBytes) return goalBytes;
  const step = Math.floor((goalBytes - heapMarkedBytes) / TRIGGER_DEN);
  const minTrigger = Math.max(
    sweepDistMinTriggerBytes,
    heapMarkedBytes,
    heapMarkedBytes + step * MIN_TRIGGER_NUM,
  );
  let maxTrigger = heapMarkedBytes + step * MAX_TRIGGER_NUM;
  if (goalBytes > DEFAULT_HEAP_MINIMUM_BYTES && goalBytes - DEFAULT_HEAP_MINIMUM_BYTES > maxTrigger) {
    maxTrigger = goalBytes - DEFAULT_HEAP_MINIMUM_BYTES;
  }
  maxTrigger = Math.max(maxTrigger, minTrigger);
  const trigger = runwayBytes > goalBytes ? minTrigger : goalBytes - runwayBytes;
  return Math.min(Math.max(trigger, minTrigger), maxTrigger);
}

/** heapGoalInternal + trigger: the smaller of GOGC's and the memory limit's goal (§3.5–§3.7). */
export function pace(inputs: PacerInputs): PacerDecision {
  const gogcGoal = heapGoalBytes(
    inputs.gogc,
    inputs.heapMarkedBytes,
    inputs.stacksBytes,
    inputs.globalsBytes,
  );
  const limitGoal = inputs.memoryLimitGoalBytes ?? Infinity;
  if (limitGoal < gogcGoal) {
    // Memory-limited: no sweep-distance floor (Go skips it so the limit is respected).
    return {
      heapGoalBytes: limitGoal,
      triggerBytes: triggerBytes(limitGoal, inputs.heapMarkedBytes, inputs.runwayBytes, 0),
      memoryLimited: true,
    };
  }
  const goalWithSweep = Math.max(gogcGoal, inputs.sweepDistMinTriggerBytes);
  return {
    heapGoalBytes: goalWithSweep,
    triggerBytes: triggerBytes(
      goalWithSweep,
      inputs.heapMarkedBytes,
      inputs.runwayBytes,
      inputs.sweepDistMinTriggerBytes,
    ),
    memoryLimited: false,
  };
}

/** gcGoalUtilization (= gcBackgroundUtilization since Go 1.18): the pacer aims marking at 25 % CPU. */
export const GOAL_UTILIZATION = 0.25;

/**
 * The cons/mark estimator of Go 1.18–1.19 (mgcpacer.go endCycle): a PI controller with kp = 0.9,
 * ti = 4, tt = 1000, output clamped to ±1000, stepped once per cycle with the previous estimate as
 * its input and this cycle's measurement as its setpoint. The estimate sets the runway: how much
 * the program allocates while the next mark does its expected scan work at 25 % CPU.
 */
export class ConsMarkController {
  private static readonly KP = 0.9;
  private static readonly TI = 4;
  private static readonly TT = 1000;
  private static readonly MIN = -1000;
  private static readonly MAX = 1000;
  /** The current estimate (cons/mark: bytes allocated per byte of scan work). */
  consMark = 0;
  private errIntegral = 0;

  /** One cycle's measurement (currentConsMark); returns the new estimate. */
  update(measured: number): number {
    const { KP, TI, TT, MIN, MAX } = ConsMarkController;
    const error = measured - this.consMark;
    const rawOutput = KP * error + this.errIntegral;
    if (!Number.isFinite(rawOutput)) {
      // piController.next resets on overflow and reports failure; the estimate falls to the floor.
      this.errIntegral = 0;
      this.consMark = 0;
      return this.consMark;
    }
    const output = Math.min(Math.max(rawOutput, MIN), MAX);
    this.errIntegral += (KP / TI) * error + (1 / TT) * (output - rawOutput);
    this.consMark = output;
    return output;
  }
}

/** What endCycle measures of a finished concurrent mark. */
export interface MarkMeasurement {
  /** heapLive at mark termination (h1), and the trigger the cycle started at. */
  heapLiveBytes: number;
  triggerBytes: number;
  markNs: number;
  procs: number;
  assistCpuNs: number;
  idleCpuNs: number;
  /** Heap + stack + globals scan work of the cycle. */
  scanWorkBytes: number;
}

/**
 * currentConsMark (endCycle): bytes allocated during the mark per byte of scan work, at 25 % CPU.
 * endCycle assumes the background workers met their 25 % whether or not they ran, so a mark that
 * assists did alone in less time than they took (one P: the workers never get it) measures a
 * utilization over 1 and a negative cons/mark; Go feeds that to its controller as it is. Exactly 1
 * divides by zero: the controller resets (ConsMarkController.update).
 */
export function measuredConsMark(m: MarkMeasurement): number | null {
  if (!(m.markNs > 0) || !(m.scanWorkBytes > 0)) return null;
  // endCycle leaves the estimate alone when heapLive never passed the trigger.
  if (m.heapLiveBytes <= m.triggerBytes) return null;
  const utilization = GOAL_UTILIZATION + m.assistCpuNs / (m.markNs * m.procs);
  const idleUtilization = m.idleCpuNs / (m.markNs * m.procs);
  return (
    ((m.heapLiveBytes - m.triggerBytes) * (utilization + idleUtilization)) /
    (m.scanWorkBytes * (1 - utilization))
  );
}

/**
 * commit's runway: consMark × (1 − u)/u × (last heap scan + stack scan + globals scan). Go stores
 * it as a uint64, truncated to whole bytes (so the trigger is whole bytes too): a negative estimate
 * converts (on amd64) to a huge runway, so the trigger falls to its minimum, 0.7 of the way to the
 * goal — Infinity here.
 */
export function runwayBytes(consMark: number, scanWorkBytes: number): number {
  const runway = ((consMark * (1 - GOAL_UTILIZATION)) / GOAL_UTILIZATION) * scanWorkBytes;
  return runway < 0 ? Infinity : Math.floor(runway);
}

/** memoryLimitHeapGoalHeadroom in Go 1.19. */
export const MEMORY_LIMIT_HEADROOM_BYTES = 1 << 20;

export interface MemoryLimitInputs {
  limitBytes: number;
  /** Memory the runtime has mapped and not released: heap in use + free unreleased pages + stacks. */
  mappedReadyBytes: number;
  /** Free heap pages not released to the OS. */
  heapFreeBytes: number;
  /** Bytes in allocated heap objects (MemStats.HeapAlloc). */
  heapAllocBytes: number;
  heapMarkedBytes: number;
}

/** memoryLimitHeapGoal (Go 1.19, reference §3.6); Infinity with no limit. */
export function memoryLimitHeapGoalBytes(m: MemoryLimitInputs): number {
  if (!Number.isFinite(m.limitBytes)) return Infinity;
  const nonHeap = m.mappedReadyBytes - m.heapFreeBytes - m.heapAllocBytes;
  const overage = Math.max(m.mappedReadyBytes - m.limitBytes, 0);
  if (nonHeap + overage >= m.limitBytes) return m.heapMarkedBytes;
  let goal = m.limitBytes - (nonHeap + overage);
  goal =
    goal < 2 * MEMORY_LIMIT_HEADROOM_BYTES ? MEMORY_LIMIT_HEADROOM_BYTES : goal - MEMORY_LIMIT_HEADROOM_BYTES;
  return Math.max(goal, m.heapMarkedBytes);
}

/** heapArenaBytes: the heap's address space comes in 64 MiB arenas, each with its own metadata. */
export const HEAP_ARENA_BYTES = 64 << 20;
/**
 * One heapArena struct (mheap.go, Go 1.19 linux/amd64): the 2-bit-per-word heap bitmap (2 MiB for
 * 8 Mi words), the page → *mspan array (8192 × 8 B), the pageInUse, pageMarks and pageSpecials
 * bitmaps (1 KiB each) and two words (checkmarks, zeroedBase). persistentalloc maps it whole (one
 * 2 165 776 B mmap per arena), so mappedReady counts all of it.
 */
export const HEAP_ARENA_METADATA_BYTES = (2 << 20) + 8192 * 8 + 3 * 1024 + 2 * 8;
/** The page allocator's chunk array (mpagealloc.go grow): 2^13 pallocData of 128 B, sysAlloc'd. */
export const PAGE_ALLOC_CHUNKS_BYTES = (1 << 13) * 128;
/**
 * The page allocator's summaries (mpagealloc_64bit.go sysGrow): blockAlignSummaryRange aligns the
 * root level to all of its 2^14 entries of 8 B, and each of the four lower levels maps one 4 KiB
 * physical page for a heap this size. sysMap + sysUsed: counted in mappedReady.
 */
export const PAGE_SUMMARY_BYTES = (1 << 14) * 8 + 4 * 4096;
/**
 * Go 1.19.8's scavenge index (mpagealloc_64bit.go scavengeIndex.grow): a bitmap with one bit per
 * 4 MiB chunk of the whole address space, mapped from its first byte up to the heap's top chunk —
 * "we always map the full range of the minimum heap address to the maximum heap address", and the
 * minimum starts at 0. The heap begins at 0xc000000000, chunk index (0xc000000000 + 2^47) / 4 MiB
 * = 33 751 040, so the mapping is alignUp((33 751 040 + chunks + 7) / 8, 4 KiB) = 4 222 976 B for
 * any heap under 128 GiB (the 4 MiB the real runtime's GCSys holds before it allocates anything).
 * sysMap + sysUsed: counted in mappedReady.
 */
export const SCAVENGE_INDEX_BYTES = 4_222_976;
/**
 * sizeof(mspan) in Go 1.19.8 amd64. mheap_.spanalloc (fixalloc) carves them from 16 272 B chunks
 * (113 mspans: _FixAllocChunk / 144 × 144); MSpanSys was 47 such chunks with 45 MiB of heap.
 */
export const MSPAN_BYTES = 144;
const FIXALLOC_CHUNK_BYTES = 16 << 10;
const MSPANS_PER_CHUNK = Math.floor(FIXALLOC_CHUNK_BYTES / MSPAN_BYTES);
/**
 * gcBits arenas (mheap.go newMarkBits): every span's mark bits and a fresh span's alloc bits,
 * (nelems + 63) / 64 × 8 B each (8 B for the 1 KiB class's 8 slots), come from 64 KiB sysAlloc'd
 * arenas. A generation holds up to both arrays of every span; three are alive at once
 * (gcBitsArenas next, current, previous: nextMarkBitArenaEpoch recycles the oldest), and freed
 * arenas are kept for reuse, never unmapped (Go 1.19.8 had mapped 7 by the churn run's 60th cycle).
 */
export const GC_BITS_ARENA_BYTES = 64 << 10;
const GC_BITS_GENERATIONS = 3;
const GC_BITS_ARENA_HEADER_BYTES = 16;
/** A span's mark and alloc bits: one 8 B block each covers up to 64 slots. */
const GC_BITS_PER_SPAN_BYTES = 2 * 8;
/**
 * mheap_.allspans (mheap.go recordspan): one pointer per mspan ever made, sysAlloc'd 64 KiB at
 * first and regrown by half when full (the old array is freed).
 */
const ALLSPANS_INITIAL_ENTRIES = (64 << 10) / 8;
/**
 * The runtime's own stacks (StackInuse with no goroutine of the program's): every M's 32 KiB
 * signal stack (os_linux.go mpreinit: malg(32 * 1024), a 4-page manual span of its own), the
 * Ms' 8 KiB g0 stacks and the system goroutines' (bgsweep, bgscavenge, forcegchelper, the mark
 * workers) from the stack pool's 32 KiB spans. Go 1.19.8 at GOMAXPROCS=2 holds 7 such 32 KiB
 * spans (StackInuse 229 376 B) at the churn program's first cycle.
 */
export const RUNTIME_STACK_BYTES = 7 * (32 << 10);
/**
 * OtherSys (less allspans) and MCacheSys: what is left of persistentalloc's 256 KiB chunks
 * (persistentChunkSize; the global one and each P's) after the itabs, fixalloc'd structures and
 * other small runtime objects carved from them, and the mcaches' fixalloc chunk — 383 572 B − 64 KiB
 * + 15 600 B in a Go 1.19.8 program at its start.
 */
export const RUNTIME_OTHER_SYS_BYTES = 320 << 10;

/**
 * The runtime's own mapped memory that Go 1.19's memory limit counts besides heap pages and the
 * program's goroutine stacks (memoryLimitHeapGoal's mappedReady includes every sysAlloc'd or
 * sysUsed byte: gcMiscSys, mspanSys, stackSys, otherSys): the arenas' metadata, the page
 * allocator's chunk array, summaries and scavenge index, every mspan ever allocated (fixalloc never
 * unmaps them), the gcBits arenas, the runtime's own stacks and its other structures. Measured on
 * Go 1.19.8 (runtime/metrics, churn -live 32 at its first cycle): 9.5 MiB with 57 MiB of heap.
 * Left out: the GC's work buffers (noscan heaps grey almost nothing) and the memory profiler's
 * bucket hash (1.4 MiB, but only in binaries that use runtime.MemProfile: the linker sets
 * disableMemoryProfiling otherwise, mprof.go, and MemProfileRate is 0). Zero before the heap maps
 * anything.
 */
export function runtimeMetadataBytes(heapSysBytes: number, spansEverAllocated: number): number {
  if (!(heapSysBytes > 0)) return 0;
  const arenas = Math.ceil(heapSysBytes / HEAP_ARENA_BYTES);
  const mspanBytes = Math.ceil(spansEverAllocated / MSPANS_PER_CHUNK) * MSPANS_PER_CHUNK * MSPAN_BYTES;
  let allspansEntries = ALLSPANS_INITIAL_ENTRIES;
  while (allspansEntries < spansEverAllocated) allspansEntries = Math.floor((allspansEntries * 3) / 2);
  const gcBitsBytes =
    GC_BITS_GENERATIONS *
    Math.max(
      1,
      Math.ceil(
        (spansEverAllocated * GC_BITS_PER_SPAN_BYTES) / (GC_BITS_ARENA_BYTES - GC_BITS_ARENA_HEADER_BYTES),
      ),
    ) *
    GC_BITS_ARENA_BYTES;
  return (
    arenas * HEAP_ARENA_METADATA_BYTES +
    PAGE_ALLOC_CHUNKS_BYTES +
    PAGE_SUMMARY_BYTES +
    SCAVENGE_INDEX_BYTES +
    mspanBytes +
    allspansEntries * 8 +
    gcBitsBytes +
    RUNTIME_STACK_BYTES +
    RUNTIME_OTHER_SYS_BYTES
  );
}
