/**
 * The Go heap as the allocator sees it: objects in spans, spans cached per P (mcache), kept per
 * span class in mcentral, carved out of the page heap (mheap.ts). Reference §1.2–§1.8.
 *
 *  1. malloc(size, pointerFields, p): a request ≤ 32 KiB is rounded to its size class; its span
 *     class is sizeclass<<1 | noscan (noscan = no pointer fields). The object goes into the next
 *     free slot of P p's mcache span for that span class, in slot order from freeIndex.
 *  2. When that span has no free slot (or P has none cached), mcache.refill hands the span back to
 *     its mcentral (full set) and takes a span with free slots from the mcentral's partial set, or
 *     a fresh span from mheap. mcentral's sets are FIFO queues, as Go's spanSet is: the span that
 *     has waited longest is handed out first. refill charges heapLive with the whole unallocated rest of the span
 *     (npages·8192 − allocCount·elemsize, tail waste included), as Go 1.19's mcache.refill does.
 *  3. A request > 32 KiB is a large object: its own span of ceil(size/8192) pages (span class 0),
 *     straight from mheap, put on the mcentral full list so the sweeper finds it; heapLive +=
 *     npages·8192.
 *  4. Steps 2 and 3 set `lastMallocHelpsGc` (Go's shouldhelpgc): only then does the caller test
 *     heapLive against the GC trigger.
 *  4b. The tiny allocator (reference §1.5): a noscan request under 16 B is packed into P p's
 *     current 16 B tiny block at the next offset aligned for its size (8 if size%8 = 0, else 4, else
 *     2, else 1). If it fits, that is all — no span, no heap statistics, no trigger check; the
 *     returned id is the block's (a pointer into a block keeps the whole block alive, as Go's
 *     findObject maps interior pointers to the block). If not, a new block comes from span class
 *     (2, noscan) like any 16 B object, the request sits at its start, and it becomes the current
 *     block if it has more room left than the old one. The block is freed only when no sub-object
 *     is referenced. mcache.releaseAll forgets the current block at every mark termination.
 *  5. Marking is the collector's: it sets objectMark. flushMCaches (mark termination's
 *     prepareForSweep → releaseAll) returns every cached span to its mcentral; sweepSpan frees the
 *     unmarked objects of a span and clears the marks of the rest; a span left with no objects
 *     returns its pages to mheap, the others go to their mcentral's partial or full list. Freed
 *     slots are reusable only after their span is swept, as in Go.
 *  6. Sweeping all at once (sweepAll, a stop-the-world collector, in span order) or lazily (Go,
 *     §1.8): beginSweep makes every in-use span unswept, each mcentral's partial and full sets
 *     becoming its partialUnswept and fullUnswept sets in the same order (Go's sweepgen bump), and
 *     the spans the mcaches held go to their heads (uncacheSpan sweeps them first). refill then
 *     takes a swept span with room, else sweeps the next partial unswept span for itself, else
 *     sweeps full unswept spans until one has room (mcentral.cacheSpan), else grows; before that,
 *     refill and large allocations pay proportional sweep credit (deductSweepCredit): enough
 *     spans are swept that sweeping finishes before heapLive reaches the next trigger. sweepOne,
 *     the unit of that credit and of the background sweeper, takes span classes in order and each
 *     class's partial unswept set before its full one (mheap.nextSpanForSweep); finishSweep (sweep
 *     termination's finishsweep_m) sweeps what is left. lastMallocSweptSpans tells the caller what
 *     the allocation swept, so it can charge the mutator.
 *  7. freeObject frees one object at once (a reference-counting collector): its slot is reusable
 *     immediately, and a span left empty returns its pages unless an mcache holds it.
 *
 * Storage is typed arrays: an object, a span or a pointer field is an index into typed arrays,
 * never a JavaScript object, so allocation and marking create no host garbage. Spans and pointer
 * fields are struct-of-arrays; an object's span, slot, size and site share one interleaved record
 * (Heap.objects), since malloc writes and the sweep reads them together, while its mark bit and
 * pointer fields, which marking reads, have their own columns. Object and span ids are recycled
 * (LIFO), which keeps runs deterministic.
 *
 * Accounting (all bytes; updated only here, except heapLiveBytes which the collector resets at
 * mark termination, as gcController.resetLive does):
 *   heapAllocBytes = Σ slot size of allocated objects, dead-but-unswept included (MemStats.HeapAlloc)
 *                  = totalAllocBytes − totalFreedBytes
 *   heapInUseBytes = Σ npages·8192 of in-use spans (MemStats.HeapInuse)
 *   fragmentationBytes = heapInUseBytes − heapAllocBytes
 *                      = tailWasteBytes (span bytes past the last slot, per class)
 *                      + freeSlotBytes (slots not allocated)
 *   heapAllocBytes = requestedBytes (what the program asked for, tiny sub-objects included)
 *                  + internalWasteBytes (size-class rounding, large-span page rounding, tiny
 *                    alignment padding and unused tiny block tails)
 *   heapLiveBytes  = Go's gcController.heapLive (see step 2 and 3): what the trigger is tested against.
 * The per-span-class columns (classSpans, classObjects, classRequestedBytes) sum to these totals.
 *
 * Not modelled: per-P page caches, needzero (fresh pages are zeroed anyway), arenas, Go ≥ 1.22's
 * malloc headers. Page release to the OS is mheap.ts's.
 */
