import { describe, expect, it } from 'vitest';
import { cycleRecord } from '../test-support/records';
import {
  baselineIndex,
  FIGURE_ROWS,
  figureDelta,
  nearestRank,
  optionsLabel,
  poolHitRate,
  sessionFigures,
  sessionLabel,
  visibleRows,
  type FigureKey,
  type FigureRow,
} from './compare';
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
      leakedObjects: null,
      leakedBytes: null,
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
      pauseP50Ns: 20,
      pauseP95Ns: 500,
      pauseP99Ns: 500,
      pauseMaxNs: 500,
    });
  });

  it('takes the peak over h0 and h1 and the mean over h1 of every cycle', () => {
    const cycles = [
      cycleRecord({ heapStartBytes: 8 * MiB, heapEndBytes: 6 * MiB }),
      cycleRecord({ heapStartBytes: 1 * MiB, heapEndBytes: 2 * MiB }),
    ];

    expect(sessionFigures(cycles)).toMatchObject({ peakHeapBytes: 8 * MiB, meanHeapBytes: 4 * MiB });
  });

  it('takes the peak over the samples too, as the heap chart draws them', () => {
    const cycles = [cycleRecord({ heapStartBytes: 20 * MiB, heapEndBytes: 28 * MiB })];
    const samples = [
      { tNs: 1, heapAllocBytes: 51 * MiB, heapInUseBytes: 52 * MiB },
      { tNs: 2, heapAllocBytes: 3 * MiB, heapInUseBytes: 4 * MiB },
    ];

    expect(sessionFigures(cycles, samples).peakHeapBytes).toBe(51 * MiB);
    expect(sessionFigures(cycles, []).peakHeapBytes).toBe(28 * MiB);
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
      pauseP50Ns: null,
      pauseP95Ns: null,
      pauseP99Ns: null,
      pauseMaxNs: null,
      gcCpuFraction: null,
      peakHeapBytes: null,
      meanHeapBytes: null,
      finalMarkedBytes: null,
      poolHitRate: null,
      leakedBytes: null,
    });
  });
});

describe('figureDelta', () => {
  const row = (key: FigureKey): FigureRow => FIGURE_ROWS.find((r) => r.key === key)!;

  it('is better when a lower-is-better figure falls, with the difference and its share', () => {
    expect(figureDelta(row('pauseP99Ns'), 1_500_000, 2_000_000)).toEqual({
      difference: -500_000,
      relative: -0.25,
      verdict: 'better',
      text: '\u2212500 µs (\u221225.0 %)',
    });
  });

  it('is worse when a higher-is-better figure falls, in percentage points for a fraction', () => {
    expect(figureDelta(row('poolHitRate'), 0.6, 0.8)).toMatchObject({
      verdict: 'worse',
      text: '\u221220.00 pp (\u221225.0 %)',
    });
  });

  it('is worse when heap grows and better when pool hits grow', () => {
    expect(figureDelta(row('peakHeapBytes'), 12 * MiB, 10 * MiB)?.verdict).toBe('worse');
    expect(figureDelta(row('poolHitRate'), 0.9, 0.8)?.verdict).toBe('better');
  });

  it('calls values that read the same once formatted the same, and leaves cycles unranked', () => {
    expect(figureDelta(row('peakHeapBytes'), 31.5 * MiB, 31.52 * MiB)).toMatchObject({
      verdict: 'same',
      text: 'same',
    });
    expect(figureDelta(row('cycles'), 12, 10)).toMatchObject({ verdict: 'unranked', text: '+2 (+20.0 %)' });
  });

  it('has no share of a zero baseline and no delta without both values', () => {
    expect(figureDelta(row('leakedBytes'), 4096, 0)).toMatchObject({ relative: null, text: '+4.00 KiB' });
    expect(figureDelta(row('leakedBytes'), null, 0)).toBeNull();
    expect(figureDelta(row('leakedBytes'), 10, null)).toBeNull();
  });
});

describe('baselineIndex', () => {
  it('is the picked session, or the first when none is picked or it is gone', () => {
    expect(baselineIndex([4, 7, 9], 9)).toBe(2);
    expect(baselineIndex([4, 7, 9], null)).toBe(0);
    expect(baselineIndex([4, 7], 9)).toBe(0);
  });
});

describe('poolHitRate', () => {
  it('is the share of Gets served without New over every cycle with counters', () => {
    const cycles = [
      cycleRecord({ poolGets: 100, poolMisses: 20 }),
      cycleRecord({ poolGets: 100, poolMisses: 0 }),
      cycleRecord({ poolGets: null, poolMisses: null }),
    ];

    expect(poolHitRate(cycles)).toBe(0.9);
  });

  it('is null without a Get', () => {
    expect(poolHitRate([cycleRecord({ poolGets: 0, poolMisses: 0 })])).toBeNull();
    expect(poolHitRate([])).toBeNull();
  });
});

describe('visibleRows', () => {
  it('shows the pool row only when a session has pool counters', () => {
    const imported = sessionFigures([cycleRecord({ poolGets: null, poolMisses: null })]);
    const pooled = sessionFigures([cycleRecord()]);

    expect(visibleRows([imported]).map((r) => r.key)).not.toContain('poolHitRate');
    expect(visibleRows([imported, pooled]).map((r) => r.key)).toContain('poolHitRate');
  });

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

  it('says when the Ps shared fewer CPUs, and not when the CPUs were as many or more', () => {
    expect(optionsLabel(detail({ procs: 4, cpus: 2 }), markSweep)).toBe('GOGC=100, 4 P on 2 CPUs');
    expect(optionsLabel(detail({ procs: 4, cpus: 4 }), markSweep)).toBe('GOGC=100');
    expect(optionsLabel(detail({ procs: 4, cpus: null }), markSweep)).toBe('GOGC=100');
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
