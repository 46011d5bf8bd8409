import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  heapGoalBytes,
  heapMinimumBytes,
  measuredConsMark,
  pace,
  runtimeMetadataBytes,
  runwayBytes,
  triggerBytes,
  type MarkMeasurement,
  type PacerInputs,
} from './pacer';

const MiB = 1 << 20;

function inputs(overrides: Partial<PacerInputs>): PacerInputs {
  return {
    gogc: 100,
    heapMarkedBytes: 0,
    stacksBytes: 0,
    globalsBytes: 0,
    runwayBytes: 0,
    sweepDistMinTriggerBytes: 0,
    ...overrides,
  };
}

describe('pacer', () => {
  it('starts at a 4 MiB goal and a 3 997 696 B trigger at GOGC=100 (gcpacertrace of gc 1)', () => {
    const decision = pace(inputs({}));

    expect(decision).toEqual({ heapGoalBytes: 4 * MiB, triggerBytes: 3_997_696, memoryLimited: false });
  });

  it('scales the minimum heap with GOGC: a 2 MiB first goal at GOGC=50 (churn gogc50 fixture)', () => {
    expect(pace(inputs({ gogc: 50 }))).toEqual({
      heapGoalBytes: 2 * MiB,
      triggerBytes: 1_998_848,
      memoryLimited: false,
    });
    expect(heapMinimumBytes(200)).toBe(8 * MiB);
  });

  it('sets goal = heapMarked + (heapMarked + stacks + globals) · GOGC/100', () => {
    expect(heapGoalBytes(100, 16 * MiB, 8192, 8192)).toBe(33_570_816);
    expect(heapGoalBytes(50, 16 * MiB, 8192, 8192)).toBe(16 * MiB + 8_396_800);
    expect(heapGoalBytes(200, 10 * MiB, 1000, 0)).toBe(10 * MiB + 2 * (10 * MiB + 1000));
  });

  it('rounds the GOGC product down, as Go’s integer division does', () => {
    expect(heapGoalBytes(33, 10_000_001, 0, 0)).toBe(10_000_001 + 3_300_000);
  });

  it('places the trigger at heapMarked + (goal − heapMarked)/64 · 61 with no runway', () => {
    const decision = pace(inputs({ heapMarkedBytes: 16 * MiB, stacksBytes: 8192, globalsBytes: 8192 }));

    expect(decision.heapGoalBytes).toBe(33_570_816);
    expect(decision.triggerBytes).toBe(16 * MiB + 262_400 * 61);
  });

  it('lets a large runway pull the trigger down to the 45/64 floor', () => {
    const goal = 33_570_816;

    expect(triggerBytes(goal, 16 * MiB, 2 * MiB, 0)).toBe(goal - 2 * MiB);
    expect(triggerBytes(goal, 16 * MiB, 30 * MiB, 0)).toBe(16 * MiB + 262_400 * 45);
  });

  it('keeps the trigger at least 4 MiB below a large goal', () => {
    const decision = pace(inputs({ heapMarkedBytes: 100 * MiB }));

    expect(decision.heapGoalBytes).toBe(200 * MiB);
    expect(decision.triggerBytes).toBe(200 * MiB - 4 * MiB);
  });

  it('triggers at the goal once heapMarked has reached it', () => {
    expect(triggerBytes(5 * MiB, 5 * MiB, 0, 0)).toBe(5 * MiB);
  });

  it('respects the sweep-distance minimum trigger while sweeping is unfinished', () => {
    const decision = pace(inputs({ heapMarkedBytes: 16 * MiB, sweepDistMinTriggerBytes: 40 * MiB }));

    expect(decision.heapGoalBytes).toBe(40 * MiB);
    expect(decision.triggerBytes).toBe(40 * MiB);
  });

  it('never paces with GOGC=off', () => {
    expect(pace(inputs({ gogc: -1, heapMarkedBytes: 64 * MiB }))).toEqual({
      heapGoalBytes: Infinity,
      triggerBytes: Infinity,
      memoryLimited: false,
    });
  });

  it('measures cons/mark as endCycle does, negative when assists alone took over the whole mark', () => {
    const mark: MarkMeasurement = {
      heapLiveBytes: 23 * MiB,
      triggerBytes: 20 * MiB,
      markNs: 1_000_000,
      procs: 2,
      assistCpuNs: 500_000,
      idleCpuNs: 0,
      scanWorkBytes: MiB,
    };
    // u = 0.25 + 0.5 / 2 = 0.5: 3 MiB allocated per 1 MiB of scan work at equal CPU.
    expect(measuredConsMark(mark)).toBeCloseTo(3, 10);
    // One P whose assists took 1.2 ms of a 1 ms mark: u = 1.45, the estimate comes out negative.
    expect(measuredConsMark({ ...mark, procs: 1, assistCpuNs: 1_200_000 })).toBeLessThan(0);
    expect(measuredConsMark({ ...mark, heapLiveBytes: 20 * MiB })).toBeNull();
  });

  it('turns a negative cons/mark into an unbounded runway, so the trigger falls to its 45/64 floor', () => {
    expect(runwayBytes(-0.5, MiB)).toBe(Infinity);
    expect(runwayBytes(1, MiB)).toBe(3 * MiB);
    const decision = pace(inputs({ heapMarkedBytes: 10 * MiB, runwayBytes: runwayBytes(-0.5, MiB) }));
    expect(decision.heapGoalBytes).toBe(20 * MiB);
    expect(decision.triggerBytes).toBe(10 * MiB + Math.floor((10 * MiB) / 64) * 45);
  });

  it('keeps heapMarked ≤ trigger ≤ goal and the goal ≥ the minimum heap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.nat({ max: 2 ** 40 }),
        fc.nat({ max: 2 ** 30 }),
        fc.nat({ max: 2 ** 30 }),
        fc.nat({ max: 2 ** 40 }),
        (gogc, heapMarkedBytes, stacksBytes, globalsBytes, runwayBytes) => {
          const d = pace(inputs({ gogc, heapMarkedBytes, stacksBytes, globalsBytes, runwayBytes }));

          expect(d.heapGoalBytes).toBeGreaterThanOrEqual(heapMinimumBytes(gogc));
          expect(d.triggerBytes).toBeLessThanOrEqual(d.heapGoalBytes);
          expect(d.triggerBytes).toBeGreaterThanOrEqual(Math.min(heapMarkedBytes, d.heapGoalBytes));
        },
      ),
    );
  });
});

