import { describe, expect, it } from 'vitest';
import { cycleRecord, heapSample } from '../../test-support/records';
import { cycleEndNs, heapSeries } from './heap';

const MiB = 1024 * 1024;

describe('heapSeries', () => {
  it('turns samples into a sawtooth in milliseconds and MiB', () => {
    const series = heapSeries([heapSample(0, 1 * MiB), heapSample(5_000_000, 3 * MiB)], []);

    expect(series.allocMiB).toEqual([
      { x: 0, y: 1 },
      { x: 5, y: 3 },
    ]);
    expect(series.pointCount).toBe(2);
    expect(series.endMs).toBe(5);
  });

  it('sorts samples that arrive out of order', () => {
    const series = heapSeries([heapSample(2_000_000, 2 * MiB), heapSample(1_000_000, 1 * MiB)], []);

    expect(series.allocMiB.map((p) => p.x)).toEqual([1, 2]);
  });

  it('holds each marked value from its cycle end to the end of the session', () => {
    const cycles = [
      cycleRecord({
        seq: 1,
        startNs: 10_000_000,
        markNs: 1_000_000,
        sweepTermNs: 0,
        markTermNs: 0,
        heapMarkedBytes: 2 * MiB,
      }),
      cycleRecord({
        seq: 2,
        startNs: 30_000_000,
        markNs: 2_000_000,
        sweepTermNs: 0,
        markTermNs: 0,
        heapMarkedBytes: 3 * MiB,
      }),
    ];
    const series = heapSeries([heapSample(50_000_000, 4 * MiB)], cycles);

    expect(series.markedMiB).toEqual([
      { x: 11, y: 2 },
      { x: 32, y: 3 },
      { x: 50, y: 3 },
    ]);
  });

  it('steps the goal and trigger from the previous cycle end to each cycle end', () => {
    const cycles = [
      cycleRecord({
        seq: 1,
        startNs: 10_000_000,
        markNs: 1_000_000,
        sweepTermNs: 0,
        markTermNs: 0,
        heapGoalBytes: 4 * MiB,
        heapTriggerBytes: 3 * MiB,
      }),
      cycleRecord({
        seq: 2,
        startNs: 30_000_000,
        markNs: 2_000_000,
        sweepTermNs: 0,
        markTermNs: 0,
        heapGoalBytes: 6 * MiB,
        heapTriggerBytes: 5 * MiB,
      }),
    ];
    const series = heapSeries([], cycles);

    expect(series.goalMiB).toEqual([
      { x: 0, y: 4 },
      { x: 11, y: 6 },
      { x: 32, y: 6 },
    ]);
    expect(series.triggerMiB).toEqual([
      { x: 0, y: 3 },
      { x: 11, y: 5 },
      { x: 32, y: 5 },
    ]);
  });

  it('reports each cycle as a span from start to the end of mark termination', () => {
    const cycle = cycleRecord({
      seq: 7,
      startNs: 4_000_000,
      sweepTermNs: 100_000,
      markNs: 800_000,
      markTermNs: 100_000,
      trigger: 'forced',
    });

    const series = heapSeries([], [cycle]);

    expect(cycleEndNs(cycle)).toBe(5_000_000);
    expect(series.gcSpans).toEqual([{ seq: 7, startMs: 4, endMs: 5, trigger: 'forced' }]);
  });

  it('counts the points of every line series', () => {
    const cycles = [cycleRecord({ seq: 1, startNs: 1_000_000 }), cycleRecord({ seq: 2, startNs: 3_000_000 })];
    const samples = [heapSample(0, MiB), heapSample(2_000_000, 2 * MiB), heapSample(9_000_000, 3 * MiB)];

    const series = heapSeries(samples, cycles);

    expect(series.pointCount).toBe(3 + 3 + 3 + 3);
  });

  it('is empty for a session with nothing recorded', () => {
    const series = heapSeries([], []);

    expect(series.pointCount).toBe(0);
    expect(series.endMs).toBe(0);
  });
});