import { growInt32, growUint8 } from './growable';
import { PageHeap } from './mheap';
import {
  MAX_OBJECTS_PER_SPAN,
  NUM_SIZE_CLASSES,
  MAX_SMALL_SIZE_BYTES,
  NUM_SPAN_CLASSES,
  PAGE_BYTES,
  classObjectBytes,
  classObjects,
  classPages,
  classTailWasteBytes,
  largeObjectPages,
  sizeToClass,
} from './size-classes';

// Hot-path copies of imported bindings: a module-local const is read directly, while an imported
// binding may cost a getter call per read when the engine runs unbundled (tsx, vitest).
const SMALL_MAX = MAX_SMALL_SIZE_BYTES;
const SPAN_CLASSES = NUM_SPAN_CLASSES;
const PAGE = PAGE_BYTES;
const CLASS_OBJECT_BYTES = classObjectBytes;
const CLASS_OBJECTS = classObjects;
const CLASS_PAGES = classPages;
const SIZE_TO_CLASS = sizeToClass;
const LARGE_OBJECT_PAGES = largeObjectPages;
const GROW_INT32 = growInt32;
const GROW_UINT8 = growUint8;

/** The nil object / span / pointer. */
export const NIL = -1;

/**
 * Heap.objects holds OBJECT_FIELDS int32 per object id, interleaved: an allocation writes, and a
 * sweep reads, one 16-byte record (a quarter of a cache line) instead of one line per column.
 */
export const OBJECT_FIELDS = 4;
/** The object's span; NIL for a free id. */
export const OBJECT_SPAN = 0;
/** Its slot in the span. */
export const OBJECT_SLOT = 1;
/** Requested size (what the program asked for), not the slot size. */
export const OBJECT_SIZE = 2;
/** Allocation site index (the workload's), for profiles and snapshots. */
export const OBJECT_SITE = 3;
const FIELDS = OBJECT_FIELDS;
/** Bytes of one pointer field (64-bit). */
export const POINTER_BYTES = 8;

/** maxTinySize: noscan requests under 16 B share 16 B blocks. */
export const TINY_SIZE_BYTES = 16;
/** tinySpanClass = 2<<1 | noscan: tiny blocks are ordinary 16 B noscan objects. */
const TINY_SPAN_CLASS = (2 << 1) | 1;

/**
 * mcentral's span sets per span class (Go 1.19 mcentral.go): swept spans with a free slot, swept
 * full spans, and this sweep round's unswept spans, the partial and the full apart. Each is a FIFO
 * queue, as Go's spanSet is: pushed at the tail, popped from the head.
 */
const PARTIAL = 0;
const FULL = 1;
const PARTIAL_UNSWEPT = 2;
const FULL_UNSWEPT = 3;
const LISTS = 4;
/** Sweep classes (Go's sweepClass: span class << 1 | full), the background sweeper's order. */
const SWEEP_CLASSES = NUM_SPAN_CLASSES * 2;
/** Spans mcentral.cacheSpan sweeps looking for room before it gives up and grows the heap. */
const CACHE_SPAN_SWEEP_BUDGET = 100;

export interface SweepResult {
  spansSwept: number;
  /** Spans whose pages went back to mheap. */
  spansFreed: number;
  objectsFreed: number;
  /** Slot bytes freed. */
  bytesFreed: number;
}

/** Where sweepOne's per-span results go; the round totals are kept in Heap.sweepRound. */
const SCRATCH_SWEEP: SweepResult = { spansSwept: 0, spansFreed: 0, objectsFreed: 0, bytesFreed: 0 };

export class Heap {
  readonly procs: number;
  readonly pages = new PageHeap();

  /**
   * Objects, by id: span, slot, requested size and site at objects[id * OBJECT_FIELDS + OBJECT_*]
   * (spanOf, slotOf, sizeOf, siteOf). The span is NIL for a free id.
   */
  objects = new Int32Array(0);
  /** The object's pointer fields are pointers[base .. base+count). count = 0: a noscan object. */
  objectPointerBase = new Int32Array(0);
  objectPointerCount = new Int32Array(0);
  /** Mark bit (gcmarkBits), set by the collector, cleared by the sweep. */
  objectMark = new Uint8Array(0);
  /** Ids ever handed out: every id ≥ this one is free and never used. */
  objectIdLimit = 0;
  private freeObjectIds = new Int32Array(0);
  private freeObjectCount = 0;

  /** Pointer fields of all objects; NIL = nil pointer. */
  pointers = new Int32Array(0);
  private pointersTop = 0;
  /** Free runs of pointer fields, by run length. */
  private readonly freePointerRuns = new Map<number, number[]>();

  // Spans, indexed by span id.
  spanStartPage = new Int32Array(0);
  spanPages = new Int32Array(0);
  spanClass = new Int32Array(0);
  spanElemBytes = new Int32Array(0);
  spanNElems = new Int32Array(0);
  /** Allocated slots (objects, live or not yet swept). */
  spanAllocCount = new Int32Array(0);
  /** Slots below freeIndex are allocated (Go: freeindex); reset to 0 by the sweep. */
  spanFreeIndex = new Int32Array(0);
  /** The span's slots are slots[base .. base+nelems): object id or NIL. */
  spanSlotBase = new Int32Array(0);
  spanInUse = new Uint8Array(0);
  private spanListId = new Int32Array(0);
  private spanListNext = new Int32Array(0);
  private spanListPrev = new Int32Array(0);
  /** Ids ever handed out. */
  spanIdLimit = 0;
  /** Free span ids by slot count, so a recycled id's slot range fits (like fixalloc per class). */
  private readonly freeSpanIds: number[][] = Array.from({ length: MAX_OBJECTS_PER_SPAN + 1 }, () => []);
  slots = new Int32Array(0);
  private slotsTop = 0;

