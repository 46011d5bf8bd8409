/**
 * Incremental tri-color mark-sweep, as the uniprocessor collectors before Go's concurrent one were
 * built (Dijkstra et al. 1978, Yuasa 1990): the mark is cut into short stop-the-world slices with
 * the program running in between, and a write barrier keeps what the program does between slices
 * from hiding an object from the marking. Marking never runs beside the program, so every slice is
 * a pause of the whole machine; what the collector buys is short pauses instead of one long one.
 *
 *  1. Start (stop the world): finish the previous cycle's sweep (every span swept, so every mark
 *     bit is clear), the driver's clearpools work, queue the root jobs (tricolor.ts), turn the
 *     barrier and allocate-black on. Yuasa only: scan every root (each stack and the globals)
 *     before the world starts again — the deletion barrier preserves the heap as it was at this
 *     instant, but stacks have no barrier, so they must be snapshotted atomically here.
 *  2. Mark slices: every slice stops the world and drains up to MARK_SLICE_NS of mark work (root
 *     jobs first, then grey objects; one unit of work may overrun it). After every stop-the-world
 *     window the program runs for (1 − u)/u = 3 times the window's length, so the collector holds
 *     the machine for MARK_UTILIZATION = 25 % of the clock while it marks.
 *  3. The barrier, on heap stores and global stores (never stack stores: roots.isStack):
 *     - Dijkstra (insertion): shade the pointer being written. Keeps the strong invariant (no black
 *       heap object points to a white one), but a stack scanned early may since have been given a
 *       white object whose heap path was then deleted: termination must rescan every root.
 *     - Yuasa (deletion): shade the pointer being overwritten. Keeps the weak invariant (a white
 *       object a black one points to is reachable from a grey one through white objects): nothing
 *       reachable at the start is lost, so once the grey stack is empty marking is done.
 *     - none: no barrier (tests only, to show the object a barrier saves; the API refuses it).
 *     Every store through the enabled barrier costs the mutator cost.writeBarrierNs.
 *  4. Allocation colour: black under both barriers. Yuasa requires it (a white new object stored
 *     only in a stack would never be found). Dijkstra would be safe with white — the rescan finds
 *     a new object still rooted — and would free objects that die during the mark, but every new
 *     object still alive would then be traced inside the termination pause, the one pause that
 *     cannot be cut into slices; black keeps that pause to the rescan.
 *  5. Termination (stop the world), at the first step that finds no root job and no grey object:
 *     Dijkstra requeues every root job and drains to completion (the rescan and whatever it greys);
 *     Yuasa has nothing left. Then flush every mcache, record heapLive (h1), reset it to the
 *     bytes marked (h2), and start a lazy sweep round (heap.ts §6).
 *  6. Sweep until the next cycle: allocations sweep as they refill (the driver paces them), and
 *     the background sweeper (background-sweeper.ts) sweeps on the Ps the program leaves idle.
 *
 * Accounting: marking only ever runs with the world stopped, so all GC CPU is Σ pauses × procs and
 * the assist, background and idle CPU (the record's marking beside the program) are 0: reporting
 * the slices' work as background CPU would count it twice (gcCpuNs = STW × procs + assist +
 * background + idle; the GC CPU chart adds them the same way). markUtilization is 0 for the same
 * reason (the MMU chart already takes each slice as a pause); it is not null, so the pacer still
 * learns each cycle's cons/mark and moves the trigger to finish near the goal despite the slow
 * mark (its runway works out to heap growth per byte of scan work, whatever the utilization).
 */
import { assertNever } from '../assert';
import { sweepNs } from '../cost-model';
import type { PauseWindow } from '../record';
import {
  NO_COLLECTOR_FIELDS,
  mutatorCpuSlowdown,
  type BarrierName,
  type Collector,
  type CollectorContext,
  type CollectorStep,
  type CycleResult,
  type CycleStart,
} from './collector';
import { BackgroundSweeper } from './background-sweeper';
import { TriColorMarker } from './tricolor';

