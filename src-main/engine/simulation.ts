/**
 * The simulation driver: a deterministic discrete-event loop over virtual time that runs a
 * scenario's goroutines against the heap, their stacks, the sync.Pools, the pacer and one
 * collector.
 *
 *  1. Setup (time 0, like package init): the heap, GC roots and the workload are built; each ring's
 *     backing array is allocated and stored in a global; each P gets a root slot for its tiny block
 *     and each goroutine one for every batch site of its kind; each goroutine's stack grows to its
 *     starting call depth. A scripted goroutine's first step is at 0; a rate-driven one's is offset
 *     by a seeded fraction of its mean allocation gap, so goroutines do not move in lockstep.
 *  2. Event: the goroutine with the earliest (time, id) takes a step. If its P is still busy with
 *     another goroutine's work, the step waits for the P. Held objects due by then expire first
 *     (dropped, or Put back into their pool), then the pool object the goroutine used in its
 *     previous step is Put back (or dropped, per putPercent).
 *  3. A scripted goroutine runs its next op (an alloc or a Get of a counted op is one step each);
 *     afterwards, or without a script, the goroutine is rate-driven: if its kind has requested
 *     totalBytes, or has no rate, it parks; if its rate factor (phases.ts) is 0 it sleeps until the
 *     schedule wakes it; otherwise it picks a site and allocates (below), and its next step comes
 *     max(cost, bytes / (rate × factor)) later (the gap keeps exact fractional time in a carry).
 *  4. Allocating: a pool site Gets (New allocates on a miss); an object site allocates its object,
 *     or builds its structure node by node. A non-escaping node only adds its bytes to the frame;
 *     an escaping one is allocated on its P's mcache (heap.ts) and linked. The frame's root slot
 *     points at the (first) object; the lifetime then hands it to a ring, a global, the held queue
 *     or the goroutine's batch. The step's stack need (base frames + call depth × frame bytes +
 *     non-escaping bytes) may grow the stack (stacks.ts). All of it is mutator time on the P.
 *  5. Trigger: after a step, runtime.GC() (the script's gc op, or runtimeGC every so many bytes or
 *     ms) starts a forced cycle; else, if an allocation refilled a span or was large (Go's
 *     shouldhelpgc), no cycle is running and heapLive ≥ trigger, a heap-triggered cycle starts
 *     when the step's work is done. A goroutine whose assist could not pay its debt is parked
 *     (Collector.parkRequested) until the collector releases it.
 *  6. Cycle start (sweep termination): held objects due expire, every pool's poolCleanup runs (its
 *     cost is part of the phase), then the collector runs. After it, the P's tiny blocks are no
 *     longer roots (mcache.releaseAll forgot them).
 *  7. Stop the world: a pause of d ns from time s stops every P. A goroutine or P due at t < s resumes
 *     at s + d; one due at t ≥ s at t + d: every goroutine loses exactly the pause.
 *  8. Cycle end: the collector's result becomes a CycleRecord (interval counters are differences
 *     of cumulative ones since the previous cycle's end); the pacer computes the next goal and
 *     trigger from heapMarked, the stack bytes scanned and the globals (pacer.ts) — with GOMEMLIMIT
 *     the goal and trigger are recomputed at every trigger test and at each cycle's start from the
 *     memory held then, as Go 1.19's dynamic trigger does; the scavenger's
 *     goal is set (Go 1.19 gcPaceScavenger: heapInUse × nextGoal / goal × 1.1, from the 2nd cycle);
 *     every `everyCycles`-th cycle takes a heap snapshot (snapshot.ts).
 *  9. Scavenger: at each cycle end and grid sample it releases free pages, highest first, down to
 *     its goal, paced to 1 % of the CPU (scavengePercent) at the cost model's cost per page.
 *     debug.FreeOSMemory releases every free page at once after its cycle.
 * 10. Samples (the sawtooth): a HeapSample at t = 0, at the end, on a grid every
 *     max(1 ms, ⌈duration / 10 000⌉), and at the start and the end of every cycle whose start is at
 *     least ⌈duration / 5 000⌉ after the previous sampled cycle's start. Grid points inside a pause
 *     are skipped (the cycle's own samples bracket it). A session therefore emits at most
 *     10 001 + 2 × 5 001 + 2 ≈ 20 000 samples.
 * 11. advance(until) processes every event with time ≤ min(until, end), allocations before samples
 *     at equal times. A cycle is atomic: one that starts before the limit is finished even if its
 *     pause runs past it. Splitting a run into many advance() calls gives the same records and
 *     snapshots.
 *
 * Everything random comes from one Prng seeded with the config's seed, drawn in event order (the
 * random phases hash the seed instead, so asking for a factor never draws).
 */
import { assertNever } from './assert';
import {
  DEFAULT_COLLECTOR_OPTIONS,
  type Collector,
  type CollectorOptions,
  type CycleResult,
} from './collectors/collector';
import { findCollector } from './collectors/registry';
import {
  DEFAULT_COST_MODEL,
  largeAllocNs,
  poolGetNs,
  smallAllocNs,
  stackCopyNs,
  sweepNs,
  tinyAllocNs,
  type CostModel,
} from './cost-model';
import { growInt32 } from './growable';
import { HeldQueue } from './held';
import { Heap, NIL, POINTER_BYTES } from './heap';
import {
  ConsMarkController,
  measuredConsMark,
  memoryLimitHeapGoalBytes,
  runtimeMetadataBytes,
  pace,
  runwayBytes,
  type PacerInputs,
} from './pacer';
import { SyncPool, type PoolRootStore } from './pool';
import { Prng } from './prng';
import type { CycleRecord, CycleTrigger, HeapSample } from './record';
import { Roots } from './roots';
import { RunQueue } from './run-queue';
import type { Scenario, ScriptOp } from './scenario';
import { PAGE_BYTES } from './size-classes';
import {
  DEFAULT_SNAPSHOT_OPTIONS,
  snapshotsCycle,
  takeSnapshot,
  type HeapSnapshot,
  type SnapshotOptions,
  type SnapshotSource,
} from './snapshot';
import { GOROUTINE_BASE_STACK_BYTES } from './stacks';
import { treeField, treeParent } from './structure';
import {
  LIFETIME_BATCH,
  LIFETIME_FOREVER,
  LIFETIME_HELD,
  LIFETIME_RING,
  LIFETIME_YOUNG,
  STRUCTURE_CYCLE,
  STRUCTURE_TREE,
  Workload,
  nextRingEntry,
} from './workload';

export const ENGINE_VERSION = '0.3.4';

/** Grid samples are this far apart (or further, in long sessions), so the sawtooth is visible. */
export const SAMPLE_INTERVAL_NS = 1_000_000;
/** At most this many grid intervals per session (file comment, 10). */
export const MAX_GRID_SAMPLES = 10_000;
/** At most this many sampled cycles per session, two samples each (file comment, 10). */
export const MAX_SAMPLED_CYCLES = 5_000;
/** scavengePercent: the background scavenger uses 1 % of the CPU (GOMAXPROCS × wall time). */
export const SCAVENGER_CPU_FRACTION = 0.01;
/** retainExtraPercent: the scavenger keeps 10 % over the heap in use it expects. */
const SCAVENGER_RETAIN_EXTRA = 1.1;

const NS_PER_SEC = 1e9;
const NS_PER_MS = 1e6;
/** sweepMinHeapDistance: a cycle does not trigger within 1 MiB of heapLive while sweeping. */
const SWEEP_MIN_HEAP_DISTANCE_BYTES = 1 << 20;
/** forcegcperiod: sysmon starts a cycle when none has ended for two minutes (not with GOGC=off). */
export const FORCE_GC_PERIOD_NS = 120 * NS_PER_SEC;

export interface SimulationConfig {
  scenario: Scenario;
  collector: string;
  /** GOGC percent; −1 = off. */
  gogc: number;
  /** GOMAXPROCS. */
  procs: number;
  /**
   * The machine's CPUs; absent = procs. Fewer CPUs than Ps make the Ps' threads time-share them
   * (collector.ts CollectorContext.cpus).
   */
  cpus?: number;
  /** uint32. */
  seed: number;
  durationNs: number;
  /** The collector's options (barrier, cycle collector); DEFAULT_COLLECTOR_OPTIONS where absent. */
  collectorOptions?: Partial<CollectorOptions>;
  /** GOMEMLIMIT, bytes; absent or Infinity = no limit. */
  memoryLimitBytes?: number;
}

export interface SimulationOutput {
  cycles: CycleRecord[];
  samples: HeapSample[];
  /** Heap snapshots at the end of cycles (SimulationOptions.snapshots says which, and what). */
  snapshots: HeapSnapshot[];
}

export interface Simulation {
  readonly nowNs: number;
  readonly endNs: number;
  readonly done: boolean;
  readonly cycleCount: number;
  /** Run until virtual time reaches min(untilNs, endNs); returns only what this call produced. */
  advance(untilNs: number): SimulationOutput;
  /** A snapshot of the heap now, between events (with the graph unless `graph: false`). */
  snapshot(options?: Partial<SnapshotOptions>): HeapSnapshot;
  /** Read access to the simulated program (tests, inspection); what observers are given. */
  readonly view: HeapView;
}