  /** mcentral: the head and tail of each (span class, PARTIAL|FULL|PARTIAL_UNSWEPT|FULL_UNSWEPT) set. */
  private readonly listHead = new Int32Array(SPAN_CLASSES * LISTS).fill(NIL);
  private readonly listTail = new Int32Array(SPAN_CLASSES * LISTS).fill(NIL);
  /** Per span: 1 once swept in the current sweep round (Go: sweepgen = mheap.sweepgen). */
  spanSwept = new Uint8Array(0);
  /** Per span: 1 while an mcache holds it. */
  spanCached = new Uint8Array(0);
  /** In-use spans not swept yet in this round, and the sweep class sweepOne takes them from. */
  unsweptSpans = 0;
  private sweepClass = 0;
  /** Proportional sweep (gcPaceSweeper): spans owed per byte of heapLive growth, and the basis. */
  private sweepSpansPerByte = 0;
  private sweepHeapLiveBasis = 0;
  private spansSweptSinceBasis = 0;
  /** Set by malloc: spans the allocation swept (proportional credit and cacheSpan's search). */
  lastMallocSweptSpans = 0;
  /** Totals of the current sweep round (since beginSweep), however each span got swept. */
  readonly sweepRound: SweepResult = { spansSwept: 0, spansFreed: 0, objectsFreed: 0, bytesFreed: 0 };
  /** mcache: the current span of each (P, span class), NIL if none. */
  private readonly mcache: Int32Array;

  /** mcache.tiny / tinyoffset per P: the current tiny block (NIL = none) and its next free byte. */
  readonly tinyBlock: Int32Array;
  readonly tinyOffset: Int32Array;

  /** Per span class: spans in use, allocated objects, and bytes those objects requested. */
  readonly classSpans = new Int32Array(SPAN_CLASSES);
  readonly classObjects = new Int32Array(SPAN_CLASSES);
  readonly classRequestedBytes = new Float64Array(SPAN_CLASSES);
  /** Per span class: Σ slots and Σ pages of its in-use spans (free slots = slots − objects). */
  readonly classSlots = new Float64Array(SPAN_CLASSES);
  readonly classPages = new Float64Array(SPAN_CLASSES);

  heapAllocBytes = 0;
  heapLiveBytes = 0;
  totalAllocBytes = 0;
  totalFreedBytes = 0;
  /**
   * Σ requested bytes of the scannable objects allocated (cumulative): Go's mcache.scanAlloc,
   * which refill and releaseAll hand to gcController.update to grow heapScan. Counted in the unit
   * the mark's scan work uses (an object's requested bytes), so the two add up.
   */
  scanAllocBytes = 0;
  /** Bytes requested by the program, tiny sub-objects included (cumulative). */
  totalRequestedBytes = 0;
  /** Σ requested bytes of the allocated objects. */
  requestedBytes = 0;
  /** Heap objects allocated (tiny blocks count once) and freed. */
  mallocs = 0;
  frees = 0;
  /** Tiny sub-allocations packed into an existing block (Go's tinyAllocs; MemStats.Mallocs adds them). */
  tinyAllocs = 0;

  /** Set by malloc: Go's shouldhelpgc (a refill or a large allocation happened). */
  lastMallocHelpsGc = false;
  /** Set by malloc: the slot (or large span) size the last object got. */
  lastMallocElemBytes = 0;
  /** Set by malloc: the last object is large. */
  lastMallocLarge = false;
  /** Set by malloc: the last request was packed into an existing tiny block (file comment, 4b). */
  lastMallocTiny = false;

  constructor(procs: number) {
    if (!Number.isInteger(procs) || procs < 1) throw new RangeError(`procs must be ≥ 1, got ${procs}`);
    this.procs = procs;
    this.mcache = new Int32Array(procs * SPAN_CLASSES).fill(NIL);
    this.tinyBlock = new Int32Array(procs).fill(NIL);
    this.tinyOffset = new Int32Array(procs);
  }

  get heapInUseBytes(): number {
    return this.pages.heapInUseBytes;
  }

  get fragmentationBytes(): number {
    return this.pages.heapInUseBytes - this.heapAllocBytes;
  }

  /** Span bytes past the last slot of every in-use small span. */
  get tailWasteBytes(): number {
    let waste = 0;
    for (let sizeClass = 1; sizeClass < NUM_SIZE_CLASSES; sizeClass++) {
      const spans = this.classSpans[sizeClass << 1]! + this.classSpans[(sizeClass << 1) | 1]!;
      if (spans > 0) waste += spans * classTailWasteBytes[sizeClass]!;
    }
    return waste;
  }

  /** Slot bytes not requested by the objects in them. */
  get internalWasteBytes(): number {
    return this.heapAllocBytes - this.requestedBytes;
  }

  /** Bytes of free slots in in-use spans. */
  get freeSlotBytes(): number {
    return this.fragmentationBytes - this.tailWasteBytes;
  }

  get liveObjects(): number {
    return this.mallocs - this.frees;
  }

  isAllocated(objectId: number): boolean {
    return objectId >= 0 && objectId < this.objectIdLimit && this.objects[objectId * FIELDS] !== NIL;
  }

  /** The span of an allocated object. */
  spanOf(objectId: number): number {
    return this.objects[objectId * FIELDS]!;
  }