/**
 * Mark work per slice: 100 µs, the order of the longest pause Go has aimed at since 1.8, so a
 * slice compares directly with Go's own pauses.
 */
export const MARK_SLICE_NS = 100_000;
/**
 * Share of the clock the slices take: Go's background mark goal (gcBackgroundUtilization), so
 * the two collectors spend the same share marking and differ in how their pauses are shaped.
 */
export const MARK_UTILIZATION = 0.25;
/** The program runs this many times a stop-the-world window's length after it. */
const GAP_PER_PAUSE = (1 - MARK_UTILIZATION) / MARK_UTILIZATION;

export class IncrementalCollector implements Collector {
  readonly name = 'incremental';
  cycleRunning = false;
  nextStepNs = Infinity;
  /** !cycleRunning: the barrier and allocate-black are on only during a cycle. */
  plainWrites = true;
  /** It never parks a goroutine. */
  readonly parkRequested = false;
  readonly unparked = [];
  /** The mark state (exposed for tests that check the tri-color invariant). */
  readonly marker: TriColorMarker;
  private readonly context: CollectorContext;
  private readonly barrier: BarrierName;
  private readonly sliceNs: number;

  // The running cycle.
  private pauses: PauseWindow[] = [];
  private sweepTermNs = 0;
  private markStartNs = 0;
  private spansSweptAtStart = 0;
  private writeBarrierHits = 0;
  private writeBarrierShades = 0;

  // Background sweeping.
  private readonly sweeper: BackgroundSweeper;

  /** `sliceNs`: mark work per slice (tests shrink it to one unit of work per slice). */
  constructor(context: CollectorContext, sliceNs = MARK_SLICE_NS) {
    this.context = context;
    this.marker = new TriColorMarker(context);
    this.sweeper = new BackgroundSweeper(context);
    this.barrier = context.options.barrier;
    this.sliceNs = sliceNs;
  }

  get sweepDone(): boolean {
    return this.context.heap.unsweptSpans === 0;
  }

  mutatorSlowdown(nowNs: number): number {
    return mutatorCpuSlowdown(this.context, nowNs);
  }

  writePointer(objectId: number, field: number, targetId: number): number {
    const heap = this.context.heap;
    const ns = this.cycleRunning ? this.shadeFor(heap.getPointer(objectId, field), targetId) : 0;
    heap.setPointer(objectId, field, targetId);
    return ns;
  }

  writeRoot(rootSlot: number, targetId: number): number {
    const roots = this.context.roots;
    const ns =
      this.cycleRunning && !roots.isStack(rootSlot) ? this.shadeFor(roots.slots[rootSlot]!, targetId) : 0;
    roots.slots[rootSlot] = targetId;
    return ns;
  }

  /** The barrier for a store of `target` over `old` (file comment, 3); returns its mutator time. */
  private shadeFor(old: number, target: number): number {
    const barrier = this.barrier;
    switch (barrier) {
      case 'none':
        return 0;
      case 'dijkstra':
        if (this.marker.shade(target)) this.writeBarrierShades++;
        break;
      case 'yuasa':
        if (this.marker.shade(old)) this.writeBarrierShades++;
        break;
      default:
        return assertNever(barrier);
    }
    this.writeBarrierHits++;
    return this.context.cost.writeBarrierNs;
  }

  afterMalloc(objectId: number): number {
    if (this.cycleRunning) this.marker.allocateBlack(objectId);
    return 0;
  }

  startCycle(start: CycleStart): CollectorStep {
    const { heap, cost } = this.context;
    const marker = this.marker;
    const swept = heap.finishSweep();
    this.spansSweptAtStart = swept;
    this.writeBarrierHits = 0;
    this.writeBarrierShades = 0;
    marker.prepare();
    let rootScanNs = 0;
    if (this.barrier === 'yuasa') {
      // One root job per drain: a drain's budget of 1 ns admits exactly one unit of work.
      while (!marker.rootsDone) {
        marker.drain(1, Infinity);
        rootScanNs += marker.lastDrainNs;
      }
    }
    const sweepTermNs =
      Math.round(cost.stopTheWorldNs) +
      sweepNs(cost, swept) +
      (start.sweepTermWorkNs ?? 0) +
      rootScanNs +
      Math.round(cost.startTheWorldNs);
    this.sweepTermNs = sweepTermNs;
    this.pauses = [{ startNs: start.startNs, durationNs: sweepTermNs }];
    this.markStartNs = start.startNs + sweepTermNs;
    this.cycleRunning = true;
    this.plainWrites = false;
    this.nextStepNs = this.markStartNs + Math.round(sweepTermNs * GAP_PER_PAUSE);
    return { stopTheWorldNs: sweepTermNs, finished: null };
  }

