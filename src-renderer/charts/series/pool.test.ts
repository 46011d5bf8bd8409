import { describe, expect, it } from 'vitest';
import type { CycleRecord } from '../../lib/contract';
import { cycleRecord } from '../../test-support/records';
import { hasPoolData, poolSeries } from './pool';

function poolCycle(seq: number, startMs: number, counts: Partial<CycleRecord>) {
  return cycleRecord({
    seq,
    startNs: startMs * 1e6,
    sweepTermNs: 0,
    markNs: 1e6,
    markTermNs: 0,
    poolGets: 0,
    poolHitsPrivate: 0,
    poolHitsShared: 0,
    poolHitsStolen: 0,
    poolHitsVictim: 0,
    poolMisses: 0,
    poolPuts: 0,
    poolDropped: 0,
    ...counts,
  });
}

describe('hasPoolData', () => {
  it('is false for an imported session and for a scenario without pools', () => {
    expect(hasPoolData([cycleRecord({ poolGets: null })])).toBe(false);
    expect(hasPoolData([cycleRecord({ poolGets: 0 })])).toBe(false);
  });

  it('is true once any cycle counted a Get', () => {
    expect(hasPoolData([cycleRecord({ poolGets: null }), cycleRecord({ poolGets: 1 })])).toBe(true);
  });
});

describe('poolSeries', () => {
  const cycles = [
    poolCycle(1, 9, {
      poolGets: 200,
      poolHitsPrivate: 120,
      poolHitsShared: 30,
      poolHitsStolen: 10,
      poolHitsVictim: 0,
      poolMisses: 40,
    }),
    poolCycle(2, 19, {
      poolGets: 100,
      poolHitsPrivate: 50,
      poolHitsShared: 10,
      poolHitsStolen: 5,
      poolHitsVictim: 25,
      poolMisses: 10,
      poolDropped: 3,
    }),
  ];

  it('splits the gets of each interval by source in percent, stacking to 100 with the misses', () => {
    const series = poolSeries(cycles);

    expect(series.privatePct.map((p) => p.y)).toEqual([60, 60, 50]);
    expect(series.sharedPct.map((p) => p.y)).toEqual([15, 15, 10]);
    expect(series.stolenPct.map((p) => p.y)).toEqual([5, 5, 5]);
    expect(series.victimPct.map((p) => p.y)).toEqual([0, 0, 25]);
    expect(series.missPct.map((p) => p.y)).toEqual([20, 20, 10]);
  });

  it('puts the hit rate at hits over gets for the interval each cycle ends', () => {
    const series = poolSeries(cycles);

    expect(series.hitRatePct).toEqual([
      { x: 0, y: 80 },
      { x: 10, y: 80 },
      { x: 20, y: 90 },
    ]);
  });

  it('counts victim hits and victim drops as objects', () => {
    const series = poolSeries(cycles);

    expect(series.victimHits.map((p) => p.y)).toEqual([0, 0, 25]);
    expect(series.dropped.map((p) => p.y)).toEqual([0, 0, 3]);
  });

  it('leaves a gap where an interval had no Get rather than a 0 % hit rate', () => {
    const series = poolSeries([poolCycle(1, 9, { poolGets: 0, poolDropped: 4 })]);

    expect(series.hitRatePct.map((p) => p.y)).toEqual([Number.NaN, Number.NaN]);
    expect(series.dropped.map((p) => p.y)).toEqual([4, 4]);
  });

  it('sums the counters of merged cycles before taking shares', () => {
    const series = poolSeries(cycles, 1);

    expect(series.details).toEqual([
      expect.objectContaining({ firstSeq: 1, lastSeq: 2, gets: 300, hitsVictim: 25, misses: 50, dropped: 3 }),
    ]);
    expect(series.hitRatePct.map((p) => p.y)).toEqual([250 / 3, 250 / 3]);
    expect(series.cyclesPerPoint).toBe(2);
  });

  it('ends its time axis at the last cycle end', () => {
    expect(poolSeries(cycles).endMs).toBe(20);
  });

  it('counts the points of all eight series', () => {
    expect(poolSeries(cycles).pointCount).toBe(8 * 3);
  });
});