  /** The slot of an allocated object in its span. */
  slotOf(objectId: number): number {
    return this.objects[objectId * FIELDS + 1]!;
  }

  /** Bytes an allocated object requested (a tiny block: its sub-objects'). */
  sizeOf(objectId: number): number {
    return this.objects[objectId * FIELDS + 2]!;
  }

  /** The allocation site of an allocated object. */
  siteOf(objectId: number): number {
    return this.objects[objectId * FIELDS + 3]!;
  }

  /** Slot size of an allocated object. */
  elemBytes(objectId: number): number {
    return this.spanElemBytes[this.objects[objectId * FIELDS]!]!;
  }

  isNoscan(objectId: number): boolean {
    return this.objectPointerCount[objectId] === 0;
  }

  pointerCount(objectId: number): number {
    return this.objectPointerCount[objectId]!;
  }

  getPointer(objectId: number, field: number): number {
    return this.pointers[this.objectPointerBase[objectId]! + field]!;
  }

  /** The store itself; mutators go through their collector's writePointer (the barrier). */
  setPointer(objectId: number, field: number, targetId: number): void {
    this.pointers[this.objectPointerBase[objectId]! + field] = targetId;
  }

  /** Allocate an object for P `p`; returns its id. See the file comment, steps 1–4. */
  malloc(sizeBytes: number, pointerFields: number, p: number, site: number): number {
    if (!(sizeBytes >= 1)) throw new RangeError(`malloc of ${sizeBytes} bytes: Go never allocates 0 bytes`);
    this.totalRequestedBytes += sizeBytes;
    this.requestedBytes += sizeBytes;
    if (pointerFields === 0 && sizeBytes < TINY_SIZE_BYTES) return this.mallocTiny(sizeBytes, p, site);
    this.lastMallocTiny = false;
    return this.mallocObject(sizeBytes, pointerFields, p, site);
  }

  /** The tiny allocator (file comment, 4b). */
  private mallocTiny(sizeBytes: number, p: number, site: number): number {
    const align = (sizeBytes & 7) === 0 ? 8 : (sizeBytes & 3) === 0 ? 4 : (sizeBytes & 1) === 0 ? 2 : 1;
    const offset = (this.tinyOffset[p]! + align - 1) & -align;
    const block = this.tinyBlock[p]!;
    if (block !== NIL && offset + sizeBytes <= TINY_SIZE_BYTES) {
      this.tinyOffset[p] = offset + sizeBytes;
      this.tinyAllocs++;
      this.objects[block * FIELDS + 2] = this.objects[block * FIELDS + 2]! + sizeBytes;
      this.classRequestedBytes[TINY_SPAN_CLASS] = this.classRequestedBytes[TINY_SPAN_CLASS]! + sizeBytes;
      this.lastMallocTiny = true;
      this.lastMallocHelpsGc = false;
      this.lastMallocLarge = false;
      this.lastMallocElemBytes = 0;
      return block;
    }
    const fresh = this.mallocObject(TINY_SIZE_BYTES, 0, p, site);
    // The block holds one sub-object so far: its requested bytes are that request, not 16.
    this.objects[fresh * FIELDS + 2] = sizeBytes;
    this.classRequestedBytes[TINY_SPAN_CLASS] =
      this.classRequestedBytes[TINY_SPAN_CLASS]! - TINY_SIZE_BYTES + sizeBytes;
    if (block === NIL || sizeBytes < this.tinyOffset[p]!) {
      this.tinyBlock[p] = fresh;
      this.tinyOffset[p] = sizeBytes;
    }
    this.lastMallocTiny = false;
    return fresh;
  }

  private mallocObject(sizeBytes: number, pointerFields: number, p: number, site: number): number {
    const noscan = pointerFields === 0 ? 1 : 0;
    this.lastMallocSweptSpans = 0;
    let span: number;
    let slot: number;
    let elemBytes: number;
    let spc: number;
    if (sizeBytes <= SMALL_MAX) {
      spc = (SIZE_TO_CLASS(sizeBytes) << 1) | noscan;
      const cacheIndex = p * SPAN_CLASSES + spc;
      span = this.mcache[cacheIndex]!;
      if (span === NIL || this.spanAllocCount[span] === this.spanNElems[span]) {
        span = this.refill(cacheIndex, spc);
        this.lastMallocHelpsGc = true;
      } else {
        this.lastMallocHelpsGc = false;
      }
      // nextFreeSlot
      // (read the arrays after refill: a new span may have grown them)
      const slots = this.slots;
      const allocCount = this.spanAllocCount;
      const base = this.spanSlotBase[span]!;
      let i = this.spanFreeIndex[span]!;
      while (slots[base + i] !== NIL) i++;
      this.spanFreeIndex[span] = i + 1;
      allocCount[span] = allocCount[span]! + 1;
      slot = i;
      this.lastMallocLarge = false;
      elemBytes = CLASS_OBJECT_BYTES[spc >>> 1]!;
    } else {
      const npages = LARGE_OBJECT_PAGES(sizeBytes);
      if (this.unsweptSpans > 0) this.deductSweepCredit(npages * PAGE);
      span = this.newSpan(noscan, npages, 1, npages * PAGE);
      this.pushList(span, noscan * LISTS + FULL);
      this.heapLiveBytes += npages * PAGE;
      slot = 0;
      this.spanAllocCount[span] = 1;
      this.spanFreeIndex[span] = 1;
      this.lastMallocHelpsGc = true;
      this.lastMallocLarge = true;
      elemBytes = this.spanElemBytes[span]!;
      spc = noscan;
    }
    let id: number;
    if (this.freeObjectCount > 0) id = this.freeObjectIds[--this.freeObjectCount]!;
    else id = this.newObjectId();
    this.slots[this.spanSlotBase[span]! + slot] = id;
    const objects = this.objects;
    const record = id * FIELDS;
    objects[record] = span;
    objects[record + 1] = slot;
    objects[record + 2] = sizeBytes;
    objects[record + 3] = site;
    // A free id already has mark 0 and pointer count 0 (the sweep frees only unmarked objects,
    // freeObject clears both, new ids are zeroed): a noscan object writes neither, nor a pointer
    // base it will never read. Each skipped column is a cache line the allocation does not touch.
    if (pointerFields !== 0) {
      this.objectPointerCount[id] = pointerFields;
      this.objectPointerBase[id] = this.allocPointerRun(pointerFields);
      this.scanAllocBytes += sizeBytes;
    }
    this.mallocs++;
    this.heapAllocBytes += elemBytes;
    this.totalAllocBytes += elemBytes;
    this.lastMallocElemBytes = elemBytes;
    this.classObjects[spc] = this.classObjects[spc]! + 1;
    this.classRequestedBytes[spc] = this.classRequestedBytes[spc]! + sizeBytes;
    return id;
  }

