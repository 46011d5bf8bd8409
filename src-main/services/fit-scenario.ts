/**
 * Fitting a scenario to a real trace: the workload a Go program must have run for the go
 * collector to print the cycles an imported or attached session recorded. The what-if runs
 * (services/whatif.ts) simulate the fitted scenario under other settings. Pure and deterministic:
 * the same cycles always give the same scenario.
 *
 *  1. The P count is the trace's most common one; globals its median "MB globals", and never
 *     less than the runtime's own data + bss (MIN_GLOBALS_BYTES): "0 MB globals" still has them
 *     to scan every cycle, and without them a fitted workload of pointer-free buffers has almost
 *     no scan work, so one assist's 64 KiB budget takes a whole mark. GOGC is read (step 3) with
 *     the printed value, as the goals were computed from bytes the trace floors away.
 *  2. The allocation a gctrace line implies: the heap grew by h1 − h0 during cycle i's mark and by
 *     h0(i+1) − h2(i) between its end and the next start, so the bytes allocated before cycle i
 *     starts, A(i), are h0(1) then the running sum of those. The program's live heap at A(i) is
 *     h2(i), less the part of what the mark allocated black that the simulation will mark black
 *     itself (blackShareOf). Heap sizes are printed floored to whole MB: each is read as the
 *     middle of its interval.
 *  3. GOGC: the goal Go 1.18+ paces to is h2(prev) + (h2(prev) + stack scan + globals) × GOGC/100.
 *     Each GOGC from 1 to MAX_FITTED_GOGC is tried with the stack scan that fits it best (between 0
 *     and the printed stacks); the one whose goals are closest wins, a round value on a near tie.
 *     No goal at all (gctrace's GOGC=off without a limit, stored as 0) is GOGC off.
 *  4. Phases: the cycles are split into at most MAX_PHASES runs, by dynamic programming over the
 *     split points, so that within each run the allocation grows linearly in time (one rate) and
 *     the live heap linearly in the bytes allocated (one share of them kept). Every run costs
 *     PHASE_PENALTY more, so a steady trace stays one phase.
 *  5. Each phase with allocation becomes a goroutine kind that sleeps (rate factor 0) until the
 *     phase starts, then allocates its bytes (totalBytes) at its rate: fixed-size objects, most
 *     dying young, a share kept — in a ring filled first when the live heap jumps at the phase's
 *     start, else bit by bit: forever when the live heap never falls back, or in a batch dropped
 *     when the phase ends when it does (a program that builds a set and drops it).
 *  6. Every "(forced)" cycle becomes a runtime.GC(). One that follows allocation is called by the
 *     phase's goroutine after the bytes it followed (its script allocates up to it, then calls it),
 *     so it lands at the same heap size even where the simulation runs slower or faster than the
 *     program did; one after idle time (a sleep, then debug.FreeOSMemory()) is called at its time
 *     by a goroutine of its own.
 *  7. Stacks: the printed MB stacks (Go 1.19: Σ stack sizes) as parked goroutines whose stacks use
 *     the share of their size that the goal counted (step 3), which fixes the stack size each needs.
 *  8. After the last cycle the program allocates half a typical interval more: a run of the
 *     scenario ends between the last cycle and the one after it, as the real program did.
 */
import type { FittedPhase, FittedSettings } from '../api/types';
import type { CycleRecord } from '../engine/record';
import type { GoroutineKind, ObjectSite, Phase, Scenario, ScriptOp } from '../engine/scenario';
import {
  MAX_ALLOC_BYTES_PER_SEC,
  MAX_DURATION_MS,
  MAX_RING_SLOTS,
  MAX_SCRIPT_COUNT,
  MAX_SCRIPT_OPS,
  parseScenario,
} from '../formats/scenario';
import { formatByteRate } from './byte-rate';

