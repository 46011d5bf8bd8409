import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeldQueue } from './held';

describe('HeldQueue', () => {
  it('pops entries by expiry, ties in insertion order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 20 }), { maxLength: 200 }), (expiries) => {
        const queue = new HeldQueue();
        expiries.forEach((e, i) => queue.push(e, i, -1, 0));
        const popped: number[] = [];
        while (queue.size > 0) {
          queue.pop();
          popped.push(queue.poppedSlot);
        }
        const expected = expiries.map((e, i) => [e, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(popped).toEqual(expected.map(([, i]) => i));
      }),
    );
  });

  it('reports Infinity when empty and keeps the pool and P of an entry', () => {
    const queue = new HeldQueue();
    expect(queue.peekNs()).toBe(Infinity);

    queue.push(5, 42, 3, 1);
    queue.pop();

    expect([queue.poppedSlot, queue.poppedPool, queue.poppedP]).toEqual([42, 3, 1]);
  });
});