  /**
   * prepareForSweep → mcache.releaseAll for every P: cached spans go back to their mcentral, and
   * the tiny block is forgotten (its sub-objects keep it alive, or not, from now on). A span that
   * immediate frees emptied while cached returns its pages instead; returns how many did. A lazy
   * sweep round flushes them its own way (beginSweep).
   */
  flushMCaches(): number {
    let spansFreed = 0;
    this.tinyBlock.fill(NIL);
    this.tinyOffset.fill(0);
    const mcache = this.mcache;
    for (let i = 0; i < mcache.length; i++) {
      const span = mcache[i]!;
      if (span === NIL) continue;
      this.spanCached[span] = 0;
      mcache[i] = NIL;
      // Immediate frees (reference counting) may have emptied it: its pages go back now.
      if (this.spanAllocCount[span] === 0) {
        this.freeSpan(span);
        spansFreed++;
      } else {
        this.pushList(span, this.listFor(span));
      }
    }
    return spansFreed;
  }

  /**
   * Sweep one span (mspan.sweep): free its unmarked objects, clear the marks of the rest, and
   * free the span or requeue it on its mcentral. The span must not be cached by an mcache.
   */
  sweepSpan(span: number, result: SweepResult): void {
    this.sweepObjects(span, result);
    this.removeFromList(span);
    this.requeue(span, result);
  }

  /** The span's part of sweepSpan: free its unmarked objects, clear the others' marks, count. */
  private sweepObjects(span: number, result: SweepResult): void {
    const base = this.spanSlotBase[span]!;
    const nelems = this.spanNElems[span]!;
    const elemBytes = this.spanElemBytes[span]!;
    const spc = this.spanClass[span]!;
    const slots = this.slots;
    const mark = this.objectMark;
    const objects = this.objects;
    const pointerCount = this.objectPointerCount;
    // Room for every object of the span up front, so the loop below keeps the id stack in locals.
    if (this.freeObjectCount + nelems > this.freeObjectIds.length) {
      this.freeObjectIds = GROW_INT32(this.freeObjectIds, this.freeObjectCount + nelems);
    }
    const freeIds = this.freeObjectIds;
    let freeCount = this.freeObjectCount;
    let freed = 0;
    let freedRequested = 0;
    const end = base + nelems;
    // A noscan span (span class bit 0) holds only objects without pointer fields: their pointer
    // counts need not be read, one column fewer per freed object.
    const noscan = (spc & 1) === 1;
    for (let i = base; i < end; i++) {
      const id = slots[i]!;
      if (id === NIL) continue;
      if (mark[id] === 1) {
        mark[id] = 0;
        continue;
      }
      // freeObject
      const record = id * FIELDS;
      freedRequested += objects[record + 2]!;
      if (!noscan) {
        const count = pointerCount[id]!;
        if (count > 0) {
          this.freePointerRun(this.objectPointerBase[id]!, count);
          pointerCount[id] = 0;
        }
      }
      objects[record] = NIL;
      freeIds[freeCount++] = id;
      slots[i] = NIL;
      freed++;
    }
    this.freeObjectCount = freeCount;
    if (freed > 0) {
      this.classObjects[spc] = this.classObjects[spc]! - freed;
      this.classRequestedBytes[spc] = this.classRequestedBytes[spc]! - freedRequested;
      this.requestedBytes -= freedRequested;
    }
    this.spanAllocCount[span] = this.spanAllocCount[span]! - freed;
    this.spanFreeIndex[span] = 0;
    this.frees += freed;
    this.heapAllocBytes -= freed * elemBytes;
    this.totalFreedBytes += freed * elemBytes;
    result.spansSwept++;
    result.objectsFreed += freed;
    result.bytesFreed += freed * elemBytes;
    if (this.spanSwept[span] === 0) {
      this.spanSwept[span] = 1;
      this.unsweptSpans--;
      const round = this.sweepRound;
      round.spansSwept++;
      round.objectsFreed += freed;
      round.bytesFreed += freed * elemBytes;
      if (this.spanAllocCount[span] === 0) round.spansFreed++;
    }
  }

