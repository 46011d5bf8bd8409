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

  it('interleaves pops and pushes as a sorted list would (the driver pops, then pushes the goroutine back)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('pop' as const) }),
      fc.record({ kind: fc.constant('push' as const), key: fc.nat({ max: 30 }) }),
      fc.record({ kind: fc.constant('peek' as const) }),
      fc.record({ kind: fc.constant('shift' as const), by: fc.nat({ max: 10 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const capacity = 12;
        const queue = new RunQueue(capacity);
        let reference: { id: number; key: number }[] = [];
        const waiting: number[] = Array.from({ length: capacity }, (_, id) => id);
        const order = (a: { id: number; key: number }, b: { id: number; key: number }): number =>
          a.key - b.key || a.id - b.id;
        for (const o of ops) {
          if (o.kind === 'push' && waiting.length > 0) {
            const id = waiting.pop()!;
            queue.push(id, o.key);
            reference.push({ id, key: o.key });
          } else if (o.kind === 'pop' && reference.length > 0) {
            reference.sort(order);
            const expected = reference.shift()!;
            expect(queue.pop()).toBe(expected.id);
            waiting.push(expected.id);
          } else if (o.kind === 'peek') {
            const min = reference.length === 0 ? Infinity : Math.min(...reference.map((e) => e.key));
            expect(queue.peekKey()).toBe(min);
          } else if (o.kind === 'shift') {
            queue.remapKeys((key) => key + o.by);
            reference = reference.map((e) => ({ id: e.id, key: e.key + o.by }));
          }
          expect(queue.size).toBe(reference.length);
        }
        expect(drain(queue)).toEqual(reference.sort(order).map((e) => e.id));
      }),
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