const MiB = 1 << 20;
const KiB = 1 << 10;
/** Go's minimum heap goal (heapMinimum at GOGC=100): goals at or under it say nothing of GOGC. */
const MIN_HEAP_GOAL_BYTES = 4 * MiB;
/** The highest GOGC tried; beyond it the goals of a short trace no longer tell values apart. */
export const MAX_FITTED_GOGC = 1000;
/** More phases than this stops being a description a person reads; traces have a few regimes. */
export const MAX_PHASES = 4;
/**
 * What one more phase must save of the normalised squared error (step 4). Measured on the fixture
 * traces: a start-up ramp saves 0.1–0.5, the millisecond rounding of "@t" costs under 0.01.
 */
export const PHASE_PENALTY = 0.05;
/** Split points are searched among at most this many places; a long trace is sampled evenly. */
const MAX_SPLIT_POINTS = 240;
/** How often a ring's entry is replaced, per allocation of its phase (churn.go: every 8th). */
const RING_REPLACE_SHARE = 0.125;
/**
 * "0 MB globals" is not none: a Go 1.19 program's data + bss hold at least the runtime's own
 * (gcpacertrace of churn.go: 223 504 B of globals scan work every cycle).
 */
const MIN_GLOBALS_BYTES = 223_504;
/** A phase allocating less than this is idle (the program sleeps or waits). */
const IDLE_PHASE_BYTES = MiB;
/** Go's stack guard: a stack must fit this much more than it uses (stacks.ts). */
const STACK_GUARD_BYTES = 928;
const STACK_BASE_BYTES = 512;
const STACK_FRAMES = 40;
/** The goal's share of a Go 1.19 stack when GOGC cannot tell (measured on stacks.go: 26 of 31 MB). */
const DEFAULT_STACK_SCAN_SHARE = 0.84;
/** One runtime.GC() takes at most three script ops (two allocs, or a sleep, and the gc). */
const MAX_FORCED_PER_SCRIPT = Math.floor(MAX_SCRIPT_OPS / 3);

export interface FitOptions {
  /** How finely the trace printed heap sizes (gctrace: 1 MiB); values are read as the interval's middle. */
  precisionBytes?: number;
  /** The session's name, for the scenario's title and name. */
  sessionName?: string;
  /** Names the scenario (`fit-<id>`). */
  sessionId?: number;
}

// FittedPhase and FittedSettings are the API's (sessions.fit returns them as they are).

export interface FittedTrace {
  scenario: Scenario;
  settings: FittedSettings;
  phases: FittedPhase[];
  forcedCycles: number;
}

export class FitError extends Error {}

