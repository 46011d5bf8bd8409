import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunQueue } from './run-queue';

function drain(queue: RunQueue): number[] {
  const ids: number[] = [];
  while (queue.size > 0) ids.push(queue.pop());
  return ids;
}

describe('RunQueue', () => {
  it('pops in (time, id) order whatever the insertion order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat({ max: 500 }), { maxLength: 60 }),
        fc.nat({ max: 20 }),
        (ids, spread) => {
          const queue = new RunQueue(ids.length);
          const keyOf = (id: number): number => id % (spread + 1);
          ids.forEach((id) => queue.push(id, keyOf(id)));

          const expected = [...ids].sort((a, b) => keyOf(a) - keyOf(b) || a - b);

          expect(drain(queue)).toEqual(expected);
        },
      ),
    );
  });

  it('reports Infinity when empty', () => {
    expect(new RunQueue(4).peekKey()).toBe(Infinity);
  });

  it('restores (time, id) order after keys are remapped into ties', () => {
    const queue = new RunQueue(4);
    queue.push(3, 10);
    queue.push(1, 20);
    queue.push(2, 30);
    queue.push(0, 40);

    queue.remapKeys((key) => (key < 35 ? 100 : key + 100));

    expect(queue.peekKey()).toBe(100);
    expect(drain(queue)).toEqual([1, 2, 3, 0]);
  });
});
