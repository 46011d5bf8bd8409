/**
 * The simulation driver: a deterministic discrete-event loop over virtual time that runs a
 * scenario's goroutines against the heap, the pacer and one collector.
 *
 *  1. Setup (time 0, like package init): the heap, GC roots and the workload are built; each ring's
 *     backing array is allocated and stored in a global. Each goroutine's first step is offset by a
 *     seeded fraction of its mean allocation gap, so goroutines do not move in lockstep.
 *  2. Event: the goroutine with the earliest (time, id) takes a step. If its P is still busy with
 *     another goroutine's allocation, the step waits for the P. Otherwise it picks a site and a
 *     size (workload.ts): a non-escaping allocation only takes time; an escaping one is allocated
 *     on its P's mcache (heap.ts), stored in the goroutine's stack slot, and then in its ring or a
 *     leak slot. The mutator cost (malloc, barriers, assists) occupies the P; the goroutine's next
 *     step comes max(cost, size / rate) later (the gap keeps exact fractional time in a carry).
 *  3. Trigger: after an allocation that refilled a span or was large (Go's shouldhelpgc), if no
 *     cycle is running and heapLive ≥ trigger, a cycle starts when the malloc returns.
 *  4. Stop the world: a pause of d ns from time s stops every P. A goroutine or P due at t < s resumes
 *     at s + d; one due at t ≥ s at t + d: every goroutine loses exactly the pause.
 *  5. Cycle end: the collector's result becomes a CycleRecord; the pacer then computes the next
 *     goal and trigger from heapMarked, the stacks scanned and the globals (pacer.ts).
 *  6. Samples (the sawtooth): a HeapSample at t = 0, at the end, on a grid every
 *     max(1 ms, ⌈duration / 10 000⌉), and at the start and the end of every cycle whose start is at
 *     least ⌈duration / 5 000⌉ after the previous sampled cycle's start. Grid points inside a pause
 *     are skipped (the cycle's own samples bracket it). A session therefore emits at most
 *     10 001 + 2 × 5 001 + 2 ≈ 20 000 samples; in a 500 ms session every millisecond shows, and
 *     every cycle that starts at least 100 µs after the previous sampled one.
 *  7. advance(until) processes every event with time ≤ min(until, end), allocations before samples
 *     at equal times. A cycle is atomic: one that starts before the limit is finished even if its
 *     pause runs past it. Splitting a run into many advance() calls gives the same records.
 *
 * Everything random comes from one Prng seeded with the config's seed, drawn in event order.
 */
import { assertNever } from './assert';
import type { Collector, CycleResult } from './collectors/collector';
import { findCollector } from './collectors/registry';
import { DEFAULT_COST_MODEL, largeAllocNs, smallAllocNs, type CostModel } from './cost-model';
import { Heap, POINTER_BYTES } from './heap';
import { pace } from './pacer';
import { Prng } from './prng';
import type { CycleRecord, CycleTrigger, HeapSample } from './record';
import { Roots } from './roots';
import { RunQueue } from './run-queue';
import type { Scenario } from './scenario';
import { LIFETIME_FOREVER, LIFETIME_RING, LIFETIME_YOUNG, Workload } from './workload';

export const ENGINE_VERSION = '0.1.0';

/** Grid samples are this far apart (or further, in long sessions), so the sawtooth is visible. */
export const SAMPLE_INTERVAL_NS = 1_000_000;
/** At most this many grid intervals per session (file comment, 6). */
export const MAX_GRID_SAMPLES = 10_000;
/** At most this many sampled cycles per session, two samples each (file comment, 6). */
export const MAX_SAMPLED_CYCLES = 5_000;

export interface SimulationConfig {
  scenario: Scenario;
  collector: string;
  /** GOGC percent; −1 = off. */
  gogc: number;
  /** GOMAXPROCS. */
  procs: number;
  /** uint32. */
  seed: number;
  durationNs: number;
}

export interface SimulationOutput {
  cycles: CycleRecord[];
  samples: HeapSample[];
}

export interface Simulation {
  readonly nowNs: number;
  readonly endNs: number;
  readonly done: boolean;
  readonly cycleCount: number;
  /** Run until virtual time reaches min(untilNs, endNs); returns only what this call produced. */
  advance(untilNs: number): SimulationOutput;
}

/** Read access to the simulated heap, for observers (tests, heap snapshots). Do not mutate. */
export interface HeapView {
  readonly heap: Heap;
  readonly roots: Roots;
}