/** Read access to the simulated program, for observers (tests, heap snapshots). Do not mutate. */
export interface HeapView {
  readonly heap: Heap;
  readonly roots: Roots;
  readonly workload: Workload;
  readonly pools: readonly SyncPool[];
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
  /** Defaults to DEFAULT_SNAPSHOT_OPTIONS: every cycle, with the graph up to a million objects. */
  snapshots?: Partial<SnapshotOptions>;
}

export function createSimulation(config: SimulationConfig, options: SimulationOptions = {}): Simulation {
  return new Simulator(config, options);
}

/** Cumulative counters whose differences between cycle ends become a record's interval fields. */
const C_HEAP_ALLOCS = 0;
const C_HEAP_BYTES = 1;
const C_STACK_ALLOCS = 2;
const C_STACK_BYTES = 3;
const C_TINY = 4;
const C_GROWTHS = 5;
const C_SHRINKS = 6;
const C_COPIED = 7;
const C_POOL_GETS = 8;
const C_POOL_PRIVATE = 9;
const C_POOL_SHARED = 10;
const C_POOL_STOLEN = 11;
const C_POOL_VICTIM = 12;
const C_POOL_MISSES = 13;
const C_POOL_PUTS = 14;
const C_POOL_DROPPED = 15;
const COUNTERS = 16;

// Hot-path copies of imported constants: a module-local const is read directly, while an imported
// binding may cost a getter call per read when the engine runs unbundled (tsx, vitest).
const BASE_STACK_BYTES = GOROUTINE_BASE_STACK_BYTES;
const NULL = NIL;
const PTR_BYTES = POINTER_BYTES;
const RING = LIFETIME_RING;
const FOREVER = LIFETIME_FOREVER;
const HELD = LIFETIME_HELD;
const BATCH = LIFETIME_BATCH;
const SMALL_ALLOC_NS = smallAllocNs;
const LARGE_ALLOC_NS = largeAllocNs;
const SWEEP_NS = sweepNs;
const NEXT_RING_ENTRY = nextRingEntry;
const STACK_COPY_NS = stackCopyNs;
const POOL_GET_NS = poolGetNs;
const TREE_FIELD = treeField;
const TREE_PARENT = treeParent;
const GROW_INT32 = growInt32;
const YOUNG = LIFETIME_YOUNG;
const TREE = STRUCTURE_TREE;
const CYCLE = STRUCTURE_CYCLE;

/** What a script op or rate step asks for once its work is done. */
const AFTER_NOTHING = 0;
const AFTER_GC = 1;
const AFTER_FREE_OS_MEMORY = 2;

class Simulator implements Simulation {
  readonly endNs: number;
  nowNs = 0;
  done = false;
  cycleCount = 0;

  private readonly procs: number;
  /** The machine has fewer CPUs than Ps: the program's threads may time-share them. */
  private readonly cpusShort: boolean;
  readonly gogc: number;
  private readonly cost: CostModel;
  private readonly observer: SimulationObserver;
  private readonly snapshotOptions: SnapshotOptions;
  private readonly prng: Prng;
  private readonly heap: Heap;
  private readonly roots: Roots;
  private readonly workload: Workload;
  private readonly collector: Collector;
  private readonly runQueue: RunQueue;
  private readonly pools: SyncPool[];
  private readonly held = new HeldQueue();
  readonly view: HeapView;
  private readonly snapshotSource: SnapshotSource;

  /** Per goroutine: fractional nanoseconds of the allocation gap not yet spent. */
  private readonly gapCarryNs: Float64Array;
  /** Per goroutine parked by its assist: the time its own next step was due; NaN when not parked. */
  private readonly assistParkedNextNs: Float64Array;
  /** Per P: when its current work finishes. */
  private readonly pFreeAtNs: Float64Array;
  /** Per goroutine: its call depth (frames of its kind's frameBytes). */
  private readonly depthFrames: Int32Array;
  /** Per goroutine: its script's current op, and how many of a counted op are left. */
  private readonly scriptPc: Int32Array;
  private readonly scriptRemaining: Float64Array;
  /** Per script op of each kind: the site (alloc) or pool (get, put) it names, resolved once. */
  private readonly scriptTarget: Int32Array[];
  /** Per goroutine: the pool site whose object its frame holds until its next step (−1 = none). */
  private readonly pendingPutSite: Int32Array;
  /** Per goroutine: bytes requested since its last runtime.GC(), and when it calls the next one. */
  private readonly gcBytes: Float64Array;
  private readonly nextGcNs: Float64Array;
  /** Per (goroutine, batch site of its kind): the stack slot holding the batch, and its fill. */
  private readonly batchBase: Int32Array;
  private readonly batchSlot: Int32Array;
  private readonly batchFill: Int32Array;
  /** Per goroutine with a script: stack slots of the pool objects it holds, and their pools. */
  private readonly scriptHeldSlots: number[][];
  private readonly scriptHeldPools: number[][];
  /** Per P: the root slot of its tiny block, and the block it holds now. */
  private readonly tinyRootSlots: Int32Array;
  private readonly tinyRooted: Int32Array;
  /** Scratch: node ids of the structure being built. */
  private nodeIds = new Int32Array(16);

  /** Per goroutine: the P it runs on (g mod procs, computed once: a division per step otherwise). */
  private readonly goroutineP: Int32Array;
  /** Per kind: 1 if every step it takes is a plain rate step (isPlainKind), else 0. */
  private readonly plainKind: Uint8Array;

  /** tinyAllocNs, and smallAllocNs (no refill; refill) of the last slot size asked for. */
  private readonly tinyNs: number;
  private smallNsElemBytes = -1;
  private smallNs = 0;
  private smallRefillNsElemBytes = -1;
  private smallRefillNs = 0;

  /** Set while a step runs. */
  private stepGoroutine = 0;
  /** The step filled a prefilled ring: warm-up that runtimeGC's byte count leaves out. */
  private stepPrefill = false;
  private stepMutatorNs = 0;
  private stepHelpsGc = false;
  private stepStackBytes = 0;

  /** Pacer state: set at start and after every cycle. */
  heapGoalBytes = 0;
  triggerBytes = 0;
  limiterOn = false;
  private limiterFillNs = 0;
  memoryLimited = false;
  private readonly memoryLimitBytes: number;
  /** What the last commit (repace) fixed for the cycle to come; the memory limit's goal is not fixed. */
  private committed: Omit<PacerInputs, 'memoryLimitGoalBytes'> = {
    gogc: 0,
    heapMarkedBytes: 0,
    stacksBytes: 0,
    globalsBytes: 0,
    runwayBytes: 0,
    sweepDistMinTriggerBytes: 0,
  };
  private readonly consMark = new ConsMarkController();
  /** End of the last cycle (its mark termination), for the two-minute forced cycle. */
  private lastCycleEndNs = 0;
  /** Cycle starts and ends so far: mutatorSteps re-reads what they move when this changes. */
  private cycleEvents = 0;
  /** The cycle running now: what its record needs from its start. */
  private running: RunningCycle | null = null;
  /** Goroutines blocked in runtime.GC(), and the cycle count each one waits for. */
  private readonly gcWaiters: { g: number; untilCycle: number; freeOSMemory: boolean }[] = [];
  /** Σ GC CPU of all cycles so far. */
  private gcCpuNs = 0;

  /** Scavenger: retained-page goal (Infinity before the 2nd cycle), last run, unspent page budget. */
  private scavengeGoalPages = Infinity;
  private lastScavengeNs = 0;
  private scavengeCarryPages = 0;

  private readonly sampleIntervalNs: number;
  private readonly cycleSampleSpacingNs: number;
  private nextSampleNs: number;
  private lastSampleNs = -Infinity;
  private lastSampledCycleStartNs = -Infinity;

  /** Non-escaping allocations (stack-allocated), for the escape-analysis split of a profile. */
  stackAllocs = 0;
  stackAllocBytes = 0;
  private readonly counters = new Float64Array(COUNTERS);
  private readonly countersAtLastCycle = new Float64Array(COUNTERS);

  private cyclesOut: CycleRecord[] = [];
  private samplesOut: HeapSample[] = [];
  private snapshotsOut: HeapSnapshot[] = [];

