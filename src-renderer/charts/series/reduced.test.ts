import { describe, expect, it } from 'vitest';
import type { ReducedSeries } from '../../lib/contract';
import { reducedHeapSeries, reducedPauseSeries, totalsFromSums } from './reduced';
import { cycleTotals } from './totals';
import { cycleRecord } from '../../test-support/records';

const MiB = 1024 * 1024;

function reduced(overrides: Partial<ReducedSeries> = {}): ReducedSeries {
  return {
    sessionId: 1,
    startNs: 0,
    endNs: 10_000_000,
    sessionEndNs: 10_000_000,
    bucketNs: 5_000_000,
    cycleCount: 3,
    sampleCount: 5,
    samples: [
      {
        bucket: 0,
        samples: 3,
        minTNs: 1_000_000,
        minHeapAllocBytes: 1 * MiB,
        maxTNs: 4_000_000,
        maxHeapAllocBytes: 4 * MiB,
      },
      {
        bucket: 1,
        samples: 2,
        minTNs: 9_000_000,
        minHeapAllocBytes: 2 * MiB,
        maxTNs: 6_000_000,
        maxHeapAllocBytes: 5 * MiB,
      },
    ],
    cycles: [
      {
        bucket: 0,
        cycles: 2,
        firstSeq: 1,
        lastSeq: 2,
        startNs: 2_000_000,
        endNs: 4_500_000,
        nonHeapTriggers: 0,
        maxPauseNs: 300_000,
        maxPauseSeq: 2,
        maxPauseStartNs: 4_000_000,
        maxPauseTrigger: 'heap',
        heapMarkedMaxBytes: 2 * MiB,
        heapGoalMaxBytes: 4 * MiB,
        heapTriggerMaxBytes: 3 * MiB,
      },
      {
        bucket: 1,
        cycles: 1,
        firstSeq: 3,
        lastSeq: 3,
        startNs: 7_000_000,
        endNs: 8_000_000,
        nonHeapTriggers: 1,
        maxPauseNs: 2_000_000,
        maxPauseSeq: 3,
        maxPauseStartNs: 7_000_000,
        maxPauseTrigger: 'forced',
        heapMarkedMaxBytes: 3 * MiB,
        heapGoalMaxBytes: 6 * MiB,
        heapTriggerMaxBytes: 5 * MiB,
      },
    ],
    totals: {
      poolGets: null,
      poolHits: null,
      poolHitsVictim: null,
      poolMisses: null,
      heapAllocations: null,
      heapAllocatedBytes: null,
      stackAllocations: null,
      stackAllocatedBytes: null,
      peakStackInUseBytes: null,
    },
    ...overrides,
  };
}

describe('reducedHeapSeries', () => {
  it('draws each bucket as its lowest and highest sample, in time order', () => {
    const series = reducedHeapSeries(reduced());

    expect(series.allocMiB).toEqual([
      { x: 1, y: 1 },
      { x: 4, y: 4 },
      { x: 6, y: 5 },
      { x: 9, y: 2 },
    ]);
  });

  it('holds the last goal and marks to the end of the range, and marks forced buckets', () => {
    const series = reducedHeapSeries(reduced({ startNs: 1_000_000 }));

    expect(series.goalMiB).toEqual([
      { x: 2, y: 4 },
      { x: 7, y: 6 },
      { x: 10, y: 6 },
    ]);
    expect(series.markedMiB.at(-1)).toEqual({ x: 10, y: 3 });
    expect(series.gcSpans.map((s) => s.trigger)).toEqual(['heap', 'forced']);
    expect(series.startMs).toBe(1);
    expect(series.endMs).toBe(10);
  });
});

describe('reducedPauseSeries', () => {
  it('draws each bucket as its longest pause, at that cycle, in a unit that reads ≥ 1', () => {
    const series = reducedPauseSeries(reduced());

    expect(series.maxPauseNs).toBe(2_000_000);
    expect(series.points.map((p) => [p.x, p.seq, p.trigger])).toEqual([
      [4, 2, 'heap'],
      [7, 3, 'forced'],
    ]);
    expect(series.points[1]!.y).toBeCloseTo(2_000_000 / series.scale.nsPerUnit);
  });
});

describe('totalsFromSums', () => {
  it('gives the totals cycleTotals adds up from the same cycles', () => {
    const cycles = [cycleRecord({ seq: 1 }), cycleRecord({ seq: 2, poolGets: 50, stackInUseBytes: 99_999 })];
    const sum = (f: (c: (typeof cycles)[number]) => number | null): number =>
      cycles.reduce((s, c) => s + (f(c) ?? 0), 0);

    const totals = totalsFromSums({
      poolGets: sum((c) => c.poolGets),
      poolHits:
        sum((c) => c.poolHitsPrivate) +
        sum((c) => c.poolHitsShared) +
        sum((c) => c.poolHitsStolen) +
        sum((c) => c.poolHitsVictim),
      poolHitsVictim: sum((c) => c.poolHitsVictim),
      poolMisses: sum((c) => c.poolMisses),
      heapAllocations: sum((c) => c.heapAllocations),
      heapAllocatedBytes: sum((c) => c.heapAllocatedBytes),
      stackAllocations: sum((c) => c.stackAllocations),
      stackAllocatedBytes: sum((c) => c.stackAllocatedBytes),
      peakStackInUseBytes: 99_999,
    });

    expect(totals).toEqual(cycleTotals(cycles));
  });

  it('leaves out what no cycle recorded', () => {
    expect(totalsFromSums(reduced().totals)).toEqual({ pool: null, alloc: null, peakStackInUseBytes: null });
  });
});