  /** A swept span, on no list: its pages go back to mheap if it is empty, else to its mcentral. */
  private requeue(span: number, result: SweepResult): void {
    if (this.spanAllocCount[span] === 0) {
      this.freeSpan(span);
      result.spansFreed++;
    } else {
      this.pushList(span, this.listFor(span));
    }
  }

  /**
   * Sweep every in-use span (a stop-the-world sweep: gcSweep in gcForceBlockMode), after
   * flushMCaches: no span is cached, so every in-use span is on exactly one mcentral list. Swept in
   * id order, each would be unlinked and pushed onto the head of its new list; emptying every list
   * first and pushing each span as it is swept builds the very same lists, without the unlinking.
   */
  sweepAll(): SweepResult {
    const result: SweepResult = { spansSwept: 0, spansFreed: 0, objectsFreed: 0, bytesFreed: 0 };
    this.listHead.fill(NIL);
    this.listTail.fill(NIL);
    const limit = this.spanIdLimit;
    for (let span = 0; span < limit; span++) {
      if (this.spanInUse[span] !== 1) continue;
      this.sweepObjects(span, result);
      this.spanListId[span] = NIL;
      this.requeue(span, result);
    }
    this.unsweptSpans = 0;
    return result;
  }

  /**
   * Start a lazy sweep round (file comment, 6): every in-use span becomes unswept, the swept sets
   * becoming the unswept ones in the same order (Go bumps sweepgen), then the mcaches are flushed
   * (prepareForSweep). Go's uncacheSpan sweeps a span cached before the round at once, so it is
   * the first span mcentral hands out again: here it goes to the head of the unswept sets, where
   * the next sweep or refill of its class takes it first (its marks stay readable until then).
   * Call with heapLive already reset to the marked bytes; then paceSweep once the next trigger is
   * known.
   */
  beginSweep(): void {
    const round = this.sweepRound;
    round.spansSwept = 0;
    round.spansFreed = 0;
    round.objectsFreed = 0;
    round.bytesFreed = 0;
    let unswept = 0;
    for (let span = 0; span < this.spanIdLimit; span++) {
      if (this.spanInUse[span] !== 1) continue;
      this.spanSwept[span] = 0;
      unswept++;
    }
    // Go's new sweepgen turns each swept set into the unswept one, in the same order.
    for (let spc = 0; spc < SPAN_CLASSES; spc++) {
      this.appendList(spc * LISTS + PARTIAL, spc * LISTS + PARTIAL_UNSWEPT);
      this.appendList(spc * LISTS + FULL, spc * LISTS + FULL_UNSWEPT);
    }
    this.unsweptSpans = unswept;
    this.sweepClass = 0;
    this.sweepSpansPerByte = 0;
    this.tinyBlock.fill(NIL);
    this.tinyOffset.fill(0);
    const mcache = this.mcache;
    for (let i = mcache.length - 1; i >= 0; i--) {
      const span = mcache[i]!;
      if (span === NIL) continue;
      this.spanCached[span] = 0;
      mcache[i] = NIL;
      const spc = this.spanClass[span]!;
      const full = this.spanAllocCount[span] === this.spanNElems[span];
      this.pushFront(span, spc * LISTS + (full ? FULL_UNSWEPT : PARTIAL_UNSWEPT));
    }
  }

  /**
   * gcPaceSweeper: proportional sweeping must finish the round before heapLive reaches
   * `triggerBytes` (at least 1 MiB away, as Go keeps it, so a cycle right after still paces).
   */
  paceSweep(triggerBytes: number): void {
    const distanceBytes = Math.max(triggerBytes - this.heapLiveBytes, 1 << 20);
    this.sweepSpansPerByte = Number.isFinite(distanceBytes) ? this.unsweptSpans / distanceBytes : 0;
    this.sweepHeapLiveBasis = this.heapLiveBytes;
    this.spansSweptSinceBasis = 0;
  }

  /**
   * The background sweeper's unit (sweepone): sweep the next unswept span, taking the sweep
   * classes in order and each set from its head (mheap.nextSpanForSweep); false when none is left.
   */
  sweepOne(): boolean {
    const head = this.listHead;
    while (this.unsweptSpans > 0 && this.sweepClass < SWEEP_CLASSES) {
      const sweepClass = this.sweepClass;
      const span = head[(sweepClass >>> 1) * LISTS + (sweepClass & 1 ? FULL_UNSWEPT : PARTIAL_UNSWEPT)]!;
      if (span === NIL) {
        this.sweepClass = sweepClass + 1;
        continue;
      }
      this.sweepSpan(span, SCRATCH_SWEEP);
      this.spansSweptSinceBasis++;
      return true;
    }
    return false;
  }

  /** finishsweep_m: sweep every span still unswept; returns how many were. */
  finishSweep(): number {
    let swept = 0;
    while (this.sweepOne()) swept++;
    this.unsweptSpans = 0;
    return swept;
  }

  /** deductSweepCredit: sweep spans until the round is in pace with heapLive's growth. */
  private deductSweepCredit(spanBytes: number): void {
    const owed =
      this.sweepSpansPerByte * (this.heapLiveBytes + spanBytes - this.sweepHeapLiveBasis) -
      this.spansSweptSinceBasis;
    for (let i = 0; i < owed && this.sweepOne(); i++) this.lastMallocSweptSpans++;
  }