export interface SimulationObserver {
  /** Just before a cycle starts: the heap as the collector will find it. */
  cycleStart?(view: HeapView, seq: number): void;
  /** Just after a cycle finished. */
  cycleEnd?(view: HeapView, record: CycleRecord): void;
}

export interface SimulationOptions {
  observer?: SimulationObserver;
  /** Defaults to DEFAULT_COST_MODEL. */
  cost?: CostModel;
}

export function createSimulation(config: SimulationConfig, options: SimulationOptions = {}): Simulation {
  return new Simulator(config, options);
}

class Simulator implements Simulation {
  readonly endNs: number;
  nowNs = 0;
  done = false;
  cycleCount = 0;

  private readonly procs: number;
  private readonly gogc: number;
  private readonly cost: CostModel;
  private readonly observer: SimulationObserver;
  private readonly prng: Prng;
  private readonly heap: Heap;
  private readonly roots: Roots;
  private readonly workload: Workload;
  private readonly collector: Collector;
  private readonly runQueue: RunQueue;
  /** Per goroutine: fractional nanoseconds of the allocation gap not yet spent. */
  private readonly gapCarryNs: Float64Array;
  /** Per P: when its current allocation finishes. */
  private readonly pFreeAtNs: Float64Array;

  /** Pacer state: set at start and after every cycle. */
  private heapGoalBytes = 0;
  private triggerBytes = 0;
  /** Σ GC CPU of all cycles so far. */
  private gcCpuNs = 0;

  private readonly sampleIntervalNs: number;
  private readonly cycleSampleSpacingNs: number;
  private nextSampleNs: number;
  private lastSampleNs = -Infinity;
  private lastSampledCycleStartNs = -Infinity;

  /** Non-escaping allocations (stack-allocated), for the escape-analysis split of a profile. */
  stackAllocs = 0;
  stackAllocBytes = 0;

  private cyclesOut: CycleRecord[] = [];
  private samplesOut: HeapSample[] = [];

  constructor(config: SimulationConfig, options: SimulationOptions) {
    const registration = findCollector(config.collector);
    if (registration === undefined) throw new Error(`unknown collector "${config.collector}"`);
    if (!Number.isInteger(config.procs) || config.procs < 1) {
      throw new RangeError(`procs must be an integer ≥ 1, got ${config.procs}`);
    }
    if (!Number.isInteger(config.gogc) || config.gogc < -1) {
      throw new RangeError(`gogc must be an integer ≥ 0, or −1 for off, got ${config.gogc}`);
    }
    if (!Number.isFinite(config.durationNs) || config.durationNs < 0) {
      throw new RangeError(`durationNs must be a finite number ≥ 0, got ${config.durationNs}`);
    }
    this.endNs = Math.floor(config.durationNs);
    this.procs = config.procs;
    this.gogc = config.gogc;
    this.cost = options.cost ?? DEFAULT_COST_MODEL;
    this.observer = options.observer ?? {};
    this.prng = new Prng(config.seed);
    this.workload = new Workload(config.scenario);
    this.heap = new Heap(config.procs);
    this.roots = new Roots(this.workload.goroutineCount, config.scenario.globalsBytes);
    this.collector = registration.factory({
      heap: this.heap,
      roots: this.roots,
      cost: this.cost,
      procs: this.procs,
    });
    this.runQueue = new RunQueue(this.workload.goroutineCount);
    this.gapCarryNs = new Float64Array(this.workload.goroutineCount);
    this.pFreeAtNs = new Float64Array(this.procs);

    this.sampleIntervalNs = Math.max(SAMPLE_INTERVAL_NS, Math.ceil(this.endNs / MAX_GRID_SAMPLES));
    this.cycleSampleSpacingNs = Math.ceil(this.endNs / MAX_SAMPLED_CYCLES);
    this.nextSampleNs = this.sampleIntervalNs;

    this.allocateRings();
    this.repace(0, 0);
    this.scheduleGoroutines();
    this.sample(0);
  }

