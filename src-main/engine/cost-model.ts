/**
 * Virtual time. Nothing in a simulated session reads a clock: every duration is a count of work
 * items times a cost in nanoseconds from this table, so a session replays bit for bit and the
 * simulator's own speed never shows in its results.
 *
 *  1. The mutator pays for each heap allocation: a fixed mallocgc cost, zeroing of the slot, and a
 *     refill whenever its mcache span runs out (or a page allocation for a large object).
 *  2. The collector pays per root job, per byte of roots and objects scanned, per pointer followed
 *     (finding the target's span and slot), per object marked, and per span swept.
 *  3. Every stop-the-world window pays a fixed cost to stop (preempt every P and wait for it) and
 *     to start the world again.
 *  4. The mutator also pays for the runtime work around its allocations: the tiny allocator's
 *     packing, stack growth (morestack + copystack per byte of the old stack), and sync.Pool
 *     Get/Put (plus a probe per other P's cache a getSlow looks into). The collector pays for
 *     stack shrinking (copystack again) inside its stack scan, and for poolCleanup in sweep
 *     termination. The background scavenger's page releases are paced by their cost.
 *  5. A pointer store pays for the write barrier while it is on (incremental and Go's collector);
 *     the objects it greys are then scanned as mark work like any other.
 *
 * Calibration: Go 1.19.8 marks the `churn` program's ~17 MB live heap of 1 KiB objects in about
 * 0.5 ms of mark clock and 0.4 ms of mark CPU (fixtures/gctrace/go1.19.8_churn_gogc100.txt); with
 * these constants a stop-the-world mark of 16 MiB of 1 KiB objects takes ≈ 0.35 ms and its sweep of
 * ≈ 4 000 spans ≈ 0.6 ms, a ≈ 1 ms pause (cost-model.test.ts keeps it within 0.1–2 ms). Each
 * constant below says where its magnitude comes from; they are round numbers on purpose: the model
 * is meant to get ratios right (scan vs. sweep vs. malloc), not to imitate one machine.
 */
export interface CostModel {
  /** mallocgc fast path per object: size-class lookup, nextFreeFast, heap-bit and stats bookkeeping. */
  readonly mallocObjectNs: number;
  /** Zeroing the slot (memclrNoHeapPointers), per byte. */
  readonly zeroByteNs: number;
  /** mcache.refill: return the full span, mcentral.cacheSpan (or mheap.alloc), update heapLive. */
  readonly refillNs: number;
  /** mcache.allocLarge: page-allocator search and span initialisation, before zeroing. */
  readonly largeAllocNs: number;
  /** Per root job (one goroutine stack, the data+bss segments): markroot dispatch and, for a stack, unwinding its frames. */
  readonly rootJobNs: number;
  /** scanobject / scanblock, per byte of a scannable object, stack or global segment. */
  readonly scanByteNs: number;
  /** Per non-nil pointer found while scanning: findObject (span lookup, slot index). */
  readonly pointerFollowNs: number;
  /** greyobject per newly marked object: set the mark bit, account bytesMarked, enqueue if scannable. */
  readonly markObjectNs: number;
  /** mspan.sweep per span: count mark bits, swap allocBits and gcmarkBits, requeue or free the span. */
  readonly sweepSpanNs: number;
  /** stopTheWorldWithSema: preempt every P and wait for the last one to reach a safe point. */
  readonly stopTheWorldNs: number;
  /** startTheWorldWithSema: hand the Ps back and wake Ms. */
  readonly startTheWorldNs: number;
  /** The tiny allocator's fast path: align tinyoffset, bounds check, bump. */
  readonly tinyAllocNs: number;
  /** morestack → newstack per doubling: trap, stackalloc from the P's stack cache, frame bookkeeping. */
  readonly stackGrowNs: number;
  /** copystack per byte of the old stack: memmove plus adjustpointers walking each frame's pointer map. */
  readonly stackCopyByteNs: number;
  /** Pool.Get hit on the own P (pin, load private or popHead, unpin), and the type assertion after it. */
  readonly poolGetNs: number;
  /** Pool.Put: pin, store private or pushHead, unpin. */
  readonly poolPutNs: number;
  /** getSlow per other cache probed (a popTail CAS on another P's deque, or a victim slot). */
  readonly poolProbeNs: number;
  /** poolCleanup per pool, in sweep termination: move primary to victim, clear the old victim. */
  readonly poolCleanupNs: number;
  /** The scavenger's madvise(MADV_DONTNEED) per 8 KiB page released. */
  readonly scavengePageNs: number;
  /** A pointer store while the write barrier is on: the barrier's check and its wbBuf entries. */
  readonly writeBarrierNs: number;
  /** Reference counting: one increment or decrement of an object's count. */
  readonly refcountUpdateNs: number;
  /** Reference counting: freeing one object whose count reached zero (its slot back to the span). */
  readonly refcountFreeNs: number;
}

