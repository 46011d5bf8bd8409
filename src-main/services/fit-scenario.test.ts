/**
 * Fitting a scenario to a real trace, held to the Go 1.19.8 traces of fixtures/gctrace: the fitted
 * scenario, simulated by the go collector under the settings the trace was recorded with, must
 * land near the trace's cycle count, live heap and goal.
 *
 * Tolerances (relative to the trace; live heap and goal are means over the cycles after the third,
 * the trace's values read as the middle of their whole-MB interval). ±25 % unless a case says
 * otherwise; measured errors with this fit are in the comments.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulation, type CycleRecord } from '../engine';
import { parseGctrace } from '../formats/gctrace';
import { parseScenario } from '../formats/scenario';
import { cycleRecord } from '../test-support/records';
import { FitError, MAX_PHASES, fitScenario } from './fit-scenario';

const MiB = 1 << 20;
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'gctrace');

function traceCycles(file: string): CycleRecord[] {
  return parseGctrace(readFileSync(join(FIXTURES, file), 'utf8')).cycles.map((c) => c.record);
}

function simulate(cycles: readonly CycleRecord[], gogc: number | null, memoryLimitBytes: number | null) {
  const fit = fitScenario(cycles, { sessionName: 'trace' });
  const run = createSimulation(
    {
      scenario: fit.scenario,
      collector: 'go',
      gogc: gogc ?? fit.settings.gogc,
      procs: fit.settings.procs,
      seed: 1,
      durationNs: fit.scenario.durationMs * 1e6,
      memoryLimitBytes: memoryLimitBytes ?? Infinity,
    },
    { snapshots: { everyCycles: 0 } },
  );
  return { fit, sim: run.advance(Infinity).cycles };
}

interface Shape {
  cycles: number;
  liveBytes: number;
  goalBytes: number;
  forcedSeqs: number[];
}

function shapeOf(cycles: readonly CycleRecord[], half: number): Shape {
  const after = cycles.slice(3);
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  return {
    cycles: cycles.length,
    liveBytes: mean(after.map((c) => c.heapMarkedBytes + half)),
    goalBytes: mean(after.map((c) => c.heapGoalBytes).filter((g) => Number.isFinite(g) && g > 0)) + half,
    forcedSeqs: cycles.filter((c) => c.trigger === 'forced').map((c) => c.seq),
  };
}

interface Case {
  file: string;
  /** The settings the trace was recorded with (null: the ones the fit reads from its goals). */
  gogc: number | null;
  memoryLimitBytes: number | null;
  cycleTolerance: number;
  liveTolerance: number;
  goalTolerance: number;
  /** The forced cycles land at the trace's sequence numbers. */
  forcedInPlace: boolean;
}

const base = {
  gogc: 100,
  memoryLimitBytes: null,
  cycleTolerance: 0.25,
  liveTolerance: 0.25,
  goalTolerance: 0.25,
  forcedInPlace: false,
};
// Each comment: the simulation's cycles, mean live heap and mean goal against the trace's, as measured.
const cases: Case[] = [
  // +6 %, −2 %, −3 %.
  {
    ...base,
    file: 'go1.19.8_churn_gogc100.txt',
    cycleTolerance: 0.1,
    liveTolerance: 0.1,
    goalTolerance: 0.1,
  },
  // +18 %, −8 %, −10 %.
  { ...base, file: 'go1.19.8_churn_gogc50.txt', gogc: 50, liveTolerance: 0.15, goalTolerance: 0.15 },
  // +13 %, −8 %, −12 %; the four forced cycles come one or two cycles early.
  { ...base, file: 'go1.19.8_churn_forced.txt' },
  // 0 %, +20 %, +14 %: on one P assists do every mark, and the fitted buffers cost them no scan
  // work, so the marks are shorter than the real ones and the heap they leave a little higher.
  { ...base, file: 'go1.19.8_churn_gomaxprocs1.txt' },
  // +27 %, −18 %, −14 %. Four Ps on a two-core machine: gc 4 and gc 5 marked 6 and 21 MB that
  // the program allocated while they ran, and the trace has fewer cycles for it.
  { ...base, file: 'go1.19.8_churn_gomaxprocs4.txt', cycleTolerance: 0.4 },
  // GOGC=off, GOMEMLIMIT=64MiB: under the GOGC its goals tell (25): +5 %, +1 %, −2 %.
  { ...base, file: 'go1.19.8_churn_gogcoff_memlimit64MiB.txt', gogc: null },
  // +20 % (6 cycles against 5), +7 %, −5 %.
  { ...base, file: 'go1.19.8_churn_pacertrace.txt' },
  // 8/8 with the forced cycles in place, −8 %, −7 %.
  {
    ...base,
    file: 'go1.19.8_scav.txt',
    cycleTolerance: 0,
    liveTolerance: 0.15,
    goalTolerance: 0.15,
    forcedInPlace: true,
  },
];

