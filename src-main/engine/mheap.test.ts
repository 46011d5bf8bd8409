import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWTH_PAGES, PageHeap } from './mheap';
import { PAGE_BYTES } from './size-classes';

describe('PageHeap', () => {
  it('grows in 4 MiB chunks (512 pages) on first use', () => {
    const pages = new PageHeap();

    const start = pages.alloc(1);

    expect(start).toBe(0);
    expect(pages.pagesTotal).toBe(HEAP_GROWTH_PAGES);
    expect(pages.heapSysBytes).toBe(4 << 20);
  });

  it('rounds a large request up to whole chunks', () => {
    const pages = new PageHeap();

    pages.alloc(513);

    expect(pages.pagesTotal).toBe(1024);
  });

  it('allocates first fit from the lowest address', () => {
    const pages = new PageHeap();
    const a = pages.alloc(2);
    const b = pages.alloc(3);
    pages.alloc(1);
    pages.free(a, 2);
    pages.free(b, 3);

    expect(pages.alloc(4)).toBe(0);
    expect(pages.alloc(1)).toBe(4);
    expect(pages.alloc(1)).toBe(6);
  });

  it('skips free runs that are too short', () => {
    const pages = new PageHeap();
    const a = pages.alloc(1);
    pages.alloc(1);
    pages.free(a, 1);

    expect(pages.alloc(2)).toBe(2);
    expect(pages.alloc(1)).toBe(0);
  });

  it('merges a free run at the top with newly grown pages', () => {
    const pages = new PageHeap();
    pages.alloc(500);

    const start = pages.alloc(20);

    expect(start).toBe(500);
    expect(pages.pagesTotal).toBe(1024);
  });

  it('conserves pages: in use + free = mapped, and in-use runs never overlap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 700 }), fc.nat()), { maxLength: 80 }),
        (ops) => {
          const pages = new PageHeap();
          const runs: Array<[number, number]> = [];

          for (const [alloc, npages, pick] of ops) {
            if (alloc || runs.length === 0) runs.push([pages.alloc(npages), npages]);
            else {
              const [start, n] = runs.splice(pick % runs.length, 1)[0]!;
              pages.free(start, n);
            }
          }

          const owners = new Array<number>(pages.pagesTotal).fill(0);
          for (const [start, n] of runs) for (let p = start; p < start + n; p++) owners[p]!++;
          const inUse = owners.map((_, p) => (pages.isInUse(p) ? 1 : 0));

          expect(owners).toEqual(inUse);
          expect(pages.pagesInUse).toBe(runs.reduce((sum, [, n]) => sum + n, 0));
          expect(pages.pagesInUse + pages.pagesFree).toBe(pages.pagesTotal);
          expect(pages.pagesTotal % HEAP_GROWTH_PAGES).toBe(0);
        },
      ),
    );
  });
});

describe('PageHeap.release (the scavenger)', () => {
  it('releases free pages from the highest address down, until the retained heap meets the goal', () => {
    const pages = new PageHeap();
    const low = pages.alloc(10);
    pages.alloc(10);
    pages.free(low, 10);

    const released = pages.release(Infinity, HEAP_GROWTH_PAGES - 100);

    expect(released).toBe(100);
    expect(pages.isReleased(HEAP_GROWTH_PAGES - 1)).toBe(true);
    expect(pages.isReleased(low)).toBe(false);
    expect(pages.heapReleasedBytes).toBe(100 * PAGE_BYTES);
    expect(pages.heapRetainedBytes).toBe((HEAP_GROWTH_PAGES - 100) * PAGE_BYTES);
  });

  it('releases at most the pages its budget allows, and never pages in use', () => {
    const pages = new PageHeap();
    pages.alloc(HEAP_GROWTH_PAGES - 5);

    expect(pages.release(3, 0)).toBe(3);
    expect(pages.release(Infinity, 0)).toBe(2);
    expect(pages.pagesReleased).toBe(5);
  });

  it('takes released pages back into use when a span needs them', () => {
    const pages = new PageHeap();
    pages.alloc(1);
    pages.release(Infinity, 0);

    const start = pages.alloc(HEAP_GROWTH_PAGES - 1);

    expect(start).toBe(1);
    expect(pages.pagesReleased).toBe(0);
    expect(pages.pagesTotal).toBe(HEAP_GROWTH_PAGES);
  });

  it('releases pages freed above where the last release stopped', () => {
    const pages = new PageHeap();
    const spans = Array.from({ length: 4 }, () => pages.alloc(100));
    pages.release(Infinity, 0);
    pages.free(spans[3]!, 100);

    expect(pages.release(Infinity, 0)).toBe(100);
  });
});
