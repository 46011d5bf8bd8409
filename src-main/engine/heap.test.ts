import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Heap, NIL, type SweepResult } from './heap';
import { PAGE_BYTES } from './size-classes';
import { accountingViolations, allocatedObjects } from './testing/oracle';

function emptySweep(): SweepResult {
  return { spansSwept: 0, spansFreed: 0, objectsFreed: 0, bytesFreed: 0 };
}

/** Mark `keep`, flush the mcaches and sweep everything, as a stop-the-world cycle would. */
function collectAllBut(heap: Heap, keep: Iterable<number>): SweepResult {
  for (const id of keep) heap.objectMark[id] = 1;
  heap.flushMCaches();
  return heap.sweepAll();
}

describe('Heap.malloc', () => {
  it('rounds a small request to its size class and charges heapLive the whole span on refill', () => {
    const heap = new Heap(1);

    heap.malloc(1000, 0, 0, 0);

    expect(heap.lastMallocElemBytes).toBe(1024);
    expect(heap.heapAllocBytes).toBe(1024);
    expect(heap.heapLiveBytes).toBe(PAGE_BYTES);
    expect(heap.heapInUseBytes).toBe(PAGE_BYTES);
    expect(heap.lastMallocHelpsGc).toBe(true);
  });

  it('serves the next objects from the cached span without touching heapLive', () => {
    const heap = new Heap(1);
    heap.malloc(1024, 0, 0, 0);

    for (let i = 0; i < 7; i++) heap.malloc(1024, 0, 0, 0);

    expect(heap.heapLiveBytes).toBe(PAGE_BYTES);
    expect(heap.lastMallocHelpsGc).toBe(false);
    expect(heap.countSpansInUse()).toBe(1);
  });

  it('refills when the span is full (8 × 1 KiB per page)', () => {
    const heap = new Heap(1);
    for (let i = 0; i < 8; i++) heap.malloc(1024, 0, 0, 0);

    heap.malloc(1024, 0, 0, 0);

    expect(heap.lastMallocHelpsGc).toBe(true);
    expect(heap.countSpansInUse()).toBe(2);
    expect(heap.heapLiveBytes).toBe(2 * PAGE_BYTES);
  });

  it('keeps scan and noscan objects of one size class in different spans', () => {
    const heap = new Heap(1);

    const noscan = heap.malloc(64, 0, 0, 0);
    const scan = heap.malloc(64, 2, 0, 0);

    expect(heap.spanOf(noscan)).not.toBe(heap.spanOf(scan));
    expect(heap.isNoscan(noscan)).toBe(true);
    expect(heap.isNoscan(scan)).toBe(false);
  });

  it('gives each P its own mcache span', () => {
    const heap = new Heap(2);

    const a = heap.malloc(1024, 0, 0, 0);
    const b = heap.malloc(1024, 0, 1, 0);

    expect(heap.spanOf(a)).not.toBe(heap.spanOf(b));
    expect(heap.heapLiveBytes).toBe(2 * PAGE_BYTES);
  });

  it('puts a large object in its own span of whole pages, charged in full', () => {
    const heap = new Heap(1);

    heap.malloc(32769, 0, 0, 0);

    expect(heap.lastMallocLarge).toBe(true);
    expect(heap.lastMallocHelpsGc).toBe(true);
    expect(heap.heapAllocBytes).toBe(5 * PAGE_BYTES);
    expect(heap.heapLiveBytes).toBe(5 * PAGE_BYTES);
    expect(heap.heapInUseBytes).toBe(5 * PAGE_BYTES);
  });

  it('refuses a zero-byte allocation (Go hands out zerobase without touching the heap)', () => {
    expect(() => new Heap(1).malloc(0, 0, 0, 0)).toThrow(RangeError);
  });

  it('starts pointer fields nil and stores what is written', () => {
    const heap = new Heap(1);
    const a = heap.malloc(32, 3, 0, 0);
    const b = heap.malloc(16, 0, 0, 0);

    heap.setPointer(a, 2, b);

    expect([0, 1, 2].map((f) => heap.getPointer(a, f))).toEqual([NIL, NIL, b]);
  });
});

