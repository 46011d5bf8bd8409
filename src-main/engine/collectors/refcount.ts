/**
 * Reference counting, with an optional trial-deletion cycle collector (Bacon & Rajan 2001,
 * "Concurrent Cycle Collection in Reference Counted Systems", its synchronous algorithm).
 *
 *  1. Every object has a count: the pointer fields and root slots that hold it. A store
 *     (writePointer, writeRoot) increments the new target first, stores, then decrements the old
 *     value, so storing an object over itself never frees it. A fresh object has count 0 and gets its
 *     first reference from the store the driver makes right after malloc. A tiny allocation returns
 *     its block's id: every sub-object's reference counts on the block, freed once none is left.
 *  2. A count that a pointer-field store drops to 0 frees the object at once (heap.freeObject) and
 *     decrements everything its pointer fields hold, iteratively (an explicit stack: a list can be a
 *     million long). Everything one such release frees is a cascade; the largest of the interval,
 *     in objects and in nanoseconds, goes into the cycle's record.
 *  3. A count that a root store drops to 0 is released at the collector's next hook instead, after
 *     that hook's own increment (a one-entry zero-count table). The driver hands objects from one
 *     root slot to another by clearing the first before filling the second — a sync.Pool Get or Put
 *     passes the object through its caller — and the object must survive the handover. Deferring
 *     the zeros of roots is what deferred reference counting (Deutsch & Bobrow) does for stacks.
 *  4. A decrement to a count above 0 makes a pointerful object a possible root of a garbage cycle
 *     (purple); with the cycle collector on it is buffered, once. Noscan objects cannot be on a
 *     cycle (Bacon–Rajan's green objects) and are never buffered.
 *  5. startCycle: the pacer triggers it on heapLive as for every collector, so runs compare. Stop the
 *     world; release the zero-count table; with the cycle collector on, trial deletion over the
 *     buffer: MarkGray subtracts the references inside the subgraph below the purple roots, Scan
 *     turns black again (restoring counts) whatever is still referenced from outside and white the
 *     rest, CollectWhite frees the white objects (their references to black objects were subtracted
 *     by MarkGray, which is the decrement freeing them owes). Then flush every mcache: Go forgets the
 *     tiny block at every cycle, and the driver drops its root afterwards; a span that immediate
 *     frees emptied while an mcache held it goes back to mheap then (spansFreed). heapLive becomes the
 *     slot bytes of all allocated objects — nothing is cached, and every allocated object is live
 *     or leaked — which is also heapMarked, the pacer's base. Start the world.
 *  6. Leak report: at every cycle an own mark from the roots (scratch arrays, never objectMark)
 *     counts the allocated objects it cannot reach, the garbage cycles counting alone never frees
 *     and what hangs off them. It costs no virtual time: it is the simulator's measurement, not
 *     work the collector would do.
 *
 * The mutator pays for each count update and free in the hook that made it; that work is the
 * collector's CPU outside its pauses, reported per cycle as assistCpuNs (everything since the
 * previous cycle) and counted into gcCpuNs. The cycle collector's work is mark-phase time inside
 * the pause, at the tracing collectors' costs per object, pointer and byte scanned. Nothing runs
 * concurrently and nothing is swept: cycleRunning is never set, stacks are never scanned (nor shrunk).
 */
import { growInt32, growUint8 } from '../growable';
import { NIL as HEAP_NIL } from '../heap';
import {
  NO_COLLECTOR_FIELDS,
  mutatorCpuSlowdown,
  type Collector,
  type CollectorContext,
  type CollectorStep,
  type CycleResult,
  type CycleStart,
} from './collector';

// Hot-path copies of imported bindings: a module-local const is read directly, while an imported
// binding may cost a getter call per read when the engine runs unbundled (tsx, vitest).
const NIL = HEAP_NIL;