interface TracePoint {
  seq: number;
  tNs: number;
  /** Bytes allocated before the cycle started (A(i), step 2). */
  allocStartBytes: number;
  /** Bytes allocated when its mark ended. */
  allocEndBytes: number;
  /** Live heap when the cycle started (reached at allocStartBytes). */
  liveBytes: number;
  forced: boolean;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function mostCommon(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = values[0]!;
  for (const [v, n] of counts) if (n > counts.get(best)! || (n === counts.get(best)! && v > best)) best = v;
  return best;
}

/**
 * Objects allocated during a mark are allocated black: marked, counted in h2, though the program
 * may drop them at once. The simulation allocates its own black objects in proportion to how long
 * its marks take, and (cost-model.ts) its marks are long where the roots are: measured on the
 * fixture traces, a simulated mark of a heap of small objects allocates next to nothing (churn.go:
 * h1 = h0) and one of 2 000 deep stacks as much as Go's (stacks.go: ≈ 10 MB). So the share of a
 * mark's allocation taken off h2 is the stacks' and globals' share of the mark's work.
 */
function blackShareOf(stackScanBytes: number, globalsBytes: number, half: number) {
  const roots = stackScanBytes + globalsBytes;
  return (c: CycleRecord): number => (roots > 0 ? roots / (roots + c.heapMarkedBytes + half) : 0);
}

function tracePoints(
  cycles: readonly CycleRecord[],
  half: number,
  blackShare: (c: CycleRecord) => number,
): TracePoint[] {
  const points: TracePoint[] = [];
  let allocStart = cycles[0]!.heapStartBytes + half;
  cycles.forEach((c, i) => {
    if (i > 0) {
      const prev = cycles[i - 1]!;
      allocStart +=
        Math.max(0, prev.heapEndBytes - prev.heapStartBytes) +
        Math.max(0, c.heapStartBytes - prev.heapMarkedBytes);
    }
    points.push({
      seq: c.seq,
      tNs: c.startNs,
      allocStartBytes: allocStart,
      allocEndBytes: allocStart + Math.max(0, c.heapEndBytes - c.heapStartBytes),
      liveBytes: Math.max(
        0,
        c.heapMarkedBytes + half - blackShare(c) * Math.max(0, c.heapEndBytes - c.heapStartBytes),
      ),
      forced: c.trigger === 'forced',
    });
  });
  return points;
}

/** Step 3: GOGC and the stack scan that best explain the goals. */
function fitGogc(
  cycles: readonly CycleRecord[],
  half: number,
  stacksBytes: number,
  globalsBytes: number,
): { gogc: number; error: number | null; stackScanBytes: number } {
  const defaultScan = stacksBytes * DEFAULT_STACK_SCAN_SHARE;
  const hasGoal = (c: CycleRecord) => Number.isFinite(c.heapGoalBytes) && c.heapGoalBytes > 0;
  if (!cycles.some(hasGoal)) return { gogc: -1, error: null, stackScanBytes: defaultScan };
  const pairs: { markedBytes: number; goalBytes: number }[] = [];
  const stride = Math.max(1, Math.ceil(cycles.length / 400));
  for (let i = 1; i < cycles.length; i += stride) {
    const c = cycles[i]!;
    if (!hasGoal(c) || c.heapGoalBytes <= MIN_HEAP_GOAL_BYTES) continue;
    pairs.push({ markedBytes: cycles[i - 1]!.heapMarkedBytes + half, goalBytes: c.heapGoalBytes + half });
  }
  if (pairs.length === 0) return { gogc: 100, error: null, stackScanBytes: defaultScan };
  const maxScan = stacksBytes;
  let best = { gogc: 100, score: Infinity, error: 0, stackScanBytes: 0 };
  for (let gogc = 1; gogc <= MAX_FITTED_GOGC; gogc++) {
    const g = gogc / 100;
    const scan = Math.min(
      maxScan,
      Math.max(0, median(pairs.map((p) => (p.goalBytes - p.markedBytes * (1 + g)) / g - globalsBytes))),
    );
    let error = 0;
    for (const p of pairs) {
      const predicted = p.markedBytes + (p.markedBytes + scan + globalsBytes) * g;
      error += Math.abs(predicted - p.goalBytes) / p.goalBytes;
    }
    error /= pairs.length;
    // A person sets GOGC to a round number: on a near tie prefer 100 over 97.
    const roundness = gogc % 50 === 0 ? 0 : gogc % 10 === 0 ? 0.002 : gogc % 5 === 0 ? 0.004 : 0.006;
    const score = error + roundness;
    if (score < best.score) best = { gogc, score, error, stackScanBytes: scan };
  }
  return { gogc: best.gogc, error: best.error, stackScanBytes: best.stackScanBytes };
}

/** Running sums for least-squares lines over point ranges in O(1) per range. */
class LineSums {
  private readonly sums: Float64Array[];

  constructor(xs: readonly number[], ys: readonly number[]) {
    const n = xs.length;
    this.sums = [0, 1, 2, 3, 4].map(() => new Float64Array(n + 1));
    const [s1, sx, sy, sxx, sxy] = this.sums as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    const yy = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      const y = ys[i]!;
      s1[i + 1] = s1[i]! + 1;
      sx[i + 1] = sx[i]! + x;
      sy[i + 1] = sy[i]! + y;
      sxx[i + 1] = sxx[i]! + x * x;
      sxy[i + 1] = sxy[i]! + x * y;
      yy[i + 1] = yy[i]! + y * y;
    }
    this.sums.push(yy);
  }

