/**
 * The fidelity rule itself (hand-made records), and the go collector held to it on the real
 * Go 1.19.8 traces of fixtures/gctrace: churn.go at the flags each trace was recorded with.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulation, type CycleRecord } from '../engine';
import { parseGctrace } from '../formats/gctrace';
import { CHURN_GLOBALS_BYTES, churnScenario, type ChurnFlags } from '../test-support/churn';
import { cycleRecord } from '../test-support/records';
import { compareWithTrace, intervalError, type FidelityReport } from './fidelity';

const MiB = 1 << 20;
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'gctrace');

function traceCycles(file: string): CycleRecord[] {
  return parseGctrace(readFileSync(join(FIXTURES, file), 'utf8')).cycles.map((c) => c.record);
}

/**
 * The same command as a recorded trace, run again with Go 1.19.8 on a 2-CPU machine
 * (fixtures/gctrace/reruns/<trace>.runN.txt), in run order.
 */
function reruns(file: string): CycleRecord[][] {
  const stem = `${file.replace(/\.txt$/, '')}.run`;
  const runNumber = (name: string) => Number(name.slice(stem.length, -'.txt'.length));
  return readdirSync(join(FIXTURES, 'reruns'))
    .filter((name) => name.startsWith(stem))
    .sort((a, b) => runNumber(a) - runNumber(b))
    .map((name) => traceCycles(join('reruns', name)));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function cycles(goalsMiB: number[], markedMiB: number[], forced: number[] = []): CycleRecord[] {
  return goalsMiB.map((goal, i) =>
    cycleRecord({
      seq: i + 1,
      heapGoalBytes: goal * MiB,
      heapMarkedBytes: markedMiB[i]! * MiB,
      trigger: forced.includes(i + 1) ? 'forced' : 'heap',
    }),
  );
}

describe('the fidelity rule', () => {
  it('measures an error from the printed value’s whole-MB interval', () => {
    expect(intervalError(34.5 * MiB, 34 * MiB, MiB)).toBe(0);
    expect(intervalError(34 * MiB, 34 * MiB, MiB)).toBe(0);
    expect(intervalError(35 * MiB, 34 * MiB, MiB)).toBeCloseTo(0, 1);
    expect(intervalError(31.5 * MiB, 34 * MiB, MiB)).toBeCloseTo(2.5 / 34.5, 6);
  });

  it('passes a trace compared with itself', () => {
    const real = traceCycles('go1.19.8_churn_gogc100.txt');
    const { verdict } = compareWithTrace(real, real);
    expect(verdict).toMatchObject({ pass: true, cycleRatio: 1, forcedOk: true });
    expect(verdict.worstGoal!.error).toBe(0);
  });

  it('names the cycle whose goal or marked bytes are off, and ignores the first three', () => {
    const real = cycles([4, 8, 16, 34, 34, 34], [3, 7, 15, 17, 17, 17]);
    const sim = cycles([9, 8, 16, 34, 40, 34], [3, 1, 15, 17, 17, 14]);
    const { verdict } = compareWithTrace(sim, real);
    expect(verdict.goalOk).toBe(false);
    expect(verdict.worstGoal).toMatchObject({ seq: 5 });
    expect(verdict.markedOk).toBe(false);
    expect(verdict.worstMarked).toMatchObject({ seq: 6 });
    expect(verdict.cyclesOk).toBe(true);
    expect(verdict.pass).toBe(false);
  });

  it('holds the cycle count to ±15 % and forced cycles to the real ones’ places', () => {
    const real = cycles(Array(20).fill(34), Array(20).fill(17), [5, 10]);
    expect(
      compareWithTrace(cycles(Array(24).fill(34), Array(24).fill(17), [5, 10]), real).verdict.cyclesOk,
    ).toBe(false);
    expect(compareWithTrace(cycles(Array(23).fill(34), Array(23).fill(17), [5, 10]), real).verdict.pass).toBe(
      true,
    );
    expect(
      compareWithTrace(cycles(Array(20).fill(34), Array(20).fill(17), [5, 11]), real).verdict.forcedOk,
    ).toBe(false);
    // The bounds are inclusive and exact: 51 and 69 of 60 are 15 % off, 50 and 70 are not.
    const sixty = cycles(Array(60).fill(34), Array(60).fill(17));
    const count = (n: number) =>
      compareWithTrace(cycles(Array(n).fill(34), Array(n).fill(17)), sixty).verdict.cyclesOk;
    expect([50, 51, 69, 70].map(count)).toEqual([false, true, true, false]);
  });

  it('fails a trace compared with a copy whose gc 9 is shifted up by 6 MiB, naming gc 9', () => {
    const real = traceCycles('go1.19.8_churn_gogc100.txt');
    const shifted = real.map((c) =>
      c.seq === 9
        ? { ...c, heapGoalBytes: c.heapGoalBytes + 6 * MiB, heapMarkedBytes: c.heapMarkedBytes + 6 * MiB }
        : c,
    );
    const { verdict } = compareWithTrace(shifted, real);
    expect(verdict).toMatchObject({
      cyclesOk: true,
      forcedOk: true,
      goalOk: false,
      worstGoal: { seq: 9 },
      markedOk: false,
      worstMarked: { seq: 9 },
      pass: false,
    });
  });

  it('lets a copy shifted by less than the printed precision pass', () => {
    const real = traceCycles('go1.19.8_churn_gogc100.txt');
    const nudged = real.map((c) => ({ ...c, heapGoalBytes: c.heapGoalBytes + MiB - 1 }));
    expect(compareWithTrace(nudged, real).verdict).toMatchObject({ pass: true, worstGoal: { error: 0 } });
  });

  it('judges only the cycles both sides have, after the third, and says which rows it judged', () => {
    const real = cycles([4, 8, 16, 34, 34, 34], [3, 7, 15, 17, 17, 17]);
    const sim = cycles([4, 8, 16, 34, 34], [3, 7, 15, 17, 17]);
    const { rows, verdict } = compareWithTrace(sim, real);
    expect(rows.map((r) => [r.seq, r.judged, r.goalError])).toEqual([
      [1, false, 0],
      [2, false, 0],
      [3, false, 0],
      [4, true, 0],
      [5, true, 0],
      [6, false, null],
    ]);
    expect(rows[5]!.sim).toBeNull();
    expect(verdict).toMatchObject({ judgedCycles: 2, goalOk: true, cyclesOk: false });
  });

  it('names the forced cycles that are on one side only', () => {
    const real = cycles(Array(12).fill(34), Array(12).fill(17), [4, 8, 12]);
    const sim = cycles(Array(12).fill(34), Array(12).fill(17), [4, 9, 12]);
    const { verdict } = compareWithTrace(sim, real);
    expect(verdict).toMatchObject({ forcedOk: false, forcedMismatch: [8, 9], pass: false });
  });

  it('does not judge the goal where a side had none (GOGC=off without a limit)', () => {
    const real = cycles([4, 8, 16, 0, 34], [3, 7, 15, 17, 17]);
    const sim = cycles([4, 8, 16, 34, 34], [3, 7, 15, 17, 17]);
    sim[4]!.heapGoalBytes = Infinity;
    const { rows, verdict } = compareWithTrace(sim, real);
    expect(rows[3]).toMatchObject({ goalError: null, real: { heapGoalBytes: null } });
    expect(rows[4]).toMatchObject({ goalError: null, sim: { heapGoalBytes: null } });
    expect(verdict).toMatchObject({ worstGoal: null, goalOk: true, markedOk: true });
  });

  it('compares an exact real side byte for byte', () => {
    const real = cycles([4, 8, 16, 34], [3, 7, 15, 17]);
    const sim = cycles([4, 8, 16, 34.5], [3, 7, 15, 17]);
    expect(compareWithTrace(sim, real).verdict.worstGoal!.error).toBe(0);
    expect(compareWithTrace(sim, real, 1).verdict.worstGoal!.error).toBeCloseTo(0.5 / 34, 6);
  });

  it('gives each row both sides’ heap sizes, goal, pause and trigger', () => {
    const real = traceCycles('go1.19.8_churn_forced.txt');
    const row = compareWithTrace(real, real).rows.find((r) => r.seq === 12)!;
    expect(row.real).toEqual({
      heapStartBytes: 16 * MiB,
      heapEndBytes: 16 * MiB,
      heapMarkedBytes: 16 * MiB,
      heapGoalBytes: 33 * MiB,
      pauseNs: real[11]!.pauseNs,
      trigger: 'forced',
    });
    expect(row.sim).toEqual(row.real);
  });
});

/** The rows over the tolerance and the verdict: what a failing fidelity test needs to show. */
function explain(report: FidelityReport): string {
  const off = report.rows.filter((r) => r.judged && Math.max(r.goalError ?? 0, r.markedError ?? 0) > 0.1);
  return JSON.stringify({ verdict: report.verdict, off }, null, 1);
}

/**
 * The go collector on churn.go with the trace's flags, GOGC, GOMEMLIMIT and P count; `machine`:
 * the recording machine's CPUs and the binary's globals where a test gives them.
 */
function simulateChurn(
  flags: ChurnFlags,
  gogc: number,
  procs: number,
  memoryLimitBytes?: number,
  machine: { cpus?: number; globalsBytes?: number } = {},
): CycleRecord[] {
  const scenario = churnScenario(flags, machine.globalsBytes);
  return createSimulation(
    {
      scenario,
      collector: 'go',
      gogc,
      procs,
      cpus: machine.cpus,
      seed: 1,
      durationNs: scenario.durationMs * 1e6,
      memoryLimitBytes,
    },
    { snapshots: { everyCycles: 0 } },
  ).advance(Infinity).cycles;
}

describe('the go collector against real Go 1.19.8 traces', () => {
  // These three run without the binary's globals (the go-churn preset's 0), as the idle workers'
  // share (go.ts IDLE_WORKER_SHARE) was calibrated on them. With the 223 504 B the 1-P test below
  // gives, the first assist of each mark takes the globals root job (3.5 µs through its pointer
  // mask) for ~0.9 MB of credit and leaves the ring's oblets to workers holding 0.6 of a P: marks
  // of 0.6–0.7 ms of clock where the real ones take 0.5; gogc50 passes (32 cycles, goal 5.4 %,
  // marked 8.9 %), gogc100 runs 29 cycles (goal 13.7 %, marked 16.7 % off), forced 14 (13.7 %,
  // 11.7 %, its forced cycles one place off). A worker share of a whole idle P with a start-up latency of
  // 0.1–0.15 ms passes two of the three at a time, none all three: they are not calibrated yet.
  const cases: [string, ChurnFlags, number, number, number[]][] = [
    ['go1.19.8_churn_gogc100.txt', { liveMiB: 16, totalMiB: 512 }, 100, 2, []],
    ['go1.19.8_churn_gogc50.txt', { liveMiB: 16, totalMiB: 256 }, 50, 2, []],
    // gc 10 of this run marked for 2.1 ms (every other mark: 0.2–0.5 ms) while the program
    // allocated 5 MB more, marking 21 MB of a 16 MiB live set; gc 11's 42 MB goal follows from it.
    // The machine descheduled the run; no model of the program reproduces that.
    ['go1.19.8_churn_forced.txt', { liveMiB: 16, totalMiB: 128, forceEveryMiB: 32 }, 100, 2, [10, 11]],
  ];
  it.each(cases)(
    '%s: cycles, goals, marked bytes and forced cycles match',
    (file, flags, gogc, procs, excluded) => {
      const report = compareWithTrace(simulateChurn(flags, gogc, procs), traceCycles(file), MiB, excluded);
      // On failure the message is the verdict and the cycles over the tolerance.
      expect(report.verdict.pass, explain(report)).toBe(true);
    },
  );
});

describe('the go collector under a memory limit (go1.19.8_churn_gogcoff_memlimit64MiB.txt)', () => {
  // GOGC=off GOMEMLIMIT=64MiB churn -live 32 -total 512. Go 1.19 recomputes the limit's goal at
  // every trigger test: the free slots the sweeper opens count as non-heap memory until allocation
  // fills them, so right after a cycle's sweep the goal falls towards the live heap (the trace's
  // goals run from 32 to 52 MB). A goal fixed at the cycle's end would stay near the 63 MiB ceiling.
  it('moves the goal with the memory held at each test, under the limit less its 1 MiB headroom', () => {
    const cycles = memoryLimitedChurn();
    const goals = cycles.map((c) => c.heapGoalBytes);
    expect(Math.max(...goals)).toBeLessThanOrEqual(63 * MiB);
    expect(Math.min(...goals.slice(3))).toBeLessThan(50 * MiB);
    // memoryLimitHeapGoal never goes below the last cycle's heapMarked (this cycle's marked bytes
    // may pass it: what was allocated during the mark is marked too, as the real gc 12 shows).
    for (let i = 1; i < cycles.length; i++) {
      expect(cycles[i]!.heapGoalBytes).toBeGreaterThanOrEqual(cycles[i - 1]!.heapMarkedBytes);
    }
  });

  it('counts the runtime’s own mapped memory: goals top out where the real 52 MB do', () => {
    const sim = memoryLimitedChurn();
    const real = traceCycles(MEMLIMIT_TRACE);
    const maxGoal = (cs: CycleRecord[]): number => Math.max(...cs.map((c) => c.heapGoalBytes));
    // Go 1.19.8 holds ≈ 9.5 MiB besides heap objects at this heap (pacer.ts runtimeMetadataBytes;
    // 4 MiB of it the scavenge index): the goal tops out at 64 − 1 − 9.5 − the free slots left.
    // With heap objects alone it reached 63 MiB, with the arenas, chunks and mspans only 57.
    expect(maxGoal(real)).toBe(52 * MiB);
    expect(intervalError(maxGoal(sim), maxGoal(real), MiB)).toBeLessThan(0.05);
    // gc 1 allocated 57 MB before anything was freed: its 50 MB goal is the limit less that
    // memory, the 1 MiB headroom and the overage (mappedReady past the limit counts twice).
    expect(real[0]!.heapGoalBytes).toBe(50 * MiB);
    expect(intervalError(sim[0]!.heapGoalBytes, real[0]!.heapGoalBytes, MiB)).toBeLessThan(0.05);
    // The goal gctrace prints is the one of mark termination (lastHeapGoal): with a limit it
    // follows the heap the cycle grew to, so it never lies more than a few MiB above h1.
    for (const c of sim.slice(1)) expect(c.heapGoalBytes - c.heapEndBytes).toBeLessThan(5 * MiB);
  });

  it('sits on the goal’s floor after gc 1, as Go did for gc 2–11, and leaves it after as much allocation as Go', () => {
    // gc 1's sweep turns 19 MB of dead objects into free slots, which memoryLimitHeapGoal counts
    // as non-heap memory until allocation fills them (runtime/metrics in a rerun of the program
    // with Go 1.19.8, right after gc 2: 23.6 MiB unused in spans, mappedReady 67.2 MiB):
    // 64 − 1 − 9.5 − 23.6 − 3.2 of overage < 33, so the goal is its floor, the last cycle's
    // heapMarked, and the trigger with it:
    //   gc 2 @0.006s … 38->39->33 MB, 38 MB goal   (38: gc 1's marked bytes)
    //   gc 3 @0.008s … 33->33->32 MB, 33 MB goal
    // Cycles run back to back until the ring entries the churn allocated first die and free whole
    // spans (heapFree does not count against the goal): then the goal lifts off its floor. How
    // long that takes depends on the order mcentral hands spans out again (FIFO, heap.ts 2 and 6)
    // and on which half of a floor pair each cycle is: gcpacertrace and a runtime instrumented at
    // gcStart show (A) main stopped by mark termination after a refill, whose trigger test then
    // passes at once against heapLive reset to the floor, starting a cycle with no heap left
    // before the goal ("assist ratio=+1.06e+06": main parks in its first assist for the whole
    // mark, "33->33->32"), and (B) the next cycle, one refill later, at the overshoot's ratio
    // (≈ 0.3: "32->33->33"). The model has neither half (its mallocgc assists after the refill).
    const sim = memoryLimitedChurn();
    const real = traceCycles(MEMLIMIT_TRACE);
    const onFloor = (cs: CycleRecord[]): number[] =>
      cs.filter((c, i) => i > 0 && c.heapGoalBytes <= cs[i - 1]!.heapMarkedBytes).map((c) => c.seq);
    expect(onFloor(real).slice(0, 10)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(onFloor(sim)[0]).toBeLessThanOrEqual(3);
    // The first cycle whose goal is well off the floor (4 MiB over the last marked bytes) comes
    // after as much allocation as in a run of the real program: the recorded one lifted off at
    // gc 14, after 81 MB; the reruns after 70 to 117 MB (fixtures/gctrace/reruns). Simulated: 114.
    const liftOffMiB = (cs: CycleRecord[]): number => {
      const i = cs.findIndex((c, j) => j > 0 && c.heapGoalBytes - cs[j - 1]!.heapMarkedBytes > 4 * MiB);
      return allocatedBy(cs)[i]!;
    };
    expect(liftOffMiB(real)).toBe(81);
    const realLiftOffs = [real, ...reruns(MEMLIMIT_TRACE)].map(liftOffMiB);
    expect(liftOffMiB(sim)).toBeGreaterThanOrEqual(Math.min(...realLiftOffs));
    expect(liftOffMiB(sim)).toBeLessThanOrEqual(Math.max(...realLiftOffs));
  });

  it('off the floor: the allocation per cycle and the goals’ mean and range match', () => {
    const sim = memoryLimitedChurn();
    const real = traceCycles(MEMLIMIT_TRACE);
    const steady = (cs: CycleRecord[]) => {
      const i = cs.findIndex((c, j) => j > 0 && c.heapGoalBytes - cs[j - 1]!.heapMarkedBytes > 4 * MiB);
      const allocated = allocatedBy(cs);
      const rest = cs.slice(i);
      const goals = rest.map((c) => c.heapGoalBytes / MiB);
      return {
        mibPerCycle: (allocated.at(-1)! - allocated[i]!) / (cs.length - 1 - i),
        goalMeanMiB: goals.reduce((a, b) => a + b, 0) / goals.length,
        goalMinMiB: Math.min(...goals),
        goalMaxMiB: Math.max(...goals),
      };
    };
    const s = steady(sim);
    const r = steady(real);
    // Real: 10 MiB per cycle in the recorded run (sums of floored sizes: ±0.1), 9.9–11.3 in the
    // reruns; goals 39–52 MB averaging 46.3 floored. Simulated: 11.3 MiB, goals 39–53 MiB, 50.2.
    const perCycle = [r, ...reruns(MEMLIMIT_TRACE).map(steady)].map((x) => x.mibPerCycle);
    expect(s.mibPerCycle).toBeGreaterThanOrEqual(Math.min(...perCycle) * 0.95);
    expect(s.mibPerCycle).toBeLessThanOrEqual(Math.max(...perCycle) * 1.05);
    expect(intervalError(s.goalMeanMiB * MiB, r.goalMeanMiB * MiB, MiB)).toBeLessThan(0.1);
    expect(s.goalMinMiB).toBeGreaterThanOrEqual(r.goalMinMiB * 0.9);
    expect(s.goalMaxMiB).toBeLessThanOrEqual((r.goalMaxMiB + 1) * 1.1);
  });

  it('go1.19.8_churn_gogcoff_memlimit64MiB.txt: the cycle count is within ±15 % (-live 32 -total 512)', () => {
    // 56 against 60 (engine 0.3.4; 50 while mcentral's span sets were LIFO and swept in span order).
    const report = compareWithTrace(memoryLimitedChurn(), traceCycles(MEMLIMIT_TRACE), MiB);
    expect(report.verdict.cyclesOk, explain(report)).toBe(true);
  });

  // Goals and marked bytes cycle by cycle: see 'where Go does not repeat its own trace' below.
});

const MEMLIMIT_TRACE = 'go1.19.8_churn_gogcoff_memlimit64MiB.txt';
let memoryLimitedChurnCycles: CycleRecord[] | null = null;

/** churn -live 32 -total 512 under GOGC=off and GOMEMLIMIT=64MiB on 2 Ps, simulated once. */
function memoryLimitedChurn(): CycleRecord[] {
  memoryLimitedChurnCycles ??= simulateChurn({ liveMiB: 32, totalMiB: 512 }, -1, 2, 64 * MiB);
  return memoryLimitedChurnCycles;
}

/** MiB the program had allocated by each cycle's mark termination: Σ (h1 − the previous h2). */
function allocatedBy(cycles: CycleRecord[]): number[] {
  let total = 0;
  let previousMarked = 0;
  return cycles.map((c) => {
    total += (c.heapEndBytes - previousMarked) / MiB;
    previousMarked = c.heapMarkedBytes;
    return total;
  });
}

/** Bytes a churn trace allocated: Σ (h1 − the previous h2) over its cycles, plus HeapAlloc − the last h2. */
function allocatedMiB(file: string): { mib: number; cycles: number } {
  const text = readFileSync(join(FIXTURES, file), 'utf8');
  const cycles = traceCycles(file);
  let mib = 0;
  let previousMarked = 0;
  for (const c of cycles) {
    mib += (c.heapEndBytes - previousMarked) / MiB;
    previousMarked = c.heapMarkedBytes;
  }
  const heapAlloc = Number(/HeapAlloc=(\d+)/.exec(text)![1]);
  return { mib: mib + (heapAlloc - previousMarked) / MiB, cycles: cycles.length };
}

describe('the GOMAXPROCS traces (go1.19.8_churn_gomaxprocs1.txt, _gomaxprocs4.txt)', () => {
  // Their churn flags are written nowhere (the fixture notes give only GOMAXPROCS=1 and 4); the
  // traces themselves say -live 8 -total 128, the flags the tests below read them with.
  it('were run with -live 8: the 4-P run marked 8 MB in a cycle that allocated nothing while marking', () => {
    const gc10 = traceCycles('go1.19.8_churn_gomaxprocs4.txt')[9]!;
    // 22->22->8: with no allocate-black bytes the marked heap is the live set, the ring and its
    // 192 KiB backing array: [8, 9) MiB printed.
    expect(gc10.heapStartBytes).toBe(gc10.heapEndBytes);
    expect(gc10.heapMarkedBytes).toBe(8 * MiB);
  });

  it('were run with -total 128: they allocated 8 + 128 MiB, to the trace’s 1 MiB per cycle', () => {
    // The same sum on the traces whose flags are known stays within that bound too.
    const known: [string, number][] = [
      ['go1.19.8_churn_gogc100.txt', 16 + 512],
      ['go1.19.8_churn_gogc50.txt', 16 + 256],
      ['go1.19.8_churn_forced.txt', 16 + 128],
      ['go1.19.8_churn_gomaxprocs1.txt', 8 + 128],
      ['go1.19.8_churn_gomaxprocs4.txt', 8 + 128],
    ];
    for (const [file, flagsMiB] of known) {
      const { mib, cycles } = allocatedMiB(file);
      // Each term is two floored sizes apart: off by less than 1 MiB.
      expect(Math.abs(mib - flagsMiB), file).toBeLessThan(cycles + 1);
    }
    // The next round sizes are out of reach: 8 + 64 and 8 + 256.
    expect(allocatedMiB('go1.19.8_churn_gomaxprocs1.txt').mib - 72).toBeGreaterThan(14);
    expect(256 + 8 - allocatedMiB('go1.19.8_churn_gomaxprocs4.txt').mib).toBeGreaterThan(12);
  });

  it('on one P, marks with assists alone, as the real run did (background CPU 0 on every cycle)', () => {
    const real = traceCycles('go1.19.8_churn_gomaxprocs1.txt');
    const sim = simulateChurn({ liveMiB: 8, totalMiB: 128 }, 100, 1);
    expect(real.every((c) => c.backgroundCpuNs === 0 && c.assistCpuNs > 0)).toBe(true);
    expect(sim.length).toBeGreaterThan(3);
    expect(sim.every((c) => c.backgroundCpuNs === 0 && c.assistCpuNs > 0)).toBe(true);
  });

  // The binary's globals (data+bss, 223 504 B) are in every cycle's expected scan work: without
  // them the first cycle's assists expect almost none, earn credit for ~25 MB each and the mark
  // runs on to 28 MB (10 cycles, goals 11 % low). With them: 14 cycles against 13, the worst goal
  // 6.4 % low (gc 11), marked bytes within 3.1 %. The steady goal is 21–22 MB against the real 23:
  // the real marks ran to the goal (20->23 MB, 23 MB goal) where the simulated ones end ~0.5 MB
  // short of it. On one P no worker reaches gcMarkDone when the work runs out; only the next assist
  // that finds no work does (gcAssistAlloc1's completion point), so a real mark runs on while the
  // goroutine allocates on its credit. Modelled so, this trace gives 13 cycles of 20->24->12 MB
  // (goal 2 %, marked 0 %), but the fitted 1-P scenario (fit-scenario.test.ts) overshoots: its
  // last root job is a 4.6 KiB stack, whose credit at the overshoot's assist ratio is 8 MiB.
  it('go1.19.8_churn_gomaxprocs1.txt: cycles, goals and marked bytes match (-live 8 -total 128, 1 P)', () => {
    const sim = simulateChurn({ liveMiB: 8, totalMiB: 128 }, 100, 1, undefined, {
      globalsBytes: CHURN_GLOBALS_BYTES,
    });
    const report = compareWithTrace(sim, traceCycles('go1.19.8_churn_gomaxprocs1.txt'), MiB);
    expect(report.verdict.pass, explain(report)).toBe(true);
  });

  // 4 P on the recording machine's 2 CPUs. Five of the eight judged marks ran 0.8–2.3 ms of clock
  // on 0.15–1.5 ms of GC CPU while the program allocated on, 1–21 MB each:
  //   gc 4 @0.011s 3%: 0.007+0.83+0.002 ms clock, 0.015+0/0.26/0.044+0.004 ms cpu, 17->23->15 MB, 17 MB goal
  //   gc 5 @0.013s 3%: 0.036+2.1+0.041 ms clock, 0.072+0.032/0.10/0.016+0.083 ms cpu, 25->46->29 MB, 30 MB goal
  //   gc 7 @0.023s 2%: 0.008+2.3+0.001 ms clock, 0.017+0.18/0.001/1.3+0.003 ms cpu, 17->19->10 MB, 20 MB goal
  //   gc 9 @0.030s 3%: 0.013+2.3+0.001 ms clock, 0.026+0.90/0.19/0+0.002 ms cpu, 16->20->13 MB, 19 MB goal
  //   gc 11 @0.035s 3%: 0.014+1.5+0.002 ms clock, 0.028+0.18/0.20/0.13+0.004 ms cpu, 14->19->13 MB, 16 MB goal
  // and three ran as the 2-P traces' marks do, 0.27–0.35 ms:
  //   gc 6 @0.022s 2%: 0.010+0.34+0.036 ms clock, 0.021+0.045/0.20/0+0.072 ms cpu, 50->52->10 MB, 59 MB goal
  //   gc 8 @0.028s 2%: 0.009+0.35+0.039 ms clock, 0.018+0.034/0.17/0.005+0.078 ms cpu, 17->18->9 MB, 20 MB goal
  //   gc 10 @0.034s 3%: 0.007+0.27+0.030 ms clock, 0.015+0/0.16/0.043+0.061 ms cpu, 22->22->8 MB, 26 MB goal
  // With four threads wanting two CPUs, a worker or a P that gcMarkDone's ragged barrier waits for
  // sat off-CPU for up to 2 ms (a CFS wakeup granularity on 2 CPUs) while the program's thread ran
  // on: which marks the OS interrupted, and for how long, is the OS scheduler's choice in that run,
  // not the program's. Each such mark's allocate-black bytes set the next goal (gc 5's 29 MB
  // marked → gc 6's 59 MB goal), so the disturbance carries into the next cycle and into the
  // count (11 cycles; undisturbed, the model's marks take 0.18 ms and it runs 16). Eight reruns
  // of the binary with Go 1.19.8 on an idle 2-CPU machine ran 8 to 15 cycles
  // (fixtures/gctrace/reruns; see 'where Go does not repeat its own trace'). What a
  // deterministic model holds: the bytes marked by the undisturbed marks of gc 8 and gc 10 and the
  // goals computed from them (gc 9, gc 11), and the time-shared CPUs in the pause CPU
  // (stwprocs = 2). gc 6's mark was short too, but it marked 2 MB the program allocated in its
  // 0.34 ms (50->52: the heap the disturbed gc 5 left): 10 MB where the model's 0.18 ms marks
  // mark 8.7, 13 % under, and gc 7's goal follows from it.
  it('go1.19.8_churn_gomaxprocs4.txt: the marks the OS did not deschedule match (-live 8 -total 128, 4 P on 2 CPUs)', () => {
    const real = traceCycles('go1.19.8_churn_gomaxprocs4.txt');
    const sim = simulateChurn({ liveMiB: 8, totalMiB: 128 }, 100, 4, undefined, {
      cpus: 2,
      globalsBytes: CHURN_GLOBALS_BYTES,
    });
    expect(real.filter((c) => c.markNs > 0.8e6).map((c) => c.seq)).toEqual([4, 5, 7, 9, 11]);
    const report = compareWithTrace(sim, real, MiB);
    const row = (seq: number) => report.rows.find((r) => r.seq === seq)!;
    for (const seq of [8, 10]) expect(row(seq).markedError, explain(report)).toBeLessThanOrEqual(0.1);
    for (const seq of [9, 11]) expect(row(seq).goalError, explain(report)).toBeLessThanOrEqual(0.1);
    // The simulated marks are the undisturbed kind: as short as gc 6, 8 and 10.
    for (const c of sim.slice(3)) expect(c.markNs).toBeLessThan(0.35e6);
    // A pause stops the 2 CPUs, not the 4 Ps: GC CPU = Σ 2 × pause + assist + background.
    const last = sim.at(-1)!;
    const endNs = last.pauses.at(-1)!.startNs + last.pauses.at(-1)!.durationNs;
    const gcCpuNs = sim.reduce((sum, c) => sum + 2 * c.pauseNs + c.assistCpuNs + c.backgroundCpuNs, 0);
    expect(last.gcCpuFraction * endNs * 4).toBeCloseTo(gcCpuNs, -1);
    // What the disturbed marks allocated is missing from the simulated count and sizes.
    expect(report.verdict.cycleRatio).toBeGreaterThan(1.15);
  });
});

describe('where Go does not repeat its own trace (fixtures/gctrace/reruns)', () => {
  // The per-cycle rule sets gc N beside gc N, and Go itself does not repeat its cycles that
  // closely. Eight reruns of each of three recorded commands (the same binary and flags, Go 1.19.8
  // on an idle 2-CPU machine) all miss the rule against the recorded trace: GOGC=100 by 11–55 % at
  // its worst cycle (the simulation passes it), the memory limit by 30–48 % (each goal hangs on how
  // far the background sweeper got before the trigger, a race with the OS scheduler), 4 Ps on
  // 2 CPUs by 59–126 % (the OS deschedules mark workers for milliseconds at a time). Where the
  // simulation misses the rule, it is held to what Go achieves: its worst goal and marked errors
  // against the recorded trace are no larger than the median rerun's, and its cycle count is
  // within ±15 % of a run of the real program (the recorded one or a rerun).
  it.each([MEMLIMIT_TRACE, 'go1.19.8_churn_gomaxprocs4.txt', 'go1.19.8_churn_gogc100.txt'])(
    '%s: no rerun of the program meets the per-cycle rule against the recorded run',
    (file) => {
      const recorded = traceCycles(file);
      const runs = reruns(file);
      expect(runs.length).toBe(8);
      for (const run of runs) {
        const { verdict } = compareWithTrace(run, recorded, MiB);
        expect(verdict.goalOk && verdict.markedOk).toBe(false);
      }
    },
  );

  const simulated = [
    { file: MEMLIMIT_TRACE, simulate: memoryLimitedChurn },
    {
      file: 'go1.19.8_churn_gomaxprocs4.txt',
      simulate: () =>
        simulateChurn({ liveMiB: 8, totalMiB: 128 }, 100, 4, undefined, {
          cpus: 2,
          globalsBytes: CHURN_GLOBALS_BYTES,
        }),
    },
  ];
  const worst = (report: FidelityReport) => ({
    goal: report.verdict.worstGoal?.error ?? 0,
    marked: report.verdict.worstMarked?.error ?? 0,
  });

  it.each(simulated)(
    '$file: the simulation is as close to the recorded run as a rerun of the program is',
    ({ file, simulate }) => {
      const recorded = traceCycles(file);
      const runs = reruns(file);
      const sim = simulate();
      const simWorst = worst(compareWithTrace(sim, recorded, MiB));
      const runWorst = runs.map((run) => worst(compareWithTrace(run, recorded, MiB)));
      expect(simWorst.goal).toBeLessThanOrEqual(median(runWorst.map((w) => w.goal)));
      expect(simWorst.marked).toBeLessThanOrEqual(median(runWorst.map((w) => w.marked)));
      // Memory limit: 56 cycles; the recorded run 60, the reruns 52–90. 4 P: 16; the recorded
      // run 11, the reruns 8–15.
      const counts = [recorded, ...runs].map((cycles) => cycles.length);
      expect(counts.some((n) => Math.abs(sim.length - n) * 100 <= 15 * n)).toBe(true);
    },
  );
});