/** Trial-deletion colours (Bacon & Rajan): in use or free, candidate garbage, garbage, possible root. */
const BLACK = 0;
const GRAY = 1;
const WHITE = 2;
const PURPLE = 3;

/** What one trial deletion did. */
interface CycleCollection {
  objectsVisited: number;
  objectsGrayed: number;
  pointersFollowed: number;
  heapScanBytes: number;
  objectsFreed: number;
}

export class RefcountCollector implements Collector {
  readonly name = 'refcount';
  readonly cycleRunning = false;
  readonly sweepDone = true;
  readonly nextStepNs = Infinity;
  /** Every store updates counts. */
  readonly plainWrites = false;
  /** It never parks a goroutine. */
  readonly parkRequested = false;
  readonly unparked = [];
  private readonly context: CollectorContext;
  private readonly cycleCollector: boolean;

  /** Per object id: the references held to it. 0 for a free id and a fresh object. */
  private counts = new Int32Array(0);
  /** Per object id: trial-deletion colour (only kept with the cycle collector on). */
  private colors = new Uint8Array(0);
  /** Per object id: its index in possibleRoots, or NIL when not buffered. */
  private bufferIndex = new Int32Array(0);
  /** Purple objects buffered since the last cycle; NIL where a buffered object was freed. */
  private possibleRoots = new Int32Array(1024);
  private possibleRootCount = 0;
  private possibleRootHoles = 0;
  /** The object a root store left at count 0, released at the next hook (file comment, 3). */
  private deferredZero = NIL;

  /** Work stacks: releases, trial deletion's traversals, ScanBlack inside Scan, the leak mark. */
  private releaseStack = new Int32Array(1024);
  private traceStack = new Int32Array(1024);
  private blackStack = new Int32Array(1024);
  /** Scratch mark bits of the leak report, all 0 between cycles. */
  private reached = new Uint8Array(0);

  /** Cumulative count updates and frees by counting (each hook charges its difference). */
  private updates = 0;
  private countFrees = 0;

  // Since the previous cycle (reset by startCycle).
  private intervalMutatorNs = 0;
  private intervalObjectsFreed = 0;
  private intervalBytesFreed = 0;
  private intervalCountFrees = 0;
  private cascadeMaxObjects = 0;
  private cascadeMaxNs = 0;

  constructor(context: CollectorContext) {
    this.context = context;
    this.cycleCollector = context.options.cycleCollector;
  }

  /** The references held to an allocated object (tests, inspection). */
  referenceCount(objectId: number): number {
    return objectId < this.counts.length ? this.counts[objectId]! : 0;
  }

  writePointer(objectId: number, field: number, targetId: number): number {
    const heap = this.context.heap;
    if (this.counts.length < heap.objectIdLimit) this.grow(heap.objectIdLimit);
    const updates = this.updates;
    const frees = this.countFrees;
    if (targetId !== NIL) this.increment(targetId);
    const old = heap.getPointer(objectId, field);
    heap.setPointer(objectId, field, targetId);
    if (this.deferredZero !== NIL) this.releaseDeferred();
    if (old !== NIL && this.decrement(old) === 0) this.release(old);
    return this.chargeMutator(updates, frees);
  }

  writeRoot(rootSlot: number, targetId: number): number {
    const heap = this.context.heap;
    if (this.counts.length < heap.objectIdLimit) this.grow(heap.objectIdLimit);
    const updates = this.updates;
    const frees = this.countFrees;
    if (targetId !== NIL) this.increment(targetId);
    const slots = this.context.roots.slots;
    const old = slots[rootSlot]!;
    slots[rootSlot] = targetId;
    if (this.deferredZero !== NIL) this.releaseDeferred();
    if (old !== NIL && this.decrement(old) === 0) this.deferredZero = old;
    return this.chargeMutator(updates, frees);
  }

  afterMalloc(): number {
    return 0;
  }