  /** Points [a, b): the line's slope and intercept, and its squared error. */
  fit(a: number, b: number): { slope: number; intercept: number; sse: number } {
    const d = (s: Float64Array) => s[b]! - s[a]!;
    const [s1, sx, sy, sxx, sxy, syy] = this.sums.map(d) as [number, number, number, number, number, number];
    const varX = sxx - (sx * sx) / s1;
    const slope = varX > 1e-9 * Math.max(1, sxx) ? (sxy - (sx * sy) / s1) / varX : 0;
    const intercept = (sy - slope * sx) / s1;
    const sse =
      syy -
      2 * slope * sxy -
      2 * intercept * sy +
      slope * slope * sxx +
      2 * slope * intercept * sx +
      intercept * intercept * s1;
    return { slope, intercept, sse: Math.max(0, sse) };
  }
}

/** Step 4: the first point index of every phase (the first is 0). */
function splitPhases(points: readonly TracePoint[]): number[] {
  const n = points.length;
  if (n < 3) return [0];
  const allocScale = points.at(-1)!.allocEndBytes || 1;
  const liveScale = Math.max(...points.map((p) => p.liveBytes)) || 1;
  const rate = new LineSums(
    points.map((p) => p.tNs),
    points.map((p) => p.allocStartBytes / allocScale),
  );
  const live = new LineSums(
    points.map((p) => p.allocStartBytes / allocScale),
    points.map((p) => p.liveBytes / liveScale),
  );
  const step = Math.max(1, Math.ceil(n / MAX_SPLIT_POINTS));
  const cuts: number[] = [];
  for (let i = 0; i < n; i += step) cuts.push(i);
  cuts.push(n);
  const cost = (a: number, b: number): number => rate.fit(a, b).sse + live.fit(a, b).sse;
  // best[k][j]: the least cost of cuts[0..j) in k + 1 phases; from[k][j] the last phase's start.
  const m = cuts.length;
  const best: number[][] = [];
  const from: number[][] = [];
  for (let k = 0; k < MAX_PHASES; k++) {
    best.push(new Array<number>(m).fill(Infinity));
    from.push(new Array<number>(m).fill(-1));
    for (let j = 1; j < m; j++) {
      if (k === 0) {
        best[0]![j] = cost(0, cuts[j]!);
        from[0]![j] = 0;
        continue;
      }
      for (let i = k; i < j; i++) {
        const c = best[k - 1]![i]! + cost(cuts[i]!, cuts[j]!);
        if (c < best[k]![j]!) {
          best[k]![j] = c;
          from[k]![j] = i;
        }
      }
    }
  }
  let phases = 0;
  for (let k = 1; k < MAX_PHASES; k++) {
    if (best[k]![m - 1]! + k * PHASE_PENALTY < best[phases]![m - 1]! + phases * PHASE_PENALTY) phases = k;
  }
  const starts: number[] = [];
  for (let k = phases, j = m - 1; k >= 0; k--) {
    const i = from[k]![j]!;
    starts.unshift(cuts[i]!);
    j = i;
  }
  return starts;
}

/** A name the scenario format accepts: lower-case letters, digits and '-'. */
function scenarioName(options: FitOptions): string {
  if (options.sessionId !== undefined) return `fit-${options.sessionId}`;
  const slug = (options.sessionName ?? 'trace')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56);
  return `fit-${slug || 'trace'}`;
}