  step(nowNs: number): CollectorStep {
    if (!this.cycleRunning) {
      this.nextStepNs = this.sweeper.step(nowNs);
      return { stopTheWorldNs: 0, finished: null };
    }
    if (this.marker.done) return this.markTermination(nowNs);
    const cost = this.context.cost;
    this.marker.drain(this.sliceNs, Infinity);
    const pauseNs =
      Math.round(cost.stopTheWorldNs) + this.marker.lastDrainNs + Math.round(cost.startTheWorldNs);
    this.pauses.push({ startNs: nowNs, durationNs: pauseNs });
    this.nextStepNs = nowNs + pauseNs + Math.round(pauseNs * GAP_PER_PAUSE);
    return { stopTheWorldNs: pauseNs, finished: null };
  }

  finishSweep(): number {
    return sweepNs(this.context.cost, this.context.heap.finishSweep());
  }

  private markTermination(nowNs: number): CollectorStep {
    const { heap, cost, procs } = this.context;
    const marker = this.marker;
    // The first scan of the roots is what the pacer wants (stack and globals scanned per cycle);
    // a Dijkstra rescan is termination work on top of it.
    const stackScanBytes = marker.stackScanBytes;
    const globalsScanBytes = marker.globalsScanBytes;
    const markWorkBeforeNs = marker.markWorkNs;
    if (this.barrier === 'dijkstra') marker.requeueRoots();
    marker.drain(Infinity, Infinity);
    const rescanNs = marker.markWorkNs - markWorkBeforeNs;
    const markTermNs = Math.round(cost.stopTheWorldNs) + rescanNs + Math.round(cost.startTheWorldNs);
    this.pauses.push({ startNs: nowNs, durationNs: markTermNs });

    const allocatedObjects = heap.liveObjects;
    const heapEndBytes = heap.heapLiveBytes;
    const heapMarkedBytes = marker.heapMarkedBytes;
    const bytesFreed = heap.heapAllocBytes - heapMarkedBytes;
    heap.heapLiveBytes = heapMarkedBytes;
    heap.beginSweep();

    this.cycleRunning = false;
    this.plainWrites = true;
    this.nextStepNs = this.sweeper.start(nowNs + markTermNs);

    const pauses = this.pauses;
    this.pauses = [];
    let pauseNs = 0;
    for (const pause of pauses) pauseNs += pause.durationNs;
    const finished: CycleResult = {
      sweepTermNs: this.sweepTermNs,
      markNs: nowNs - this.markStartNs,
      markTermNs,
      pauseNs,
      pauses,
      gcCpuNs: pauseNs * procs,
      assistCpuNs: 0,
      backgroundCpuNs: 0,
      idleCpuNs: 0,
      heapEndBytes,
      heapMarkedBytes,
      objectsMarked: marker.objectsMarked,
      heapScanBytes: marker.heapScanBytes,
      stackScanBytes,
      globalsScanBytes,
      pointersFollowed: marker.pointersFollowed,
      spansSwept: this.spansSweptAtStart,
      spansFreed: 0,
      objectsFreed: allocatedObjects - marker.objectsMarked,
      bytesFreed,
      liveObjects: marker.objectsMarked,
      ...NO_COLLECTOR_FIELDS,
      markUtilization: 0,
      writeBarrierHits: this.writeBarrierHits,
      writeBarrierShades: this.writeBarrierShades,
    };
    return { stopTheWorldNs: markTermNs, finished };
  }
}