  advance(untilNs: number): SimulationOutput {
    if (Number.isNaN(untilNs)) throw new RangeError('advance: untilNs is NaN');
    if (!this.done) {
      const limitNs = Math.min(untilNs, this.endNs);
      for (;;) {
        const nextStepNs = this.runQueue.peekKey();
        if (this.nextSampleNs <= limitNs && this.nextSampleNs < nextStepNs) {
          this.sample(this.nextSampleNs);
          this.nextSampleNs += this.sampleIntervalNs;
          continue;
        }
        if (nextStepNs > limitNs) break;
        this.step();
      }
      this.nowNs = Math.max(this.nowNs, limitNs);
      if (this.nowNs >= this.endNs) {
        this.done = true;
        if (this.lastSampleNs < this.endNs) this.sample(this.endNs);
      }
    }
    const output = { cycles: this.cyclesOut, samples: this.samplesOut };
    this.cyclesOut = [];
    this.samplesOut = [];
    return output;
  }

  private allocateRings(): void {
    const w = this.workload;
    for (let site = 0; site < w.siteCount; site++) {
      if (!w.hasHeapRing(site)) continue;
      const slots = w.siteRingSlots[site]!;
      const ring = this.heap.malloc(slots * POINTER_BYTES, slots, 0, site);
      w.siteRingObject[site] = ring;
      this.collector.writeRoot(this.roots.addGlobal(), ring);
    }
  }

  private scheduleGoroutines(): void {
    const w = this.workload;
    for (let g = 0; g < w.goroutineCount; g++) {
      const rate = w.goroutineRateBytesPerSec[g]!;
      if (rate <= 0) continue;
      const meanGapNs = (w.goroutineMeanSizeBytes[g]! * 1e9) / rate;
      const offsetNs = this.prng.nextInt(0, Math.floor(Math.min(meanGapNs, SAMPLE_INTERVAL_NS)));
      this.runQueue.push(g, offsetNs);
    }
  }

  private step(): void {
    const t = this.runQueue.peekKey();
    const g = this.runQueue.pop();
    const p = g % this.procs;
    if (this.pFreeAtNs[p]! > t) {
      this.runQueue.push(g, this.pFreeAtNs[p]!);
      return;
    }
    this.nowNs = Math.max(this.nowNs, t);
    const w = this.workload;
    const site = w.pickSite(w.goroutineKind[g]!, this.prng);
    const sizeBytes = w.pickSize(site, this.prng);

    let mutatorNs = 0;
    let helpsGc = false;
    if (w.siteEscapes[site] === 1) {
      mutatorNs = this.allocate(g, p, site, sizeBytes);
      helpsGc = this.heap.lastMallocHelpsGc;
    } else {
      this.stackAllocs++;
      this.stackAllocBytes += sizeBytes;
    }

    const exactGapNs = (sizeBytes * 1e9) / w.goroutineRateBytesPerSec[g]! + this.gapCarryNs[g]!;
    const gapNs = Math.floor(exactGapNs);
    this.gapCarryNs[g] = exactGapNs - gapNs;
    const mallocEndNs = t + mutatorNs;
    this.pFreeAtNs[p] = mallocEndNs;
    let nextNs = t + Math.max(gapNs, mutatorNs);

    if (helpsGc && !this.collector.cycleRunning && this.heap.heapLiveBytes >= this.triggerBytes) {
      const pauseNs = this.runCycle(mallocEndNs, 'heap');
      nextNs += pauseNs;
    }
    this.runQueue.push(g, nextNs);
  }

  /** The heap side of an escaping allocation; returns the mutator time it took. */
  private allocate(g: number, p: number, site: number, sizeBytes: number): number {
    const w = this.workload;
    const heap = this.heap;
    const object = heap.malloc(sizeBytes, w.sitePointerFields[site]!, p, site);
    let mutatorNs = heap.lastMallocLarge
      ? largeAllocNs(this.cost, heap.lastMallocElemBytes)
      : smallAllocNs(this.cost, heap.lastMallocElemBytes, heap.lastMallocHelpsGc);
    mutatorNs += this.collector.afterMalloc(object);
    mutatorNs += this.collector.writeRoot(g, object);
    const lifetime = w.lifetimeOf(site);
    switch (lifetime) {
      case LIFETIME_YOUNG:
        break;
      case LIFETIME_RING: {
        const cursor = w.siteRingCursor[site]!;
        mutatorNs += this.collector.writePointer(w.siteRingObject[site]!, cursor, object);
        const slots = w.siteRingSlots[site]!;
        w.siteRingCursor[site] = cursor + 1 === slots ? 0 : cursor + 1;
        if (w.siteRingFilled[site]! < slots) w.siteRingFilled[site] = w.siteRingFilled[site]! + 1;
        break;
      }
      case LIFETIME_FOREVER:
        mutatorNs += this.collector.writeRoot(this.roots.addGlobal(), object);
        break;
      default:
        assertNever(lifetime, 'lifetime');
    }
    return mutatorNs;
  }

