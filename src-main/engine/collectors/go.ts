/**
 * Go's own collector (Go 1.19, reference §3.1–§3.4): concurrent tri-color mark-sweep with the
 * hybrid write barrier, background mark workers, mark assists, and lazy concurrent sweeping.
 *
 *  1. gcStart first sweeps, on the goroutine that starts the cycle and with the world running,
 *     whatever the previous cycle left unswept (only a cycle started early finds any: runtime.GC()
 *     in the middle of a sweep), so finishsweep_m finds nothing. Then sweep termination (stop the
 *     world): the driver's clearpools work, queue
 *     the root jobs (tricolor.ts), turn the write barrier and allocate-black on, reset every
 *     goroutine's assist credit, and set the assist ratio. Start the world.
 *  2. Concurrent mark. Every MARK_STEP_NS the background workers do the mark work their Ps had time
 *     for: 25 % of GOMAXPROCS as dedicated workers plus a fractional one (mgcpacer.go startCycle),
 *     and idle workers on Ps the program leaves idle. A worker runs only on a P that enters the
 *     scheduler: after sweep termination every P does, except the one whose allocation triggered
 *     the cycle (gcStart returns straight to that goroutine). So a heap-triggered cycle's workers
 *     have GOMAXPROCS − 1 Ps at most: with one P they get none and the mark is done by assists
 *     alone, as Go 1.19's 1-P trace shows (background CPU 0, go1.19.8_churn_gomaxprocs1.txt). A
 *     forced or periodic cycle's caller parks, so all Ps are the workers'. Their scan work is banked as background
 *     credit. An allocating goroutine is charged its slot bytes; once its credit is negative it must
 *     assist: it owes assistWorkPerByte × its debt (at least gcOverAssistWork of scan work), takes
 *     what it can from the bank, and does the rest itself — mutator time on its P. If the work ran
 *     out before its debt was paid it parks until mark termination (gcParkAssist): on a goal at
 *     its floor (heapRemaining 1 in revise) that is the whole mark. The write
 *     barrier shades both the overwritten and the new pointer of every heap or global store (never
 *     a stack store); new objects are black. The program's own work slows while the workers hold
 *     Ps it needed (mutatorSlowdown). On a machine with fewer CPUs than Ps (context.cpus), the
 *     threads of the busy Ps and of the workers time-share the CPUs: each progresses at
 *     cpus ÷ threads of its speed, and Go, timing workers and assists by the clock, records the
 *     wall time they held their Ps.
 *  3. Mark termination (stop the world) once no root job and no grey object is left and every
 *     assist and worker has finished the work it took: an assist scans for its time from the
 *     moment its goroutine reached, and gcMarkDone runs after it, so the mark lasts at least as
 *     long as its last assist (endCycle's utilization counts assist time over that span). Flush every
 *     mcache, record heapLive (h1), reset it to the bytes marked (h2, allocated-black objects
 *     included, as gcmarknewobject counts them), and start a lazy sweep round (heap.ts §6).
 *     A pause stops min(GOMAXPROCS, CPUs) CPUs (gctrace's stwprocs): that is its CPU cost.
 *  4. Concurrent sweep until the next cycle: allocations sweep as they refill (proportional credit
 *     and mcentral's search, charged by the driver), and the background sweeper
 *     (background-sweeper.ts) sweeps on the Ps the program leaves idle.
 *
 * assistWorkPerByte (revise, §3.4) = remaining expected scan work / heap left before the goal:
 * expected = last cycle's heap scan + stacks + globals; once exceeded, or once heapLive passes the
 * goal, the worst case (all scannable heap + stacks + globals) against the goal × 1.1. The
 * scannable heap (heapScan) is the last mark's heap scan work plus the scannable bytes allocated
 * between that mark's end and this cycle's start: Go grows it only while not marking.
 */
import { sweepNs } from '../cost-model';
import { growFloat64 } from '../growable';
import {
  NO_COLLECTOR_FIELDS,
  cpuShare,
  mutatorCpuSlowdown,
  type Collector,
  type CollectorContext,
  type CollectorStep,
  type CycleResult,
  type CycleStart,
} from './collector';
import { BackgroundSweeper } from './background-sweeper';
import { TriColorMarker } from './tricolor';