describe('Heap sweep', () => {
  it('frees unmarked objects, keeps marked ones and clears their marks', () => {
    const heap = new Heap(1);
    const kept = heap.malloc(1024, 0, 0, 0);
    const dead = heap.malloc(1024, 0, 0, 0);

    const result = collectAllBut(heap, [kept]);

    expect(heap.isAllocated(kept)).toBe(true);
    expect(heap.isAllocated(dead)).toBe(false);
    expect(heap.objectMark[kept]).toBe(0);
    expect(result).toEqual({ spansSwept: 1, spansFreed: 0, objectsFreed: 1, bytesFreed: 1024 });
  });

  it('returns a fully free span’s pages to mheap', () => {
    const heap = new Heap(1);
    for (let i = 0; i < 20; i++) heap.malloc(1024, 0, 0, 0);
    heap.malloc(100_000, 0, 0, 0);

    const result = collectAllBut(heap, []);

    expect(result.spansFreed).toBe(4);
    expect(heap.heapInUseBytes).toBe(0);
    expect(heap.heapAllocBytes).toBe(0);
    expect(heap.pages.pagesTotal).toBe(512);
  });

  it('reuses freed slots only after the sweep, from the lowest slot', () => {
    const heap = new Heap(1);
    const ids = Array.from({ length: 8 }, () => heap.malloc(1024, 0, 0, 0));
    collectAllBut(
      heap,
      ids.filter((_, i) => i !== 3),
    );

    const reused = heap.malloc(1024, 0, 0, 0);

    expect(heap.slotOf(reused)).toBe(3);
    expect(heap.countSpansInUse()).toBe(1);
    expect(heap.heapLiveBytes).toBe(2 * PAGE_BYTES - 7 * 1024);
  });

  it('keeps every accounting identity through random allocation and collection', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('malloc' as const),
        sizeBytes: fc.oneof(fc.integer({ min: 1, max: 2048 }), fc.integer({ min: 1, max: 100_000 })),
        pointerFields: fc.nat({ max: 3 }),
        p: fc.nat({ max: 2 }),
      }),
      fc.record({ kind: fc.constant('collect' as const), keepEvery: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant('release' as const), pages: fc.nat({ max: 600 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 30, maxLength: 300, size: 'max' }), (ops) => {
        const heap = new Heap(3);

        for (const o of ops) {
          if (o.kind === 'malloc') {
            heap.malloc(o.sizeBytes, Math.min(o.pointerFields, o.sizeBytes >> 3), o.p, 0);
          } else if (o.kind === 'release') {
            heap.pages.release(o.pages, 0);
          } else {
            collectAllBut(
              heap,
              allocatedObjects(heap).filter((id) => id % o.keepEvery === 0),
            );
          }
          expect(accountingViolations(heap)).toEqual([]);
        }
      }),
    );
  });

  it('frees exactly the unmarked objects and their bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 16, max: 40_000 }), { minLength: 1, maxLength: 200 }),
        fc.nat(),
        (sizes, salt) => {
          const heap = new Heap(1);
          const ids = sizes.map((size) => heap.malloc(size, 0, 0, 0));
          const keep = ids.filter((id) => (id + salt) % 3 === 0);
          const dead = ids.filter((id) => (id + salt) % 3 !== 0);
          const deadBytes = dead.reduce((sum, id) => sum + heap.elemBytes(id), 0);

          const result = collectAllBut(heap, keep);

          expect(allocatedObjects(heap)).toEqual(keep);
          expect(result.objectsFreed).toBe(dead.length);
          expect(result.bytesFreed).toBe(deadBytes);
        },
      ),
    );
  });

  it('reports an empty sweep of an empty heap', () => {
    const heap = new Heap(1);

    expect(heap.sweepAll()).toEqual(emptySweep());
  });
});

