import { describe, expect, it } from 'vitest';
import type { CycleRecord } from '../../lib/contract';
import { cycleRecord } from '../../test-support/records';
import { allocSeries, hasAllocData, perSecond } from './alloc';

const MiB = 1024 * 1024;

/** A cycle ending at `endMs`, its mark phase the last millisecond. */
function allocCycle(seq: number, endMs: number, counts: Partial<CycleRecord>) {
  return cycleRecord({
    seq,
    startNs: (endMs - 1) * 1e6,
    sweepTermNs: 0,
    markNs: 1e6,
    markTermNs: 0,
    ...counts,
  });
}

function ys(points: readonly { y: number }[]): number[] {
  return points.map((p) => Number(p.y.toPrecision(9)));
}

describe('hasAllocData', () => {
  it('is false when no cycle counted allocations (an imported log)', () => {
    expect(hasAllocData([cycleRecord({ heapAllocations: null, heapAllocatedBytes: null })])).toBe(false);
  });
});

describe('perSecond', () => {
  it('divides by the interval in seconds of virtual time', () => {
    expect(perSecond(500, { firstSeq: 1, lastSeq: 1, fromNs: 0, toNs: 250e6 })).toBe(2000);
  });

  it('is NaN for an unknown count or an empty interval', () => {
    expect(perSecond(null, { firstSeq: 1, lastSeq: 1, fromNs: 0, toNs: 1e6 })).toBeNaN();
    expect(perSecond(5, { firstSeq: 1, lastSeq: 1, fromNs: 7, toNs: 7 })).toBeNaN();
  });
});

describe('allocSeries', () => {
  const cycles = [
    allocCycle(1, 10, {
      heapAllocations: 5_000,
      heapAllocatedBytes: 10 * MiB,
      stackAllocations: 1_000,
      stackAllocatedBytes: 2 * MiB,
    }),
    allocCycle(2, 30, {
      heapAllocations: 4_000,
      heapAllocatedBytes: 60 * MiB,
      stackAllocations: 0,
      stackAllocatedBytes: 0,
    }),
  ];

  it('turns each interval into bytes per second, in the unit of the fastest', () => {
    const series = allocSeries(cycles);

    expect(series.scale.unit).toBe('GiB');
    expect(ys(series.heapBytesRate)).toEqual([1000 / 1024, 1000 / 1024, 3000 / 1024]);
    expect(ys(series.stackBytesRate)).toEqual([200 / 1024, 200 / 1024, 0]);
  });

  it('counts heap objects per second over the same intervals', () => {
    const series = allocSeries(cycles);

    expect(series.heapObjectsRate.map((p) => [p.x, Math.round(p.y)])).toEqual([
      [0, 500_000],
      [10, 500_000],
      [30, 200_000],
    ]);
  });

  it('rates merged cycles over their whole interval', () => {
    const series = allocSeries(cycles, 1);

    expect(series.scale.unit).toBe('GiB');
    expect(ys(series.heapBytesRate)).toEqual(
      [70 / 30 / 1.024, 70 / 30 / 1.024].map((v) => Number(v.toPrecision(9))),
    );
    expect(series.details[0]).toMatchObject({ heapObjects: 9_000, stackObjects: 1_000, stackBytes: 2 * MiB });
  });

  it('draws no stack line when no cycle counted stack allocations', () => {
    const series = allocSeries([allocCycle(1, 10, { stackAllocations: null, stackAllocatedBytes: null })]);

    expect(series.stackBytesRate).toEqual([]);
    expect(series.pointCount).toBe(2 + 2);
  });
});
