import { describe, expect, it } from 'vitest';
import { cycleRecord } from '../test-support/records';
import { compareFigures, compareStats } from './compare';
import { sessionStats } from './stats';

const MiB = 1 << 20;

describe('compare figures', () => {
  const cycles = [cycleRecord({ seq: 1, heapStartBytes: 20 * MiB, heapEndBytes: 28 * MiB })];
  const samples = [
    { tNs: 500_000, heapAllocBytes: 51 * MiB, heapInUseBytes: 52 * MiB },
    { tNs: 900_000, heapAllocBytes: 5 * MiB, heapInUseBytes: 6 * MiB },
  ];

  it('takes peak heap over the cycles and the samples, as the session stats do', () => {
    expect(compareFigures(cycles, samples).peakHeapBytes).toBe(51 * MiB);
    expect(compareFigures(cycles, samples).peakHeapBytes).toBe(sessionStats(cycles, samples).peakHeapBytes);
    expect(compareFigures(cycles).peakHeapBytes).toBe(28 * MiB);
    expect(compareFigures([]).peakHeapBytes).toBeNull();
  });

  it('puts the samples peak in the compare table', () => {
    const session = (id: number) => ({
      id,
      name: `s${id}`,
      source: 'simulation' as const,
      status: 'complete' as const,
      collector: 'go',
    });
    const stats = compareStats(
      [
        { session: session(1), cycles, samples },
        { session: session(2), cycles },
      ],
      1,
    );

    expect(stats.rows.find((r) => r.key === 'peakHeapBytes')?.values).toEqual([51 * MiB, 28 * MiB]);
  });
});