describe('the tiny allocator', () => {
  it('packs noscan requests under 16 B into one 16 B block, aligned for their size', () => {
    const heap = new Heap(1);

    const a = heap.malloc(1, 0, 0, 0);
    const b = heap.malloc(8, 0, 0, 0);
    const offsetAfterB = heap.tinyOffset[0];
    const c = heap.malloc(4, 0, 0, 0);

    expect(b).toBe(a);
    expect(offsetAfterB).toBe(8 + 8);
    expect(c).not.toBe(a);
    expect(heap.tinyOffset[0]).toBe(4);
    expect(heap.lastMallocTiny).toBe(false);
    expect(heap.heapAllocBytes).toBe(32);
    expect([heap.mallocs, heap.tinyAllocs]).toEqual([2, 1]);
  });

  it('charges 8 B per new(int64) and 1 B per 1-byte slice, as go1.19.8_sizes.txt measured', () => {
    for (const [size, bytesPerObject] of [
      [8, 8],
      [1, 1],
    ] as const) {
      const heap = new Heap(1);

      for (let i = 0; i < 100_000; i++) heap.malloc(size, 0, 0, 0);

      expect(heap.heapAllocBytes / 100_000).toBe(bytesPerObject);
      expect(heap.mallocs + heap.tinyAllocs).toBe(100_000);
    }
  });

  it('never packs pointerful objects or 16 B requests', () => {
    const heap = new Heap(1);

    const ids = [
      heap.malloc(8, 1, 0, 0),
      heap.malloc(8, 1, 0, 0),
      heap.malloc(16, 0, 0, 0),
      heap.malloc(16, 0, 0, 0),
    ];

    expect(new Set(ids).size).toBe(4);
    expect(heap.tinyAllocs).toBe(0);
  });

  it('keeps the block with more room as the current one', () => {
    const heap = new Heap(1);
    const first = heap.malloc(12, 0, 0, 0);

    const second = heap.malloc(8, 0, 0, 0); // does not fit behind 12 B: a new block, 8 B used
    const third = heap.malloc(2, 0, 0, 0); // the new block has more room left (8 > 4)

    expect(second).not.toBe(first);
    expect(third).toBe(second);
  });

  it('frees a block only when none of its sub-objects is referenced', () => {
    const heap = new Heap(1);
    const block = heap.malloc(4, 0, 0, 0);
    heap.malloc(4, 0, 0, 0);
    heap.flushMCaches();

    heap.objectMark[block] = 1; // one sub-object still referenced: the block is marked
    heap.sweepAll();
    const survived = heap.isAllocated(block);
    heap.sweepAll();

    expect(survived).toBe(true);
    expect(heap.isAllocated(block)).toBe(false);
  });

  it('forgets the current block when the mcaches are flushed at mark termination', () => {
    const heap = new Heap(2);
    heap.malloc(4, 0, 1, 0);

    heap.flushMCaches();

    expect([...heap.tinyBlock]).toEqual([NIL, NIL]);
    expect(heap.malloc(4, 0, 1, 0)).not.toBe(0);
  });

  it('accounts requested bytes per block: padding and the unused tail are internal waste', () => {
    const heap = new Heap(1);
    heap.malloc(3, 0, 0, 0);
    heap.malloc(4, 0, 0, 0); // aligned to 4: one byte of padding

    expect(heap.requestedBytes).toBe(7);
    expect(heap.internalWasteBytes).toBe(16 - 7);
    expect(accountingViolations(heap)).toEqual([]);
  });
});

describe('waste accounting per size class', () => {
  it('splits fragmentation into tail waste and free slots, and allocation into requested and internal waste', () => {
    const heap = new Heap(1);
    for (let i = 0; i < 3; i++) heap.malloc(33, 0, 0, 0); // class 5: 48 B slots, 170 per page, 32 B tail

    expect(heap.heapAllocBytes).toBe(3 * 48);
    expect(heap.internalWasteBytes).toBe(3 * 15);
    expect(heap.tailWasteBytes).toBe(32);
    expect(heap.freeSlotBytes).toBe(167 * 48);
    expect(heap.fragmentationBytes).toBe(heap.tailWasteBytes + heap.freeSlotBytes);
  });
});