  constructor(config: SimulationConfig, options: SimulationOptions) {
    const registration = findCollector(config.collector);
    if (registration === undefined) throw new Error(`unknown collector "${config.collector}"`);
    if (!Number.isInteger(config.procs) || config.procs < 1) {
      throw new RangeError(`procs must be an integer ≥ 1, got ${config.procs}`);
    }
    const cpus = config.cpus ?? config.procs;
    if (!Number.isInteger(cpus) || cpus < 1) {
      throw new RangeError(`cpus must be an integer ≥ 1, got ${cpus}`);
    }
    if (!Number.isInteger(config.gogc) || config.gogc < -1) {
      throw new RangeError(`gogc must be an integer ≥ 0, or −1 for off, got ${config.gogc}`);
    }
    if (!Number.isFinite(config.durationNs) || config.durationNs < 0) {
      throw new RangeError(`durationNs must be a finite number ≥ 0, got ${config.durationNs}`);
    }
    const memoryLimitBytes = config.memoryLimitBytes ?? Infinity;
    if (Number.isNaN(memoryLimitBytes) || memoryLimitBytes <= 0) {
      throw new RangeError(`memoryLimitBytes must be > 0 (Infinity = no limit), got ${memoryLimitBytes}`);
    }
    this.memoryLimitBytes = memoryLimitBytes;
    this.endNs = Math.floor(config.durationNs);
    this.procs = config.procs;
    this.cpusShort = cpus < config.procs;
    this.gogc = config.gogc;
    this.cost = options.cost ?? DEFAULT_COST_MODEL;
    this.tinyNs = tinyAllocNs(this.cost);
    this.observer = options.observer ?? {};
    this.snapshotOptions = { ...DEFAULT_SNAPSHOT_OPTIONS, ...options.snapshots };
    this.prng = new Prng(config.seed);
    const w = new Workload(config.scenario, config.seed);
    this.workload = w;
    const goroutines = w.goroutineCount;
    this.heap = new Heap(config.procs);
    this.heap.pages.memoryLimitBytes = memoryLimitBytes;
    this.roots = new Roots(goroutines, config.scenario.globalsBytes);
    this.runQueue = new RunQueue(goroutines);
    const runQueue = this.runQueue;
    const procs = this.procs;
    this.collector = registration.factory({
      heap: this.heap,
      roots: this.roots,
      cost: this.cost,
      procs,
      cpus,
      options: { ...DEFAULT_COLLECTOR_OPTIONS, ...config.collectorOptions },
      pacer: this,
      mutator: {
        busyProcs: () => Math.min(procs, runQueue.size),
        clockNs: () => this.nowNs + this.stepMutatorNs,
      },
    });
    this.goroutineP = Int32Array.from({ length: goroutines }, (_, g) => g % procs);
    this.plainKind = Uint8Array.from(w.kindNames, (_, kind) => (isPlainKind(w, kind) ? 1 : 0));
    this.gapCarryNs = new Float64Array(goroutines);
    this.assistParkedNextNs = new Float64Array(goroutines).fill(NaN);
    this.pFreeAtNs = new Float64Array(this.procs);
    this.depthFrames = new Int32Array(goroutines);
    this.scriptPc = new Int32Array(goroutines);
    this.scriptRemaining = new Float64Array(goroutines);
    this.pendingPutSite = new Int32Array(goroutines).fill(-1);
    this.gcBytes = new Float64Array(goroutines);
    this.nextGcNs = new Float64Array(goroutines);
    this.batchBase = new Int32Array(goroutines);
    this.scriptHeldSlots = Array.from({ length: goroutines }, () => []);
    this.scriptHeldPools = Array.from({ length: goroutines }, () => []);
    this.scriptTarget = w.kindScript.map((script, kind) =>
      Int32Array.from(script ?? [], (op) =>
        op.op === 'alloc'
          ? w.siteNamed(kind, op.site)
          : op.op === 'get' || op.op === 'put'
            ? w.poolNamed(op.pool)
            : -1,
      ),
    );

    this.tinyRootSlots = new Int32Array(this.procs);
    this.tinyRooted = new Int32Array(this.procs).fill(NULL);
    for (let p = 0; p < this.procs; p++) this.tinyRootSlots[p] = this.roots.addGlobal();

    const store: PoolRootStore = {
      hold: (objectId) => {
        const slot = this.roots.addGlobal();
        this.collector.writeRoot(slot, objectId);
        return slot;
      },
      release: (slot) => {
        const objectId = this.roots.slots[slot]!;
        this.collector.writeRoot(slot, NULL);
        this.roots.freeSlot(slot);
        return objectId;
      },
    };
    this.pools = w.poolNames.map((name) => new SyncPool(name, this.procs, store));

    let batches = 0;
    for (let g = 0; g < goroutines; g++) {
      this.batchBase[g] = batches;
      batches += w.kindBatchSites[w.goroutineKind[g]!]!;
    }
    this.batchSlot = new Int32Array(batches);
    this.batchFill = new Int32Array(batches);
    for (let g = 0; g < goroutines; g++) {
      const n = w.kindBatchSites[w.goroutineKind[g]!]!;
      for (let b = 0; b < n; b++) this.batchSlot[this.batchBase[g]! + b] = this.roots.addSlot(g);
    }

    this.view = { heap: this.heap, roots: this.roots, workload: w, pools: this.pools };
    this.snapshotSource = {
      heap: this.heap,
      roots: this.roots,
      workload: w,
      pools: this.pools,
      tinyRootSlots: this.tinyRootSlots,
    };

    this.sampleIntervalNs = Math.max(SAMPLE_INTERVAL_NS, Math.ceil(this.endNs / MAX_GRID_SAMPLES));
    this.cycleSampleSpacingNs = Math.ceil(this.endNs / MAX_SAMPLED_CYCLES);
    this.nextSampleNs = this.sampleIntervalNs;

    this.allocateRings();
    this.startStacks();
    this.repace(0, 0, 0);
    this.scheduleGoroutines();
    this.sample(0);
  }

  advance(untilNs: number): SimulationOutput {
    if (Number.isNaN(untilNs)) throw new RangeError('advance: untilNs is NaN');
    if (!this.done) {
      const limitNs = Math.min(untilNs, this.endNs);
      for (;;) {
        const mutatorNs = this.runQueue.peekKey();
        const collectorNs = this.collector.nextStepNs;
        const periodicNs = this.periodicCycleNs();
        const nextNs = Math.min(mutatorNs, collectorNs, periodicNs);
        if (this.nextSampleNs <= limitNs && this.nextSampleNs < nextNs) {
          this.scavenge(this.nextSampleNs);
          this.sample(this.nextSampleNs);
          this.nextSampleNs += this.sampleIntervalNs;
          continue;
        }
        if (nextNs > limitNs) break;
        // A hook may ask for a step "as soon as possible" (nextStepNs 0): that is now.
        if (collectorNs === nextNs) this.collectorStep(Math.max(collectorNs, this.nowNs));
        else if (periodicNs === nextNs) this.startCycle(periodicNs, 'periodic');
        else this.mutatorSteps(limitNs);
      }
      this.nowNs = Math.max(this.nowNs, limitNs);
      if (this.nowNs >= this.endNs) {
        this.done = true;
        if (this.lastSampleNs < this.endNs) this.sample(this.endNs);
      }
    }
    const output = { cycles: this.cyclesOut, samples: this.samplesOut, snapshots: this.snapshotsOut };
    this.cyclesOut = [];
    this.samplesOut = [];
    this.snapshotsOut = [];
    return output;
  }

  snapshot(options: Partial<SnapshotOptions> = {}): HeapSnapshot {
    this.expireHeld(this.nowNs);
    return takeSnapshot(this.snapshotSource, this.cycleCount, this.nowNs, false, {
      ...DEFAULT_SNAPSHOT_OPTIONS,
      ...options,
    });
  }

  private allocateRings(): void {
    const w = this.workload;
    for (let site = 0; site < w.siteCount; site++) {
      if (!w.hasHeapRing(site)) continue;
      const slots = w.siteRingSlots[site]!;
      const bytes = slots * w.siteRingSlotBytes[site]!;
      const ring = this.heap.malloc(bytes, slots, 0, site);
      this.countHeapAllocation(site, bytes);
      w.siteRingObject[site] = ring;
      this.collector.writeRoot(this.roots.addGlobal(), ring);
    }
  }

  /** Every goroutine's stack grows to its base frames plus its kind's starting (minimum) depth. */
  private startStacks(): void {
    const w = this.workload;
    for (let g = 0; g < w.goroutineCount; g++) {
      const kind = w.goroutineKind[g]!;
      this.depthFrames[g] = w.kindMinFrames[kind]!;
      this.roots.stacks.use(g, GOROUTINE_BASE_STACK_BYTES + this.depthFrames[g]! * w.kindFrameBytes[kind]!);
      const script = w.kindScript[kind]!;
      if (script !== null) this.scriptRemaining[g] = opCount(script[0]!);
      this.nextGcNs[g] = w.kindGcEveryNs[kind]!;
    }
  }

  private scheduleGoroutines(): void {
    const w = this.workload;
    for (let g = 0; g < w.goroutineCount; g++) {
      const kind = w.goroutineKind[g]!;
      if (w.kindScript[kind] !== null) {
        this.runQueue.push(g, 0);
        continue;
      }
      const rate = w.goroutineRateBytesPerSec[g]!;
      if (rate <= 0 || !w.drawsSites(kind)) continue;
      const meanGapNs = (w.goroutineMeanSizeBytes[g]! * NS_PER_SEC) / rate;
      const offsetNs = this.prng.nextInt(0, Math.floor(Math.min(meanGapNs, SAMPLE_INTERVAL_NS)));
      this.runQueue.push(g, offsetNs);
    }
  }

