/**
 * How closely a simulated session matches a real Go program's trace, cycle by cycle, by the
 * acceptance rule of the collectors issue: the number of cycles within ±15 %; the heap goal and
 * the marked bytes of every cycle after the third within ±10 %; forced cycles where the real ones
 * are.
 *
 *  1. Cycles are aligned by sequence number (gc N beside gc N). A row is made for every sequence
 *     number either side has; a cycle only one side has gets no per-cycle error: the count
 *     criterion is what judges a missing or extra cycle. In practice both sides number from 1, so
 *     the per-cycle errors are taken over their common prefix.
 *  2. gctrace prints heap sizes in whole MB, floored (bytes >> 20; importGctrace stores N × 2^20
 *     and reports the precision), so a real "34 MB goal" is any value in [34, 35) MiB. An error is
 *     the distance from the simulated value to the nearest point of that interval, relative to the
 *     interval's middle: a simulation inside it is exact. With an exact "real" side (precision 1
 *     byte, e.g. another simulation) this is the plain relative error.
 *  3. Cycles 1..SKIPPED_CYCLES are shown but not judged: they are paced from the 4 MiB minimum heap
 *     while the program builds its live set. Neither are cycles the caller excludes (a real run the
 *     machine disturbed), nor the goal of a cycle where either side had no goal (GOGC=off with no
 *     memory limit: gctrace prints ~2^44 MB, the importer stores 0; the pacer says Infinity).
 *  4. Forced cycles (runtime.GC(); gctrace's "(forced)") must be at the same sequence numbers on
 *     both sides, over the whole of both sessions. Periodic (2-minute) cycles are not "forced":
 *     gctrace does not mark them.
 */
import type { CycleRecord, CycleTrigger } from '../engine/record';

export const CYCLE_COUNT_TOLERANCE = 0.15;
export const PER_CYCLE_TOLERANCE = 0.1;
/** Cycles 1..SKIPPED_CYCLES are not held to the per-cycle tolerance. */
export const SKIPPED_CYCLES = 3;
/** What gctrace prints heap sizes to. */
export const GCTRACE_PRECISION_BYTES = 1 << 20;

/** The part of one side's cycle a comparison shows. */
export interface FidelityCycle {
  heapStartBytes: number;
  heapEndBytes: number;
  heapMarkedBytes: number;
  /** null: no goal (GOGC=off without a memory limit). */
  heapGoalBytes: number | null;
  pauseNs: number;
  trigger: CycleTrigger;
}

export interface FidelityRow {
  seq: number;
  sim: FidelityCycle | null;
  real: FidelityCycle | null;
  /** Relative errors (0 = inside the real value's printed interval); null where a side or its goal is missing. */
  goalError: number | null;
  markedError: number | null;
  /** Whether this row's errors count towards the verdict (both sides, after the first cycles, not excluded). */
  judged: boolean;
}

export interface WorstError {
  seq: number;
  error: number;
}

export interface FidelityVerdict {
  simCycles: number;
  realCycles: number;
  /** simCycles / realCycles (Infinity when the real side has none). */
  cycleRatio: number;
  cyclesOk: boolean;
  /** Rows whose errors were judged. */
  judgedCycles: number;
  /** The largest judged goal error and where it is; null when no cycle was judged. */
  worstGoal: WorstError | null;
  goalOk: boolean;
  worstMarked: WorstError | null;
  markedOk: boolean;
  forcedSim: number[];
  forcedReal: number[];
  /** Sequence numbers forced on one side only (empty = forced cycles in place). */
  forcedMismatch: number[];
  forcedOk: boolean;
  pass: boolean;
}

export interface FidelityReport {
  /** How exactly the real side's heap sizes were printed; errors are measured from that interval. */
  precisionBytes: number;
  rows: FidelityRow[];
  verdict: FidelityVerdict;
}

/** Distance from `sim` to the interval [real, real + precision), relative to the interval's middle. */
export function intervalError(sim: number, real: number, precisionBytes: number): number {
  const low = real;
  const high = real + precisionBytes;
  const distance = sim < low ? low - sim : sim >= high ? sim - high : 0;
  return distance / (real + precisionBytes / 2);
}

