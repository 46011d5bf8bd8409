import { describe, expect, it } from 'vitest';
import { cycleRecord } from '../../test-support/records';
import { hasRootsData, rootsSeries } from './roots';

const KiB = 1024;
const MiB = 1024 * KiB;

function endingAt(seq: number, endMs: number, fields: Parameters<typeof cycleRecord>[0]) {
  return cycleRecord({
    seq,
    startNs: (endMs - 1) * 1e6,
    sweepTermNs: 0,
    markNs: 1e6,
    markTermNs: 0,
    ...fields,
  });
}

describe('hasRootsData', () => {
  it('is false for a log that printed no stacks or globals', () => {
    expect(hasRootsData([cycleRecord({ stackInUseBytes: null, stacksBytes: 0, globalsBytes: 0 })])).toBe(
      false,
    );
  });

  it('is true for an imported Go 1.18+ log that printed stacks', () => {
    expect(hasRootsData([cycleRecord({ stackInUseBytes: null, stacksBytes: MiB, globalsBytes: 0 })])).toBe(
      true,
    );
  });
});

describe('rootsSeries', () => {
  const cycles = [
    endingAt(1, 10, { stackInUseBytes: 2 * MiB, stacksBytes: 512 * KiB, globalsBytes: 64 * KiB }),
    endingAt(2, 20, {
      stackInUseBytes: 3 * MiB,
      stacksBytes: 1.5 * MiB,
      globalsBytes: 64 * KiB,
      stackGrowths: 40,
      stackShrinks: 2,
      stackCopiedBytes: 96 * KiB,
    }),
  ];

  it('puts stacks in use, stacks the goal counted and globals at each cycle end, in one byte unit', () => {
    const series = rootsSeries(cycles);

    expect(series.scale.unit).toBe('MiB');
    expect(series.stackInUse).toEqual([
      { x: 10, y: 2 },
      { x: 20, y: 3 },
    ]);
    expect(series.stacksScanned.map((p) => p.y)).toEqual([0.5, 1.5]);
    expect(series.globals.map((p) => p.y)).toEqual([0.0625, 0.0625]);
  });

  it('keeps the last cycle of merged ones and adds up their stack growth', () => {
    const series = rootsSeries(cycles, 1);

    expect(series.stackInUse).toEqual([{ x: 20, y: 3 }]);
    expect(series.details[0]).toMatchObject({
      firstSeq: 1,
      lastSeq: 2,
      stackGrowths: 2 + 40,
      stackShrinks: 1 + 2,
      stackCopiedBytes: 3_072 + 96 * KiB,
    });
  });

  it('draws no stack-size line for a log that only printed scanned stacks', () => {
    const series = rootsSeries([
      endingAt(1, 10, { stackInUseBytes: null, stacksBytes: 4 * MiB, stackGrowths: null }),
    ]);

    expect(series.stackInUse).toEqual([]);
    expect(series.details[0]?.stackGrowths).toBeNull();
    expect(series.pointCount).toBe(2);
  });
});
