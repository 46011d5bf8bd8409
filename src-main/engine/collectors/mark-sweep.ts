/**
 * Stop-the-world mark-sweep: the whole cycle is one pause, as Go runs with GODEBUG=gcstoptheworld=2.
 *
 *  1. Sweep termination: stop the world. Nothing is left to sweep (the previous cycle swept every
 *     span inside its pause), so this phase is the cost of stopping every P.
 *  2. Mark, with the world stopped: one root job per goroutine stack and one for the globals
 *     (data + bss); each stack's bytes in use are scanned, and a stack using under a quarter of
 *     its size is shrunk by half (scanstack → shrinkstack); every non-nil root slot is followed and
 *     its object shaded. Then drain the grey
 *     stack: pop an object, scan it, shade every non-nil pointer field. Shading sets the mark bit and
 *     adds the slot size to heapMarked; noscan objects are marked black directly (never queued),
 *     as greyobject does for noscan spans.
 *  3. Mark termination: record heapLive (gctrace h1), flush every mcache to its mcentral
 *     (prepareForSweep), reset heapLive to the marked bytes (resetLive), then sweep every span
 *     while the world is still stopped (gcSweep in gcForceBlockMode): unmarked objects are freed,
 *     fully free spans return their pages to mheap. Start the world.
 *
 * No barrier is needed (the mutator never runs while marking), so pointer and root writes are
 * plain stores. All GC CPU is pause × procs: the marking runs on one P while the others wait;
 * parallel marking comes with Go's concurrent collector.
 */
import { markNs, sweepNs, type MarkWork } from '../cost-model';
import { growInt32 as GROW_INT32 } from '../growable';
import { NIL as HEAP_NIL, OBJECT_FIELDS, OBJECT_SIZE, OBJECT_SPAN } from '../heap';
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
const FIELDS = OBJECT_FIELDS;
const SPAN = OBJECT_SPAN;
const SIZE = OBJECT_SIZE;
const growInt32 = GROW_INT32;

export class MarkSweepCollector implements Collector {
  readonly name = 'mark-sweep';
  readonly cycleRunning = false;
  readonly sweepDone = true;
  readonly nextStepNs = Infinity;
  /** No barrier: the mutator never runs while marking. */
  readonly plainWrites = true;
  /** It never parks a goroutine. */
  readonly parkRequested = false;
  readonly unparked = [];
  private readonly context: CollectorContext;
  /** Grey objects (marked, not yet scanned). */
  private greyStack = new Int32Array(1024);

  constructor(context: CollectorContext) {
    this.context = context;
  }

  writePointer(objectId: number, field: number, targetId: number): number {
    this.context.heap.setPointer(objectId, field, targetId);
    return 0;
  }

  writeRoot(rootSlot: number, targetId: number): number {
    this.context.roots.slots[rootSlot] = targetId;
    return 0;
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

  startCycle(start: CycleStart): CollectorStep {
    const { heap, cost, procs } = this.context;
    const sweepTermNs = Math.round(cost.stopTheWorldNs) + (start.sweepTermWorkNs ?? 0);

    const mark = this.markFromRoots();
    const markPhaseNs = markNs(cost, mark);

    const heapEndBytes = heap.heapLiveBytes;
    heap.flushMCaches();
    heap.heapLiveBytes = mark.heapMarkedBytes;
    const sweep = heap.sweepAll();
    const markTermNs = sweepNs(cost, sweep.spansSwept) + Math.round(cost.startTheWorldNs);

    const pauseNs = sweepTermNs + markPhaseNs + markTermNs;
    const finished: CycleResult = {
      sweepTermNs,
      markNs: markPhaseNs,
      markTermNs,
      pauseNs,
      pauses: [{ startNs: start.startNs, durationNs: pauseNs }],
      gcCpuNs: pauseNs * procs,
      assistCpuNs: 0,
      backgroundCpuNs: 0,
      idleCpuNs: 0,
      heapEndBytes,
      heapMarkedBytes: mark.heapMarkedBytes,
      objectsMarked: mark.objectsMarked,
      heapScanBytes: mark.heapScanBytes,
      stackScanBytes: mark.stackScanBytes,
      globalsScanBytes: mark.globalsScanBytes,
      pointersFollowed: mark.pointersFollowed,
      spansSwept: sweep.spansSwept,
      spansFreed: sweep.spansFreed,
      objectsFreed: sweep.objectsFreed,
      bytesFreed: sweep.bytesFreed,
      liveObjects: heap.liveObjects,
      ...NO_COLLECTOR_FIELDS,
    };
    return { stopTheWorldNs: pauseNs, finished };
  }

  step(): CollectorStep {
    return { stopTheWorldNs: 0, finished: null };
  }

  private markFromRoots(): MarkWork & {
    heapMarkedBytes: number;
    stackScanBytes: number;
    globalsScanBytes: number;
  } {
    const { heap, roots } = this.context;
    const mark = heap.objectMark;
    const objects = heap.objects;
    const spanElemBytes = heap.spanElemBytes;
    const spanClass = heap.spanClass;
    const pointerBase = heap.objectPointerBase;
    const pointerCount = heap.objectPointerCount;
    const pointers = heap.pointers;
    let grey = this.greyStack;
    let top = 0;
    let objectsMarked = 0;
    let heapMarkedBytes = 0;
    let pointersFollowed = 0;
    let heapScanBytes = 0;

    const rootSlots = roots.slots;
    for (let slot = 0; slot < roots.count; slot++) {
      const target = rootSlots[slot]!;
      if (target === NIL) continue;
      pointersFollowed++;
      if (mark[target] === 1) continue;
      mark[target] = 1;
      objectsMarked++;
      const span = objects[target * FIELDS + SPAN]!;
      heapMarkedBytes += spanElemBytes[span]!;
      // Noscan spans (span class bit 0) hold only objects without pointers: black at once.
      if ((spanClass[span]! & 1) === 0) {
        grey = growInt32(grey, top + 1);
        grey[top++] = target;
      }
    }

    while (top > 0) {
      const object = grey[--top]!;
      heapScanBytes += objects[object * FIELDS + SIZE]!;
      const base = pointerBase[object]!;
      const end = base + pointerCount[object]!;
      for (let i = base; i < end; i++) {
        const target = pointers[i]!;
        if (target === NIL) continue;
        pointersFollowed++;
        if (mark[target] === 1) continue;
        mark[target] = 1;
        objectsMarked++;
        const span = objects[target * FIELDS + SPAN]!;
        heapMarkedBytes += spanElemBytes[span]!;
        if ((spanClass[span]! & 1) === 0) {
          grey = growInt32(grey, top + 1);
          grey[top++] = target;
        }
      }
    }
    this.greyStack = grey;

    const stacks = roots.stacks;
    const stackScanBytes = stacks.scanBytes;
    const shrinksBefore = stacks.shrinks;
    const stackShrinkCopiedBytes = stacks.shrinkForGc();
    const globalsScanBytes = roots.globalsBytes;
    return {
      rootJobs: roots.goroutineCount + 1,
      stackShrinks: stacks.shrinks - shrinksBefore,
      stackShrinkCopiedBytes,
      heapScanBytes,
      pointersFollowed,
      objectsMarked,
      heapMarkedBytes,
      stackScanBytes,
      globalsScanBytes,
    };
  }
}
