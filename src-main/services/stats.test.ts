import { describe, expect, it } from 'vitest';
import { cycleRecord } from '../test-support/records';
import { percentile, sessionStats } from './stats';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);

    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});

describe('sessionStats', () => {
  it('aggregates pauses, peak heap and the final GC CPU fraction', () => {
    const cycles = [
      cycleRecord({ seq: 1, pauseNs: 300, heapStartBytes: 10, heapEndBytes: 12, gcCpuFraction: 0.2 }),
      cycleRecord({ seq: 2, pauseNs: 100, heapStartBytes: 40, heapEndBytes: 30, gcCpuFraction: 0.1 }),
      cycleRecord({ seq: 3, pauseNs: 200, heapStartBytes: 20, heapEndBytes: 25, gcCpuFraction: 0.05 }),
    ];

    expect(sessionStats(cycles)).toEqual({
      cycles: 3,
      pauseTotalNs: 600,
      pauseP50Ns: 200,
      pauseP95Ns: 300,
      pauseP99Ns: 300,
      pauseMaxNs: 300,
      peakHeapBytes: 40,
      gcCpuFraction: 0.05,
    });
  });

  it('is all zeros for a session without cycles', () => {
    expect(sessionStats([])).toMatchObject({ cycles: 0, pauseMaxNs: 0, peakHeapBytes: 0, gcCpuFraction: 0 });
  });
});
