import { describe, expect, it } from 'vitest';
import { cycleRecord, importedCycleRecord } from '../../test-support/records';
import { clampTimelineStart, concurrentMark, cyclePauseBars, pauseCoverNs, phaseTimeline } from './phases';

/** A mark-sweep cycle: one pause over sweep termination, mark and mark termination. */
function markSweepCycle(seq: number, startNs: number) {
  return cycleRecord({
    seq,
    startNs,
    sweepTermNs: 10,
    markNs: 80,
    markTermNs: 10,
    pauseNs: 100,
    pauses: [{ startNs, durationNs: 100 }],
  });
}

/** A Go cycle: two pauses bracketing a concurrent mark. */
function goCycle(seq: number, startNs: number) {
  return cycleRecord({
    seq,
    startNs,
    sweepTermNs: 20,
    markNs: 1000,
    markTermNs: 30,
    pauseNs: 50,
    pauses: [
      { startNs, durationNs: 20 },
      { startNs: startNs + 1020, durationNs: 30 },
    ],
  });
}

describe('pauseCoverNs', () => {
  it('counts the part of an interval the pauses cover, once where they touch', () => {
    const pauses = [
      { startNs: 0, durationNs: 10 },
      { startNs: 5, durationNs: 10 },
      { startNs: 50, durationNs: 100 },
    ];

    expect(pauseCoverNs(pauses, 8, 60)).toBe(7 + 10);
  });
});

describe('concurrentMark', () => {
  it('is the mark between sweep and mark termination for Go', () => {
    expect(concurrentMark(goCycle(3, 1000))).toEqual({
      seq: 3,
      kind: 'mark',
      phase: 'concurrent mark',
      startNs: 1020,
      durationNs: 1000,
    });
  });

  it('is null when one pause covers the mark (mark-sweep)', () => {
    expect(concurrentMark(markSweepCycle(1, 0))).toBeNull();
  });

  it('is the whole mark when mark slices cover only part of it (incremental)', () => {
    const cycle = cycleRecord({
      startNs: 0,
      sweepTermNs: 0,
      markNs: 1000,
      markTermNs: 10,
      pauses: [
        { startNs: 0, durationNs: 100 },
        { startNs: 400, durationNs: 100 },
        { startNs: 1000, durationNs: 10 },
      ],
    });

    expect(concurrentMark(cycle)).toMatchObject({ startNs: 0, durationNs: 1000 });
  });

  it('is null without a mark (reference counting)', () => {
    expect(concurrentMark(cycleRecord({ markNs: 0, pauses: [] }))).toBeNull();
  });
});

describe('cyclePauseBars', () => {
  it('names Go’s two pauses sweep and mark termination', () => {
    expect(cyclePauseBars(goCycle(1, 0)).map((b) => b.phase)).toEqual([
      'sweep termination',
      'mark termination',
    ]);
  });

  it('names an imported line’s two pauses the same way', () => {
    const cycle = importedCycleRecord({
      startNs: 0,
      sweepTermNs: 34_000,
      markNs: 520_000,
      markTermNs: 62_000,
      pauses: [
        { startNs: 0, durationNs: 34_000 },
        { startNs: 554_000, durationNs: 62_000 },
      ],
    });

    expect(cyclePauseBars(cycle).map((b) => b.phase)).toEqual(['sweep termination', 'mark termination']);
  });

  it('calls a lone pause the stop-the-world collection and the middle ones mark slices', () => {
    expect(cyclePauseBars(markSweepCycle(1, 0)).map((b) => b.phase)).toEqual(['stop the world']);
    const incremental = cycleRecord({
      startNs: 0,
      sweepTermNs: 5,
      pauses: [
        { startNs: 0, durationNs: 5 },
        { startNs: 100, durationNs: 5 },
        { startNs: 200, durationNs: 5 },
        { startNs: 300, durationNs: 5 },
      ],
    });

    expect(cyclePauseBars(incremental).map((b) => b.phase)).toEqual([
      'sweep termination',
      'mark slice',
      'mark slice',
      'mark termination',
    ]);
  });
});

describe('phaseTimeline', () => {
  const cycles = Array.from({ length: 50 }, (_, i) => goCycle(i + 1, i * 10_000));

  it('shows the first 20 cycles by default, on an axis from the first start to the last end', () => {
    const timeline = phaseTimeline(cycles, 0);

    expect(timeline).toMatchObject({ firstIndex: 0, count: 20, totalCycles: 50, firstSeq: 1, lastSeq: 20 });
    expect(timeline?.fromNs).toBe(0);
    expect(timeline?.toNs).toBe(19 * 10_000 + 1050);
    expect(timeline?.pauses).toHaveLength(40);
    expect(timeline?.marks).toHaveLength(20);
    expect(timeline?.cycles[0]).toEqual({ seq: 1, startNs: 0, endNs: 1050 });
  });

  it('keeps a full window inside the session when asked past its end', () => {
    expect(phaseTimeline(cycles, 45)).toMatchObject({ firstIndex: 30, firstSeq: 31, lastSeq: 50 });
    expect(clampTimelineStart(50, -3)).toBe(0);
    expect(clampTimelineStart(5, 3)).toBe(0);
  });

  it('shows one pause and no mark per mark-sweep cycle', () => {
    const timeline = phaseTimeline([markSweepCycle(1, 0), markSweepCycle(2, 1000)], 0);

    expect(timeline?.pauses).toHaveLength(2);
    expect(timeline?.marks).toEqual([]);
  });

  it('is null without cycles', () => {
    expect(phaseTimeline([], 0)).toBeNull();
  });
});
