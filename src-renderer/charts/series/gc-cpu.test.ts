import { describe, expect, it } from 'vitest';
import { cycleRecord } from '../../test-support/records';
import { gcCpuNs, gcCpuSeries } from './gc-cpu';

const MS = 1_000_000;

/** A cycle ending at `endMs` on 4 Ps with the given CPU split (ms of CPU). */
function cpuCycle(
  seq: number,
  endMs: number,
  cpuMs: { pause: number; assist: number; background: number; idle: number },
) {
  return cycleRecord({
    seq,
    startNs: (endMs - 1) * MS,
    sweepTermNs: 0,
    markNs: 1 * MS,
    markTermNs: 0,
    procs: 4,
    pauseNs: cpuMs.pause * MS,
    assistCpuNs: cpuMs.assist * MS,
    backgroundCpuNs: cpuMs.background * MS,
    idleCpuNs: cpuMs.idle * MS,
    gcCpuFraction: seq / 100,
  });
}

describe('gcCpuSeries', () => {
  const cycles = [
    cpuCycle(1, 10, { pause: 0.5, assist: 1, background: 2, idle: 1 }),
    cpuCycle(2, 30, { pause: 0.25, assist: 0, background: 4, idle: 0 }),
  ];

  it('divides each source by the interval since the previous cycle end times the Ps', () => {
    const series = gcCpuSeries(cycles);

    // Cycle 1: 10 ms × 4 Ps = 40 ms of CPU; cycle 2: 20 ms × 4 = 80 ms.
    expect(series.stwPct.map((p) => p.y)).toEqual([5, 5, 1.25]);
    expect(series.assistPct.map((p) => p.y)).toEqual([2.5, 2.5, 0]);
    expect(series.backgroundPct.map((p) => p.y)).toEqual([5, 5, 5]);
    expect(series.idlePct.map((p) => p.y)).toEqual([2.5, 2.5, 0]);
    expect(series.stwPct.map((p) => p.x)).toEqual([0, 10, 30]);
  });

  it('sums CPU and capacity over merged cycles before dividing', () => {
    const series = gcCpuSeries(cycles, 1);

    expect(series.details).toEqual([
      expect.objectContaining({ capacityCpuNs: 120 * MS, stwCpuNs: 3 * MS, backgroundCpuNs: 6 * MS }),
    ]);
    expect(gcCpuNs(series.details[0]!)).toBe(3 * MS + 1 * MS + 6 * MS + 1 * MS);
    expect(series.cyclesPerPoint).toBe(2);
  });

  it('takes the session’s GC CPU fraction from its last cycle', () => {
    expect(gcCpuSeries(cycles).gcCpuFraction).toBe(0.02);
    expect(gcCpuSeries([]).gcCpuFraction).toBe(0);
  });

  it('counts the points of its four series', () => {
    expect(gcCpuSeries(cycles).pointCount).toBe(4 * 3);
  });
});