/** gcBackgroundUtilization: background workers aim at 25 % of GOMAXPROCS. */
export const BACKGROUND_UTILIZATION = 0.25;
/**
 * Idle mark workers run only on a P that enters the scheduler with nothing to run; a P parked
 * before the cycle started is not woken for them. Go 1.19's churn traces on 2 CPUs show idle
 * marking at about a third of the idle P's time (0.10–0.18 ms of a 0.5 ms mark): the model gives
 * idle workers that share of the Ps the program leaves idle.
 */
export const IDLE_WORKER_SHARE = 0.2;
/** Background mark work is accounted every 10 µs of virtual time. */
export const MARK_STEP_NS = 10_000;
/** gcOverAssistWork: an assist does at least 64 KiB of scan work, to amortise its cost. */
export const OVER_ASSIST_SCAN_BYTES = 64 << 10;
/** minimum scanWorkRemaining in revise. */
const MIN_SCAN_WORK_REMAINING = 1000;
/** maxOvershoot: past the goal, assists pace against a goal 10 % further. */
const MAX_OVERSHOOT = 1.1;

/** Dedicated workers and the fractional worker's per-P goal (mgcpacer.go startCycle). */
export function markWorkers(procs: number): { dedicated: number; fractionalGoal: number } {
  const total = procs * BACKGROUND_UTILIZATION;
  let dedicated = Math.floor(total + 0.5);
  let fractionalGoal = 0;
  if (Math.abs(dedicated / total - 1) > 0.3) {
    if (dedicated > total) dedicated--;
    fractionalGoal = (total - dedicated) / procs;
  }
  return { dedicated, fractionalGoal };
}

export class GoCollector implements Collector {
  readonly name = 'go';
  cycleRunning = false;
  nextStepNs = Infinity;
  /** !cycleRunning: the barrier and allocate-black are on only during a cycle. */
  plainWrites = true;
  parkRequested = false;
  readonly unparked: { goroutine: number; atNs: number }[] = [];
  private readonly context: CollectorContext;
  private readonly marker: TriColorMarker;
  /** Ps the background workers want during a mark: dedicated + fractionalGoal × procs. */
  private readonly backgroundGoalProcs: number;
  /** Ps they hold in the running cycle: the goal, less the triggering goroutine's P (file comment, 2). */
  private backgroundProcs = 0;

  // The running cycle.
  private startNs = 0;
  private sweepTermNs = 0;
  private markStartNs = 0;
  private lastStepNs = 0;
  private spansSweptAtStart = 0;
  private assistCpuNs = 0;
  private backgroundCpuNs = 0;
  private idleCpuNs = 0;
  private writeBarrierHits = 0;
  private writeBarrierShades = 0;
  private assistRatioAtStart = 0;

  // Assists (§3.4).
  /** Per goroutine: gcAssistBytes (negative = in debt). */
  private assistCreditBytes = new Float64Array(0);
  /** Background scan work not yet taken by an assist. */
  private bgScanCreditBytes = 0;
  /** Goroutines parked by their assist, in queue order (work.assistQueue): file comment, 2. */
  private assistQueue: number[] = [];
  private assistWorkPerByte = 0;
  /** Scan work done this cycle (gcController.heapScanWork + stack + globals). */
  private scanWorkDoneBytes = 0;
  /** The last cycle's heap scan work (gcController.lastHeapScan). */
  private lastHeapScanBytes = 0;
  /**
   * Bytes of scannable objects allocated between the last mark termination and this cycle's start.
   * gcController.update adds mcache.scanAlloc to heapScan only while gcBlackenEnabled is 0: heapScan
   * grows between cycles and is fixed for the length of a mark (Go 1.19 mgcpacer.go update).
   */
  private scannableAllocatedBytes = 0;
  /** heap.scanAllocBytes when the last mark ended: where the next cycle's growth of heapScan starts. */
  private scanAllocAtMarkEndBytes = 0;
  /** heapScan: scannable heap bytes after the last mark, plus what was allocated since. */
  private heapScanAtLastMarkBytes = 0;
  /** heapLive when this cycle was triggered (gcController.triggered). */
  private triggeredBytes = 0;