export const DEFAULT_COST_MODEL: CostModel = {
  // Go's BenchmarkMalloc8/16 run at 10–20 ns per allocation on current x86; 15 ns is their middle.
  mallocObjectNs: 15,
  // memclr moves ≈ 32 B/ns for cache-resident memory with AVX2: a 1 KiB slot costs 32 ns.
  zeroByteNs: 1 / 32,
  // A refill takes the mcentral lock path and touches span metadata: an order of magnitude over the fast path.
  refillNs: 250,
  // mheap.alloc holds the heap lock and searches the page allocator's bitmaps: ≈ a microsecond.
  largeAllocNs: 1000,
  // gentraceback of a shallow stack and the markroot bookkeeping take ≈ 0.5 µs per job.
  rootJobNs: 500,
  // scanobject reads each 8-byte word and its pointer bit: ≈ 2 ns per word.
  scanByteNs: 0.25,
  // findObject is a spanOf table walk plus a divide-by-magic, usually a cache miss on the span: ≈ 12 ns.
  pointerFollowNs: 12,
  // greyobject is an atomic OR on the mark bitmap plus a work-buffer push: ≈ 8 ns.
  markObjectNs: 8,
  // Sweeping a span is a popcount over its mark bits and a few list operations: ≈ 150 ns
  // (the churn fixture's concurrent sweep keeps up with ≈ 4 000 spans per cycle at a few % CPU).
  sweepSpanNs: 150,
  // gctrace's sweep-termination clock for churn on 2 P is 3–34 µs; its floor is the STW handshake.
  stopTheWorldNs: 4000,
  // gctrace's mark-termination clock with nothing left to do is ≈ 1 µs.
  startTheWorldNs: 1000,
  // mallocgcTiny's hit path is a handful of compares and adds on the mcache, a third of the 15 ns
  // general path (BenchmarkMalloc8 vs. BenchmarkMallocTypeInfo8 differ by about that).
  tinyAllocNs: 5,
  // A morestack trap, newstack's checks and a stackalloc from the per-P stack cache: ≈ 1 µs, the
  // order of a goroutine switch plus a small allocation.
  stackGrowNs: 1000,
  // memmove at ≈ 32 B/ns plus adjustpointers, which reads each 8-byte word's pointer bit and
  // rewrites pointers into the old stack (≈ 1 ns per word): ≈ 0.15 ns per byte.
  stackCopyByteNs: 0.15,
  // BenchmarkPool (sync) runs a Get/Put pair in ≈ 20 ns on one P: 10 ns each.
  poolGetNs: 10,
  poolPutNs: 10,
  // Stealing touches another P's cache line (an atomic load and CAS on its deque's headTail): ≈ 15 ns.
  poolProbeNs: 15,
  // poolCleanup only swaps a few pointers per pool; 50 ns covers the loop and the cache misses.
  poolCleanupNs: 50,
  // Go's scavenger releases 64 KiB per madvise call at ≈ 2 µs each: 250 ns per page.
  scavengePageNs: 250,
  // gcWriteBarrier appends the old and new pointer to the P's wbBuf (a few stores) and flushes it
  // every 256 entries (wbBufFlush greys them): ≈ 5 ns a store amortised, BenchmarkWriteBarrier's order.
  writeBarrierNs: 5,
  // A count update is an atomic add on the object's count word (it may be shared between Ps):
  // an uncontended LOCK XADD is ≈ 5 ns on current x86, the order of Swift's retain/release.
  refcountUpdateNs: 5,
  // Freeing a slot mirrors mallocgc's fast path (find the span, clear the alloc bit, update the
  // span's count and stats), plus a check whether the span emptied: a little over mallocObjectNs.
  refcountFreeNs: 20,
};

/** Mutator time of one small-object allocation of a slot of `elemBytes`. */
export function smallAllocNs(cost: CostModel, elemBytes: number, refilled: boolean): number {
  return Math.round(cost.mallocObjectNs + elemBytes * cost.zeroByteNs + (refilled ? cost.refillNs : 0));
}

/** Mutator time of one large-object allocation of `spanBytes` (whole pages, all zeroed). */
export function largeAllocNs(cost: CostModel, spanBytes: number): number {
  return Math.round(cost.mallocObjectNs + cost.largeAllocNs + spanBytes * cost.zeroByteNs);
}

/** Mutator time of a tiny allocation packed into the current block. */
export function tinyAllocNs(cost: CostModel): number {
  return Math.round(cost.tinyAllocNs);
}

/** Time of `growths` stack doublings (or halvings) that copied `copiedBytes` in total. */
export function stackCopyNs(cost: CostModel, growths: number, copiedBytes: number): number {
  return Math.round(growths * cost.stackGrowNs + copiedBytes * cost.stackCopyByteNs);
}

/** Mutator time of one Pool.Get that probed `probes` other caches. */
export function poolGetNs(cost: CostModel, probes: number): number {
  return Math.round(cost.poolGetNs + probes * cost.poolProbeNs);
}

/** The work a mark phase did, counted by the collector as it goes. */
export interface MarkWork {
  rootJobs: number;
  /** Stacks shrunk during the stack scan, and the bytes their copies moved. */
  stackShrinks?: number;
  stackShrinkCopiedBytes?: number;
  /** Stack and global bytes scanned. */
  rootBytes: number;
  /** Bytes of heap objects scanned (scan spans only; noscan objects are marked, never scanned). */
  heapScanBytes: number;
  pointersFollowed: number;
  objectsMarked: number;
}

export function markNs(cost: CostModel, work: MarkWork): number {
  return Math.round(
    work.rootJobs * cost.rootJobNs +
      (work.rootBytes + work.heapScanBytes) * cost.scanByteNs +
      work.pointersFollowed * cost.pointerFollowNs +
      work.objectsMarked * cost.markObjectNs +
      (work.stackShrinks ?? 0) * cost.stackGrowNs +
      (work.stackShrinkCopiedBytes ?? 0) * cost.stackCopyByteNs,
  );
}

export function sweepNs(cost: CostModel, spansSwept: number): number {
  return Math.round(spansSwept * cost.sweepSpanNs);
}
