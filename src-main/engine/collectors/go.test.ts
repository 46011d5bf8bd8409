import { describe, expect, it } from 'vitest';
import { PRESET_NAMES, presetScenario } from '../../test-support/presets';
import { churnScenario } from '../../test-support/churn';
import { createSimulation, type SimulationConfig } from '../simulation';
import { accountingViolations, reachableObjects } from '../testing/oracle';
import { endsThrashing } from '../../services/stats';
import type { Scenario } from '../scenario';
import { Heap } from '../heap';
import { Roots } from '../roots';
import { testCollectorContext } from '../testing/context';
import { GoCollector, markWorkers } from './go';

/** A short run of a preset under the go collector. */
function config(name: string, o: Partial<SimulationConfig> = {}): SimulationConfig {
  const scenario = presetScenario(name);
  return {
    scenario,
    collector: 'go',
    gogc: 100,
    procs: 2,
    seed: 1,
    durationNs: Math.min(scenario.durationMs, 80) * 1e6,
    ...o,
  };
}

/**
 * Runs a simulation, checking at every mark termination that every object reachable from the roots
 * is marked (the sweep that follows frees exactly the unmarked ones) and every accounting identity.
 */
function runChecked(c: SimulationConfig) {
  const problems: string[] = [];
  let checked = 0;
  const sim = createSimulation(c, {
    snapshots: { everyCycles: 0 },
    observer: {
      cycleEnd: ({ heap, roots }, record) => {
        checked++;
        for (const id of reachableObjects(heap, roots)) {
          if (!heap.isAllocated(id)) problems.push(`cycle ${record.seq}: reachable object ${id} was freed`);
          else if (heap.objectMark[id] !== 1)
            problems.push(`cycle ${record.seq}: reachable object ${id} is unmarked at mark termination`);
          if (problems.length > 5) break;
        }
        problems.push(...accountingViolations(heap).map((p) => `cycle ${record.seq}: ${p}`));
      },
    },
  });
  const out = sim.advance(Infinity);
  return { out, problems, checked };
}