  /**
   * Worker time owed (negative) or banked: a unit of mark work is never split, so a step's drain
   * may overrun its budget; the next steps pay it back before the workers do more.
   */
  private workerCarryNs = 0;
  /** Once all mark work is taken: when the workers finish the units they took. */
  private workersDoneAtNs = 0;
  /** When the latest assist finishes the scan work it took (file comment, 3). */
  private assistsDoneAtNs = 0;

  // Background sweeping.
  private readonly sweeper: BackgroundSweeper;

  constructor(context: CollectorContext) {
    this.context = context;
    this.marker = new TriColorMarker(context);
    this.sweeper = new BackgroundSweeper(context);
    const { dedicated, fractionalGoal } = markWorkers(context.procs);
    this.backgroundGoalProcs = dedicated + fractionalGoal * context.procs;
  }

  get sweepDone(): boolean {
    return this.context.heap.unsweptSpans === 0;
  }

  mutatorSlowdown(nowNs: number): number {
    if (!this.cycleRunning) return mutatorCpuSlowdown(this.context, nowNs);
    const busy = this.context.mutator.busyProcs(nowNs);
    if (busy === 0) return 1;
    const running = Math.min(busy, this.context.procs - this.backgroundProcs);
    return busy / (running * this.workerPlan(nowNs).share);
  }

  /**
   * The Ps the mark workers hold now (the background ones and their share of the idle ones), and
   * the share of a CPU every running thread gets when the program's and the workers' threads
   * outnumber the CPUs (GOMAXPROCS > ncpu: the OS time-shares them). `inHook`: asked from a
   * mutator hook, while the running goroutine is off the run queue busyProcs counts.
   */
  private workerPlan(
    nowNs: number,
    inHook = false,
  ): { idleProcs: number; workerProcs: number; share: number } {
    const { procs, cpus, mutator } = this.context;
    const busy = inHook ? Math.min(procs, mutator.busyProcs(nowNs) + 1) : mutator.busyProcs(nowNs);
    const idleProcs = IDLE_WORKER_SHARE * Math.max(0, procs - this.backgroundProcs - busy);
    const workerProcs = this.backgroundProcs + idleProcs;
    const running = Math.min(busy, procs - this.backgroundProcs);
    return { idleProcs, workerProcs, share: cpuShare(cpus, running + workerProcs) };
  }

  writePointer(objectId: number, field: number, targetId: number): number {
    const heap = this.context.heap;
    if (!this.cycleRunning) {
      heap.setPointer(objectId, field, targetId);
      return 0;
    }
    this.barrier(heap.getPointer(objectId, field), targetId);
    heap.setPointer(objectId, field, targetId);
    return this.context.cost.writeBarrierNs;
  }

  writeRoot(rootSlot: number, targetId: number): number {
    const roots = this.context.roots;
    if (!this.cycleRunning || roots.isStack(rootSlot)) {
      roots.slots[rootSlot] = targetId;
      return 0;
    }
    this.barrier(roots.slots[rootSlot]!, targetId);
    roots.slots[rootSlot] = targetId;
    return this.context.cost.writeBarrierNs;
  }

  /** The hybrid barrier: shade the overwritten pointer and the new one (mbarrier.go). */
  private barrier(old: number, target: number): void {
    this.writeBarrierHits++;
    if (this.marker.shade(old)) this.writeBarrierShades++;
    if (this.marker.shade(target)) this.writeBarrierShades++;
  }