  /**
   * Free one object now (file comment, 7). heapLive drops by its slot unless an mcache holds the
   * span (refill already counted the whole rest of a cached span as live).
   */
  freeObject(id: number): void {
    // A P's current tiny block, freed (every sub-object's reference gone), takes no more
    // sub-objects: the P starts a fresh block at its next tiny request.
    for (let p = 0; p < this.tinyBlock.length; p++) {
      if (this.tinyBlock[p] === id) {
        this.tinyBlock[p] = NIL;
        this.tinyOffset[p] = 0;
      }
    }
    const span = this.objects[id * FIELDS]!;
    const slot = this.objects[id * FIELDS + 1]!;
    const elemBytes = this.spanElemBytes[span]!;
    const spc = this.spanClass[span]!;
    const requested = this.objects[id * FIELDS + 2]!;
    const count = this.objectPointerCount[id]!;
    if (count > 0) {
      this.freePointerRun(this.objectPointerBase[id]!, count);
      this.objectPointerCount[id] = 0;
    }
    this.objects[id * FIELDS] = NIL;
    this.objectMark[id] = 0;
    if (this.freeObjectCount >= this.freeObjectIds.length) {
      this.freeObjectIds = GROW_INT32(this.freeObjectIds, this.freeObjectCount + 1);
    }
    this.freeObjectIds[this.freeObjectCount++] = id;
    this.slots[this.spanSlotBase[span]! + slot] = NIL;
    if (slot < this.spanFreeIndex[span]!) this.spanFreeIndex[span] = slot;
    this.classObjects[spc] = this.classObjects[spc]! - 1;
    this.classRequestedBytes[spc] = this.classRequestedBytes[spc]! - requested;
    this.requestedBytes -= requested;
    this.frees++;
    this.heapAllocBytes -= elemBytes;
    this.totalFreedBytes += elemBytes;
    const allocCount = this.spanAllocCount[span]! - 1;
    this.spanAllocCount[span] = allocCount;
    if (this.spanCached[span] === 1) return;
    this.heapLiveBytes -= elemBytes;
    this.removeFromList(span);
    if (allocCount === 0) this.freeSpan(span);
    else this.pushList(span, this.listFor(span));
  }

  /** Spans currently in use (allocated from mheap and not freed). */
  countSpansInUse(): number {
    let n = 0;
    for (let span = 0; span < this.spanIdLimit; span++) n += this.spanInUse[span]!;
    return n;
  }

  private refill(cacheIndex: number, spc: number): number {
    const old = this.mcache[cacheIndex]!;
    if (old !== NIL) {
      this.spanCached[old] = 0;
      this.pushList(old, this.listFor(old));
    }
    if (this.unsweptSpans > 0) this.deductSweepCredit(CLASS_PAGES[spc >>> 1]! * PAGE);
    let span = this.listHead[spc * LISTS + PARTIAL]!;
    if (span !== NIL) this.removeFromList(span);
    else if (this.unsweptSpans > 0) span = this.sweepForRoom(spc);
    if (span === NIL) {
      const sizeClass = spc >>> 1;
      span = this.newSpan(
        spc,
        CLASS_PAGES[sizeClass]!,
        CLASS_OBJECTS[sizeClass]!,
        CLASS_OBJECT_BYTES[sizeClass]!,
      );
    }
    this.heapLiveBytes +=
      this.spanPages[span]! * PAGE - this.spanAllocCount[span]! * this.spanElemBytes[span]!;
    this.mcache[cacheIndex] = span;
    this.spanCached[span] = 1;
    return span;
  }

  /**
   * mcentral.cacheSpan's search once no swept span has room: the next partial unswept span, swept
   * for the mcache (kept, even if sweeping emptied it); else full unswept spans, swept, until one
   * has room (those without go to the full set); NIL when the budget runs out.
   */
  private sweepForRoom(spc: number): number {
    const head = this.listHead;
    // Go counts a partial span against the budget only when another sweeper owns it: never here.
    const partial = head[spc * LISTS + PARTIAL_UNSWEPT]!;
    if (partial !== NIL) {
      this.sweepForMCache(partial);
      return partial;
    }
    for (let budget = CACHE_SPAN_SWEEP_BUDGET; budget >= 0; budget--) {
      const span = head[spc * LISTS + FULL_UNSWEPT]!;
      if (span === NIL) break;
      this.sweepForMCache(span);
      if (this.spanAllocCount[span]! < this.spanNElems[span]!) return span;
      this.pushList(span, spc * LISTS + FULL);
    }
    return NIL;
  }

  /** mspan.sweep(preserve): sweep an unswept span off its set, for the caller to place. */
  private sweepForMCache(span: number): void {
    this.removeFromList(span);
    this.sweepObjects(span, SCRATCH_SWEEP);
    this.spansSweptSinceBasis++;
    this.lastMallocSweptSpans++;
  }

  private listFor(span: number): number {
    const full = this.spanAllocCount[span] === this.spanNElems[span];
    return this.spanClass[span]! * LISTS + (full ? FULL : PARTIAL);
  }

  private newSpan(spc: number, npages: number, nelems: number, elemBytes: number): number {
    const recycled = this.freeSpanIds[nelems]!;
    let span: number;
    if (recycled.length > 0) {
      // Its slots are all NIL already: a span is freed only once every object in it is.
      span = recycled.pop()!;
    } else {
      span = this.spanIdLimit++;
      this.growSpans(this.spanIdLimit);
      const base = this.slotsTop;
      this.spanSlotBase[span] = base;
      this.slotsTop += nelems;
      this.slots = GROW_INT32(this.slots, this.slotsTop);
      this.slots.fill(NIL, base, base + nelems);
    }
    this.spanStartPage[span] = this.pages.alloc(npages);
    this.spanPages[span] = npages;
    this.spanClass[span] = spc;
    this.spanElemBytes[span] = elemBytes;
    this.spanNElems[span] = nelems;
    this.spanAllocCount[span] = 0;
    this.spanFreeIndex[span] = 0;
    this.spanInUse[span] = 1;
    this.spanSwept[span] = 1;
    this.spanCached[span] = 0;
    this.spanListId[span] = NIL;
    this.classSpans[spc] = this.classSpans[spc]! + 1;
    this.classSlots[spc] = this.classSlots[spc]! + nelems;
    this.classPages[spc] = this.classPages[spc]! + npages;
    return span;
  }