describe('the go collector', () => {
  it('splits 25 % of GOMAXPROCS into dedicated and fractional workers as mgcpacer.go does', () => {
    const table = [1, 2, 3, 4, 5, 6, 7, 8, 16].map((procs) => {
      const { dedicated, fractionalGoal } = markWorkers(procs);
      return [procs, dedicated, Math.round(fractionalGoal * 10_000) / 10_000];
    });
    // reference/go-runtime.md §3.3
    expect(table).toEqual([
      [1, 0, 0.25],
      [2, 0, 0.25],
      [3, 0, 0.25],
      [4, 1, 0],
      [5, 1, 0],
      [6, 1, 0.0833],
      [7, 2, 0],
      [8, 2, 0],
      [16, 4, 0],
    ]);
  });

  it.each(PRESET_NAMES)(
    'marks every reachable object before sweeping, on %s',
    (name) => {
      for (const [procs, seed] of [
        [1, 7],
        [4, 1234],
      ] as const) {
        const { out, problems, checked } = runChecked(config(name, { procs, seed }));
        expect(problems).toEqual([]);
        expect(checked).toBe(out.cycles.length);
      }
    },
    60_000,
  );

  it('gives a heap-triggered cycle on one P no background worker: assists mark (Go 1.19 1-P trace)', () => {
    // gcStart returns to the goroutine whose allocation triggered the cycle: its P never schedules
    // a worker. runtime.GC() parks its caller, so a forced cycle's workers get the P.
    const scenario = churnScenario({ liveMiB: 8, totalMiB: 64, forceEveryMiB: 16 });
    const cycles = createSimulation(
      { scenario, collector: 'go', gogc: 100, procs: 1, seed: 1, durationNs: scenario.durationMs * 1e6 },
      { snapshots: { everyCycles: 0 } },
    ).advance(Infinity).cycles;
    const heap = cycles.filter((c) => c.trigger === 'heap');
    const forced = cycles.filter((c) => c.trigger === 'forced');
    expect(heap.length).toBeGreaterThan(2);
    expect(forced.length).toBeGreaterThan(0);
    for (const c of heap) {
      expect(c.backgroundCpuNs).toBe(0);
      expect(c.assistCpuNs).toBeGreaterThan(0);
    }
    expect(forced.some((c) => c.backgroundCpuNs > 0)).toBe(true);
  });

  it('ends a mark no earlier than the assist that took its last work: utilization stays under 1 on 2 Ps', () => {
    // One allocating goroutine, pointer-free buffers kept by globals: almost no scan work, so the
    // first assist takes the whole mark. It scans for its time before gcMarkDone can run, so the
    // mark's clock covers it and endCycle's utilization is 0.25 + assist/(mark × 2 P) ≤ 0.75.
    const scenario: Scenario = {
      formatVersion: 1,
      name: 'kept-buffers',
      title: 'Kept buffers',
      description: 'Pointer-free buffers, a share kept for good.',
      durationMs: 20,
      globalsBytes: 0,
      goroutines: [
        {
          name: 'main',
          count: 1,
          allocBytesPerSec: 4_000_000_000,
          sites: [
            {
              name: 'garbage',
              weight: 0.6,
              size: { kind: 'fixed', bytes: 2048 },
              pointerFields: 0,
              escapes: true,
              lifetime: { kind: 'young' },
            },
            {
              name: 'kept',
              weight: 0.4,
              size: { kind: 'fixed', bytes: 2048 },
              pointerFields: 0,
              escapes: true,
              lifetime: { kind: 'forever' },
            },
          ],
          totalBytes: 40 << 20,
          phases: [{ kind: 'constant', ms: 20, factor: 1 }],
        },
      ],
    };
    const cycles = createSimulation(
      { scenario, collector: 'go', gogc: 100, procs: 2, seed: 1, durationNs: scenario.durationMs * 1e6 },
      { snapshots: { everyCycles: 0 } },
    ).advance(Infinity).cycles;
    const assisted = cycles.filter((c) => c.assistCpuNs > 0);
    expect(assisted.length).toBeGreaterThan(3);
    for (const c of assisted) {
      expect(c.assistCpuNs).toBeLessThanOrEqual(c.markNs);
      expect(0.25 + c.assistCpuNs / (c.markNs * 2)).toBeLessThan(1);
    }
  });

  it('counts scannable objects allocated before a mark in its worst-case scan work (heapScan), as mcache.refill does', () => {
    // Go 1.19 grows heapScan by mcache.scanAlloc whenever it is not marking (gcController.update):
    // an array of pointers allocated before gc 1 is scan work the first mark may have to do. Past
    // the goal, revise paces assists against that worst case: scannable + stacks + globals.
    const assistRatio = (pointerFields: number) => {
      const heap = new Heap(2);
      const roots = new Roots(1, 4096);
      const arrayBytes = 256 << 10;
      const array = heap.malloc(arrayBytes, pointerFields, 0, 0);
      roots.slots[roots.addGlobal()] = array;
      // The heap is past a goal it can overshoot by 10 %: revise takes the worst-case branch.
      const heapGoalBytes = Math.round(heap.heapLiveBytes / 1.05);
      const runwayBytes = heapGoalBytes * 1.1 - heap.heapLiveBytes;
      const context = testCollectorContext(heap, roots, { pacer: { heapGoalBytes } });
      const collector = new GoCollector(context);
      collector.startCycle({ startNs: 0, trigger: 'heap' });
      for (;;) {
        const step = collector.step(collector.nextStepNs);
        if (step.finished !== null) return { ratio: step.finished.assistRatio, arrayBytes, runwayBytes };
      }
    };
    const noscan = assistRatio(0);
    const scannable = assistRatio(32 << 10);
    expect(noscan.ratio).toBeCloseTo(4096 / noscan.runwayBytes, 9);
    expect(scannable.ratio).toBeCloseTo((scannable.arrayBytes + 4096) / scannable.runwayBytes, 9);
  });

  it('parks an assist that found no mark work left to pay its debt until mark termination (gcParkAssist)', () => {
    // A goal at its floor: heapLive is the goal, so revise has 1 byte of heap left and the first
    // allocation owes all the expected scan work. The assist does what work there is, then waits.
    const parkedBy = (runwayBytes: number) => {
      const heap = new Heap(2);
      const roots = new Roots(1, 4096);
      const array = heap.malloc(256 << 10, 32 << 10, 0, 0);
      roots.slots[roots.addGlobal()] = array;
      const object = heap.malloc(1024, 0, 0, 0);
      const heapGoalBytes = heap.heapLiveBytes + runwayBytes;
      const collector = new GoCollector(testCollectorContext(heap, roots, { pacer: { heapGoalBytes } }));
      collector.startCycle({ startNs: 0, trigger: 'heap' });
      const assistNs = collector.afterMalloc(object, 0);
      const parked = collector.parkRequested;
      collector.parkRequested = false;
      for (;;) {
        const stepNs = collector.nextStepNs;
        const step = collector.step(stepNs);
        if (step.finished !== null) {
          return { assistNs, parked, unparked: [...collector.unparked], endNs: stepNs + step.stopTheWorldNs };
        }
        expect(collector.unparked).toEqual([]);
      }
    };
    const floor = parkedBy(0);
    expect(floor.assistNs).toBeGreaterThan(0);
    expect(floor.parked).toBe(true);
    // Released when the world restarts after mark termination, not before.
    expect(floor.unparked).toEqual([{ goroutine: 0, atNs: floor.endNs }]);
    // With 8 MiB of runway the same assist pays its debt and the goroutine runs on.
    const runway = parkedBy(8 << 20);
    expect(runway.parked).toBe(false);
    expect(runway.unparked).toEqual([]);
  });

  it('stretches the goal from the trigger in proportion to the worst-case scan work once a mark outruns the last one', () => {
    // revise: scan work past the last cycle's means a growing heap; Go extrapolates the runway
    // (goal − triggered) by maxScanWork / scanWorkExpected, capped at (1 + GOGC/100) × the goal.
    const reviseAfterWork = (globalsBytes: number) => {
      const heap = new Heap(2);
      const roots = new Roots(1, globalsBytes);
      const array = heap.malloc(256 << 10, 32 << 10, 0, 0);
      roots.slots[roots.addGlobal()] = array;
      const liveBytes = heap.heapLiveBytes;
      const heapGoalBytes = 2 * liveBytes;
      const collector = new GoCollector(testCollectorContext(heap, roots, { pacer: { heapGoalBytes } }));
      collector.startCycle({ startNs: 0, trigger: 'heap' });
      const state = collector as unknown as {
        scanWorkDoneBytes: number;
        assistWorkPerByte: number;
        revise(): void;
      };
      const expectedBytes = globalsBytes; // gc 1: no last heap scan, no stacks
      state.scanWorkDoneBytes = expectedBytes + 1000;
      state.revise();
      return {
        ratio: state.assistWorkPerByte,
        liveBytes,
        heapGoalBytes,
        maxScanBytes: (256 << 10) + globalsBytes,
      };
    };
    // Worst case 65 × the expected work: the cap, twice the goal at GOGC 100.
    const capped = reviseAfterWork(4096);
    expect(capped.ratio).toBeCloseTo(
      (capped.maxScanBytes - 5096) / (2 * capped.heapGoalBytes - capped.liveBytes),
      9,
    );
    // Worst case 1.25 × the expected work: the runway from the trigger grows by a quarter.
    const stretched = reviseAfterWork(1 << 20);
    const goalBytes = stretched.liveBytes + 1.25 * (stretched.heapGoalBytes - stretched.liveBytes);
    expect(stretched.ratio).toBeCloseTo(
      (stretched.maxScanBytes - (1 << 20) - 1000) / (goalBytes - stretched.liveBytes),
      9,
    );
  });

  it('runs two short pauses per cycle with the mark between them, and accounts for its CPU', () => {
    const { out } = runChecked(config('go-churn'));
    const cycles = out.cycles.slice(3);
    expect(cycles.length).toBeGreaterThan(10);
    for (const c of cycles) {
      expect(c.pauses).toHaveLength(2);
      expect(c.pauses[0]!.startNs).toBe(c.startNs);
      expect(c.pauses[0]!.durationNs).toBe(c.sweepTermNs);
      expect(c.pauses[1]!.startNs).toBe(c.startNs + c.sweepTermNs + c.markNs);
      expect(c.pauseNs).toBe(c.sweepTermNs + c.markTermNs);
      expect(c.markNs).toBeGreaterThan(c.pauseNs);
      expect(c.assistCpuNs + c.backgroundCpuNs + c.idleCpuNs).toBeGreaterThan(0);
      expect(c.markUtilization).toBeGreaterThan(0);
      expect(c.assistRatio).toBeGreaterThan(0);
      // h0 ≤ h1 (allocation continues during the mark) and marked ≥ the 16 MiB ring.
      expect(c.heapEndBytes).toBeGreaterThanOrEqual(c.heapStartBytes);
      expect(c.heapMarkedBytes).toBeGreaterThan(16 << 20);
    }
  });

  it('counts objects allocated during the mark as marked (allocate-black), so h2 grows with the mark', () => {
    const { out } = runChecked(config('go-churn'));
    const grew = out.cycles.slice(3).filter((c) => c.heapEndBytes > c.heapStartBytes);
    expect(grew.length).toBeGreaterThan(0);
    const ms = createSimulation(
      { ...config('go-churn'), collector: 'mark-sweep' },
      { snapshots: { everyCycles: 0 } },
    )
      .advance(Infinity)
      .cycles.slice(3);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(out.cycles.slice(3).map((c) => c.heapMarkedBytes))).toBeGreaterThan(
      mean(ms.map((c) => c.heapMarkedBytes)),
    );
  });

  it('pauses far less than stop-the-world mark-sweep on the same workload', () => {
    const go = runChecked(config('steady', { procs: 4 })).out.cycles;
    const ms = createSimulation(
      { ...config('steady', { procs: 4 }), collector: 'mark-sweep' },
      { snapshots: { everyCycles: 0 } },
    ).advance(Infinity).cycles;
    const maxPause = (cs: typeof go) =>
      Math.max(...cs.map((c) => Math.max(...c.pauses.map((p) => p.durationNs))));
    expect(maxPause(go) * 5).toBeLessThan(maxPause(ms));
  });

  it('blocks runtime.GC() until its cycle has ended and everything is swept', () => {
    const scenario = churnScenario({ totalMiB: 128, forceEveryMiB: 32 });
    const unsweptAfterForced: number[] = [];
    let lastTrigger = '';
    const sim = createSimulation(
      { scenario, collector: 'go', gogc: 100, procs: 2, seed: 1, durationNs: scenario.durationMs * 1e6 },
      {
        snapshots: { everyCycles: 0 },
        observer: {
          // The caller of runtime.GC() swept the heap before it returned and allocated again.
          cycleStart: ({ heap }) => {
            if (lastTrigger === 'forced') unsweptAfterForced.push(heap.unsweptSpans);
          },
          cycleEnd: (_, record) => {
            lastTrigger = record.trigger;
          },
        },
      },
    );
    const out = sim.advance(Infinity);
    // churn -total 128 -force 32 calls runtime.GC() four times (NumForcedGC=4 in the fixture).
    expect(out.cycles.filter((c) => c.trigger === 'forced')).toHaveLength(4);
    expect(unsweptAfterForced.length).toBeGreaterThanOrEqual(3);
    expect(unsweptAfterForced.every((n) => n === 0)).toBe(true);
  });

  it('sweeps what the last cycle left before stopping the world: a forced cycle pauses no longer', () => {
    // gcStart's loop of sweepone() runs on the goroutine calling runtime.GC(), with the world
    // running; finishsweep_m then finds nothing (fixture go1.19.8_churn_forced.txt: the forced
    // cycles' sweep termination is 3–5 µs, like the others').
    const scenario = churnScenario({ totalMiB: 128, forceEveryMiB: 32 });
    const unsweptAtStart = new Map<number, number>();
    const cycles = createSimulation(
      { scenario, collector: 'go', gogc: 100, procs: 2, seed: 1, durationNs: scenario.durationMs * 1e6 },
      {
        snapshots: { everyCycles: 0 },
        observer: { cycleStart: ({ heap }, seq) => unsweptAtStart.set(seq, heap.unsweptSpans) },
      },
    ).advance(Infinity).cycles;
    const forced = cycles.filter((c) => c.trigger === 'forced' && unsweptAtStart.get(c.seq)! > 0);
    expect(forced.length).toBeGreaterThan(0);
    const heapSweepTermNs = cycles.find((c) => c.trigger === 'heap')!.sweepTermNs;
    for (const c of forced) {
      expect(c.sweepTermNs).toBe(heapSweepTermNs);
      expect(c.pauses[0]!.startNs).toBe(c.startNs);
    }
  });

  it('time-shares the CPUs when GOMAXPROCS exceeds them: the program runs slower, a pause costs the CPUs', () => {
    // Four allocating goroutines on 4 Ps: on 2 CPUs each gets half of one.
    const scenario = churnScenario({ liveMiB: 8, totalMiB: 256 });
    scenario.goroutines[0]!.count = 4;
    const run = (cpus: number) =>
      createSimulation(
        { scenario, collector: 'go', gogc: 100, procs: 4, cpus, seed: 1, durationNs: 20e6 },
        { snapshots: { everyCycles: 0 } },
      ).advance(Infinity).cycles;
    const full = run(4);
    const shared = run(2);
    expect(full.length).toBeGreaterThan(10);
    // Half the CPU: about half the allocation in the same 20 ms, so about half the cycles once the
    // heap has grown to its steady goal (the first three cycles, 4 → 8 → 16 MiB, are on both).
    const steadyRatio = (shared.length - 3) / (full.length - 3);
    expect(steadyRatio).toBeGreaterThan(0.4);
    expect(steadyRatio).toBeLessThan(0.65);
    // gcCpuFraction counts each pause on min(GOMAXPROCS, CPUs) CPUs (gctrace's stwprocs).
    const gcCpuNs = (cs: typeof full, stwProcs: number) =>
      cs.reduce((sum, c) => sum + stwProcs * c.pauseNs + c.assistCpuNs + c.backgroundCpuNs, 0);
    for (const [cs, stwProcs] of [
      [full, 4],
      [shared, 2],
    ] as const) {
      const last = cs.at(-1)!;
      const endNs = last.pauses.at(-1)!.startNs + last.pauses.at(-1)!.durationNs;
      expect(last.gcCpuFraction * endNs * 4).toBeCloseTo(gcCpuNs(cs, stwProcs), -1);
    }
    expect(() => run(0)).toThrow(/cpus must be an integer ≥ 1, got 0/);
  });

  it('respects GOMEMLIMIT with GOGC=off, and thrashes (without hanging) under a limit below the live heap', () => {
    const run = (limitMiB: number) => {
      const scenario = churnScenario({ liveMiB: 32, totalMiB: 256 });
      return createSimulation(
        {
          scenario,
          collector: 'go',
          gogc: -1,
          procs: 2,
          seed: 1,
          durationNs: scenario.durationMs * 1e6,
          memoryLimitBytes: limitMiB << 20,
        },
        { snapshots: { everyCycles: 0 } },
      ).advance(Infinity).cycles;
    };
    const limited = run(64);
    expect(limited.length).toBeGreaterThan(5);
    expect(limited.every((c) => c.heapGoalBytes <= 64 << 20)).toBe(true);
    expect(endsThrashing(limited)).toBe(false);

    const starved = run(24);
    expect(starved.length).toBeGreaterThan(limited.length);
    expect(endsThrashing(starved)).toBe(true);
  });

  it('replays bit for bit, whether run in one advance() or many', () => {
    const c = config('pointer-trees', { procs: 3 });
    const once = createSimulation(c, { snapshots: { everyCycles: 0 } }).advance(Infinity);
    const split = createSimulation(c, { snapshots: { everyCycles: 0 } });
    const cycles = [];
    for (let t = 0; !split.done; t += 333_333) cycles.push(...split.advance(t).cycles);
    expect(cycles).toEqual(once.cycles);
  });
});
