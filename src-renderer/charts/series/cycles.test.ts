import { describe, expect, it } from 'vitest';
import { cycleRecord } from '../../test-support/records';
import {
  cycleBuckets,
  cycleEndTitle,
  endOfCyclePoints,
  intervalTitle,
  intervalSteps,
  lastEndMs,
  spanIndexOfStep,
  spanLabel,
  stepIndexAt,
  sumOf,
} from './cycles';

/** A cycle from `startMs` whose mark phase lasts `markMs` (the other phases take no time). */
function cycleAt(seq: number, startMs: number, markMs = 1) {
  return cycleRecord({ seq, startNs: startMs * 1e6, sweepTermNs: 0, markNs: markMs * 1e6, markTermNs: 0 });
}

describe('cycleBuckets', () => {
  it('gives each cycle its own interval, from the previous cycle end to its own', () => {
    const buckets = cycleBuckets([cycleAt(1, 10), cycleAt(2, 30, 2)]);

    expect(buckets.map(({ firstSeq, lastSeq, fromNs, toNs }) => [firstSeq, lastSeq, fromNs, toNs])).toEqual([
      [1, 1, 0, 11e6],
      [2, 2, 11e6, 32e6],
    ]);
  });

  it('orders cycles by start time', () => {
    const buckets = cycleBuckets([cycleAt(2, 30), cycleAt(1, 10)]);

    expect(buckets.map((b) => b.firstSeq)).toEqual([1, 2]);
  });

  it('merges neighbours into equal runs when there are more cycles than points', () => {
    const cycles = [1, 2, 3, 4, 5].map((seq) => cycleAt(seq, seq * 10));

    const buckets = cycleBuckets(cycles, 2);

    expect(buckets.map((b) => [b.firstSeq, b.lastSeq, b.fromNs, b.toNs])).toEqual([
      [1, 3, 0, 31e6],
      [4, 5, 31e6, 51e6],
    ]);
    expect(buckets[1]?.last.seq).toBe(5);
  });

  it('is empty without cycles', () => {
    expect(cycleBuckets([])).toEqual([]);
  });
});

describe('sumOf', () => {
  it('adds the known values and skips the unknown', () => {
    const cycles = [
      cycleRecord({ poolGets: 3 }),
      cycleRecord({ poolGets: null }),
      cycleRecord({ poolGets: 4 }),
    ];

    expect(sumOf(cycles, 'poolGets')).toBe(7);
  });

  it('is null when no cycle knows the value', () => {
    expect(sumOf([cycleRecord({ poolGets: null })], 'poolGets')).toBeNull();
  });
});

describe('intervalSteps', () => {
  const spans = [
    { firstSeq: 1, lastSeq: 1, fromNs: 0, toNs: 10e6, value: 5 },
    { firstSeq: 2, lastSeq: 2, fromNs: 10e6, toNs: 25e6, value: 7 },
  ];

  it('starts at the first interval and ends each value where its interval ends', () => {
    expect(intervalSteps(spans, (s) => s.value)).toEqual([
      { x: 0, y: 5 },
      { x: 10, y: 5 },
      { x: 25, y: 7 },
    ]);
  });

  it('maps a point back to its interval, the leading point to the first', () => {
    expect([0, 1, 2].map(spanIndexOfStep)).toEqual([0, 0, 1]);
  });

  it('puts one point per span at its end for end-of-cycle values', () => {
    expect(endOfCyclePoints(spans, (s) => s.value)).toEqual([
      { x: 10, y: 5 },
      { x: 25, y: 7 },
    ]);
  });
});

describe('stepIndexAt', () => {
  const points = [
    { x: 0, y: 1 },
    { x: 10, y: 1 },
    { x: 25, y: 2 },
    { x: 40, y: 3 },
  ];

  it.each([
    [0, 1],
    [4, 1],
    [10, 1],
    [10.5, 2],
    [25, 2],
    [39, 3],
    [40, 3],
  ])('finds the interval holding x = %d: point %d', (x, index) => {
    expect(stepIndexAt(points, x)).toBe(index);
  });

  it('finds nothing before the first interval, after the last, or without an interval', () => {
    expect(stepIndexAt(points, -1)).toBe(-1);
    expect(stepIndexAt(points, 41)).toBe(-1);
    expect(stepIndexAt([{ x: 0, y: 1 }], 0)).toBe(-1);
  });
});

describe('spanLabel', () => {
  it('names one cycle or a run of them', () => {
    expect(spanLabel({ firstSeq: 4, lastSeq: 4, fromNs: 0, toNs: 1 })).toBe('Cycle 4');
    expect(spanLabel({ firstSeq: 4, lastSeq: 9, fromNs: 0, toNs: 1 })).toBe('Cycles 4–9');
  });
});

describe('lastEndMs', () => {
  it('is where the last span ends, so a time axis stops at the last cycle', () => {
    expect(lastEndMs(cycleBuckets([cycleAt(1, 10), cycleAt(2, 30, 2)]))).toBe(32);
    expect(lastEndMs([])).toBe(0);
  });
});

describe('tooltip titles', () => {
  it('gives the interval a point counted over, from the start for the first cycle', () => {
    expect(intervalTitle({ firstSeq: 1, lastSeq: 1, fromNs: 0, toNs: 42_600_000 })).toBe(
      'Cycle 1 · start → 42.6 ms',
    );
    expect(intervalTitle({ firstSeq: 2, lastSeq: 3, fromNs: 7_470, toNs: 1_512_000_000 })).toBe(
      'Cycles 2–3 · 7.47 µs → 1.51 s',
    );
  });

  it('gives the cycle end a point was taken at', () => {
    expect(cycleEndTitle({ firstSeq: 4, lastSeq: 4, fromNs: 0, toNs: 81_000_000 })).toBe(
      'Cycle 4 · ends at 81.0 ms',
    );
  });
});
