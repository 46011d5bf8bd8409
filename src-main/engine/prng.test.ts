import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from './prng';

function draw(seed: number, n: number): number[] {
  const prng = new Prng(seed);
  return Array.from({ length: n }, () => prng.nextUint32());
}

describe('Prng', () => {
  it('gives the same stream for the same seed', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffff_ffff }), (seed) => {
        expect(draw(seed, 32)).toEqual(draw(seed, 32));
      }),
    );
  });

  it('gives different streams for neighbouring seeds', () => {
    const streams = new Set([0, 1, 2, 3, 0xffff_ffff].map((seed) => draw(seed, 4).join(',')));

    expect(streams.size).toBe(5);
  });

  it('keeps the stream of seed 42 (recorded sessions replay with it)', () => {
    expect(draw(42, 4)).toEqual(PINNED_SEED_42);
  });

  it('draws uint32s, floats in [0, 1) and integers within inclusive bounds', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffff_ffff }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.nat({ max: 5000 }),
        (seed, lo, span) => {
          const prng = new Prng(seed);

          const u = prng.nextUint32();
          const f = prng.nextFloat();
          const n = prng.nextInt(lo, lo + span);

          expect(Number.isInteger(u) && u >= 0 && u <= 0xffff_ffff).toBe(true);
          expect(f >= 0 && f < 1).toBe(true);
          expect(Number.isInteger(n) && n >= lo && n <= lo + span).toBe(true);
        },
      ),
    );
  });

  it('reaches both ends of a small integer range', () => {
    const prng = new Prng(7);

    const seen = new Set(Array.from({ length: 200 }, () => prng.nextInt(1, 3)));

    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it('spreads floats evenly (mean within 1 % of 0.5 over 100 000 draws)', () => {
    const prng = new Prng(1);
    let sum = 0;

    for (let i = 0; i < 100_000; i++) sum += prng.nextFloat();

    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
  });

  it('rejects a seed that is not a uint32', () => {
    expect(() => new Prng(-1)).toThrow(RangeError);
    expect(() => new Prng(2 ** 32)).toThrow(RangeError);
    expect(() => new Prng(1.5)).toThrow(RangeError);
  });
});

const PINNED_SEED_42 = [2476999517, 2284424721, 914527439, 3398404915];
