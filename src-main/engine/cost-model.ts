/**
 * Virtual time. Nothing in a simulated session reads a clock: every duration is a count of work
 * items times a cost in nanoseconds from this table, so a session replays bit for bit and the
 * simulator's own speed never shows in its results.
 *
 *  1. The mutator pays for each heap allocation: a fixed mallocgc cost, zeroing of the slot, and a
 *     refill whenever its mcache span runs out (or a page allocation for a large object).
 *  2. The collector pays per root job, per byte of stack, globals and objects scanned, per pointer
 *     followed (finding the target's span and slot), per object marked, and per span swept.
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
 *
 * Not yet calibrated: a pointer-free object costs Go only its mark bit (greyobject never queues
 * it), and the one-P churn trace (fixtures/gctrace/go1.19.8_churn_gomaxprocs1.txt, no mark workers)
 * spends 0.12 ms of assist CPU per mark of its 8 192-entry ring, ≤ 14.6 ns an entry all in, where
 * pointerFollowNs + markObjectNs + a word of scanning charge 22. The 2-P traces' marks hold
 * 0.2–0.4 ms of CPU that is not per object (mark workers' scheduling), which the model does not
 * have; with per-object costs alone cut to ≈ 14 ns, its 2-P marks fall to 0.3 ms and the memory
 * limit's marks from 0.85 to 0.59 ms (Go: 0.37–0.53), and gc 1 of the 64 MiB trace no longer
 * leaves the goal on its floor as Go's does.
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
  /** scanobject, per byte of a scannable heap object. */
  readonly scanByteNs: number;
  /** scanstack per byte of a goroutine's stack in use: unwinding its frames, their stack maps, scanblock. */
  readonly stackScanByteNs: number;
  /** markrootBlock per byte of the data+bss segments: scanblock guided by the segments' pointer mask. */
  readonly globalsScanByteNs: number;
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
  // A stack is scanned frame by frame: gentraceback, the frame's stack map (pcdata lookup), then
  // scanblock over its locals and arguments. Go 1.19.8 spent 6.6 ms of mark CPU on the 26 MB of
  // stack its pacer counted in fixtures/gctrace/go1.19.8_stacks.txt (gc 4: 0.45/0.034/6.1 ms,
  // frames of 256 B of pointer-free padding): ≈ 0.25 ns per byte.
  stackScanByteNs: 0.25,
  // markrootBlock scans data+bss with scanblock, which reads the segment's pointer mask a byte
  // (8 words, 64 B) at a time and skips a zero byte in ≈ 1 ns: 1/64 ns per byte. The pointers it
  // does find pay pointerFollowNs each (the scenario's global root slots).
  globalsScanByteNs: 1 / 64,
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
  /** Stack bytes scanned. */
  stackScanBytes: number;
  /** Data+bss bytes scanned. */
  globalsScanBytes: number;
  /** Bytes of heap objects scanned (scan spans only; noscan objects are marked, never scanned). */
  heapScanBytes: number;
  pointersFollowed: number;
  objectsMarked: number;
}

export function markNs(cost: CostModel, work: MarkWork): number {
  return Math.round(
    work.rootJobs * cost.rootJobNs +
      work.stackScanBytes * cost.stackScanByteNs +
      work.globalsScanBytes * cost.globalsScanByteNs +
      work.heapScanBytes * cost.scanByteNs +
      work.pointersFollowed * cost.pointerFollowNs +
      work.objectsMarked * cost.markObjectNs +
      (work.stackShrinks ?? 0) * cost.stackGrowNs +
      (work.stackShrinkCopiedBytes ?? 0) * cost.stackCopyByteNs,
  );
}

export function sweepNs(cost: CostModel, spansSwept: number): number {
  return Math.round(spansSwept * cost.sweepSpanNs);
}