  afterMalloc(objectId: number, goroutine: number): number {
    if (!this.cycleRunning) return 0;
    const heap = this.context.heap;
    this.marker.allocateBlack(objectId);
    const bytes = heap.lastMallocElemBytes;
    if (this.context.pacer.limiterOn || bytes === 0) return 0;
    if (goroutine >= this.assistCreditBytes.length) {
      this.assistCreditBytes = growFloat64(this.assistCreditBytes, goroutine + 1);
    }
    const credit = this.assistCreditBytes[goroutine]! - bytes;
    this.assistCreditBytes[goroutine] = credit;
    if (credit >= 0) return 0;
    return this.assist(goroutine, -credit);
  }

  /** gcAssistAlloc: pay `debtBytes` of allocation with scan work; returns the time it took. */
  private assist(goroutine: number, debtBytes: number): number {
    this.revise();
    const perByte = this.assistWorkPerByte;
    const scanWork = Math.max(perByte * debtBytes, OVER_ASSIST_SCAN_BYTES);
    const stolen = Math.min(this.bgScanCreditBytes, scanWork);
    this.bgScanCreditBytes -= stolen;
    this.assistCreditBytes[goroutine] = this.assistCreditBytes[goroutine]! + stolen / perByte;
    if (stolen >= scanWork) return 0;
    let ns = 0;
    if (!this.marker.done) {
      this.marker.drain(Infinity, scanWork - stolen);
      // The assist's work runs on the goroutine's thread, which has its share of a CPU; Go times
      // assists by the clock (nanotime), so the time recorded is the wall time.
      const clockNs = this.context.mutator.clockNs();
      ns = Math.round(this.marker.lastDrainNs / this.workerPlan(clockNs, true).share);
      const done = this.marker.lastDrainScanBytes;
      this.scanWorkDoneBytes += done;
      this.assistCreditBytes[goroutine] = this.assistCreditBytes[goroutine]! + done / perByte;
      this.assistCpuNs += ns;
      // The assist scans from the goroutine's present moment for ns: the mark cannot end before
      // that (gcMarkDone runs when it has finished), whoever takes the last unit of work.
      this.assistsDoneAtNs = Math.max(this.assistsDoneAtNs, clockNs + ns);
      if (this.marker.done) this.nextStepNs = Math.max(this.workersDoneAtNs, this.assistsDoneAtNs);
    }
    // Still in debt: no mark work was left to pay it with. Go parks the goroutine on the assist
    // queue rather than let it allocate on credit it does not have (gcParkAssist). Background
    // credit flushed later could wake it early (gcFlushBgCredit), but with the work all taken the
    // workers bank none: it waits for mark termination.
    if (this.assistCreditBytes[goroutine]! < 0) {
      this.assistQueue.push(goroutine);
      this.parkRequested = true;
    }
    return ns;
  }

  /** gcControllerState.revise (file comment). */
  private revise(): void {
    const { heap, roots, pacer } = this.context;
    const stackScan = roots.stacks.scanBytes;
    let heapGoal = pacer.heapGoalBytes;
    let expected = this.lastHeapScanBytes + stackScan + roots.globalsBytes;
    const maxScanWork =
      this.heapScanAtLastMarkBytes + this.scannableAllocatedBytes + stackScan + roots.globalsBytes;
    if (this.scanWorkDoneBytes > expected) {
      // More scan work than the last cycle's: the heap is growing. Stretch the runway from the
      // trigger in proportion to the worst case, up to (1 + GOGC/100) × the goal, so the assist
      // ratio stays where it was rather than jumping (GOGC=off with a forced cycle: GOGC 100000).
      const gogc = pacer.gogc < 0 ? 100_000 : pacer.gogc;
      const extended = ((heapGoal - this.triggeredBytes) / expected) * maxScanWork + this.triggeredBytes;
      heapGoal = Math.min(extended, (1 + gogc / 100) * heapGoal);
      expected = maxScanWork;
    }
    if (heap.heapLiveBytes > heapGoal) {
      heapGoal = heapGoal * MAX_OVERSHOOT;
      expected = maxScanWork;
    }
    const scanRemaining = Math.max(expected - this.scanWorkDoneBytes, MIN_SCAN_WORK_REMAINING);
    const heapRemaining = Math.max(heapGoal - heap.heapLiveBytes, 1);
    this.assistWorkPerByte = Number.isFinite(heapRemaining) ? scanRemaining / heapRemaining : 0;
  }