  /**
   * Goroutine steps, one after another, for as long as the next event is one (advance's choice,
   * made here without going round advance's loop): the earliest step at t runs while t is within
   * the limit, no sample is due before t, and neither the collector nor sysmon is due at or before
   * t (they win ties, as in advance). A step may end a cycle, which moves all three: they are read
   * again before every step.
   */
  private mutatorSteps(limitNs: number): void {
    const runQueue = this.runQueue;
    const collector = this.collector;
    // sysmon's time and the next sample move only when a cycle starts or ends (cycleEvents counts
    // both): they are re-read then, not at every step. The collector's own time may move at any
    // hook, so it is read every time.
    let events = -1;
    let cycleRunning = collector.cycleRunning;
    let periodicNs = 0;
    let sampleNs = 0;
    for (;;) {
      if (events !== this.cycleEvents || cycleRunning !== collector.cycleRunning) {
        events = this.cycleEvents;
        cycleRunning = collector.cycleRunning;
        periodicNs = this.periodicCycleNs();
        sampleNs = this.nextSampleNs <= limitNs ? this.nextSampleNs : Infinity;
      }
      const t = runQueue.peekKey();
      if (t > limitNs || t >= collector.nextStepNs || t >= periodicNs || sampleNs < t) return;
      this.step(t);
    }
  }

  private step(t: number): void {
    const g = this.runQueue.pop();
    const p = this.goroutineP[g]!;
    if (this.pFreeAtNs[p]! > t) {
      this.runQueue.push(g, this.pFreeAtNs[p]!);
      return;
    }
    this.nowNs = Math.max(this.nowNs, t);
    this.expireHeld(t);
    this.stepGoroutine = g;
    this.stepPrefill = false;
    this.stepMutatorNs = 0;
    this.stepHelpsGc = false;
    this.stepStackBytes = 0;
    if (this.pendingPutSite[g]! >= 0) this.putBackYoung(g, p);
    const kind = this.workload.goroutineKind[g]!;
    if (this.plainKind[kind] === 1) {
      this.plainRateStep(g, p, kind, t);
      return;
    }
    const script = this.workload.kindScript[kind]!;
    if (script !== null && this.scriptPc[g]! < script.length) this.scriptStep(g, p, kind, t, script);
    else this.rateStep(g, p, kind, t);
  }

  /**
   * rateStep for a kind whose every step is plain (isPlainKind): the same work in the same order
   * as rateStep → allocateAt → heapAllocate → keep → finishStep, in one function, without the
   * branches such a kind never takes (a rate factor, a depth draw, a pool, a stack-allocated
   * object, a structure, runtime.GC()) and with the step's running totals in locals. Most steps of
   * most scenarios are these, so this is the simulator's hot path. While the collector's hooks
   * are not plain (a cycle's barrier is on), they may read the step's mutator time
   * (MutatorView.clockNs) and the general path runs instead.
   */
  private plainRateStep(g: number, p: number, kind: number, t: number): void {
    const w = this.workload;
    if (w.kindRequestedBytes[kind]! >= w.kindTotalBytes[kind]!) {
      this.pFreeAtNs[p] = t + this.stepMutatorNs;
      return; // parked for good, as in rateStep
    }
    const collector = this.collector;
    if (!collector.plainWrites) {
      this.rateStep(g, p, kind, t);
      return;
    }
    const prng = this.prng;
    const heap = this.heap;
    const site = w.pickSite(kind, prng);
    this.stepPrefill = w.lastPickPrefill;
    const size = w.pickSize(site, prng);

    // heapAllocate
    const object = heap.malloc(size, w.sitePointerFields[site]!, p, site);
    let mutatorNs = this.stepMutatorNs;
    let helpsGc = false;
    if (heap.lastMallocTiny) {
      mutatorNs += this.tinyNs;
    } else {
      if (heap.lastMallocSweptSpans > 0) mutatorNs += SWEEP_NS(this.cost, heap.lastMallocSweptSpans);
      mutatorNs += this.mallocNs(heap);
      helpsGc = heap.lastMallocHelpsGc || heap.lastMallocLarge;
    }
    const block = heap.tinyBlock[p]!;
    const roots = this.roots.slots;
    if (block !== this.tinyRooted[p]) {
      this.tinyRooted[p] = block;
      roots[this.tinyRootSlots[p]!] = block;
    }
    w.siteHeapAllocs[site] = w.siteHeapAllocs[site]! + 1;
    w.siteHeapBytes[site] = w.siteHeapBytes[site]! + size;

    // The frame's root, then the lifetime: a young object needs nothing more, a ring entry is one
    // pointer store (plain: the hooks are), anything else goes through keep.
    roots[g] = object;
    const lifetime = w.siteLifetime[site]!;
    if (lifetime === RING) {
      const cursor = w.siteRingCursor[site]!;
      heap.setPointer(w.siteRingObject[site]!, cursor, object);
      const slots = w.siteRingSlots[site]!;
      const filled = w.siteRingFilled[site]!;
      w.siteRingCursor[site] = NEXT_RING_ENTRY(cursor, filled, slots, w.siteRingStride[site]!);
      if (filled < slots) w.siteRingFilled[site] = filled + 1;
    } else if (lifetime !== YOUNG) {
      this.stepMutatorNs = mutatorNs;
      this.stepHelpsGc = helpsGc;
      this.keep(g, p, site, object, t);
      mutatorNs = this.stepMutatorNs;
      helpsGc = this.stepHelpsGc; // a batch's container is an allocation too
    }

    // finishStep, for a step that requested `size` bytes at the goroutine's own rate. A plain
    // kind's call depth never changes and nothing of it lives on the stack, so its stack already
    // holds what startStacks sized it for (stacks.use would find nothing to do); it calls no
    // runtime.GC().
    this.stepMutatorNs = mutatorNs;
    const gapNs = this.rateGapNs(g, t, size, w.goroutineRateBytesPerSec[g]!);
    const mallocEndNs = t + mutatorNs;
    this.pFreeAtNs[p] = mallocEndNs;
    let nextNs = t + Math.max(gapNs, mutatorNs);
    w.kindRequestedBytes[kind] = w.kindRequestedBytes[kind]! + size;
    if (helpsGc && !collector.cycleRunning && heap.heapLiveBytes >= this.currentTrigger()) {
      nextNs += this.startCycle(mallocEndNs, 'heap');
    }
    this.runQueue.push(g, nextNs);
  }

  /**
   * Whole ns until goroutine g, allocating at `rateBytesPerSec`, asks for memory again after
   * `bytes`; the fraction carries to its next step. The program's own work between allocations
   * runs slower while GC workers hold Ps, or while its threads outnumber the machine's CPUs. Both
   * step paths (the plain one and finishStep) time themselves here, so they cannot drift apart.
   */
  private rateGapNs(g: number, t: number, bytes: number, rateBytesPerSec: number): number {
    const collector = this.collector;
    const slowdown = collector.cycleRunning || this.cpusShort ? collector.mutatorSlowdown(t) : 1;
    const exactGapNs = (bytes * NS_PER_SEC * slowdown) / rateBytesPerSec + this.gapCarryNs[g]!;
    const gapNs = Math.floor(exactGapNs);
    this.gapCarryNs[g] = exactGapNs - gapNs;
    return gapNs;
  }

  /** smallAllocNs or largeAllocNs of the last malloc (not a tiny one), remembering the last of each. */
  private mallocNs(heap: Heap): number {
    const elemBytes = heap.lastMallocElemBytes;
    if (heap.lastMallocLarge) return LARGE_ALLOC_NS(this.cost, elemBytes);
    // The cost depends only on the slot size and the refill: remember the last of each.
    if (heap.lastMallocHelpsGc) {
      if (elemBytes !== this.smallRefillNsElemBytes) {
        this.smallRefillNsElemBytes = elemBytes;
        this.smallRefillNs = SMALL_ALLOC_NS(this.cost, elemBytes, true);
      }
      return this.smallRefillNs;
    }
    if (elemBytes !== this.smallNsElemBytes) {
      this.smallNsElemBytes = elemBytes;
      this.smallNs = SMALL_ALLOC_NS(this.cost, elemBytes, false);
    }
    return this.smallNs;
  }