  mutatorSlowdown(nowNs: number): number {
    return mutatorCpuSlowdown(this.context, nowNs);
  }

  finishSweep(): number {
    return 0;
  }

  step(): CollectorStep {
    return { stopTheWorldNs: 0, finished: null };
  }

  startCycle(start: CycleStart): CollectorStep {
    const { heap, cost, procs } = this.context;
    if (this.counts.length < heap.objectIdLimit) this.grow(heap.objectIdLimit);
    const heapEndBytes = heap.heapLiveBytes;

    const updates = this.updates;
    const frees = this.countFrees;
    if (this.deferredZero !== NIL) this.releaseDeferred();
    const deferredNs = this.countWorkNs(updates, frees);
    const sweepTermNs = Math.round(cost.stopTheWorldNs) + (start.sweepTermWorkNs ?? 0) + deferredNs;

    const spansFreed = heap.flushMCaches();
    const collection = this.cycleCollector ? this.collectCycles() : null;
    const markPhaseNs =
      collection === null
        ? 0
        : Math.round(
            collection.objectsVisited * cost.markObjectNs +
              collection.pointersFollowed * cost.pointerFollowNs +
              collection.heapScanBytes * cost.scanByteNs +
              collection.objectsFreed * cost.refcountFreeNs,
          );
    heap.heapLiveBytes = heap.heapAllocBytes;
    const leaked = this.measureLeaks();
    const markTermNs = Math.round(cost.startTheWorldNs);

    const pauseNs = sweepTermNs + markPhaseNs + markTermNs;
    const finished: CycleResult = {
      sweepTermNs,
      markNs: markPhaseNs,
      markTermNs,
      pauseNs,
      pauses: [{ startNs: start.startNs, durationNs: pauseNs }],
      gcCpuNs: pauseNs * procs + this.intervalMutatorNs,
      assistCpuNs: this.intervalMutatorNs,
      backgroundCpuNs: 0,
      idleCpuNs: 0,
      heapEndBytes,
      heapMarkedBytes: heap.heapAllocBytes,
      objectsMarked: collection?.objectsGrayed ?? 0,
      heapScanBytes: collection?.heapScanBytes ?? 0,
      stackScanBytes: this.context.roots.stacks.scanBytes,
      globalsScanBytes: this.context.roots.globalsBytes,
      pointersFollowed: collection?.pointersFollowed ?? 0,
      spansSwept: 0,
      spansFreed,
      objectsFreed: this.intervalObjectsFreed,
      bytesFreed: this.intervalBytesFreed,
      liveObjects: heap.liveObjects,
      ...NO_COLLECTOR_FIELDS,
      leakedObjects: leaked.objects,
      leakedBytes: leaked.bytes,
      refcountFrees: this.intervalCountFrees,
      cascadeMaxObjects: this.cascadeMaxObjects,
      cascadeMaxNs: this.cascadeMaxNs,
    };
    this.intervalMutatorNs = 0;
    this.intervalObjectsFreed = 0;
    this.intervalBytesFreed = 0;
    this.intervalCountFrees = 0;
    this.cascadeMaxObjects = 0;
    this.cascadeMaxNs = 0;
    return { stopTheWorldNs: pauseNs, finished };
  }

  private increment(objectId: number): void {
    this.counts[objectId] = this.counts[objectId]! + 1;
    this.updates++;
    // A new reference proves the object live: no longer a possible cycle root (it stays buffered).
    if (this.cycleCollector) this.colors[objectId] = BLACK;
  }

  /** Decrements; a count left above 0 makes the object a possible cycle root. Returns the count. */
  private decrement(objectId: number): number {
    const count = this.counts[objectId]! - 1;
    this.counts[objectId] = count;
    this.updates++;
    if (count > 0 && this.cycleCollector) this.possibleRoot(objectId);
    return count;
  }

