import { describe, expect, it } from 'vitest';
import { cycleRecord } from '../test-support/records';
import { bestIndexes, nearestRank, optionsLabel, sessionFigures, sessionLabel, visibleRows } from './compare';
import type { CollectorInfo, SessionDetail } from './contract';

const MiB = 1024 * 1024;

function detail(config: Partial<NonNullable<SessionDetail['config']>>): SessionDetail {
  return {
    id: 1,
    name: 'run',
    source: 'simulation',
    status: 'complete',
    scenario: 'steady',
    collector: 'incremental',
    createdAt: '2025-01-01T00:00:00Z',
    cycleCount: 0,
    durationNs: 0,
    tags: [],
    sizeBytes: 0,
    config: {
      scenario: 'steady',
      customScenario: null,
      collector: 'incremental',
      gogc: 100,
      procs: 4,
      seed: 1,
      durationMs: null,
      name: null,
      ...config,
    },
    seed: 1,
    engineVersion: null,
    error: null,
    notes: '',
    stats: {
      cycles: 0,
      pauseTotalNs: 0,
      pauseP50Ns: 0,
      pauseP95Ns: 0,
      pauseP99Ns: 0,
      pauseMaxNs: 0,
      peakHeapBytes: 0,
      gcCpuFraction: 0,
      thrashing: false,
    },
    sourceReport: null,
  };
}

describe('nearestRank', () => {
  it.each([
    [99, 99],
    [50, 50],
    [1, 1],
    [100, 100],
  ])('p%d of 1..100 is %d', (percentile, expected) => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);

    expect(nearestRank(values, percentile)).toBe(expected);
  });

  it('is the largest value of a short list at p99 and null for none', () => {
    expect(nearestRank([3, 5, 9], 99)).toBe(9);
    expect(nearestRank([], 99)).toBeNull();
  });
});

describe('sessionFigures', () => {
  it('takes pause percentiles over every window of every cycle', () => {
    const cycles = [
      cycleRecord({
        seq: 1,
        pauseNs: 30,
        pauses: [
          { startNs: 0, durationNs: 10 },
          { startNs: 5, durationNs: 20 },
        ],
      }),
      cycleRecord({ seq: 2, pauseNs: 500, pauses: [{ startNs: 9, durationNs: 500 }] }),
    ];

    expect(sessionFigures(cycles)).toMatchObject({
      cycles: 2,
      pauseTotalNs: 530,
      pauseP99Ns: 500,
      pauseMaxNs: 500,
    });
  });

  it('reads GC CPU, final marked heap and leaks from the last cycle and the peak from every cycle', () => {
    const cycles = [
      cycleRecord({
        seq: 2,
        gcCpuFraction: 0.05,
        heapMarkedBytes: 3 * MiB,
        heapEndBytes: 6 * MiB,
        leakedBytes: 4096,
      }),
      cycleRecord({
        seq: 1,
        gcCpuFraction: 0.5,
        heapMarkedBytes: 1 * MiB,
        heapEndBytes: 9 * MiB,
        leakedBytes: 0,
      }),
    ];

    expect(sessionFigures(cycles)).toMatchObject({
      gcCpuFraction: 0.05,
      finalMarkedBytes: 3 * MiB,
      peakHeapBytes: 9 * MiB,
      leakedBytes: 4096,
    });
  });

  it('has no pause, CPU or heap figures without cycles', () => {
    expect(sessionFigures([])).toEqual({
      cycles: 0,
      pauseTotalNs: 0,
      pauseP99Ns: null,
      pauseMaxNs: null,
      gcCpuFraction: null,
      peakHeapBytes: null,
      finalMarkedBytes: null,
      leakedBytes: null,
    });
  });
});

describe('bestIndexes', () => {
  it('marks the smallest value, every one on a tie', () => {
    expect(bestIndexes([5, 2, null, 2], true)).toEqual([1, 3]);
  });

  it('marks the largest when more is better', () => {
    expect(bestIndexes([5, 2, 7], false)).toEqual([2]);
  });

  it('treats values that read the same once formatted as a tie', () => {
    const mib = (v: number) => `${(v / MiB).toFixed(1)} MiB`;

    expect(bestIndexes([31.5 * MiB, 31.52 * MiB], true, mib)).toEqual([]);
    expect(bestIndexes([31.5 * MiB, 31.52 * MiB, 40 * MiB], true, mib)).toEqual([0, 1]);
  });

  it('marks nothing when all values are equal or fewer than two exist', () => {
    expect(bestIndexes([3, 3], true)).toEqual([]);
    expect(bestIndexes([3, null], true)).toEqual([]);
  });
});

describe('visibleRows', () => {
  it('shows the leak row only when a session has a leak figure', () => {
    const noLeaks = sessionFigures([cycleRecord({ leakedBytes: null })]);
    const leaks = sessionFigures([cycleRecord({ leakedBytes: 10 })]);

    expect(visibleRows([noLeaks]).map((r) => r.key)).not.toContain('leakedBytes');
    expect(visibleRows([noLeaks, leaks]).map((r) => r.key)).toContain('leakedBytes');
  });
});

describe('optionsLabel', () => {
  const incremental: CollectorInfo = {
    name: 'incremental',
    title: 'Incremental',
    description: '',
    options: ['barrier'],
  };
  const markSweep: CollectorInfo = { name: 'mark-sweep', title: 'Mark-sweep', description: '', options: [] };

  it('names only the options the collector reads, with GOGC and GOMEMLIMIT', () => {
    const label = optionsLabel(
      detail({ barrier: 'yuasa', cycleCollector: true, memoryLimitBytes: 64 * MiB }),
      incremental,
    );

    expect(label).toBe('Yuasa deletion barrier, GOGC=100, GOMEMLIMIT=64.0 MiB');
  });

  it('says GOGC=off and leaves out options a collector ignores', () => {
    expect(optionsLabel(detail({ gogc: -1, barrier: 'yuasa' }), markSweep)).toBe('GOGC=off');
  });

  it('is a dash for a session without a run config (an import)', () => {
    expect(optionsLabel({ ...detail({}), config: null }, markSweep)).toBe('—');
  });
});

describe('sessionLabel', () => {
  it('adds the collector to a name that does not say it', () => {
    expect(sessionLabel({ name: 'baseline', collector: 'go' })).toBe('baseline (go)');
  });

  it('keeps a name that already names its collector, as the default names do', () => {
    expect(sessionLabel({ name: 'steady · mark-sweep · GOGC=100', collector: 'mark-sweep' })).toBe(
      'steady · mark-sweep · GOGC=100',
    );
  });

  it('keeps the name of an imported session, which has no collector', () => {
    expect(sessionLabel({ name: 'prod.log', collector: null })).toBe('prod.log');
  });
});