/** Step 7: parked goroutines whose stacks add up to `stacksBytes`, `scanBytes` of it in use (a size each grew to). */
function stackKind(stacksBytes: number, scanBytes: number): GoroutineKind | null {
  if (stacksBytes < MiB) return null;
  const share = Math.min(0.95, Math.max(0.3, scanBytes / stacksBytes));
  // The smallest stack size whose used share still needs that size (and no less) once doubled to.
  // 16 KiB first: the deep call chains that make stacks show in a trace commonly end there.
  let sizeBytes = 16 * KiB;
  for (const size of [16, 8, 32, 4, 64, 128, 256, 512].map((k) => k * KiB)) {
    const used = share * size;
    if (
      used + STACK_GUARD_BYTES <= size &&
      used + STACK_GUARD_BYTES > size / 2 &&
      stacksBytes / size <= 100_000
    ) {
      sizeBytes = size;
      break;
    }
  }
  const usedBytes = Math.min(share * sizeBytes, sizeBytes - STACK_GUARD_BYTES);
  const count = Math.min(100_000, Math.max(1, Math.round(stacksBytes / sizeBytes)));
  return {
    name: 'parked',
    count,
    allocBytesPerSec: 0,
    sites: [],
    stack: {
      frameBytes: Math.max(8, Math.floor((usedBytes - STACK_BASE_BYTES) / STACK_FRAMES)),
      depth: { kind: 'fixed', frames: STACK_FRAMES },
    },
  };
}

/** Step 6: a goroutine that calls runtime.GC() at the times of the forced cycles no phase called. */
function forcedKind(timed: readonly TracePoint[]): GoroutineKind | null {
  if (timed.length === 0) return null;
  const script: ScriptOp[] = [];
  let atMs = 0;
  for (const p of timed.slice(0, MAX_FORCED_PER_SCRIPT)) {
    const ms = Math.round(p.tNs / 1e6);
    if (ms > atMs) script.push({ op: 'sleep', ms: ms - atMs });
    script.push({ op: 'gc' });
    atMs = Math.max(atMs, ms);
  }
  return { name: 'runtime-gc', count: 1, allocBytesPerSec: 0, sites: [], script };
}

/**
 * gctrace does not tell object sizes. 1 KiB, unless a phase needs bigger ones: a goroutine of the
 * simulation allocates some MAX_OBJECTS_PER_SEC objects a second at most (the cost model's
 * per-object time; churn.go's 5 GB/s of 1 KiB objects is in reach), and a long trace should simulate in reasonable time (MAX_OBJECTS in all).
 */
const MAX_OBJECTS_PER_SEC = 6_000_000;
const MAX_OBJECTS = 2_000_000;
function objectBytesFor(totalBytes: number, bytesPerSec: number): number {
  let bytes = KiB;
  while (bytes < 32 * KiB && (totalBytes / bytes > MAX_OBJECTS || bytesPerSec / bytes > MAX_OBJECTS_PER_SEC))
    bytes *= 2;
  return bytes;
}