  private possibleRoot(objectId: number): void {
    if (this.colors[objectId] === PURPLE || this.context.heap.objectPointerCount[objectId] === 0) return;
    this.colors[objectId] = PURPLE;
    if (this.bufferIndex[objectId] !== NIL) return;
    if (this.possibleRootCount === this.possibleRoots.length) this.compactPossibleRoots();
    this.possibleRoots = growInt32(this.possibleRoots, this.possibleRootCount + 1);
    this.bufferIndex[objectId] = this.possibleRootCount;
    this.possibleRoots[this.possibleRootCount++] = objectId;
  }

  /** Squeezes out freed entries once they are at least half the buffer, before it would grow. */
  private compactPossibleRoots(): void {
    if (this.possibleRootHoles * 2 < this.possibleRootCount) return;
    const buffer = this.possibleRoots;
    let kept = 0;
    for (let i = 0; i < this.possibleRootCount; i++) {
      const id = buffer[i]!;
      if (id === NIL) continue;
      this.bufferIndex[id] = kept;
      buffer[kept++] = id;
    }
    this.possibleRootCount = kept;
    this.possibleRootHoles = 0;
  }

  /**
   * The deferred root zero (file comment, 3): the reference the handover held in hand goes now. An
   * object a store referenced again meanwhile has lost that reference at a count above 0, like
   * any decrement to non-zero: it may be left in a garbage cycle (`x.next = x` before dropping x).
   */
  private releaseDeferred(): void {
    const objectId = this.deferredZero;
    this.deferredZero = NIL;
    if (!this.context.heap.isAllocated(objectId)) return;
    if (this.counts[objectId] === 0) this.release(objectId);
    else if (this.cycleCollector) this.possibleRoot(objectId);
  }

  /**
   * Frees an object whose count is 0, and whatever that frees in turn (file comment, 2). The
   * pointer fields are read before freeObject releases them.
   */
  private release(objectId: number): void {
    const heap = this.context.heap;
    const pointers = heap.pointers;
    const pointerBase = heap.objectPointerBase;
    const pointerCount = heap.objectPointerCount;
    const counts = this.counts;
    const updates = this.updates;
    const frees = this.countFrees;
    let stack = this.releaseStack;
    let top = 0;
    stack[top++] = objectId;
    while (top > 0) {
      const object = stack[--top]!;
      const base = pointerBase[object]!;
      const end = base + pointerCount[object]!;
      for (let i = base; i < end; i++) {
        const target = pointers[i]!;
        if (target === NIL) continue;
        const count = counts[target]! - 1;
        counts[target] = count;
        this.updates++;
        if (count > 0) {
          if (this.cycleCollector) this.possibleRoot(target);
        } else {
          stack = growInt32(stack, top + 1);
          stack[top++] = target;
        }
      }
      this.free(object);
      this.countFrees++;
      this.intervalCountFrees++;
    }
    this.releaseStack = stack;
    const objects = this.countFrees - frees;
    const ns = this.countWorkNs(updates, frees);
    if (objects > this.cascadeMaxObjects) this.cascadeMaxObjects = objects;
    if (ns > this.cascadeMaxNs) this.cascadeMaxNs = ns;
  }

  /** Returns an object's slot to the heap and forgets its collector state. */
  private free(objectId: number): void {
    const heap = this.context.heap;
    const index = this.bufferIndex[objectId]!;
    if (index !== NIL) {
      this.possibleRoots[index] = NIL;
      this.possibleRootHoles++;
      this.bufferIndex[objectId] = NIL;
    }
    this.counts[objectId] = 0;
    this.colors[objectId] = BLACK;
    this.intervalObjectsFreed++;
    this.intervalBytesFreed += heap.elemBytes(objectId);
    heap.freeObject(objectId);
  }

  /** Nanoseconds of the count updates and frees since the given cumulative values. */
  private countWorkNs(updatesBefore: number, freesBefore: number): number {
    const cost = this.context.cost;
    return Math.round(
      (this.updates - updatesBefore) * cost.refcountUpdateNs +
        (this.countFrees - freesBefore) * cost.refcountFreeNs,
    );
  }