  startCycle(start: CycleStart): CollectorStep {
    const { heap, cost } = this.context;
    const swept = heap.finishSweep();
    this.spansSweptAtStart = swept;
    const callerNs = sweepNs(cost, swept);
    const sweepTermNs =
      Math.round(cost.stopTheWorldNs) + (start.sweepTermWorkNs ?? 0) + Math.round(cost.startTheWorldNs);
    this.startNs = start.startNs + callerNs;
    const workerPs = start.trigger === 'heap' ? this.context.procs - 1 : this.context.procs;
    this.backgroundProcs = Math.min(this.backgroundGoalProcs, workerPs);
    this.sweepTermNs = sweepTermNs;
    this.markStartNs = this.startNs + sweepTermNs;
    this.lastStepNs = this.markStartNs;
    this.assistCpuNs = 0;
    this.backgroundCpuNs = 0;
    this.idleCpuNs = 0;
    this.writeBarrierHits = 0;
    this.writeBarrierShades = 0;
    this.scanWorkDoneBytes = 0;
    this.bgScanCreditBytes = 0;
    this.workerCarryNs = 0;
    this.workersDoneAtNs = 0;
    this.assistsDoneAtNs = 0;
    this.assistCreditBytes.fill(0);
    // What the program allocated since the last mark ended, scannable, is in heapScan from here
    // to the cycle's end (the ring's pointer array of a program allocated before gc 1, say).
    // Go adds it per mcache refill; the spans still cached when a mark starts or ends shift at
    // most one span per size class and P from one cycle to the next, which the model leaves out.
    this.scannableAllocatedBytes = heap.scanAllocBytes - this.scanAllocAtMarkEndBytes;
    this.triggeredBytes = heap.heapLiveBytes;
    this.marker.prepare();
    this.cycleRunning = true;
    this.plainWrites = false;
    this.revise();
    this.assistRatioAtStart = this.assistWorkPerByte;
    this.nextStepNs = this.markStartNs + MARK_STEP_NS;
    return { callerNs, stopTheWorldNs: sweepTermNs, finished: null };
  }

  step(nowNs: number): CollectorStep {
    if (!this.cycleRunning) {
      this.nextStepNs = this.sweeper.step(nowNs);
      return { stopTheWorldNs: 0, finished: null };
    }
    const marker = this.marker;
    if (marker.done && nowNs >= Math.max(this.workersDoneAtNs, this.assistsDoneAtNs)) {
      return this.markTermination(nowNs);
    }
    const elapsedNs = Math.max(0, nowNs - this.lastStepNs);
    this.lastStepNs = nowNs;
    // The workers share the work queue: together they have the time of the background Ps and
    // their share of the idle ones. They first pay back what their last unit overran.
    const { idleProcs, workerProcs, share } = this.workerPlan(nowNs);
    const budgetNs = this.workerCarryNs + elapsedNs * workerProcs * share;
    const usedNs = budgetNs > 0 && !marker.done ? this.workerDrain(budgetNs) : 0;
    this.workerCarryNs = Math.min(0, budgetNs - usedNs);
    // Workers are timed by the clock too: a worker whose thread waits for a CPU still holds its P.
    const heldNs = usedNs / share;
    const idleShare = workerProcs > 0 ? idleProcs / workerProcs : 0;
    this.idleCpuNs += heldNs * idleShare;
    this.backgroundCpuNs += heldNs * (1 - idleShare);
    if (!marker.done) {
      this.nextStepNs = nowNs + MARK_STEP_NS;
      return { stopTheWorldNs: 0, finished: null };
    }
    // The work is all taken; the mark ends when the workers have had the time to do their part.
    const rate = workerProcs * share;
    const waitNs = this.workerCarryNs < 0 && rate > 0 ? -this.workerCarryNs / rate : 0;
    if (waitNs < 1 && nowNs >= this.assistsDoneAtNs) return this.markTermination(nowNs);
    this.workersDoneAtNs = nowNs + Math.ceil(waitNs);
    this.nextStepNs = Math.max(this.workersDoneAtNs, this.assistsDoneAtNs);
    return { stopTheWorldNs: 0, finished: null };
  }

