import { describe, expect, it } from 'vitest';
import { cycleRecord } from '../test-support/records';
import { THRASHING_CYCLES, endsThrashing, percentile, sessionStats } from './stats';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);

    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});

describe('sessionStats', () => {
  it('aggregates pauses over every stop-the-world window, peak heap and the final GC CPU fraction', () => {
    const windows = (...durations: number[]) =>
      durations.map((durationNs, i) => ({ startNs: i * 1000, durationNs }));
    const cycles = [
      cycleRecord({
        seq: 1,
        pauseNs: 300,
        pauses: windows(300),
        heapStartBytes: 10,
        heapEndBytes: 12,
        gcCpuFraction: 0.2,
      }),
      cycleRecord({
        seq: 2,
        pauseNs: 100,
        pauses: windows(40, 60),
        heapStartBytes: 40,
        heapEndBytes: 30,
        gcCpuFraction: 0.1,
      }),
      cycleRecord({
        seq: 3,
        pauseNs: 200,
        pauses: windows(150, 50),
        heapStartBytes: 20,
        heapEndBytes: 25,
        gcCpuFraction: 0.05,
      }),
    ];

    expect(sessionStats(cycles)).toEqual({
      cycles: 3,
      pauseTotalNs: 600,
      pauseP50Ns: 60,
      pauseP95Ns: 300,
      pauseP99Ns: 300,
      pauseMaxNs: 300,
      peakHeapBytes: 40,
      gcCpuFraction: 0.05,
      thrashing: false,
      leakedObjects: null,
      leakedBytes: null,
    });
  });

  it('reports thrashing only when the last cycles were paced at the live heap itself', () => {
    const MiB = 1 << 20;
    const pinned = Array.from({ length: THRASHING_CYCLES + 1 }, (_, i) =>
      cycleRecord({ seq: i + 1, heapMarkedBytes: 60 * MiB, heapGoalBytes: 61 * MiB }),
    );
    const gogc = pinned.map((c) => ({ ...c, heapGoalBytes: 120 * MiB }));
    const recovered = [...pinned.slice(0, -1), { ...pinned.at(-1)!, heapGoalBytes: 80 * MiB }];

    expect(endsThrashing(pinned)).toBe(true);
    expect(endsThrashing(gogc)).toBe(false);
    expect(endsThrashing(recovered)).toBe(false);
    expect(endsThrashing(pinned.slice(0, THRASHING_CYCLES))).toBe(false);
  });

  it('reports what the last cycle found leaked, and null where the collector cannot leak', () => {
    const refcount = [
      cycleRecord({ seq: 1, leakedObjects: 10, leakedBytes: 640 }),
      cycleRecord({ seq: 2, leakedObjects: 25, leakedBytes: 1600 }),
    ];
    expect(sessionStats(refcount)).toMatchObject({ leakedObjects: 25, leakedBytes: 1600 });
    expect(sessionStats([cycleRecord({ seq: 1 })])).toMatchObject({ leakedObjects: null, leakedBytes: null });
    expect(sessionStats([])).toMatchObject({ leakedObjects: null, leakedBytes: null });
  });

  it('is all zeros for a session without cycles', () => {
    expect(sessionStats([])).toMatchObject({ cycles: 0, pauseMaxNs: 0, peakHeapBytes: 0, gcCpuFraction: 0 });
  });
});

describe('peak heap', () => {
  it('is the highest of the cycles h0/h1 and the samples between them', () => {
    const MiB = 1 << 20;
    const cycles = [cycleRecord({ heapStartBytes: 20 * MiB, heapEndBytes: 28 * MiB })];
    const samples = [{ tNs: 1, heapAllocBytes: 51 * MiB, heapInUseBytes: 52 * MiB }];

    expect(sessionStats(cycles, samples).peakHeapBytes).toBe(51 * MiB);
    expect(sessionStats(cycles).peakHeapBytes).toBe(28 * MiB);
  });
});