  private chargeMutator(updatesBefore: number, freesBefore: number): number {
    const ns = this.countWorkNs(updatesBefore, freesBefore);
    this.intervalMutatorNs += ns;
    return ns;
  }

  /**
   * Synchronous trial deletion over the buffered possible roots (Bacon & Rajan's CollectCycles:
   * MarkRoots, ScanRoots, CollectRoots), each traversal with an explicit stack.
   */
  private collectCycles(): CycleCollection {
    const work: CycleCollection = {
      objectsVisited: 0,
      objectsGrayed: 0,
      pointersFollowed: 0,
      heapScanBytes: 0,
      objectsFreed: 0,
    };
    const buffer = this.possibleRoots;
    const bufferIndex = this.bufferIndex;
    let kept = 0;
    for (let i = 0; i < this.possibleRootCount; i++) {
      const id = buffer[i]!;
      if (id === NIL) continue;
      if (this.colors[id] === PURPLE && this.counts[id]! > 0) {
        this.markGray(id, work);
        bufferIndex[id] = kept;
        buffer[kept++] = id;
      } else {
        // Referenced again since (black): not a candidate. A count of 0 was released at once.
        bufferIndex[id] = NIL;
      }
    }
    for (let i = 0; i < kept; i++) this.scan(buffer[i]!, work);
    for (let i = 0; i < kept; i++) {
      const id = buffer[i]!;
      bufferIndex[id] = NIL;
      this.collectWhite(id, work);
    }
    this.possibleRootCount = 0;
    this.possibleRootHoles = 0;
    return work;
  }

  /** MarkGray: colour the subgraph gray, subtracting every reference inside it. */
  private markGray(root: number, work: CycleCollection): void {
    const { heap } = this.context;
    const { pointers, objectPointerBase, objectPointerCount } = heap;
    const counts = this.counts;
    const colors = this.colors;
    if (colors[root] === GRAY) return;
    let stack = this.traceStack;
    let top = 0;
    colors[root] = GRAY;
    stack[top++] = root;
    while (top > 0) {
      const object = stack[--top]!;
      work.objectsVisited++;
      work.objectsGrayed++;
      const base = objectPointerBase[object]!;
      const end = base + objectPointerCount[object]!;
      if (end > base) work.heapScanBytes += heap.sizeOf(object);
      for (let i = base; i < end; i++) {
        const target = pointers[i]!;
        if (target === NIL) continue;
        work.pointersFollowed++;
        counts[target] = counts[target]! - 1;
        if (colors[target] !== GRAY) {
          colors[target] = GRAY;
          stack = growInt32(stack, top + 1);
          stack[top++] = target;
        }
      }
    }
    this.traceStack = stack;
  }

  /** Scan: a gray object still referenced from outside is live (ScanBlack); the rest turn white. */
  private scan(root: number, work: CycleCollection): void {
    const { pointers, objectPointerBase, objectPointerCount } = this.context.heap;
    const colors = this.colors;
    let stack = this.traceStack;
    let top = 0;
    stack[top++] = root;
    while (top > 0) {
      const object = stack[--top]!;
      if (colors[object] !== GRAY) continue;
      work.objectsVisited++;
      if (this.counts[object]! > 0) {
        this.scanBlack(object, work);
        continue;
      }
      colors[object] = WHITE;
      const base = objectPointerBase[object]!;
      const end = base + objectPointerCount[object]!;
      for (let i = base; i < end; i++) {
        const target = pointers[i]!;
        if (target === NIL) continue;
        work.pointersFollowed++;
        if (colors[target] === GRAY) {
          stack = growInt32(stack, top + 1);
          stack[top++] = target;
        }
      }
    }
    this.traceStack = stack;
  }

