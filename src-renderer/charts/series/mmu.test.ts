import { describe, expect, it } from 'vitest';
import type { CycleRecord, PauseWindow } from '../../lib/contract';
import { cycleRecord } from '../../test-support/records';
import { mmuAt, mmuCurve, mmuWindowsNs, mutatorUtilization } from './mmu';

const MS = 1_000_000;

/** A cycle that is nothing but the given pauses (a stop-the-world collector's, or mark slices). */
function pausesOnly(pauses: PauseWindow[], seq = 1): CycleRecord {
  const startNs = pauses[0]?.startNs ?? 0;
  const last = pauses.at(-1);
  const endNs = last ? last.startNs + last.durationNs : startNs;
  return cycleRecord({
    seq,
    startNs,
    sweepTermNs: 0,
    markNs: endNs - startNs,
    markTermNs: 0,
    pauses,
    markUtilization: null,
  });
}

describe('mutatorUtilization', () => {
  it('is 0 in a pause, 1 − markUtilization in an uncovered mark, 1 elsewhere', () => {
    const cycle = cycleRecord({
      startNs: 2 * MS,
      sweepTermNs: 1 * MS,
      markNs: 4 * MS,
      markTermNs: 1 * MS,
      pauses: [
        { startNs: 2 * MS, durationNs: 1 * MS },
        { startNs: 7 * MS, durationNs: 1 * MS },
      ],
      markUtilization: 0.25,
    });

    const u = mutatorUtilization([cycle], 10 * MS);

    expect(Array.from(u.boundsNs)).toEqual([0, 2, 3, 7, 8, 10].map((ms) => ms * MS));
    expect(Array.from(u.util)).toEqual([1, 0, 0.75, 0, 1]);
    expect(u.prefix.at(-1)).toBe(2 * MS + 3 * MS + 2 * MS);
  });

  it('reads an unreported markUtilization as a mark that costs the program nothing', () => {
    const cycle = cycleRecord({
      startNs: 0,
      sweepTermNs: 0,
      markNs: 5 * MS,
      markTermNs: 0,
      pauses: [],
      markUtilization: null,
    });

    expect(Array.from(mutatorUtilization([cycle], 10 * MS).util)).toEqual([1]);
  });

  it('grows the session to cover a pause past its recorded end', () => {
    expect(mutatorUtilization([pausesOnly([{ startNs: 9 * MS, durationNs: 2 * MS }])], 10 * MS).totalNs).toBe(
      11 * MS,
    );
  });
});

describe('mmuAt', () => {
  const onePause = mutatorUtilization([pausesOnly([{ startNs: 4 * MS, durationNs: 1 * MS }])], 10 * MS);

  it('is 0 for a window no longer than the pause', () => {
    expect(mmuAt(onePause, 1 * MS)).toBe(0);
    expect(mmuAt(onePause, 0.5 * MS)).toBe(0);
  });

  it('is the share left once the whole pause is inside the window', () => {
    expect(mmuAt(onePause, 2 * MS)).toBeCloseTo(0.5, 12);
    expect(mmuAt(onePause, 4 * MS)).toBeCloseTo(0.75, 12);
    expect(mmuAt(onePause, 10 * MS)).toBeCloseTo(0.9, 12);
  });

  it('finds a pause at the session’s very start or end', () => {
    const atStart = mutatorUtilization([pausesOnly([{ startNs: 0, durationNs: 1 * MS }])], 10 * MS);
    const atEnd = mutatorUtilization([pausesOnly([{ startNs: 9 * MS, durationNs: 1 * MS }])], 10 * MS);

    expect(mmuAt(atStart, 2 * MS)).toBeCloseTo(0.5, 12);
    expect(mmuAt(atEnd, 2 * MS)).toBeCloseTo(0.5, 12);
  });

  it('charges a concurrent mark its markUtilization', () => {
    const cycle = cycleRecord({
      startNs: 4 * MS,
      sweepTermNs: 1 * MS,
      markNs: 2 * MS,
      markTermNs: 0,
      pauses: [{ startNs: 4 * MS, durationNs: 1 * MS }],
      markUtilization: 0.25,
    });
    const u = mutatorUtilization([cycle], 10 * MS);

    expect(mmuAt(u, 2 * MS)).toBeCloseTo(0.75 / 2, 12);
    expect(mmuAt(u, 3 * MS)).toBeCloseTo(1.5 / 3, 12);
    expect(mmuAt(u, 10 * MS)).toBeCloseTo(1 - (1 + 0.5) / 10, 12);
  });

  it('is 1 for a session that never paused', () => {
    expect(mmuAt(mutatorUtilization([], 10 * MS), 1 * MS)).toBe(1);
  });

  it('dips below a smaller window’s value where a larger one can hold two pauses', () => {
    const periodic = mutatorUtilization(
      [pausesOnly([0, 2, 4, 6, 8].map((ms) => ({ startNs: ms * MS, durationNs: 1 * MS })))],
      10 * MS,
    );

    expect(mmuAt(periodic, 2 * MS)).toBeCloseTo(0.5, 12);
    expect(mmuAt(periodic, 3 * MS)).toBeCloseTo(1 / 3, 12);
  });
});