  private rateStep(g: number, p: number, kind: number, t: number): void {
    const w = this.workload;
    const rate = w.goroutineRateBytesPerSec[g]!;
    if (!(rate > 0) || !w.drawsSites(kind) || w.kindRequestedBytes[kind]! >= w.kindTotalBytes[kind]!) {
      this.pFreeAtNs[p] = t + this.stepMutatorNs;
      return; // parked for good (a blocked goroutine keeps its stack)
    }
    const factor = w.rateFactor(kind, t);
    if (!(factor > 0)) {
      this.pFreeAtNs[p] = t + this.stepMutatorNs;
      const wakeNs = w.kindSchedule[kind]!.wakeNs(t);
      if (wakeNs !== Infinity) this.runQueue.push(g, wakeNs);
      return;
    }
    const minFrames = w.kindMinFrames[kind]!;
    const maxFrames = w.kindMaxFrames[kind]!;
    if (maxFrames > minFrames) this.depthFrames[g] = this.prng.nextInt(minFrames, maxFrames);
    const site = w.pickSite(kind, this.prng);
    this.stepPrefill = w.lastPickPrefill;
    const bytes = this.allocateAt(g, p, site, t);
    this.finishStep(g, p, kind, t, bytes, rate * factor, AFTER_NOTHING, 0);
  }

  private scriptStep(g: number, p: number, kind: number, t: number, script: readonly ScriptOp[]): void {
    const w = this.workload;
    const pc = this.scriptPc[g]!;
    const op = script[pc]!;
    const target = this.scriptTarget[kind]![pc]!;
    let bytes = 0;
    let after = AFTER_NOTHING;
    let sleepNs = 0;
    switch (op.op) {
      case 'alloc':
        bytes = this.allocateAt(g, p, target, t);
        break;
      case 'get':
        bytes = this.scriptGet(g, p, target);
        break;
      case 'put':
        this.scriptPut(g, p, target);
        break;
      case 'drop':
        this.dropHeld(g);
        break;
      case 'gc':
        after = AFTER_GC;
        break;
      case 'freeOSMemory':
        after = AFTER_FREE_OS_MEMORY;
        break;
      case 'sleep':
        sleepNs = op.ms * NS_PER_MS;
        break;
      case 'depth':
        this.depthFrames[g] = op.frames;
        break;
      default:
        assertNever(op, 'script op');
    }
    const remaining = this.scriptRemaining[g]! - 1;
    if (remaining > 0) {
      this.scriptRemaining[g] = remaining;
    } else {
      this.scriptPc[g] = pc + 1;
      this.scriptRemaining[g] = pc + 1 < script.length ? opCount(script[pc + 1]!) : 0;
    }
    const rate = w.goroutineRateBytesPerSec[g]!;
    this.finishStep(g, p, kind, t, bytes, rate, after, sleepNs);
  }

  /**
   * The end of every step: stack need, timing, runtime.GC() and the heap trigger, and the next step
   * (file comment, 3–5). `rateBytesPerSec` 0 means the step takes only its mutator time.
   */
  private finishStep(
    g: number,
    p: number,
    kind: number,
    t: number,
    bytes: number,
    rateBytesPerSec: number,
    after: number,
    sleepNs: number,
  ): void {
    const w = this.workload;
    const stacks = this.roots.stacks;
    stacks.use(g, BASE_STACK_BYTES + this.depthFrames[g]! * w.kindFrameBytes[kind]! + this.stepStackBytes);
    if (stacks.lastGrowths > 0) {
      this.stepMutatorNs += STACK_COPY_NS(this.cost, stacks.lastGrowths, stacks.lastCopiedBytes);
    }
    const mutatorNs = this.stepMutatorNs;
    let gapNs = sleepNs;
    if (rateBytesPerSec > 0 && bytes > 0) gapNs = this.rateGapNs(g, t, bytes, rateBytesPerSec);
    const mallocEndNs = t + mutatorNs;
    this.pFreeAtNs[p] = mallocEndNs;
    let nextNs = t + Math.max(gapNs, mutatorNs);

    w.kindRequestedBytes[kind] = w.kindRequestedBytes[kind]! + bytes;
    const everyBytes = w.kindGcEveryBytes[kind]!;
    if (everyBytes > 0 && !this.stepPrefill) {
      this.gcBytes[g] = this.gcBytes[g]! + bytes;
      if (this.gcBytes[g]! >= everyBytes) {
        this.gcBytes[g] = this.gcBytes[g]! - everyBytes;
        after = after === AFTER_NOTHING ? AFTER_GC : after;
      }
    }
    const everyNs = w.kindGcEveryNs[kind]!;
    if (everyNs > 0 && mallocEndNs >= this.nextGcNs[g]!) {
      while (this.nextGcNs[g]! <= mallocEndNs) this.nextGcNs[g] = this.nextGcNs[g]! + everyNs;
      after = after === AFTER_NOTHING ? AFTER_GC : after;
    }

    // An assist that could not pay its debt parks the goroutine (a runtime.GC() call waits anyway).
    const parked = this.collector.parkRequested;
    if (parked) this.collector.parkRequested = false;
    if (after !== AFTER_NOTHING) {
      this.runtimeGC(g, mallocEndNs, nextNs, after === AFTER_FREE_OS_MEMORY);
      return;
    }
    if (parked) {
      this.assistParkedNextNs[g] = nextNs;
      return;
    }
    if (
      this.stepHelpsGc &&
      !this.collector.cycleRunning &&
      this.heap.heapLiveBytes >= this.currentTrigger()
    ) {
      nextNs += this.startCycle(mallocEndNs, 'heap');
    }
    this.runQueue.push(g, nextNs);
  }

  /** Goroutines the collector released from an assist park run again then, or at their own next step. */
  private wakeParkedAssists(): void {
    const unparked = this.collector.unparked;
    if (unparked.length === 0) return;
    for (const { goroutine, atNs } of unparked) {
      const nextNs = this.assistParkedNextNs[goroutine]!;
      if (Number.isNaN(nextNs)) continue; // it went on to wait in runtime.GC() instead
      this.assistParkedNextNs[goroutine] = NaN;
      this.runQueue.push(goroutine, Math.max(atNs, nextNs));
    }
    unparked.length = 0;
  }

  /**
   * runtime.GC() (or debug.FreeOSMemory) called by goroutine g at tNs: it waits for a cycle that
   * starts after the call (finishing a running one first), then sweeps everything and returns.
   * The goroutine is parked until then; the others run on.
   */
  private runtimeGC(g: number, tNs: number, nextNs: number, freeOSMemory: boolean): void {
    const untilCycle = this.cycleCount + (this.collector.cycleRunning ? 2 : 1);
    this.gcWaiters.push({ g, untilCycle, freeOSMemory });
    const delayNs = this.collector.cycleRunning ? 0 : this.startCycle(tNs, 'forced');
    // A stop-the-world collector is done already; the waiter resumes at max(its own next step, then).
    if (this.cycleCount >= untilCycle) this.wakeGcWaiters(nextNs + delayNs);
  }

  /** Goroutines whose runtime.GC() cycle has ended: finish the sweep and resume them. */
  private wakeGcWaiters(atNs: number): void {
    for (let i = 0; i < this.gcWaiters.length;) {
      const waiter = this.gcWaiters[i]!;
      if (this.cycleCount < waiter.untilCycle) {
        i++;
        continue;
      }
      this.gcWaiters.splice(i, 1);
      const sweepNs = this.collector.finishSweep(atNs);
      if (waiter.freeOSMemory) this.heap.pages.release(Infinity, 0);
      this.runQueue.push(waiter.g, atNs + sweepNs);
    }
  }

  /** When sysmon forces a cycle: two minutes after the last one ended, unless GOGC is off. */
  private periodicCycleNs(): number {
    if (this.gogc < 0 || this.collector.cycleRunning) return Infinity;
    return this.lastCycleEndNs + FORCE_GC_PERIOD_NS;
  }

  /** One allocation of `site` (file comment, 4); returns the bytes requested. */
  private allocateAt(g: number, p: number, site: number, t: number): number {
    const w = this.workload;
    if (w.sitePool[site]! >= 0) return this.poolGetAt(g, p, site, t);
    const nodes = w.siteNodes[site]!;
    if (w.siteEscapes[site] !== 1) {
      let bytes = 0;
      for (let i = 0; i < nodes; i++) bytes += w.pickSize(site, this.prng);
      this.stackAllocs += nodes;
      this.stackAllocBytes += bytes;
      w.siteStackAllocs[site] = w.siteStackAllocs[site]! + nodes;
      w.siteStackBytes[site] = w.siteStackBytes[site]! + bytes;
      this.stepStackBytes += bytes;
      return bytes;
    }
    const pointerFields = w.sitePointerFields[site]!;
    if (nodes === 1) {
      const size = w.pickSize(site, this.prng);
      const object = this.heapAllocate(p, site, size, pointerFields);
      this.storeRoot(g, object);
      if (w.siteStructure[site] === CYCLE) this.storePointer(object, 0, object);
      this.keep(g, p, site, object, t);
      return size;
    }
    const structure = w.siteStructure[site]!;
    let bytes = 0;
    if (nodes > this.nodeIds.length) this.nodeIds = GROW_INT32(this.nodeIds, nodes);
    const ids = this.nodeIds;
    for (let i = 0; i < nodes; i++) {
      const size = w.pickSize(site, this.prng);
      bytes += size;
      const object = this.heapAllocate(p, site, size, pointerFields);
      ids[i] = object;
      if (i === 0) {
        this.storeRoot(g, object);
      } else if (structure === TREE) {
        const fanout = w.siteTreeFanout[site]!;
        this.storePointer(ids[TREE_PARENT(i, fanout)]!, TREE_FIELD(i, fanout), object);
      } else {
        this.storePointer(ids[i - 1]!, 0, object);
      }
    }
    if (structure === CYCLE) {
      this.storePointer(ids[nodes - 1]!, 0, ids[0]!);
    }
    this.keep(g, p, site, ids[0]!, t);
    return bytes;
  }

