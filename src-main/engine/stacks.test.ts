import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STACK_GUARD_BYTES, STACK_LIMIT_BYTES, STACK_MIN_BYTES, Stacks } from './stacks';

describe('Stacks', () => {
  it('starts every goroutine with a 2 KiB stack', () => {
    const stacks = new Stacks(3);

    expect([...stacks.sizeBytes]).toEqual([2048, 2048, 2048]);
    expect(stacks.inUseBytes).toBe(3 * STACK_MIN_BYTES);
    expect(stacks.scanBytes).toBe(0);
  });

  it('keeps a call chain that fits below the guard in place', () => {
    const stacks = new Stacks(1);

    stacks.use(0, STACK_MIN_BYTES - STACK_GUARD_BYTES);

    expect(stacks.sizeBytes[0]).toBe(2048);
    expect(stacks.lastGrowths).toBe(0);
  });

  it('doubles (and copies) as the call chain deepens: 41 frames of 320 B end in a 16 KiB stack', () => {
    const stacks = new Stacks(1);
    stacks.use(0, 512);

    stacks.use(0, 512 + 41 * 320);

    expect(stacks.sizeBytes[0]).toBe(16384);
    expect(stacks.lastGrowths).toBe(3);
    // The first copy moves what was in use; each later one a stack full up to its guard.
    expect(stacks.lastCopiedBytes).toBe(512 + (4096 - STACK_GUARD_BYTES) + (8192 - STACK_GUARD_BYTES));
    expect(stacks.growths).toBe(3);
  });

  it('halves a stack at GC when less than a quarter is in use, never below 2 KiB', () => {
    const stacks = new Stacks(2);
    stacks.use(0, 30_000);
    stacks.use(1, 30_000);
    stacks.use(0, 100);
    stacks.use(1, 8192 - STACK_LIMIT_BYTES);

    const copied = stacks.shrinkForGc();

    expect([stacks.sizeBytes[0], stacks.sizeBytes[1]]).toEqual([16384, 32768]);
    expect(copied).toBe(100);
    expect(stacks.shrinks).toBe(1);
    for (let i = 0; i < 5; i++) stacks.shrinkForGc();
    expect(stacks.sizeBytes[0]).toBe(STACK_MIN_BYTES);
  });

  it('keeps its totals equal to Σ sizes and Σ bytes in use, and every size a power of two that fits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 200_000 })), fc.constant(null)), {
          maxLength: 100,
        }),
        (ops) => {
          const stacks = new Stacks(4);
          for (const op of ops) {
            if (op === null) stacks.shrinkForGc();
            else stacks.use(op[0], op[1]);
          }
          const sizes = [...stacks.sizeBytes];
          const used = [...stacks.usedBytes];
          expect(stacks.inUseBytes).toBe(sizes.reduce((a, b) => a + b, 0));
          expect(stacks.scanBytes).toBe(used.reduce((a, b) => a + b, 0));
          sizes.forEach((size, g) => {
            expect(Number.isInteger(Math.log2(size))).toBe(true);
            expect(size).toBeGreaterThanOrEqual(STACK_MIN_BYTES);
            expect(size).toBeGreaterThan(used[g]!);
          });
        },
      ),
    );
  });
});
