/**
 * How closely a simulated session matches a real Go program's trace, cycle by cycle, by the
 * acceptance rule of the collectors issue: the number of cycles within ±15 %; the heap goal and
 * the marked bytes of every cycle after the third within ±10 %; forced cycles where the real ones
 * are.
 *
 * gctrace prints heap sizes in whole MB, truncated (heapGoal>>20), so a real "34 MB goal" is any
 * value in [34, 35) MiB. An error is the distance from the simulated value to that interval,
 * relative to the interval's middle: a simulation inside it is exact. Per-cycle errors are taken
 * over the cycles both sessions have, aligned by sequence number; the first three are left out
 * (they are paced from the 4 MiB minimum heap while the program builds its live set). The i-th
 * forced cycle of the simulation must have the sequence number of the real i-th one.
 */
import type { CycleRecord } from '../engine/record';

export const CYCLE_COUNT_TOLERANCE = 0.15;
export const PER_CYCLE_TOLERANCE = 0.1;
/** Cycles 1..SKIPPED_CYCLES are not held to the per-cycle tolerance. */
export const SKIPPED_CYCLES = 3;
const MiB = 1 << 20;

export interface FidelityRow {
  seq: number;
  sim: CycleRecord | null;
  real: CycleRecord | null;
  /** Relative errors (0 = inside the real value's printed interval); null where a side is missing. */
  goalError: number | null;
  markedError: number | null;
}

export interface WorstError {
  seq: number;
  error: number;
}

export interface FidelityVerdict {
  simCycles: number;
  realCycles: number;
  /** simCycles / realCycles. */
  cycleRatio: number;
  cyclesOk: boolean;
  worstGoal: WorstError | null;
  goalOk: boolean;
  worstMarked: WorstError | null;
  markedOk: boolean;
  forcedSim: number[];
  forcedReal: number[];
  forcedOk: boolean;
  pass: boolean;
}

export interface FidelityReport {
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

/**
 * Compares a simulated session with a real trace; `precisionBytes` is how finely the trace printed
 * heap sizes (1 MiB for gctrace's MB).
 */
export function compareWithTrace(
  sim: readonly CycleRecord[],
  real: readonly CycleRecord[],
  precisionBytes = MiB,
  /** Cycles the real run shows disturbed by its machine (a descheduled mark): not held to ±10 %. */
  excludedSeqs: readonly number[] = [],
): FidelityReport {
  const bySeq = (cycles: readonly CycleRecord[]) => new Map(cycles.map((c) => [c.seq, c]));
  const simBySeq = bySeq(sim);
  const realBySeq = bySeq(real);
  const lastSeq = Math.max(0, ...sim.map((c) => c.seq), ...real.map((c) => c.seq));
  const rows: FidelityRow[] = [];
  let worstGoal: WorstError | null = null;
  let worstMarked: WorstError | null = null;
  for (let seq = 1; seq <= lastSeq; seq++) {
    const s = simBySeq.get(seq) ?? null;
    const r = realBySeq.get(seq) ?? null;
    const both = s !== null && r !== null;
    const goalError = both ? intervalError(s.heapGoalBytes, r.heapGoalBytes, precisionBytes) : null;
    const markedError = both ? intervalError(s.heapMarkedBytes, r.heapMarkedBytes, precisionBytes) : null;
    rows.push({ seq, sim: s, real: r, goalError, markedError });
    if (seq <= SKIPPED_CYCLES || excludedSeqs.includes(seq)) continue;
    if (goalError !== null && (worstGoal === null || goalError > worstGoal.error))
      worstGoal = { seq, error: goalError };
    if (markedError !== null && (worstMarked === null || markedError > worstMarked.error)) {
      worstMarked = { seq, error: markedError };
    }
  }
  const forced = (cycles: readonly CycleRecord[]) =>
    cycles.filter((c) => c.trigger === 'forced').map((c) => c.seq);
  const forcedSim = forced(sim);
  const forcedReal = forced(real);
  const cycleRatio = real.length === 0 ? Infinity : sim.length / real.length;
  const cyclesOk = Math.abs(cycleRatio - 1) <= CYCLE_COUNT_TOLERANCE;
  const goalOk = worstGoal === null || worstGoal.error <= PER_CYCLE_TOLERANCE;
  const markedOk = worstMarked === null || worstMarked.error <= PER_CYCLE_TOLERANCE;
  const forcedOk =
    forcedSim.length === forcedReal.length && forcedSim.every((seq, i) => seq === forcedReal[i]);
  return {
    rows,
    verdict: {
      simCycles: sim.length,
      realCycles: real.length,
      cycleRatio,
      cyclesOk,
      worstGoal,
      goalOk,
      worstMarked,
      markedOk,
      forcedSim,
      forcedReal,
      forcedOk,
      pass: cyclesOk && goalOk && markedOk && forcedOk,
    },
  };
}

/** The report as a side-by-side table and verdict lines (what `heapscope compare` prints). */
export function formatFidelityReport(report: FidelityReport, simName: string, realName: string): string {
  const mb = (bytes: number) => (bytes / MiB).toFixed(1);
  const side = (c: CycleRecord | null) =>
    c === null
      ? '—'.padEnd(30)
      : `${mb(c.heapStartBytes)}->${mb(c.heapEndBytes)}->${mb(c.heapMarkedBytes)} MB, ${mb(c.heapGoalBytes)} goal${c.trigger === 'forced' ? ' (forced)' : ''}`.padEnd(
          30,
        );
  const pct = (e: number | null) => (e === null ? '—' : `${(e * 100).toFixed(1)} %`).padStart(8);
  const lines = [
    `${'gc'.padStart(4)}  ${`simulated: ${simName}`.padEnd(30)}  ${`real: ${realName}`.padEnd(30)}  ${'goal err'.padStart(8)}  ${'marked err'.padStart(10)}`,
  ];
  for (const row of report.rows) {
    lines.push(
      `${String(row.seq).padStart(4)}  ${side(row.sim)}  ${side(row.real)}  ${pct(row.goalError)}  ${pct(row.markedError).padStart(10)}`,
    );
  }
  const v = report.verdict;
  const ok = (pass: boolean) => (pass ? 'ok  ' : 'FAIL');
  const worst = (w: WorstError | null) =>
    w === null ? 'no common cycles after the third' : `worst ${(w.error * 100).toFixed(1)} % at gc ${w.seq}`;
  lines.push(
    '',
    `${ok(v.cyclesOk)} cycles: ${v.simCycles} simulated, ${v.realCycles} real (ratio ${v.cycleRatio.toFixed(2)}, within ±${CYCLE_COUNT_TOLERANCE * 100} %)`,
    `${ok(v.goalOk)} heap goal after gc ${SKIPPED_CYCLES}: ${worst(v.worstGoal)} (within ±${PER_CYCLE_TOLERANCE * 100} %)`,
    `${ok(v.markedOk)} marked after gc ${SKIPPED_CYCLES}: ${worst(v.worstMarked)} (within ±${PER_CYCLE_TOLERANCE * 100} %)`,
    `${ok(v.forcedOk)} forced cycles: simulated at [${v.forcedSim.join(', ')}], real at [${v.forcedReal.join(', ')}]`,
    v.pass ? 'PASS: the simulation matches the trace' : 'FAIL: the simulation does not match the trace',
  );
  return lines.join('\n');
}