  /** Hands an escaped object (a structure's first node) to its lifetime. */
  private keep(g: number, p: number, site: number, object: number, t: number): void {
    const w = this.workload;
    const lifetime = w.lifetimeOf(site);
    switch (lifetime) {
      case YOUNG:
        break;
      case RING: {
        const cursor = w.siteRingCursor[site]!;
        this.storePointer(w.siteRingObject[site]!, cursor, object);
        const slots = w.siteRingSlots[site]!;
        const filled = w.siteRingFilled[site]!;
        w.siteRingCursor[site] = nextRingEntry(cursor, filled, slots, w.siteRingStride[site]!);
        if (filled < slots) w.siteRingFilled[site] = filled + 1;
        break;
      }
      case FOREVER:
        this.storeRoot(this.roots.addGlobal(), object);
        break;
      case HELD: {
        const slot = this.roots.addGlobal();
        this.storeRoot(slot, object);
        this.held.push(t + w.siteHeldNs[site]!, slot, -1, p);
        break;
      }
      case BATCH: {
        const index = this.batchBase[g]! + w.siteBatchIndex[site]!;
        const slot = this.batchSlot[index]!;
        const objects = w.siteBatchObjects[site]!;
        let fill = this.batchFill[index]!;
        if (fill === 0) {
          const container = this.heapAllocate(p, site, objects * PTR_BYTES, objects);
          this.storeRoot(slot, container);
        }
        this.storePointer(this.roots.slots[slot]!, fill, object);
        fill++;
        if (fill === objects) {
          this.storeRoot(slot, NULL);
          fill = 0;
        }
        this.batchFill[index] = fill;
        break;
      }
      default:
        assertNever(lifetime, 'lifetime');
    }
  }

  /**
   * The step's root store: through the collector's hook (its barrier, its counts, their mutator
   * time), or a plain store while the collector says its hooks are plain (Collector.plainWrites).
   */
  private storeRoot(slot: number, target: number): void {
    if (this.collector.plainWrites) this.roots.slots[slot] = target;
    else this.stepMutatorNs += this.collector.writeRoot(slot, target);
  }

  /** The step's pointer store into a heap object, as storeRoot. */
  private storePointer(objectId: number, field: number, target: number): void {
    if (this.collector.plainWrites) this.heap.setPointer(objectId, field, target);
    else this.stepMutatorNs += this.collector.writePointer(objectId, field, target);
  }

  /** A heap allocation with its mutator cost, its tiny-block root and its site's counters. */
  private heapAllocate(p: number, site: number, sizeBytes: number, pointerFields: number): number {
    const heap = this.heap;
    const object = heap.malloc(sizeBytes, pointerFields, p, site);
    if (heap.lastMallocTiny) {
      this.stepMutatorNs += this.tinyNs;
    } else {
      if (heap.lastMallocSweptSpans > 0) this.stepMutatorNs += SWEEP_NS(this.cost, heap.lastMallocSweptSpans);
      this.stepMutatorNs += this.mallocNs(heap);
      if (heap.lastMallocHelpsGc || heap.lastMallocLarge) this.stepHelpsGc = true;
    }
    if (!this.collector.plainWrites)
      this.stepMutatorNs += this.collector.afterMalloc(object, this.stepGoroutine);
    const block = heap.tinyBlock[p]!;
    if (block !== this.tinyRooted[p]) {
      this.tinyRooted[p] = block;
      this.storeRoot(this.tinyRootSlots[p]!, block);
    }
    this.countHeapAllocation(site, sizeBytes);
    return object;
  }

  private countHeapAllocation(site: number, sizeBytes: number): void {
    if (site < 0) return; // a script's Get from a pool none of its kind's sites uses
    const w = this.workload;
    w.siteHeapAllocs[site] = w.siteHeapAllocs[site]! + 1;
    w.siteHeapBytes[site] = w.siteHeapBytes[site]! + sizeBytes;
  }

  /** Get from a pool site's pool (New on a miss) into the frame; returns the object's bytes. */
  private poolGetAt(g: number, p: number, site: number, t: number): number {
    const w = this.workload;
    const pool = w.sitePool[site]!;
    const object = this.poolGet(p, pool, site);
    this.storeRoot(g, object);
    if (w.lifetimeOf(site) === HELD) {
      const slot = this.roots.addGlobal();
      this.storeRoot(slot, object);
      const put = this.drawsPut(site);
      this.held.push(t + w.siteHeldNs[site]!, slot, put ? pool : -1, p);
    } else {
      this.pendingPutSite[g] = site;
    }
    return this.heap.sizeOf(object);
  }

  /** Pool.Get, or New on a miss; `site` is charged for what New allocates. */
  private poolGet(p: number, pool: number, site: number): number {
    const syncPool = this.pools[pool]!;
    let object = syncPool.get(p);
    this.stepMutatorNs += POOL_GET_NS(this.cost, syncPool.lastProbes);
    if (object === NULL) {
      const w = this.workload;
      object = this.heapAllocate(p, site, w.pickPoolSize(pool, this.prng), w.poolPointerFields[pool]!);
    }
    return object;
  }

  private drawsPut(site: number): boolean {
    const percent = this.workload.sitePutPercent[site]!;
    return percent >= 100 || (percent > 0 && this.prng.nextFloat() * 100 < percent);
  }

  /** The previous step's young pool object: Put back (or dropped) now that the frame is done. */
  private putBackYoung(g: number, p: number): void {
    const site = this.pendingPutSite[g]!;
    this.pendingPutSite[g] = -1;
    const object = this.roots.slots[g]!;
    this.storeRoot(g, NULL);
    if (this.drawsPut(site)) {
      this.pools[this.workload.sitePool[site]!]!.put(p, object);
      this.stepMutatorNs += Math.round(this.cost.poolPutNs);
    }
  }

  private scriptGet(g: number, p: number, pool: number): number {
    const site = this.siteForPool(g, pool);
    const object = this.poolGet(p, pool, site);
    const slot = this.roots.addSlot(g);
    this.storeRoot(slot, object);
    this.scriptHeldSlots[g]!.push(slot);
    this.scriptHeldPools[g]!.push(pool);
    return this.heap.sizeOf(object);
  }

  /** Site a script Get's New is charged to: the kind's first site of that pool, else none (−1). */
  private siteForPool(g: number, pool: number): number {
    const w = this.workload;
    const kind = w.goroutineKind[g]!;
    for (let s = w.kindSiteStart[kind]!; s < w.kindSiteEnd[kind]!; s++) if (w.sitePool[s] === pool) return s;
    return -1;
  }

  private scriptPut(g: number, p: number, pool: number): void {
    const slots = this.scriptHeldSlots[g]!;
    const pools = this.scriptHeldPools[g]!;
    const keptSlots: number[] = [];
    const keptPools: number[] = [];
    for (let i = 0; i < slots.length; i++) {
      if (pools[i] !== pool) {
        keptSlots.push(slots[i]!);
        keptPools.push(pools[i]!);
        continue;
      }
      const object = this.roots.slots[slots[i]!]!;
      this.storeRoot(slots[i]!, NULL);
      this.roots.freeSlot(slots[i]!);
      this.pools[pool]!.put(p, object);
      this.stepMutatorNs += Math.round(this.cost.poolPutNs);
    }
    this.scriptHeldSlots[g] = keptSlots;
    this.scriptHeldPools[g] = keptPools;
  }

  /** The script's drop op: its frame's object, its gotten objects and its batches become garbage. */
  private dropHeld(g: number): void {
    this.pendingPutSite[g] = -1;
    this.storeRoot(g, NULL);
    for (const slot of this.scriptHeldSlots[g]!) {
      this.storeRoot(slot, NULL);
      this.roots.freeSlot(slot);
    }
    this.scriptHeldSlots[g] = [];
    this.scriptHeldPools[g] = [];
    const w = this.workload;
    const n = w.kindBatchSites[w.goroutineKind[g]!]!;
    for (let b = 0; b < n; b++) {
      const index = this.batchBase[g]! + b;
      this.storeRoot(this.batchSlot[index]!, NULL);
      this.batchFill[index] = 0;
    }
  }

  /** Held objects due by tNs are dropped or Put back into their pool (held.ts). */
  private expireHeld(tNs: number): void {
    const held = this.held;
    while (held.peekNs() <= tNs) {
      held.pop();
      const slot = held.poppedSlot;
      const object = this.roots.slots[slot]!;
      this.collector.writeRoot(slot, NULL);
      this.roots.freeSlot(slot);
      if (held.poppedPool >= 0) this.pools[held.poppedPool]!.put(held.poppedP, object);
    }
  }