  /** Runs a cycle starting at startNs; returns the stop-the-world time it imposed. */
  private runCycle(startNs: number, trigger: CycleTrigger): number {
    const seq = this.cycleCount + 1;
    const heapStartBytes = this.heap.heapLiveBytes;
    const view: HeapView = { heap: this.heap, roots: this.roots };
    this.observer.cycleStart?.(view, seq);
    const sampled = startNs - this.lastSampledCycleStartNs >= this.cycleSampleSpacingNs;
    if (sampled) {
      this.lastSampledCycleStartNs = startNs;
      this.sample(startNs);
    }

    const step = this.collector.startCycle({ startNs, trigger });
    this.stopTheWorld(startNs, step.stopTheWorldNs);
    const result = step.finished;
    if (result === null) {
      throw new Error(
        `collector ${this.collector.name} left a cycle running; concurrent cycles are not driven yet`,
      );
    }
    const endNs = startNs + result.pauseNs;
    const record = this.finishCycle(seq, startNs, endNs, trigger, heapStartBytes, result);
    this.observer.cycleEnd?.(view, record);
    if (sampled) this.sample(endNs);
    if (this.nextSampleNs <= endNs) {
      this.nextSampleNs = (Math.floor(endNs / this.sampleIntervalNs) + 1) * this.sampleIntervalNs;
    }
    this.nowNs = Math.max(this.nowNs, endNs);
    return step.stopTheWorldNs;
  }

  private finishCycle(
    seq: number,
    startNs: number,
    endNs: number,
    trigger: CycleTrigger,
    heapStartBytes: number,
    result: CycleResult,
  ): CycleRecord {
    this.gcCpuNs += result.gcCpuNs;
    const record: CycleRecord = {
      seq,
      startNs,
      trigger,
      heapStartBytes,
      heapEndBytes: result.heapEndBytes,
      heapMarkedBytes: result.heapMarkedBytes,
      heapGoalBytes: this.heapGoalBytes,
      heapTriggerBytes: this.triggerBytes,
      stacksBytes: result.stackScanBytes,
      globalsBytes: result.globalsScanBytes,
      procs: this.procs,
      sweepTermNs: result.sweepTermNs,
      markNs: result.markNs,
      markTermNs: result.markTermNs,
      pauseNs: result.pauseNs,
      assistCpuNs: result.assistCpuNs,
      backgroundCpuNs: result.backgroundCpuNs,
      idleCpuNs: result.idleCpuNs,
      gcCpuFraction: this.gcCpuNs / (endNs * this.procs),
      objectsFreed: result.objectsFreed,
      bytesFreed: result.bytesFreed,
      liveObjects: this.heap.liveObjects,
      fragmentationBytes: this.heap.fragmentationBytes,
    };
    this.cycleCount = seq;
    this.cyclesOut.push(record);
    this.repace(result.heapMarkedBytes, result.stackScanBytes);
    return record;
  }

  private repace(heapMarkedBytes: number, stacksBytes: number): void {
    const decision = pace({
      gogc: this.gogc,
      heapMarkedBytes,
      stacksBytes,
      globalsBytes: this.roots.globalsBytes,
      runwayBytes: 0,
      sweepDistMinTriggerBytes: 0,
    });
    this.heapGoalBytes = decision.heapGoalBytes;
    this.triggerBytes = decision.triggerBytes;
  }

  /** Every goroutine and P loses the pause (file comment, step 4). */
  private stopTheWorld(startNs: number, pauseNs: number): void {
    if (pauseNs <= 0) return;
    const restartNs = startNs + pauseNs;
    const delay = (dueNs: number): number => (dueNs < startNs ? restartNs : dueNs + pauseNs);
    this.runQueue.remapKeys(delay);
    for (let p = 0; p < this.procs; p++) this.pFreeAtNs[p] = delay(this.pFreeAtNs[p]!);
  }

  private sample(tNs: number): void {
    this.samplesOut.push({
      tNs,
      heapAllocBytes: this.heap.heapAllocBytes,
      heapInUseBytes: this.heap.heapInUseBytes,
    });
    this.lastSampleNs = tNs;
  }
}
