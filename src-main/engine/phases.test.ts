import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateSchedule, hashUnit, sineOfTurns } from './phases';

const MS = 1e6;

describe('sineOfTurns', () => {
  it('matches Math.sin to 1e-6 over several periods', () => {
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), (turns) => {
        expect(Math.abs(sineOfTurns(turns) - Math.sin(2 * Math.PI * turns))).toBeLessThan(1e-6);
      }),
    );
  });
});

describe('RateSchedule', () => {
  it('plays constant, ramp and step phases in order, then holds the last factor', () => {
    const schedule = new RateSchedule(
      [
        { kind: 'constant', ms: 10, factor: 2 },
        { kind: 'ramp', ms: 10, from: 1, to: 3 },
        { kind: 'step', ms: 10, factors: [5, 0] },
      ],
      false,
      1,
      0,
    );

    expect(schedule.factorAt(0)).toBe(2);
    expect(schedule.factorAt(15 * MS)).toBe(2);
    expect(schedule.factorAt(22 * MS)).toBe(5);
    expect(schedule.factorAt(27 * MS)).toBe(0);
    expect(schedule.factorAt(1000 * MS)).toBe(0);
  });

  it('repeats from the start when asked to', () => {
    const schedule = new RateSchedule([{ kind: 'step', ms: 4, factors: [1, 3] }], true, 1, 0);

    expect([0, 2, 4, 6, 9].map((t) => schedule.factorAt(t * MS))).toEqual([1, 3, 1, 3, 1]);
  });

  it('oscillates between min and max starting at the midpoint', () => {
    const schedule = new RateSchedule(
      [{ kind: 'oscillate', ms: 100, periodMs: 20, min: 1, max: 3 }],
      false,
      1,
      0,
    );

    expect(schedule.factorAt(0)).toBeCloseTo(2, 6);
    expect(schedule.factorAt(5 * MS)).toBeCloseTo(3, 6);
    expect(schedule.factorAt(15 * MS)).toBeCloseTo(1, 6);
  });

  it('draws random factors in [min, max], the same for the same seed whatever the order of questions', () => {
    const a = new RateSchedule([{ kind: 'random', ms: 100, intervalMs: 10, min: 0.5, max: 2 }], false, 7, 0);
    const b = new RateSchedule([{ kind: 'random', ms: 100, intervalMs: 10, min: 0.5, max: 2 }], false, 7, 0);
    const other = new RateSchedule(
      [{ kind: 'random', ms: 100, intervalMs: 10, min: 0.5, max: 2 }],
      false,
      8,
      0,
    );
    const times = Array.from({ length: 10 }, (_, i) => (i * 10 + 3) * MS);

    const forward = times.map((t) => a.factorAt(t));
    const backward = [...times]
      .reverse()
      .map((t) => b.factorAt(t))
      .reverse();

    expect(forward).toEqual(backward);
    expect(new Set(forward).size).toBeGreaterThan(5);
    forward.forEach((f) => expect(f >= 0.5 && f <= 2).toBe(true));
    expect(times.map((t) => other.factorAt(t))).not.toEqual(forward);
    expect(a.factorAt(4 * MS)).toBe(a.factorAt(9 * MS));
  });

  it('wakes an idle goroutine at the end of the idle step, and never after a final factor of 0', () => {
    const schedule = new RateSchedule([{ kind: 'step', ms: 20, factors: [1, 0, 0, 1] }], false, 1, 0);
    const held = new RateSchedule([{ kind: 'constant', ms: 5, factor: 0 }], false, 1, 0);

    expect(schedule.wakeNs(6 * MS)).toBe(10 * MS);
    expect(schedule.factorAt(schedule.wakeNs(12 * MS))).toBe(1);
    expect(held.wakeNs(100 * MS)).toBe(Infinity);
  });

  it('hashes to uniform-looking values in [0, 1)', () => {
    const values = Array.from({ length: 1000 }, (_, i) => hashUnit(1, 2, 3, i));

    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((a, b) => a + b, 0) / values.length).toBeCloseTo(0.5, 1);
  });
});