/** Fits a scenario to a session's cycles (an imported or attached trace); see the file comment. */
export function fitScenario(cycles: readonly CycleRecord[], options: FitOptions = {}): FittedTrace {
  if (cycles.length === 0) throw new FitError('the session has no cycles to fit a scenario to');
  const sorted = [...cycles].sort((a, b) => a.seq - b.seq);
  const precision = options.precisionBytes ?? MiB;
  const half = precision / 2;
  const midpoint = (bytes: number) => (bytes > 0 ? bytes + half : 0);

  const procs = mostCommon(sorted.map((c) => c.procs));
  const printedGlobalsBytes = Math.round(midpoint(median(sorted.map((c) => c.globalsBytes))));
  const globalsBytes = Math.max(MIN_GLOBALS_BYTES, printedGlobalsBytes);
  const stacksBytes = midpoint(median(sorted.map((c) => c.stacksBytes)));
  const {
    gogc,
    error: goalFitError,
    stackScanBytes,
  } = fitGogc(sorted, half, stacksBytes, printedGlobalsBytes);

  const points = tracePoints(sorted, half, blackShareOf(stackScanBytes, globalsBytes, half));
  const starts = splitPhases(points);
  const last = points.at(-1)!;

  // Phase k covers the time and bytes from its first cycle's start (the program's start for the
  // first) to the next phase's first cycle's start; the last ends half an interval after the last cycle.
  const lastStart = starts.at(-1)!;
  const tail = points.slice(lastStart);
  const intervals = tail.slice(1).map((p, i) => ({
    ns: p.tNs - tail[i]!.tNs,
    bytes: p.allocStartBytes - tail[i]!.allocStartBytes,
  }));
  const endNs = last.tNs + (intervals.length > 0 ? median(intervals.map((x) => x.ns)) / 2 : 1e6);
  const endBytes =
    last.allocEndBytes + (intervals.length > 0 ? median(intervals.map((x) => x.bytes)) / 2 : 0);
  // A scenario covers at most an hour of virtual time; the rest of a longer trace would be lost.
  const coveredMs = (endNs / 1e6) * 1.1 + 10;
  if (coveredMs > MAX_DURATION_MS) {
    throw new FitError(
      `the trace covers ${(endNs / 3.6e12).toFixed(1)} h of the program's time and a scenario at most ${MAX_DURATION_MS / 3.6e6} h: import the part of the log to re-run (a scenario fitted to part of it says no less)`,
    );
  }
  const bounds = starts.map((start, k) => ({
    first: start,
    end: starts[k + 1] ?? points.length,
    startNs: k === 0 ? 0 : points[start]!.tNs,
    endNs: k + 1 < starts.length ? points[starts[k + 1]!]!.tNs : endNs,
    startBytes: k === 0 ? 0 : points[start]!.allocStartBytes,
    endBytes: k + 1 < starts.length ? points[starts[k + 1]!]!.allocStartBytes : endBytes,
  }));

  // The live heap at each phase's end: its line (live against bytes allocated) at the phase's last byte.
  const liveLine = new LineSums(
    points.map((p) => p.allocStartBytes),
    points.map((p) => p.liveBytes),
  );
  // A phase's line at its last byte is the most it grows to (its peak); the level it hands on is
  // where the next phase's line starts. A next phase starting under half the peak saw a drop.
  const lineAt = (first: number, end: number, atBytes: number, capBytes: number): number => {
    const { slope, intercept } = liveLine.fit(first, end);
    return Math.max(0, Math.min(capBytes, intercept + slope * atBytes));
  };
  const livePeak = bounds.map((b) => lineAt(b.first, b.end, b.endBytes, b.endBytes));
  const liveEnd = bounds.map((b, k) => {
    const next = bounds[k + 1];
    if (next === undefined) return livePeak[k]!;
    return lineAt(next.first, next.end, points[next.first]!.allocStartBytes, b.endBytes);
  });

  // Step 6: each forced cycle to the allocating phase whose bytes it followed (a cycle opening a
  // phase follows the previous one's), unless nothing was allocated since the forced cycle before.
  const allocating = (k: number) => bounds[k]!.endBytes - bounds[k]!.startBytes >= IDLE_PHASE_BYTES;
  const anchored: number[][] = bounds.map(() => []);
  const timed: TracePoint[] = [];
  let lastForcedBytes = -Infinity;
  for (const p of points) {
    if (!p.forced) continue;
    const k = bounds.findIndex((b) => p.allocStartBytes > b.startBytes && p.allocStartBytes <= b.endBytes);
    const afterAllocation = p.allocStartBytes - lastForcedBytes >= IDLE_PHASE_BYTES;
    if (k >= 0 && allocating(k) && afterAllocation && anchored[k]!.length < MAX_FORCED_PER_SCRIPT) {
      anchored[k]!.push(p.allocStartBytes - bounds[k]!.startBytes);
    } else {
      timed.push(p);
    }
    lastForcedBytes = p.allocStartBytes;
  }

  const kinds: GoroutineKind[] = [];
  const phases: FittedPhase[] = [];
  bounds.forEach((b, k) => {
    const liveStart = k === 0 ? 0 : liveEnd[k - 1]!;
    const allocated = Math.max(0, b.endBytes - b.startBytes);
    const durationNs = Math.max(1e6, b.endNs - b.startNs);
    const rate = Math.min(MAX_ALLOC_BYTES_PER_SEC, Math.max(1, Math.round(allocated / (durationNs / 1e9))));
    phases.push({
      firstSeq: points[b.first]!.seq,
      lastSeq: points[b.end - 1]!.seq,
      startMs: b.startNs / 1e6,
      durationMs: durationNs / 1e6,
      allocatedBytes: allocated,
      allocBytesPerSec: allocated >= IDLE_PHASE_BYTES ? rate : 0,
      liveStartBytes: liveStart,
      liveEndBytes: liveEnd[k]!,
    });
    if (allocated < IDLE_PHASE_BYTES) return;
    const objectBytes = objectBytesFor(endBytes, rate);
    // What the phase keeps: up to its peak when the live heap drops after it (a set built, then
    // let go: kept in a batch dropped at the phase's end), else up to the level it hands on.
    // A drop needs two cycles of the phase over twice the level after it: one cycle whose mark
    // ran long (a descheduled run marks what it allocated meanwhile) is not a set being built.
    const over = points.slice(b.first, b.end).filter((p) => p.liveBytes > 2 * liveEnd[k]! + MiB);
    const dropped = liveEnd[k]! < livePeak[k]! / 2 && over.length >= 2;
    const keptBytes = Math.min(allocated, Math.max(0, (dropped ? livePeak[k]! : liveEnd[k]!) - liveStart));
    const keptShare = keptBytes / allocated;
    const keptObjects = Math.max(1, Math.round(keptBytes / objectBytes));
    // Built first (a ring prefilled at the phase's start, as a program fills its cache or table
    // before serving) or bit by bit (kept objects among the garbage): whichever the cycles show.
    const phasePoints = points.slice(b.first, b.end);
    const misfit = (predict: (doneBytes: number) => number) =>
      phasePoints.reduce((sum, p) => sum + (p.liveBytes - predict(p.allocStartBytes - b.startBytes)) ** 2, 0);
    const builtFirst =
      !dropped &&
      keptShare > 0.001 &&
      keptShare < 0.5 &&
      misfit((done) => liveStart + Math.min(keptBytes, done)) <
        misfit((done) => liveStart + keptShare * done);
    const size = { kind: 'fixed' as const, bytes: objectBytes };
    const sites: ObjectSite[] = [];
    if (builtFirst) {
      sites.push(
        {
          name: 'garbage: make([]byte, n)',
          weight: 1 - RING_REPLACE_SHARE,
          size,
          pointerFields: 0,
          escapes: true,
          lifetime: { kind: 'young' },
        },
        {
          name: 'kept: ring[i] = b',
          weight: RING_REPLACE_SHARE,
          size,
          pointerFields: 0,
          escapes: true,
          lifetime: { kind: 'ring', slots: Math.min(MAX_RING_SLOTS, keptObjects), prefill: true },
        },
      );
    } else {
      if (keptShare < 0.999) {
        sites.push({
          name: 'garbage: make([]byte, n)',
          weight: Number((1 - keptShare).toFixed(6)),
          size,
          pointerFields: 0,
          escapes: true,
          lifetime: { kind: 'young' },
        });
      }
      if (keptShare > 0.001) {
        sites.push({
          name: dropped
            ? 'kept until the phase ends: batch = append(batch, b)'
            : 'kept: live = append(live, b)',
          weight: Number(keptShare.toFixed(6)),
          size,
          pointerFields: 0,
          escapes: true,
          lifetime: dropped
            ? { kind: 'batch', objects: Math.min(MAX_RING_SLOTS, keptObjects) }
            : { kind: 'forever' },
        });
      }
    }
    const schedule: Phase[] = [];
    const startMs = Math.round(b.startNs / 1e6);
    if (startMs > 0) schedule.push({ kind: 'constant', ms: startMs, factor: 0 });
    schedule.push({ kind: 'constant', ms: Math.max(1, Math.round(durationNs / 1e6)), factor: 1 });
    // A script runs from the goroutine's start whatever the rate factor: it sleeps until the phase.
    const script: ScriptOp[] = anchored[k]!.length > 0 && startMs > 0 ? [{ op: 'sleep', ms: startMs }] : [];
    let doneBytes = 0;
    if (builtFirst && anchored[k]!.length > 0) {
      // The script runs before the rate-driven steps that would prefill the ring: it fills it.
      script.push({ op: 'alloc', site: sites[1]!.name, count: Math.min(MAX_RING_SLOTS, keptObjects) });
      doneBytes = keptBytes;
    }
    for (const offsetBytes of anchored[k]!) {
      if (offsetBytes <= doneBytes) {
        script.push({ op: 'gc' });
        continue;
      }
      // The bytes up to the runtime.GC(), split between the sites as their weights split the rest.
      for (const site of sites) {
        const count = Math.min(
          MAX_SCRIPT_COUNT,
          Math.round(((offsetBytes - doneBytes) * site.weight) / objectBytes),
        );
        if (count > 0) script.push({ op: 'alloc', site: site.name, count });
      }
      script.push({ op: 'gc' });
      doneBytes = offsetBytes;
    }
    kinds.push({
      name: `phase-${k + 1}`,
      count: 1,
      allocBytesPerSec: rate,
      totalBytes: Math.max(1, Math.round(allocated)),
      phases: schedule,
      sites,
      ...(script.length > 0 ? { script } : {}),
    });
  });
  const forced = forcedKind(timed);
  if (forced !== null) kinds.push(forced);
  const forcedCycles = points.filter((p) => p.forced).length;
  const stacks = stackKind(stacksBytes, stackScanBytes);
  if (stacks !== null) kinds.push(stacks);
  if (kinds.length === 0) {
    throw new FitError('the trace shows no allocation to fit (every phase allocated under 1 MiB)');
  }

  const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
  const phaseText = phases
    .map(
      (p, i) =>
        `phase ${i + 1} (gc ${p.firstSeq}–${p.lastSeq}, from ${p.startMs.toFixed(0)} ms): ${mib(p.allocatedBytes)} at ${formatByteRate(p.allocBytesPerSec)}, live ${mib(p.liveStartBytes)} → ${mib(p.liveEndBytes)}`,
    )
    .join('; ');
  const title = `Fitted to ${options.sessionName ?? 'a trace'}`.slice(0, 200);
  const description =
    `A workload fitted to ${sorted.length} cycles of a real trace (${procs} P, GOGC ${gogc === -1 ? 'off' : gogc} as its goals tell): ${phaseText}.` +
    (stacks !== null ? ` ${stacks.count} parked goroutines hold ${mib(stacksBytes)} of stacks.` : '') +
    (forcedCycles > 0 ? ` runtime.GC() where the trace's ${forcedCycles} forced cycles started.` : '');
  const scenario: Scenario = {
    formatVersion: 1,
    name: scenarioName(options),
    title,
    description: description.slice(0, 2000),
    durationMs: Math.min(MAX_DURATION_MS, Math.ceil(coveredMs)),
    globalsBytes,
    goroutines: kinds,
  };
  return {
    // Through the validator: what the fit makes is what a user could have written.
    scenario: parseScenario(scenario),
    settings: { gogc, procs, goalFitError, stackScanBytes },
    phases,
    forcedCycles,
  };
}