  private freeSpan(span: number): void {
    const spc = this.spanClass[span]!;
    this.classSpans[spc] = this.classSpans[spc]! - 1;
    this.classSlots[spc] = this.classSlots[spc]! - this.spanNElems[span]!;
    this.classPages[spc] = this.classPages[spc]! - this.spanPages[span]!;
    this.pages.free(this.spanStartPage[span]!, this.spanPages[span]!);
    this.spanInUse[span] = 0;
    this.freeSpanIds[this.spanNElems[span]!]!.push(span);
  }

  private growSpans(minLength: number): void {
    this.spanStartPage = GROW_INT32(this.spanStartPage, minLength);
    this.spanPages = GROW_INT32(this.spanPages, minLength);
    this.spanClass = GROW_INT32(this.spanClass, minLength);
    this.spanElemBytes = GROW_INT32(this.spanElemBytes, minLength);
    this.spanNElems = GROW_INT32(this.spanNElems, minLength);
    this.spanAllocCount = GROW_INT32(this.spanAllocCount, minLength);
    this.spanFreeIndex = GROW_INT32(this.spanFreeIndex, minLength);
    this.spanSlotBase = GROW_INT32(this.spanSlotBase, minLength);
    this.spanInUse = GROW_UINT8(this.spanInUse, minLength);
    this.spanSwept = GROW_UINT8(this.spanSwept, minLength);
    this.spanCached = GROW_UINT8(this.spanCached, minLength);
    this.spanListId = GROW_INT32(this.spanListId, minLength, NIL);
    this.spanListNext = GROW_INT32(this.spanListNext, minLength, NIL);
    this.spanListPrev = GROW_INT32(this.spanListPrev, minLength, NIL);
  }

  /** spanSet.push: at the tail. */
  private pushList(span: number, list: number): void {
    const tail = this.listTail[list]!;
    this.spanListId[span] = list;
    this.spanListNext[span] = NIL;
    this.spanListPrev[span] = tail;
    if (tail !== NIL) this.spanListNext[tail] = span;
    else this.listHead[list] = span;
    this.listTail[list] = span;
  }

  /** Put a span at the head of a set (the next one popped). */
  private pushFront(span: number, list: number): void {
    const head = this.listHead[list]!;
    this.spanListId[span] = list;
    this.spanListPrev[span] = NIL;
    this.spanListNext[span] = head;
    if (head !== NIL) this.spanListPrev[head] = span;
    else this.listTail[list] = span;
    this.listHead[list] = span;
  }

  /** Move every span of set `from` to the tail of set `to`, in order. */
  private appendList(from: number, to: number): void {
    const first = this.listHead[from]!;
    if (first === NIL) return;
    for (let span = first; span !== NIL; span = this.spanListNext[span]!) this.spanListId[span] = to;
    const tail = this.listTail[to]!;
    if (tail !== NIL) {
      this.spanListNext[tail] = first;
      this.spanListPrev[first] = tail;
    } else {
      this.listHead[to] = first;
    }
    this.listTail[to] = this.listTail[from]!;
    this.listHead[from] = NIL;
    this.listTail[from] = NIL;
  }

  private removeFromList(span: number): void {
    const list = this.spanListId[span]!;
    if (list === NIL) return;
    const prev = this.spanListPrev[span]!;
    const next = this.spanListNext[span]!;
    if (prev === NIL) this.listHead[list] = next;
    else this.spanListNext[prev] = next;
    if (next === NIL) this.listTail[list] = prev;
    else this.spanListPrev[next] = prev;
    this.spanListId[span] = NIL;
    this.spanListNext[span] = NIL;
    this.spanListPrev[span] = NIL;
  }

  /** A never-used object id (the caller has checked freeObjectIds first). */
  private newObjectId(): number {
    const id = this.objectIdLimit++;
    if ((id + 1) * FIELDS > this.objects.length) {
      const n = id + 1;
      // Every field of a never-used record is NIL (its span says: free).
      this.objects = GROW_INT32(this.objects, n * FIELDS, NIL);
      this.objectPointerBase = GROW_INT32(this.objectPointerBase, n);
      this.objectPointerCount = GROW_INT32(this.objectPointerCount, n);
      this.objectMark = GROW_UINT8(this.objectMark, n);
    }
    return id;
  }

  private allocPointerRun(count: number): number {
    const free = this.freePointerRuns.get(count);
    let base: number;
    if (free !== undefined && free.length > 0) {
      base = free.pop()!;
    } else {
      base = this.pointersTop;
      this.pointersTop += count;
      this.pointers = GROW_INT32(this.pointers, this.pointersTop);
    }
    this.pointers.fill(NIL, base, base + count);
    return base;
  }

  private freePointerRun(base: number, count: number): void {
    let free = this.freePointerRuns.get(count);
    if (free === undefined) {
      free = [];
      this.freePointerRuns.set(count, free);
    }
    free.push(base);
  }
}