describe('mmuWindowsNs', () => {
  it('runs log-spaced from 10 µs to the session’s length, both included', () => {
    const sizes = mmuWindowsNs(10 * MS);

    expect(sizes[0]).toBe(10_000);
    expect(sizes.at(-1)).toBe(10 * MS);
    expect(sizes).toHaveLength(3 * 20 + 1);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThan(sizes[i - 1] as number);
  });

  it('is the session’s length alone for a session shorter than 10 µs', () => {
    expect(mmuWindowsNs(5_000)).toEqual([5_000]);
    expect(mmuWindowsNs(0)).toEqual([]);
  });
});

describe('mmuCurve', () => {
  it('never falls as the window grows, keeping the per-size minimum as exact', () => {
    const periodic = mutatorUtilization(
      [pausesOnly([0, 2, 4, 6, 8].map((ms) => ({ startNs: ms * MS, durationNs: 1 * MS })))],
      10 * MS,
    );

    const curve = mmuCurve(
      periodic,
      [1, 2, 3, 10].map((ms) => ms * MS),
    );

    expect(curve.map((p) => p.exact.toFixed(4))).toEqual(['0.0000', '0.5000', '0.3333', '0.5000']);
    expect(curve.map((p) => p.mmu.toFixed(4))).toEqual(['0.0000', '0.3333', '0.3333', '0.5000']);
  });

  it('agrees with the one-pause case at every size', () => {
    const u = mutatorUtilization([pausesOnly([{ startNs: 4 * MS, durationNs: 1 * MS }])], 10 * MS);

    const curve = mmuCurve(
      u,
      [1, 2, 5, 10].map((ms) => ms * MS),
    );

    expect(curve.map((p) => Number(p.mmu.toFixed(6)))).toEqual([0, 0.5, 0.8, 0.9]);
  });

  it('computes a monotone curve for 20 000 pauses over a virtual minute', () => {
    const pauses = Array.from({ length: 20_000 }, (_, i) => ({
      startNs: i * 3 * MS + ((i * 7919) % 1000) * 1000,
      durationNs: 20_000 + ((i * 104_729) % 500_000),
    }));
    const cycles = pauses.map((pause, i) => pausesOnly([pause], i + 1));

    const curve = mmuCurve(mutatorUtilization(cycles, 60_000 * MS));

    expect(curve[0]?.mmu).toBe(0);
    expect(curve.at(-1)?.mmu).toBeGreaterThan(0.8);
    for (let i = 1; i < curve.length; i++)
      expect(curve[i]?.mmu).toBeGreaterThanOrEqual(curve[i - 1]?.mmu as number);
  });
});
