import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NIL } from './heap';
import {
  POOL_HIT_PRIVATE,
  POOL_HIT_SHARED,
  POOL_HIT_STOLEN,
  POOL_HIT_VICTIM,
  POOL_MISS,
  SlotDeque,
  SyncPool,
  type PoolRootStore,
} from './pool';

/** Root slots as a plain map: slot → object. */
function rootStore() {
  const held = new Map<number, number>();
  let next = 0;
  const store: PoolRootStore = {
    hold: (objectId) => {
      held.set(next, objectId);
      return next++;
    },
    release: (slot) => {
      const objectId = held.get(slot)!;
      held.delete(slot);
      return objectId;
    },
  };
  return { store, held };
}

function pool(procs = 1) {
  const { store, held } = rootStore();
  return { pool: new SyncPool('p', procs, store), held };
}

describe('SlotDeque', () => {
  it('pops the head LIFO and the tail FIFO, across growth', () => {
    const deque = new SlotDeque();
    for (let i = 0; i < 20; i++) deque.pushHead(i);

    expect(deque.popHead()).toBe(19);
    expect(deque.popTail()).toBe(0);
    expect(deque.popTail()).toBe(1);
    expect(deque.length).toBe(17);
    expect(Array.from({ length: 17 }, () => deque.popHead())).toEqual(
      Array.from({ length: 17 }, (_, i) => 18 - i),
    );
    expect(deque.popHead()).toBe(NIL);
    expect(deque.popTail()).toBe(NIL);
  });
});

