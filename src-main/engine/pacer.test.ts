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

  it('counts a heapArena per 64 MiB, the chunk array, the mspans in 16 KiB chunks and the bucket hash', () => {
    // 68 MiB of heap is two arenas; 8 704 mspans of 160 B are 85 fixalloc chunks.
    const arena = 2 * MiB + 65_536 + 3_072;
    expect(runtimeMetadataBytes(68 * MiB, 8704)).toBe(2 * arena + MiB + 85 * 16_384 + 1_439_992);
    // About 8 MiB: the real 64 MiB-limit trace's goals never rise past 52 MB.
    expect(runtimeMetadataBytes(68 * MiB, 8704) / MiB).toBeCloseTo(7.8, 1);
  });
});