  /**
   * Starts a cycle at startNs (file comment, 6): sweep termination's runtime work, then the
   * collector's first phase. A stop-the-world collector finishes the whole cycle here. Returns the
   * stop-the-world time imposed from startNs.
   */
  private startCycle(startNs: number, trigger: CycleTrigger): number {
    const seq = this.cycleCount + 1;
    this.cycleEvents++;
    this.expireHeld(startNs);
    let sweepTermWorkNs = 0;
    for (const pool of this.pools) {
      pool.cleanup();
      sweepTermWorkNs += this.cost.poolCleanupNs;
    }
    this.observer.cycleStart?.(this.view, seq);
    const sampled = startNs - this.lastSampledCycleStartNs >= this.cycleSampleSpacingNs;
    if (sampled) {
      this.lastSampledCycleStartNs = startNs;
      this.sample(startNs);
    }
    // gcStart records the goal of the moment (with a memory limit it moved since the last cycle).
    this.currentTrigger();
    this.running = {
      seq,
      startNs,
      trigger,
      heapStartBytes: this.heap.heapLiveBytes,
      heapInUseAtStartBytes: this.heap.heapInUseBytes,
      heapGoalBytes: this.heapGoalBytes,
      triggerBytes: this.triggerBytes,
      sampled,
    };
    const step = this.collector.startCycle({
      startNs,
      trigger,
      sweepTermWorkNs: Math.round(sweepTermWorkNs),
    });
    // The caller's own work before the world stops (gcStart's sweep) delays only the caller.
    const callerNs = step.callerNs ?? 0;
    if (callerNs > 0) this.running.startNs = startNs + callerNs;
    this.stopTheWorld(startNs + callerNs, step.stopTheWorldNs);
    this.nowNs = Math.max(this.nowNs, startNs + callerNs + step.stopTheWorldNs);
    if (step.finished !== null) this.completeCycle(step.finished);
    return callerNs + step.stopTheWorldNs;
  }

  /** The collector's scheduled work at tNs (file comment of collector.ts, 3). */
  private collectorStep(tNs: number): void {
    this.nowNs = Math.max(this.nowNs, tNs);
    const step = this.collector.step(tNs);
    this.stopTheWorld(tNs, step.stopTheWorldNs);
    this.wakeParkedAssists();
    const endNs = tNs + step.stopTheWorldNs;
    this.nowNs = Math.max(this.nowNs, endNs);
    if (step.finished === null) return;
    this.completeCycle(step.finished);
    this.wakeGcWaiters(endNs);
    // A runtime.GC() that found a cycle running waits for the next one: start it now.
    if (!this.collector.cycleRunning && this.gcWaiters.length > 0) {
      const delayNs = this.startCycle(endNs, 'forced');
      this.wakeGcWaiters(endNs + delayNs);
    }
  }

  /** The end of a cycle (file comment, 8): its record, the pacer, the scavenger, a snapshot. */
  private completeCycle(result: CycleResult): void {
    const running = this.running;
    if (running === null)
      throw new Error(`collector ${this.collector.name} finished a cycle it never started`);
    this.running = null;
    this.cycleEvents++;
    const endNs = result.pauses.length > 0 ? lastPauseEndNs(result) : running.startNs + result.pauseNs;
    const intervalNs = endNs - this.lastCycleEndNs;
    const record = this.finishCycle(running, endNs, result);
    this.fillCpuLimiter(intervalNs, result.gcCpuNs);
    this.lastCycleEndNs = endNs;
    if (this.heap.unsweptSpans > 0) this.heap.paceSweep(this.triggerBytes);
    this.paceScavenger(running.heapInUseAtStartBytes, running.heapGoalBytes);
    this.scavenge(endNs);
    // The snapshot still shows the tiny blocks as the roots that kept them this cycle.
    if (snapshotsCycle(running.seq, this.snapshotOptions)) {
      this.snapshotsOut.push(
        takeSnapshot(this.snapshotSource, running.seq, endNs, true, this.snapshotOptions),
      );
    }
    for (let p = 0; p < this.procs; p++) {
      if (this.tinyRooted[p] !== NULL && this.heap.tinyBlock[p] === NULL) {
        this.tinyRooted[p] = NULL;
        this.collector.writeRoot(this.tinyRootSlots[p]!, NULL);
      }
    }
    this.observer.cycleEnd?.(this.view, record);
    if (running.sampled) this.sample(endNs);
    if (this.nextSampleNs <= endNs) {
      this.nextSampleNs = (Math.floor(endNs / this.sampleIntervalNs) + 1) * this.sampleIntervalNs;
    }
    this.nowNs = Math.max(this.nowNs, endNs);
  }

  private finishCycle(running: RunningCycle, endNs: number, result: CycleResult): CycleRecord {
    const { seq, startNs, trigger, heapStartBytes } = running;
    this.gcCpuNs += result.gcCpuNs;
    const heap = this.heap;
    const now = this.readCounters();
    const last = this.countersAtLastCycle;
    const delta = (c: number): number => now[c]! - last[c]!;
    const hasPools = this.pools.length > 0;
    const pool = (c: number): number | null => (hasPools ? delta(c) : null);
    // gctrace's goal is lastHeapGoal: heapGoal() as endCycle computes it at mark termination, from
    // the memory held then and before the next goal is committed. Only a memory limit moves it
    // after gcStart; without one this is the goal the cycle started with.
    const heapGoalBytes = Number.isFinite(this.memoryLimitBytes) ? this.currentGoal() : running.heapGoalBytes;
    const record: CycleRecord = {
      seq,
      startNs,
      trigger,
      heapStartBytes,
      heapEndBytes: result.heapEndBytes,
      heapMarkedBytes: result.heapMarkedBytes,
      heapGoalBytes,
      heapTriggerBytes: running.triggerBytes,
      stacksBytes: result.stackScanBytes,
      globalsBytes: result.globalsScanBytes,
      procs: this.procs,
      sweepTermNs: result.sweepTermNs,
      markNs: result.markNs,
      markTermNs: result.markTermNs,
      pauseNs: result.pauseNs,
      pauses: result.pauses,
      assistCpuNs: result.assistCpuNs,
      backgroundCpuNs: result.backgroundCpuNs,
      idleCpuNs: result.idleCpuNs,
      gcCpuFraction: this.gcCpuNs / (endNs * this.procs),
      objectsFreed: result.objectsFreed,
      bytesFreed: result.bytesFreed,
      liveObjects: result.liveObjects,
      fragmentationBytes: heap.fragmentationBytes,
      stackInUseBytes: this.roots.stacks.inUseBytes,
      heapInUseBytes: heap.heapInUseBytes,
      heapIdleBytes: heap.pages.heapIdleBytes,
      heapReleasedBytes: heap.pages.heapReleasedBytes,
      tailWasteBytes: heap.tailWasteBytes,
      internalWasteBytes: heap.internalWasteBytes,
      heapAllocations: delta(C_HEAP_ALLOCS),
      heapAllocatedBytes: delta(C_HEAP_BYTES),
      stackAllocations: delta(C_STACK_ALLOCS),
      stackAllocatedBytes: delta(C_STACK_BYTES),
      tinyAllocations: delta(C_TINY),
      stackGrowths: delta(C_GROWTHS),
      stackShrinks: delta(C_SHRINKS),
      stackCopiedBytes: delta(C_COPIED),
      poolGets: pool(C_POOL_GETS),
      poolHitsPrivate: pool(C_POOL_PRIVATE),
      poolHitsShared: pool(C_POOL_SHARED),
      poolHitsStolen: pool(C_POOL_STOLEN),
      poolHitsVictim: pool(C_POOL_VICTIM),
      poolMisses: pool(C_POOL_MISSES),
      poolPuts: pool(C_POOL_PUTS),
      poolDropped: pool(C_POOL_DROPPED),
      assistRatio: result.assistRatio,
      markUtilization: result.markUtilization,
      writeBarrierHits: result.writeBarrierHits,
      writeBarrierShades: result.writeBarrierShades,
      leakedObjects: result.leakedObjects,
      leakedBytes: result.leakedBytes,
      refcountFrees: result.refcountFrees,
      cascadeMaxObjects: result.cascadeMaxObjects,
      cascadeMaxNs: result.cascadeMaxNs,
    };
    last.set(now);
    this.cycleCount = seq;
    this.cyclesOut.push(record);
    this.measureConsMark(running, result);
    this.repace(result.heapMarkedBytes, result.stackScanBytes, result.heapScanBytes);
    return record;
  }