/**
 * Traces the fit does not yet reproduce within the tolerances, and why: the fitted buffers are held
 * in global root slots that cost the mark no scan work, so one assist can finish a whole mark.
 */
const unmatched: { file: string; why: string }[] = [
  {
    file: 'go1.19.8_stacks.txt',
    why: 'live heap +38 %, goal +16 %: the simulated marks idle-mark far less than the real ones (4–6 ms), so more is allocated while they run',
  },
];

describe('a scenario fitted to a real trace', () => {
  for (const { file, why } of unmatched)
    it.todo(`${file}: cycles, live heap and goal land near the trace (${why})`);

  it.each(cases)('$file: cycles, live heap and goal land near the trace', (c) => {
    const real = traceCycles(c.file);
    const { sim } = simulate(real, c.gogc, c.memoryLimitBytes);
    const want = shapeOf(real, MiB / 2);
    const got = shapeOf(sim, 0);
    const off = (a: number, b: number) => Math.abs(a - b) / b;
    const report = JSON.stringify({ want, got });
    expect(off(got.cycles, want.cycles), report).toBeLessThanOrEqual(c.cycleTolerance);
    expect(off(got.liveBytes, want.liveBytes), report).toBeLessThanOrEqual(c.liveTolerance);
    expect(off(got.goalBytes, want.goalBytes), report).toBeLessThanOrEqual(c.goalTolerance);
    expect(got.forcedSeqs.length, report).toBe(want.forcedSeqs.length);
    if (c.forcedInPlace) expect(got.forcedSeqs).toEqual(want.forcedSeqs);
  });

  it('keeps the live heap of a GOGC=off, GOMEMLIMIT=64MiB trace under its real settings', () => {
    // Cycles and goals differ here: the simulated memory limit paces to ≈ 63 of 64 MiB where Go
    // 1.19 paced to ≈ 45 MB (it counts its free pages not yet returned to the OS against the limit).
    const real = traceCycles('go1.19.8_churn_gogcoff_memlimit64MiB.txt');
    const { sim } = simulate(real, -1, 64 * MiB);
    const want = shapeOf(real, MiB / 2).liveBytes;
    expect(Math.abs(shapeOf(sim, 0).liveBytes - want) / want).toBeLessThanOrEqual(0.25);
  });

  it.each([
    ['go1.19.8_churn_gogc100.txt', 100],
    ['go1.19.8_churn_gogc50.txt', 50],
    ['go1.19.8_churn_gomaxprocs1.txt', 100],
    ['go1.19.8_stacks.txt', 100],
    ['go1.19.8_scav.txt', 100],
  ])('%s: reads GOGC %i from the goals, within 10 %', (file, gogc) => {
    const { settings } = fitScenario(traceCycles(file));
    expect(Math.abs(settings.gogc - gogc) / gogc).toBeLessThanOrEqual(0.1);
  });

  it('reads the P count and the stack bytes the goal counted', () => {
    const stacks = fitScenario(traceCycles('go1.19.8_stacks.txt'));
    expect(fitScenario(traceCycles('go1.19.8_churn_gomaxprocs4.txt')).settings.procs).toBe(4);
    // Go 1.19 printed 31 MB of stack sizes; its goals counted ≈ 26 MB of them.
    expect(stacks.settings.stackScanBytes / MiB).toBeGreaterThan(22);
    expect(stacks.settings.stackScanBytes / MiB).toBeLessThan(30);
    const parked = stacks.scenario.goroutines.find((k) => k.name === 'parked')!;
    expect(parked.count * 16 * 1024).toBeCloseTo(31.5 * MiB, -6);
  });

  it('splits a trace into a few phases: the start-up and the steady state, the build and the idle drop', () => {
    const churn = fitScenario(traceCycles('go1.19.8_churn_gogc100.txt')).phases;
    const scav = fitScenario(traceCycles('go1.19.8_scav.txt')).phases;
    expect(churn.length).toBe(2);
    expect(churn[1]!.liveEndBytes / MiB).toBeGreaterThan(16);
    expect(scav.map((p) => [p.firstSeq, p.lastSeq])).toEqual([
      [1, 6],
      [7, 8],
    ]);
    expect(scav[1]!.allocBytesPerSec).toBe(0);
    for (const file of ['go1.19.8_churn_gogcoff_memlimit64MiB.txt', 'go1.19.8_stacks.txt']) {
      expect(fitScenario(traceCycles(file)).phases.length).toBeLessThanOrEqual(MAX_PHASES);
    }
  });

  it('makes a scenario the validator accepts, the same every time', () => {
    const cycles = traceCycles('go1.19.8_churn_forced.txt');
    const first = fitScenario(cycles, { sessionId: 12, sessionName: 'churn -force 32' });
    expect(parseScenario(JSON.parse(JSON.stringify(first.scenario)))).toEqual(first.scenario);
    expect(first.scenario.name).toBe('fit-12');
    expect(fitScenario([...cycles].reverse(), { sessionId: 12, sessionName: 'churn -force 32' })).toEqual(
      first,
    );
  });

  it('fits a long trace (2 000 cycles over 50 minutes, a live heap growing to 2 GB) into a valid scenario', () => {
    const cycles = synthetic(2000, 50 * 60e9, (i) => (100 + (1900 * i) / 2000) * MiB);
    const fit = fitScenario(cycles);
    expect(parseScenario(JSON.parse(JSON.stringify(fit.scenario)))).toEqual(fit.scenario);
    expect(fit.settings.gogc).toBe(100);
    expect(fit.phases.length).toBeLessThanOrEqual(MAX_PHASES);
    expect(fit.phases.at(-1)!.liveEndBytes / MiB).toBeGreaterThan(1800);
  });

  it('refuses a trace longer than a scenario can cover, saying what to do', () => {
    const cycles = synthetic(100, 2 * 3600e9, () => 64 * MiB);
    expect(() => fitScenario(cycles)).toThrow(
      /covers 2\.0 h of the program's time and a scenario at most 1 h/,
    );
  });

  it('refuses a session without cycles', () => {
    expect(() => fitScenario([])).toThrow(FitError);
  });
});

/** `n` GOGC=100 cycles evenly over `spanNs`, each marking `liveBytes(i)`, in whole MB as gctrace prints. */
function synthetic(n: number, spanNs: number, liveBytes: (i: number) => number): CycleRecord[] {
  const mb = (bytes: number) => Math.floor(bytes / MiB) * MiB;
  return Array.from({ length: n }, (_, i) => {
    const live = liveBytes(i);
    const previous = i === 0 ? live : liveBytes(i - 1);
    const goal = previous * 2;
    return cycleRecord({
      seq: i + 1,
      startNs: Math.round(((i + 1) * spanNs) / n),
      heapStartBytes: mb(goal * 0.95),
      heapEndBytes: mb(goal),
      heapMarkedBytes: mb(live),
      heapGoalBytes: mb(goal),
      stacksBytes: 0,
      globalsBytes: 0,
      procs: 8,
    });
  });
}