  /** A worker's mark work within budgetNs, banked as background credit; returns the ns used. */
  private workerDrain(budgetNs: number): number {
    const marker = this.marker;
    marker.drain(budgetNs, Infinity);
    this.scanWorkDoneBytes += marker.lastDrainScanBytes;
    this.bgScanCreditBytes += marker.lastDrainScanBytes;
    return marker.lastDrainNs;
  }

  finishSweep(): number {
    return sweepNs(this.context.cost, this.context.heap.finishSweep());
  }

  private markTermination(nowNs: number): CollectorStep {
    const { heap, cost, procs, cpus } = this.context;
    const marker = this.marker;
    const markTermNs = Math.round(cost.stopTheWorldNs) + Math.round(cost.startTheWorldNs);
    const markNs = nowNs - this.markStartNs;
    const allocatedObjects = heap.liveObjects;
    const heapEndBytes = heap.heapLiveBytes;
    const heapMarkedBytes = marker.heapMarkedBytes;
    const bytesFreed = heap.heapAllocBytes - heapMarkedBytes;
    heap.heapLiveBytes = heapMarkedBytes;
    heap.beginSweep();

    this.lastHeapScanBytes = marker.heapScanBytes;
    this.heapScanAtLastMarkBytes = marker.heapScanBytes;
    this.scanAllocAtMarkEndBytes = heap.scanAllocBytes;
    this.cycleRunning = false;
    this.plainWrites = true;
    this.nextStepNs = this.sweeper.start(nowNs + markTermNs);
    // gcWakeAllAssists: the parked assists run when the world starts again.
    for (const goroutine of this.assistQueue) this.unparked.push({ goroutine, atNs: nowNs + markTermNs });
    this.assistQueue = [];

    const pauseNs = this.sweepTermNs + markTermNs;
    // Workers held their Ps for fractions of a step; Go counts whole nanoseconds.
    const assistCpuNs = Math.round(this.assistCpuNs);
    const backgroundCpuNs = Math.round(this.backgroundCpuNs);
    const idleCpuNs = Math.round(this.idleCpuNs);
    const markCpuNs = assistCpuNs + backgroundCpuNs + idleCpuNs;
    const finished: CycleResult = {
      sweepTermNs: this.sweepTermNs,
      markNs,
      markTermNs,
      pauseNs,
      pauses: [
        { startNs: this.startNs, durationNs: this.sweepTermNs },
        { startNs: nowNs, durationNs: markTermNs },
      ],
      // gctrace's % leaves idle marking out: it used time nothing else wanted. A pause costs
      // stwprocs = min(GOMAXPROCS, ncpu) CPUs: with more Ps than CPUs, only the CPUs were stopped.
      gcCpuNs: pauseNs * Math.min(procs, cpus) + assistCpuNs + backgroundCpuNs,
      assistCpuNs,
      backgroundCpuNs,
      idleCpuNs,
      heapEndBytes,
      heapMarkedBytes,
      objectsMarked: marker.objectsMarked,
      heapScanBytes: marker.heapScanBytes,
      stackScanBytes: marker.stackScanBytes,
      globalsScanBytes: marker.globalsScanBytes,
      pointersFollowed: marker.pointersFollowed,
      spansSwept: this.spansSweptAtStart,
      spansFreed: 0,
      objectsFreed: allocatedObjects - marker.objectsMarked,
      bytesFreed,
      liveObjects: marker.objectsMarked,
      ...NO_COLLECTOR_FIELDS,
      assistRatio: this.assistRatioAtStart,
      markUtilization: markNs > 0 ? markCpuNs / (markNs * procs) : null,
      writeBarrierHits: this.writeBarrierHits,
      writeBarrierShades: this.writeBarrierShades,
    };
    return { stopTheWorldNs: markTermNs, finished };
  }
}