  /** The cumulative counters of file comment 8, into this.counters. */
  private readCounters(): Float64Array {
    const c = this.counters;
    const heap = this.heap;
    const stacks = this.roots.stacks;
    c[C_HEAP_ALLOCS] = heap.mallocs + heap.tinyAllocs;
    c[C_HEAP_BYTES] = heap.totalRequestedBytes;
    c[C_STACK_ALLOCS] = this.stackAllocs;
    c[C_STACK_BYTES] = this.stackAllocBytes;
    c[C_TINY] = heap.tinyAllocs;
    c[C_GROWTHS] = stacks.growths;
    c[C_SHRINKS] = stacks.shrinks;
    c[C_COPIED] = stacks.growCopiedBytes + stacks.shrinkCopiedBytes;
    c.fill(0, C_POOL_GETS);
    for (const pool of this.pools) {
      c[C_POOL_GETS] = c[C_POOL_GETS]! + pool.gets;
      c[C_POOL_PRIVATE] = c[C_POOL_PRIVATE]! + pool.hitsPrivate;
      c[C_POOL_SHARED] = c[C_POOL_SHARED]! + pool.hitsShared;
      c[C_POOL_STOLEN] = c[C_POOL_STOLEN]! + pool.hitsStolen;
      c[C_POOL_VICTIM] = c[C_POOL_VICTIM]! + pool.hitsVictim;
      c[C_POOL_MISSES] = c[C_POOL_MISSES]! + pool.misses;
      c[C_POOL_PUTS] = c[C_POOL_PUTS]! + pool.puts;
      c[C_POOL_DROPPED] = c[C_POOL_DROPPED]! + pool.dropped;
    }
    return c;
  }

  /**
   * endCycle's cons/mark update, for a collector whose mark let the program run; a forced cycle
   * did not start at the trigger, so it says nothing about the runway (Go skips it too).
   */
  private measureConsMark(running: RunningCycle, result: CycleResult): void {
    if (result.markUtilization === null || running.trigger === 'forced') return;
    const measured = measuredConsMark({
      heapLiveBytes: result.heapEndBytes,
      triggerBytes: running.triggerBytes,
      markNs: result.markNs,
      procs: this.procs,
      assistCpuNs: result.assistCpuNs,
      idleCpuNs: result.idleCpuNs,
      scanWorkBytes: result.heapScanBytes + result.stackScanBytes + result.globalsScanBytes,
    });
    if (measured !== null) this.consMark.update(measured);
  }

  /**
   * The next cycle's goal and trigger (pacer.ts), from what the last one marked and scanned:
   * gcControllerCommit. What it fixes until the next cycle is kept in `committed`.
   */
  private repace(heapMarkedBytes: number, stacksBytes: number, heapScanBytes: number): void {
    const heap = this.heap;
    const globalsBytes = this.roots.globalsBytes;
    this.committed = {
      gogc: this.gogc,
      heapMarkedBytes,
      stacksBytes,
      globalsBytes,
      runwayBytes: runwayBytes(this.consMark.consMark, heapScanBytes + stacksBytes + globalsBytes),
      sweepDistMinTriggerBytes:
        heap.unsweptSpans > 0 ? heap.heapLiveBytes + SWEEP_MIN_HEAP_DISTANCE_BYTES : 0,
    };
    this.applyPace();
  }

  /**
   * The trigger to test heapLive against now. Go 1.19 computes the trigger afresh at every test
   * (gcControllerState.trigger → heapGoalInternal): the memory limit's goal follows the memory the
   * runtime holds this moment — free slots the sweeper opened count against the limit until
   * allocation fills them, so sweeping pulls the goal, and the trigger, down. Without a limit
   * nothing moves between cycles and the committed trigger stands.
   */
  private currentTrigger(): number {
    if (Number.isFinite(this.memoryLimitBytes)) this.applyPace();
    return this.triggerBytes;
  }

  /** heapGoal(): the goal of the moment (see currentTrigger). */
  private currentGoal(): number {
    this.currentTrigger();
    return this.heapGoalBytes;
  }

  /** heapGoalInternal + trigger from the committed state and the memory held now. */
  private applyPace(): void {
    const heap = this.heap;
    const pages = heap.pages;
    const heapFreeBytes = pages.heapIdleBytes - pages.heapReleasedBytes;
    // What the runtime maps besides heap pages; the page heap scavenges against it (mheap.ts, 6).
    pages.otherMappedBytes =
      this.roots.stacks.inUseBytes + runtimeMetadataBytes(pages.heapSysBytes, heap.spanIdLimit);
    const decision = pace({
      ...this.committed,
      memoryLimitGoalBytes: memoryLimitHeapGoalBytes({
        limitBytes: this.memoryLimitBytes,
        mappedReadyBytes: heap.heapInUseBytes + heapFreeBytes + pages.otherMappedBytes,
        heapFreeBytes,
        heapAllocBytes: heap.heapAllocBytes,
        heapMarkedBytes: this.committed.heapMarkedBytes,
      }),
    });
    this.heapGoalBytes = decision.heapGoalBytes;
    this.triggerBytes = decision.triggerBytes;
    this.memoryLimited = decision.memoryLimited;
  }

  /**
   * The GC CPU limiter (Go 1.19 mgclimit.go): a bucket of procs × 1 s filled by GC CPU time and
   * drained by the program's. While it is full, assists are skipped, which caps GC near half the
   * CPU when a memory limit drives cycles back to back. Updated once per cycle here.
   */
  private fillCpuLimiter(intervalNs: number, gcCpuNs: number): void {
    const capacityNs = this.procs * NS_PER_SEC;
    const mutatorCpuNs = Math.max(0, intervalNs * this.procs - gcCpuNs);
    this.limiterFillNs = Math.min(capacityNs, Math.max(0, this.limiterFillNs + gcCpuNs - mutatorCpuNs));
    this.limiterOn = this.limiterFillNs >= capacityNs;
  }

  /** gcPaceScavenger (file comment, 8): Go 1.19 keeps the scavenger off until the 2nd cycle. */
  private paceScavenger(heapInUseBytes: number, lastGoalBytes: number): void {
    if (this.cycleCount < 2 || !Number.isFinite(this.heapGoalBytes) || !(lastGoalBytes > 0)) {
      this.scavengeGoalPages = Infinity;
      return;
    }
    const goalBytes = ((heapInUseBytes * this.heapGoalBytes) / lastGoalBytes) * SCAVENGER_RETAIN_EXTRA;
    this.scavengeGoalPages = Math.ceil(goalBytes / PAGE_BYTES);
  }

  /** The background scavenger's work since its last run (file comment, 9). */
  private scavenge(nowNs: number): void {
    const elapsedNs = nowNs - this.lastScavengeNs;
    this.lastScavengeNs = nowNs;
    const pages = this.heap.pages;
    if (!(elapsedNs > 0) || pages.pagesTotal - pages.pagesReleased <= this.scavengeGoalPages) {
      this.scavengeCarryPages = 0;
      return;
    }
    const budget =
      this.scavengeCarryPages + (elapsedNs * this.procs * SCAVENGER_CPU_FRACTION) / this.cost.scavengePageNs;
    const whole = Math.floor(budget);
    pages.release(whole, this.scavengeGoalPages);
    this.scavengeCarryPages = budget - whole;
  }

  /** Every goroutine and P loses the pause (file comment, 7). */
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

/** What a cycle's record needs from its start. */
interface RunningCycle {
  seq: number;
  startNs: number;
  trigger: CycleTrigger;
  heapStartBytes: number;
  heapInUseAtStartBytes: number;
  heapGoalBytes: number;
  triggerBytes: number;
  /** The cycle's start and end are heap samples (file comment, 10). */
  sampled: boolean;
}

function lastPauseEndNs(result: CycleResult): number {
  const last = result.pauses[result.pauses.length - 1]!;
  return last.startNs + last.durationNs;
}

/**
 * Whether every step of goroutine kind `kind` is a plain rate step (Simulator.plainRateStep): no
 * script, no rate phases, no runtime.GC() schedule, a fixed call depth, a rate, and every site one
 * escaping heap object (no pool, no structure).
 */
function isPlainKind(w: Workload, kind: number): boolean {
  if (w.kindScript[kind] !== null || w.kindSchedule[kind] !== null) return false;
  if (w.kindGcEveryBytes[kind] !== 0 || w.kindGcEveryNs[kind] !== 0) return false;
  if (w.kindMinFrames[kind] !== w.kindMaxFrames[kind] || !w.drawsSites(kind)) return false;
  for (let g = 0; g < w.goroutineCount; g++) {
    if (w.goroutineKind[g] === kind && !(w.goroutineRateBytesPerSec[g]! > 0)) return false;
  }
  for (let site = w.kindSiteStart[kind]!; site < w.kindSiteEnd[kind]!; site++) {
    if (w.sitePool[site] !== -1 || w.siteEscapes[site] !== 1 || w.siteNodes[site] !== 1) return false;
    if (w.siteStructure[site] === CYCLE) return false;
  }
  return true;
}

/** How many steps an op takes: its count for alloc and get, one for the rest. */
function opCount(op: ScriptOp): number {
  return op.op === 'alloc' || op.op === 'get' ? op.count : 1;
}