  /** ScanBlack: restore the references MarkGray subtracted below a live object. */
  private scanBlack(root: number, work: CycleCollection): void {
    const { pointers, objectPointerBase, objectPointerCount } = this.context.heap;
    const counts = this.counts;
    const colors = this.colors;
    let stack = this.blackStack;
    let top = 0;
    colors[root] = BLACK;
    stack[top++] = root;
    while (top > 0) {
      const object = stack[--top]!;
      work.objectsVisited++;
      const base = objectPointerBase[object]!;
      const end = base + objectPointerCount[object]!;
      for (let i = base; i < end; i++) {
        const target = pointers[i]!;
        if (target === NIL) continue;
        work.pointersFollowed++;
        counts[target] = counts[target]! + 1;
        if (colors[target] !== BLACK) {
          colors[target] = BLACK;
          stack = growInt32(stack, top + 1);
          stack[top++] = target;
        }
      }
    }
    this.blackStack = stack;
  }

  /**
   * CollectWhite: free the white subgraph below a root. A white object still buffered is left for
   * its own turn, so no object is freed twice.
   */
  private collectWhite(root: number, work: CycleCollection): void {
    const heap = this.context.heap;
    const colors = this.colors;
    const bufferIndex = this.bufferIndex;
    if (colors[root] !== WHITE || bufferIndex[root] !== NIL) return;
    let stack = this.traceStack;
    let top = 0;
    colors[root] = BLACK;
    stack[top++] = root;
    while (top > 0) {
      const object = stack[--top]!;
      work.objectsVisited++;
      const base = heap.objectPointerBase[object]!;
      const end = base + heap.objectPointerCount[object]!;
      for (let i = base; i < end; i++) {
        const target = heap.pointers[i]!;
        if (target === NIL) continue;
        work.pointersFollowed++;
        if (colors[target] === WHITE && bufferIndex[target] === NIL) {
          colors[target] = BLACK;
          stack = growInt32(stack, top + 1);
          stack[top++] = target;
        }
      }
      this.free(object);
      work.objectsFreed++;
    }
    this.traceStack = stack;
  }

  /** Allocated objects no root reaches, and their slot bytes (file comment, 6). */
  private measureLeaks(): { objects: number; bytes: number } {
    const heap = this.context.heap;
    const roots = this.context.roots;
    const limit = heap.objectIdLimit;
    this.reached = growUint8(this.reached, limit);
    const reached = this.reached;
    const { pointers, objectPointerBase, objectPointerCount, spanElemBytes } = heap;
    let stack = this.traceStack;
    let top = 0;
    for (let slot = 0; slot < roots.count; slot++) {
      const target = roots.slots[slot]!;
      if (target === NIL || reached[target] === 1) continue;
      reached[target] = 1;
      stack = growInt32(stack, top + 1);
      stack[top++] = target;
      while (top > 0) {
        const object = stack[--top]!;
        const base = objectPointerBase[object]!;
        const end = base + objectPointerCount[object]!;
        for (let i = base; i < end; i++) {
          const child = pointers[i]!;
          if (child === NIL || reached[child] === 1) continue;
          reached[child] = 1;
          stack = growInt32(stack, top + 1);
          stack[top++] = child;
        }
      }
    }
    this.traceStack = stack;
    let objects = 0;
    let bytes = 0;
    for (let id = 0; id < limit; id++) {
      if (reached[id] === 1 || !heap.isAllocated(id)) continue;
      const span = heap.spanOf(id);
      objects++;
      bytes += spanElemBytes[span]!;
    }
    reached.fill(0, 0, limit);
    return { objects, bytes };
  }

  private grow(objectIdLimit: number): void {
    this.counts = growInt32(this.counts, objectIdLimit);
    this.colors = growUint8(this.colors, objectIdLimit);
    this.bufferIndex = growInt32(this.bufferIndex, objectIdLimit, NIL);
  }
}