describe('SyncPool (Go ≥ 1.13 semantics)', () => {
  it('misses on an empty pool', () => {
    const { pool: p } = pool();

    expect(p.get(0)).toBe(NIL);
    expect(p.lastSource).toBe(POOL_MISS);
    expect([p.gets, p.misses]).toEqual([1, 1]);
  });

  it('puts into the private slot first, then the shared chain, and gets them back private first, then LIFO', () => {
    const { pool: p } = pool();
    [10, 11, 12].forEach((x) => p.put(0, x));

    const got = [p.get(0), p.get(0), p.get(0)];

    expect(got).toEqual([10, 12, 11]);
    expect([p.hitsPrivate, p.hitsShared]).toEqual([1, 2]);
  });

  it("steals from another P's shared chain at its tail (oldest first)", () => {
    const { pool: p } = pool(3);
    [20, 21, 22].forEach((x) => p.put(1, x)); // 20 private, 21 and 22 shared

    expect(p.get(0)).toBe(21);
    expect(p.lastSource).toBe(POOL_HIT_STOLEN);
    expect(p.lastProbes).toBe(1);
    expect(p.get(2)).toBe(22);
    expect(p.get(0)).toBe(NIL);
    expect(p.hitsStolen).toBe(2);
  });

  it('moves the primary cache to the victim cache at GC, and drops the old victim at the next GC', () => {
    const { pool: p, held } = pool();
    [1, 2, 3, 4].forEach((x) => p.put(0, x));

    expect(p.cleanup()).toBe(0);
    expect(p.objects).toBe(4);
    expect(held.size).toBe(4);
    expect(p.cleanup()).toBe(4);
    expect(p.objects).toBe(0);
    expect(held.size).toBe(0);
    expect(p.dropped).toBe(4);
  });

  it('serves Gets from the victim cache (private, then shared tails) after one GC', () => {
    const { pool: p } = pool();
    [1, 2, 3, 4].forEach((x) => p.put(0, x));
    p.cleanup();

    const got = [p.get(0), p.get(0), p.get(0), p.get(0)];

    expect(got).toEqual([1, 2, 3, 4]);
    expect(p.hitsVictim).toBe(4);
    expect(p.get(0)).toBe(NIL);
  });

  it('reproduces pool.go: New is called 4, then 4, then 8 times across its GCs', () => {
    const { pool: p } = pool();
    let news = 0;
    const getPut = (k: number) => {
      const xs: number[] = [];
      for (let i = 0; i < k; i++) {
        const x = p.get(0);
        xs.push(x === NIL ? 1000 + news++ : x);
      }
      xs.forEach((x) => p.put(0, x));
    };

    getPut(4);
    const afterFill = news;
    p.cleanup();
    getPut(4);
    const afterOneGc = news;
    p.cleanup();
    p.cleanup();
    getPut(4);

    expect([afterFill, afterOneGc, news]).toEqual([4, 4, 8]);
    expect(p.dropped).toBe(4);
  });

  it('keeps every pooled object in a root slot until it is got or dropped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 3 })), { maxLength: 200, size: 'max' }),
        (ops) => {
          const { pool: p, held } = pool(4);
          let next = 0;
          for (const [op, proc] of ops) {
            if (op === 0) p.put(proc, next++);
            else if (op === 1) p.get(proc);
            else p.cleanup();
            expect(held.size).toBe(p.objects);
            expect(p.slots().length).toBe(p.objects);
          }
          expect(p.gets).toBe(p.hitsPrivate + p.hitsShared + p.hitsStolen + p.hitsVictim + p.misses);
          expect(p.puts).toBe(p.objects + p.dropped + (p.gets - p.misses));
        },
      ),
    );
  });

  it('agrees with a direct transcription of sync/pool.go on random Get/Put/GC sequences', () => {
    /** pool.go's Put, Get, getSlow and poolCleanup over plain arrays. */
    class Reference {
      local = { priv: [] as (number | null)[], shared: [] as number[][] };
      victim = { priv: [] as (number | null)[], shared: [] as number[][] };
      victimSize: number;
      constructor(readonly size: number) {
        this.local = this.empty();
        this.victim = this.empty();
        this.victimSize = 0;
      }
      empty() {
        return {
          priv: Array.from({ length: this.size }, () => null as number | null),
          shared: Array.from({ length: this.size }, () => [] as number[]),
        };
      }
      put(pid: number, x: number) {
        if (this.local.priv[pid] === null) this.local.priv[pid] = x;
        else this.local.shared[pid]!.push(x);
      }
      get(pid: number): [number | null, number] {
        let x = this.local.priv[pid]!;
        this.local.priv[pid] = null;
        if (x !== null) return [x, POOL_HIT_PRIVATE];
        if (this.local.shared[pid]!.length > 0) return [this.local.shared[pid]!.pop()!, POOL_HIT_SHARED];
        for (let i = 0; i < this.size; i++) {
          const owner = (pid + i + 1) % this.size;
          if (this.local.shared[owner]!.length > 0) {
            return [this.local.shared[owner]!.shift()!, owner === pid ? POOL_HIT_SHARED : POOL_HIT_STOLEN];
          }
        }
        if (this.victimSize === 0) return [null, POOL_MISS];
        x = this.victim.priv[pid]!;
        if (x !== null) {
          this.victim.priv[pid] = null;
          return [x, POOL_HIT_VICTIM];
        }
        for (let i = 0; i < this.size; i++) {
          const s = this.victim.shared[(pid + i) % this.size]!;
          if (s.length > 0) return [s.shift()!, POOL_HIT_VICTIM];
        }
        this.victimSize = 0;
        return [null, POOL_MISS];
      }
      cleanup() {
        this.victim = this.local;
        this.victimSize = this.size;
        this.local = this.empty();
      }
    }

    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.constantFrom('put', 'get', 'get', 'gc'), fc.nat({ max: 3 })), {
          maxLength: 300,
        }),
        (procs, ops) => {
          const { pool: p } = pool(procs);
          const reference = new Reference(procs);
          let next = 1;
          for (const [op, proc] of ops) {
            const pid = proc % procs;
            if (op === 'put') {
              p.put(pid, next);
              reference.put(pid, next++);
            } else if (op === 'get') {
              const [expected, source] = reference.get(pid);
              expect(p.get(pid)).toBe(expected ?? NIL);
              expect(p.lastSource).toBe(source);
            } else {
              p.cleanup();
              reference.cleanup();
            }
          }
        },
      ),
    );
  });
});
