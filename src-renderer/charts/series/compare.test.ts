import { describe, expect, it } from 'vitest';
import { cycleRecord, heapSample } from '../../test-support/records';
import { compareSeries, cyclePosition, type CompareInput } from './compare';

const MiB = 1024 * 1024;

describe('compareSeries', () => {
  const sessions: CompareInput[] = [
    {
      label: 'a · mark-sweep',
      source: 'simulation',
      samples: [heapSample(2_000_000, 2 * MiB), heapSample(1_000_000, 1 * MiB)],
      cycles: [cycleRecord({ seq: 1, startNs: 1_000_000, pauseNs: 2_000_000 })],
    },
    {
      label: 'b · go',
      source: 'simulation',
      samples: [heapSample(5_000_000, 4 * MiB)],
      cycles: [
        cycleRecord({ seq: 2, startNs: 3_000_000, pauseNs: 500_000 }),
        cycleRecord({ seq: 1, startNs: 1_500_000, pauseNs: 100_000 }),
      ],
    },
  ];
  const quick = { sweepTermNs: 0, markNs: 0, markTermNs: 0 };

  it('draws one sorted heap line per session in MiB', () => {
    const series = compareSeries(sessions, 'alloc');

    expect(series.heap.lines.map((s) => s.label)).toEqual(['a · mark-sweep', 'b · go']);
    expect(series.heap.lines[0]?.points).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ]);
    expect(series.heap.pointCount).toBe(3);
  });

  it('reads heap in use when asked', () => {
    const series = compareSeries(
      [
        {
          label: 'x',
          source: 'simulation',
          samples: [{ tNs: 0, heapAllocBytes: 1, heapInUseBytes: 3 * MiB }],
          cycles: [],
        },
      ],
      'inUse',
    );

    expect(series.heap.lines[0]?.points).toEqual([{ x: 0, y: 3 }]);
  });

  it('draws live and goal once per cycle, at its end or at its number', () => {
    const input: CompareInput = {
      label: 'x',
      source: 'simulation',
      samples: [],
      cycles: [
        cycleRecord({
          seq: 2,
          startNs: 4_000_000,
          ...quick,
          heapMarkedBytes: 3 * MiB,
          heapGoalBytes: 6 * MiB,
        }),
        cycleRecord({
          seq: 1,
          startNs: 2_000_000,
          ...quick,
          heapMarkedBytes: 2 * MiB,
          heapGoalBytes: 4 * MiB,
        }),
      ],
    };

    expect(compareSeries([input], 'live', 'time').heap.lines[0]?.points).toEqual([
      { x: 2, y: 2 },
      { x: 4, y: 3 },
    ]);
    expect(compareSeries([input], 'goal', 'cycle').heap.lines[0]?.points).toEqual([
      { x: 1, y: 4 },
      { x: 2, y: 6 },
    ]);
  });

  it('says which session has no goal instead of drawing one', () => {
    const off = cycleRecord({ heapGoalBytes: Infinity });

    const series = compareSeries(
      [{ label: 'off', source: 'simulation', samples: [], cycles: [off] }],
      'goal',
    );

    expect(series.heap.pointCount).toBe(0);
    expect(series.heap.missing).toEqual([
      { label: 'off', reason: 'no heap goal (GOGC=off without a memory limit)' },
    ]);
  });

  it('puts every session’s pauses in one unit chosen by the longest pause, sorted by cycle start', () => {
    const series = compareSeries(sessions, 'alloc');

    expect(series.pauseScale.unit).toBe('ms');
    expect(series.pauses.lines[1]?.points.map((p) => [p.seq, p.y])).toEqual([
      [1, 0.1],
      [2, 0.5],
    ]);
    expect(series.pauses.pointCount).toBe(3);
  });

  it('puts pauses at their cycle number when aligned by cycle', () => {
    const series = compareSeries(sessions, 'alloc', 'cycle');

    expect(series.pauses.lines[1]?.points.map((p) => p.x)).toEqual([1, 2]);
    expect(series.endX).toBeCloseTo(2 + 2 / 1.5, 10);
  });

  it('ends the shared time axis at the last sample or cycle end of any session', () => {
    expect(compareSeries(sessions, 'alloc').endX).toBe(5);
  });

  it('takes GC CPU per interval between cycle ends over the interval × GOMAXPROCS', () => {
    const cycle = cycleRecord({
      seq: 1,
      startNs: 9_000_000,
      sweepTermNs: 0,
      markNs: 1_000_000,
      markTermNs: 0,
      procs: 2,
      pauseNs: 500_000,
      assistCpuNs: 1_000_000,
      backgroundCpuNs: 1_000_000,
      idleCpuNs: 0,
    });

    const series = compareSeries(
      [{ label: 'x', source: 'simulation', samples: [], cycles: [cycle] }],
      'alloc',
    );

    // (0.5 ms × 2 + 2 ms) / (10 ms × 2)
    expect(series.gcCpu.lines[0]?.points).toEqual([{ x: 10, y: 15, seq: 1 }]);
  });

  it('draws pool hit rates and names the sessions without pool counters and why', () => {
    const imported: CompareInput = {
      label: 'prod.log',
      source: 'gctrace',
      samples: [],
      cycles: [cycleRecord({ poolGets: null, poolMisses: null })],
    };
    const noPool: CompareInput = {
      label: 'no pool',
      source: 'simulation',
      samples: [],
      cycles: [cycleRecord({ poolGets: 0, poolMisses: 0 })],
    };
    const pooled: CompareInput = {
      label: 'pooled',
      source: 'simulation',
      samples: [],
      cycles: [cycleRecord({ seq: 3, poolGets: 100, poolMisses: 20 })],
    };

    const series = compareSeries([imported, noPool, pooled], 'alloc', 'cycle');

    expect(series.poolHitRate.lines.map((l) => l.points)).toEqual([[], [], [{ x: 3, y: 80, seq: 3 }]]);
    expect(series.poolHitRate.missing).toEqual([
      { label: 'prod.log', reason: 'imported gctrace traces have no sync.Pool counters' },
      { label: 'no pool', reason: 'its scenario never called sync.Pool Get' },
    ]);
  });

  it('is empty for no sessions', () => {
    expect(compareSeries([], 'alloc')).toMatchObject({
      heap: { lines: [], pointCount: 0, missing: [] },
      pauses: { lines: [] },
      endX: 0,
    });
  });
});

describe('cyclePosition', () => {
  const starts = [
    { seq: 1, startNs: 100 },
    { seq: 2, startNs: 300 },
    { seq: 3, startNs: 400 },
  ];

  it.each([
    [0, 0],
    [50, 0.5],
    [100, 1],
    [200, 1.5],
    [300, 2],
    [350, 2.5],
    [450, 3.5],
  ])('puts t = %d ns at cycle %d', (tNs, x) => {
    expect(cyclePosition(starts, tNs)).toBeCloseTo(x, 10);
  });

  it('is 0 without cycles and the cycle itself for a single cycle at t = 0', () => {
    expect(cyclePosition([], 500)).toBe(0);
    expect(cyclePosition([{ seq: 1, startNs: 0 }], 0)).toBe(1);
  });
});
