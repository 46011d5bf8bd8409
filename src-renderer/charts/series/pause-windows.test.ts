import { describe, expect, it } from 'vitest';
import { cycleRecord } from '../../test-support/records';
import {
  formatEdgeNs,
  nearestRank,
  pauseDurationsNs,
  pauseHistogram,
  pausePercentiles,
} from './pause-windows';

describe('pauseDurationsNs', () => {
  it('takes every pause window of every cycle, ascending', () => {
    const cycles = [
      cycleRecord({
        pauses: [
          { startNs: 0, durationNs: 30 },
          { startNs: 50, durationNs: 10 },
        ],
      }),
      cycleRecord({ pauses: [] }),
      cycleRecord({ pauses: [{ startNs: 100, durationNs: 20 }] }),
    ];

    expect(pauseDurationsNs(cycles)).toEqual([10, 20, 30]);
  });
});

describe('nearestRank', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('is the value at rank ceil(p/100 · n)', () => {
    expect(nearestRank(hundred, 50)).toBe(50);
    expect(nearestRank(hundred, 95)).toBe(95);
    expect(nearestRank(hundred, 99)).toBe(99);
    expect(nearestRank([1, 2, 3], 50)).toBe(2);
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRank([1, 2, 3, 4], 51)).toBe(3);
  });

  it('is the only value of a single sample, and NaN of none', () => {
    expect(nearestRank([7], 99)).toBe(7);
    expect(nearestRank([], 50)).toBeNaN();
  });
});

describe('pausePercentiles', () => {
  it('gives p50, p95, p99, max, the count and the total', () => {
    const sorted = Array.from({ length: 200 }, (_, i) => (i + 1) * 1000);

    expect(pausePercentiles(sorted)).toEqual({
      windows: 200,
      totalNs: 20_100_000,
      p50Ns: 100_000,
      p95Ns: 190_000,
      p99Ns: 198_000,
      maxNs: 200_000,
    });
  });

  it('is null for a session that never stopped the world', () => {
    expect(pausePercentiles([])).toBeNull();
  });
});

describe('formatEdgeNs', () => {
  it('writes an edge in its largest unit without trailing zeros', () => {
    expect(formatEdgeNs(20_000)).toBe('20 µs');
    expect(formatEdgeNs(1_000_000)).toBe('1 ms');
    expect(formatEdgeNs(500)).toBe('500 ns');
    expect(formatEdgeNs(2e9)).toBe('2 s');
  });
});

describe('pauseHistogram', () => {
  it('buckets on a 1-2-5 ladder from the shortest window to past the longest, empty rungs kept', () => {
    const buckets = pauseHistogram([12_000, 15_000, 30_000, 700_000]);

    expect(buckets.map((b) => [b.loNs, b.hiNs, b.count])).toEqual([
      [10_000, 20_000, 2],
      [20_000, 50_000, 1],
      [50_000, 100_000, 0],
      [100_000, 200_000, 0],
      [200_000, 500_000, 0],
      [500_000, 1_000_000, 1],
    ]);
    expect(buckets.map((b) => b.label)).toEqual([
      '10–20 µs',
      '20–50 µs',
      '50–100 µs',
      '100–200 µs',
      '200–500 µs',
      '500 µs–1 ms',
    ]);
  });

  it('puts a window on a rung in the bucket it opens', () => {
    const buckets = pauseHistogram([1000, 2000]);

    expect(buckets.map((b) => b.count)).toEqual([1, 1]);
    expect(buckets.map((b) => b.label)).toEqual(['1–2 µs', '2–5 µs']);
  });

  it('counts a 0 ns window in the first bucket, which then starts at 0', () => {
    const buckets = pauseHistogram([0, 3000]);

    expect(buckets).toEqual([{ loNs: 0, hiNs: 5000, count: 2, label: '< 5 µs' }]);
  });

  it('counts every window exactly once', () => {
    const sorted = Array.from({ length: 20_000 }, (_, i) => 1 + ((i * 7919) % 5_000_000)).sort(
      (a, b) => a - b,
    );

    const buckets = pauseHistogram(sorted);

    expect(buckets.reduce((sum, b) => sum + b.count, 0)).toBe(20_000);
  });

  it('is empty without pauses', () => {
    expect(pauseHistogram([])).toEqual([]);
  });
});
