import { describe, expect, it } from 'vitest';
import { cycleRecord, heapSample } from '../../test-support/records';
import { compareSeries } from './compare';

const MiB = 1024 * 1024;

describe('compareSeries', () => {
  const sessions = [
    {
      label: 'a · mark-sweep',
      samples: [heapSample(2_000_000, 2 * MiB), heapSample(1_000_000, 1 * MiB)],
      cycles: [cycleRecord({ seq: 1, startNs: 1_000_000, pauseNs: 2_000_000 })],
    },
    {
      label: 'b · go',
      samples: [heapSample(5_000_000, 4 * MiB)],
      cycles: [
        cycleRecord({ seq: 2, startNs: 3_000_000, pauseNs: 500_000 }),
        cycleRecord({ seq: 1, startNs: 1_500_000, pauseNs: 100_000 }),
      ],
    },
  ];

  it('draws one sorted heap line per session in MiB', () => {
    const series = compareSeries(sessions, 'alloc');

    expect(series.heap.map((s) => s.label)).toEqual(['a · mark-sweep', 'b · go']);
    expect(series.heap[0]?.points).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ]);
    expect(series.heapPointCount).toBe(3);
  });

  it('reads heap in use when asked', () => {
    const series = compareSeries(
      [{ label: 'x', samples: [{ tNs: 0, heapAllocBytes: 1, heapInUseBytes: 3 * MiB }], cycles: [] }],
      'inUse',
    );

    expect(series.heap[0]?.points).toEqual([{ x: 0, y: 3 }]);
  });

  it('puts every session’s pauses in one unit chosen by the longest pause, sorted by cycle start', () => {
    const series = compareSeries(sessions, 'alloc');

    expect(series.pauseScale.unit).toBe('ms');
    expect(series.pauses[1]?.points.map((p) => [p.seq, p.y])).toEqual([
      [1, 0.1],
      [2, 0.5],
    ]);
    expect(series.pausePointCount).toBe(3);
  });

  it('ends the shared time axis at the last sample or cycle end of any session', () => {
    expect(compareSeries(sessions, 'alloc').endMs).toBe(5);
  });

  it('is empty for no sessions', () => {
    expect(compareSeries([], 'alloc')).toMatchObject({ heap: [], pauses: [], endMs: 0, heapPointCount: 0 });
  });
});
