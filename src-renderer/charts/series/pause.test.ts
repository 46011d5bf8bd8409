import { describe, expect, it } from 'vitest';
import { cycleRecord } from '../../test-support/records';
import { pauseSeries } from './pause';

describe('pauseSeries', () => {
  it('puts one point per cycle at its start time, in microseconds for sub-millisecond pauses', () => {
    const series = pauseSeries([
      cycleRecord({ seq: 1, startNs: 2_000_000, pauseNs: 120_000 }),
      cycleRecord({ seq: 2, startNs: 7_500_000, pauseNs: 480_000, trigger: 'forced' }),
    ]);

    expect(series.scale.unit).toBe('µs');
    expect(series.points).toEqual([
      { x: 2, y: 120, seq: 1, pauseNs: 120_000, trigger: 'heap' },
      { x: 7.5, y: 480, seq: 2, pauseNs: 480_000, trigger: 'forced' },
    ]);
  });

  it('switches to milliseconds when the longest pause reaches one', () => {
    const series = pauseSeries([
      cycleRecord({ pauseNs: 300_000 }),
      cycleRecord({ seq: 2, pauseNs: 2_500_000 }),
    ]);

    expect(series.scale.unit).toBe('ms');
    expect(series.points.map((p) => p.y)).toEqual([0.3, 2.5]);
    expect(series.maxPauseNs).toBe(2_500_000);
  });

  it('orders points by start time', () => {
    const series = pauseSeries([
      cycleRecord({ seq: 2, startNs: 9_000_000 }),
      cycleRecord({ seq: 1, startNs: 1_000_000 }),
    ]);

    expect(series.points.map((p) => p.seq)).toEqual([1, 2]);
  });

  it('is empty without cycles', () => {
    expect(pauseSeries([]).points).toEqual([]);
  });
});