describe('runtimeMetadataBytes', () => {
  it('counts nothing before the heap maps a page', () => {
    expect(runtimeMetadataBytes(0, 0)).toBe(0);
  });

  it('counts the arenas, the page allocator, the mspans, the gcBits arenas, the runtime’s stacks and other sys', () => {
    // 60 MiB of heap is one arena; 7 121 spans (the churn -live 32 run's first cycle) are 64
    // fixalloc chunks of 113 mspans, fit the first allspans array, and need 2 gcBits arenas per
    // generation (7 121 × 16 B > 65 520 B).
    const arena = 2 * MiB + 65_536 + 3_072 + 16;
    const fixed = MiB + 131_072 + 4 * 4096 + 4_222_976 + 7 * 32_768 + 320 * 1024;
    expect(runtimeMetadataBytes(60 * MiB, 7121)).toBe(
      arena + fixed + 64 * 113 * 144 + 65_536 + 3 * 2 * 65_536,
    );
    // 68 MiB is two arenas; 8 704 spans regrow allspans by half (12 288 entries).
    expect(runtimeMetadataBytes(68 * MiB, 8704)).toBe(
      2 * arena + fixed + 78 * 113 * 144 + 12_288 * 8 + 3 * 3 * 65_536,
    );
  });

  it('comes within 0.4 MiB of what Go 1.19.8 maps besides heap objects at the churn run’s first cycle', () => {
    // runtime/metrics of churn -live 32 -total 512 (GOGC=off GOMEMLIMIT=64MiB) at gc 1:
    // total − heap released − heap free − heap objects − heap unused = 9.47 MiB (metadata/other
    // 7.70, mspan 1.00, heap stacks 0.22, other 0.54, mcache 0.01). What the model leaves out
    // (spanSet blocks, work buffers, the unused tails of persistentalloc's chunks) is the rest.
    const measuredBytes = 9.47 * MiB;
    const modelBytes = runtimeMetadataBytes(60 * MiB, 7121);
    expect(modelBytes).toBeLessThanOrEqual(measuredBytes);
    expect(measuredBytes - modelBytes).toBeLessThan(0.4 * MiB);
  });
});