function shown(c: CycleRecord): FidelityCycle {
  const hasGoal = Number.isFinite(c.heapGoalBytes) && c.heapGoalBytes > 0;
  return {
    heapStartBytes: c.heapStartBytes,
    heapEndBytes: c.heapEndBytes,
    heapMarkedBytes: c.heapMarkedBytes,
    heapGoalBytes: hasGoal ? c.heapGoalBytes : null,
    pauseNs: c.pauseNs,
    trigger: c.trigger,
  };
}

function worse(worst: WorstError | null, seq: number, error: number | null): WorstError | null {
  if (error === null || (worst !== null && error <= worst.error)) return worst;
  return { seq, error };
}

/**
 * Compares a simulated session with a real trace; `precisionBytes` is how finely the trace printed
 * heap sizes (the import's report says: 1 MiB for gctrace).
 */
export function compareWithTrace(
  sim: readonly CycleRecord[],
  real: readonly CycleRecord[],
  precisionBytes = GCTRACE_PRECISION_BYTES,
  /** Cycles the real run shows disturbed by its machine (a descheduled mark): not judged. */
  excludedSeqs: readonly number[] = [],
): FidelityReport {
  const bySeq = (cycles: readonly CycleRecord[]) => new Map(cycles.map((c) => [c.seq, c]));
  const simBySeq = bySeq(sim);
  const realBySeq = bySeq(real);
  const seqs = [...new Set([...simBySeq.keys(), ...realBySeq.keys()])].sort((a, b) => a - b);
  const rows: FidelityRow[] = [];
  let worstGoal: WorstError | null = null;
  let worstMarked: WorstError | null = null;
  let judgedCycles = 0;
  for (const seq of seqs) {
    const s = simBySeq.has(seq) ? shown(simBySeq.get(seq)!) : null;
    const r = realBySeq.has(seq) ? shown(realBySeq.get(seq)!) : null;
    const simGoal = s?.heapGoalBytes ?? null;
    const realGoal = r?.heapGoalBytes ?? null;
    const goalError =
      simGoal !== null && realGoal !== null ? intervalError(simGoal, realGoal, precisionBytes) : null;
    const markedError =
      s !== null && r !== null ? intervalError(s.heapMarkedBytes, r.heapMarkedBytes, precisionBytes) : null;
    const judged = s !== null && r !== null && seq > SKIPPED_CYCLES && !excludedSeqs.includes(seq);
    rows.push({ seq, sim: s, real: r, goalError, markedError, judged });
    if (!judged) continue;
    judgedCycles++;
    worstGoal = worse(worstGoal, seq, goalError);
    worstMarked = worse(worstMarked, seq, markedError);
  }
  const forced = (cycles: readonly CycleRecord[]) =>
    cycles.filter((c) => c.trigger === 'forced').map((c) => c.seq);
  const forcedSim = forced(sim);
  const forcedReal = forced(real);
  const forcedMismatch = [
    ...forcedSim.filter((seq) => !forcedReal.includes(seq)),
    ...forcedReal.filter((seq) => !forcedSim.includes(seq)),
  ].sort((a, b) => a - b);
  const cycleRatio = real.length === 0 ? Infinity : sim.length / real.length;
  // Whole counts compared in integers: 51 of 60 is 15 % off exactly, which 51 / 60 − 1 misses by
  // a rounding error.
  const tolerancePercent = Math.round(CYCLE_COUNT_TOLERANCE * 100);
  const cyclesOk = Math.abs(sim.length - real.length) * 100 <= tolerancePercent * real.length;
  const goalOk = worstGoal === null || worstGoal.error <= PER_CYCLE_TOLERANCE;
  const markedOk = worstMarked === null || worstMarked.error <= PER_CYCLE_TOLERANCE;
  const forcedOk = forcedMismatch.length === 0;
  return {
    precisionBytes,
    rows,
    verdict: {
      simCycles: sim.length,
      realCycles: real.length,
      cycleRatio,
      cyclesOk,
      judgedCycles,
      worstGoal,
      goalOk,
      worstMarked,
      markedOk,
      forcedSim,
      forcedReal,
      forcedMismatch,
      forcedOk,
      pass: cyclesOk && goalOk && markedOk && forcedOk,
    },
  };
}
