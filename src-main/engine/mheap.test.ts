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

describe('PageHeap: fresh pages (mheap.grow)', () => {
  it('counts a grown chunk as released until spans take its pages', () => {
    const pages = new PageHeap();

    pages.alloc(10);

    expect(pages.heapSysBytes).toBe(HEAP_GROWTH_PAGES * PAGE_BYTES);
    expect(pages.pagesReleased).toBe(HEAP_GROWTH_PAGES - 10);
    expect(pages.heapRetainedBytes).toBe(10 * PAGE_BYTES);
    expect(pages.isReleased(9)).toBe(false);
    expect(pages.isReleased(10)).toBe(true);
  });

  it('keeps a freed page retained (heapFree) until the scavenger releases it', () => {
    const pages = new PageHeap();
    const a = pages.alloc(10);
    pages.alloc(10);

    pages.free(a, 10);

    expect(pages.heapRetainedBytes).toBe(20 * PAGE_BYTES);
    expect(pages.heapIdleBytes - pages.heapReleasedBytes).toBe(10 * PAGE_BYTES);
  });
});

describe('PageHeap.release (the scavenger)', () => {
  it('releases free pages from the highest address down, until the retained heap meets the goal', () => {
    const pages = new PageHeap();
    const spans = Array.from({ length: 4 }, () => pages.alloc(10));
    pages.free(spans[0]!, 10);
    pages.free(spans[2]!, 10);

    const released = pages.release(Infinity, 25);

    // Retained: 40 pages, 20 of them free; down to 25 takes 15, the higher span's 10 first.
    expect(released).toBe(15);
    expect(pages.isReleased(29)).toBe(true);
    expect(pages.isReleased(20)).toBe(true);
    expect(pages.isReleased(9)).toBe(true);
    expect(pages.isReleased(4)).toBe(false);
    expect(pages.heapRetainedBytes).toBe(25 * PAGE_BYTES);
  });

  it('releases at most the pages its budget allows, and never pages in use', () => {
    const pages = new PageHeap();
    const low = pages.alloc(5);
    pages.alloc(HEAP_GROWTH_PAGES - 5);
    pages.free(low, 5);

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
    pages.free(spans[1]!, 100);
    pages.release(Infinity, 0);
    pages.free(spans[3]!, 100);

    expect(pages.release(Infinity, 0)).toBe(100);
  });
});

describe('PageHeap under a memory limit (mheap.allocSpan)', () => {
  const MiB = 1 << 20;

  /** A 4 MiB chunk of four 128-page spans, the first and the third freed: 2 MiB free, retained. */
  function heapWithFreePages(limitBytes: number, otherMappedBytes: number): PageHeap {
    const pages = new PageHeap();
    pages.memoryLimitBytes = limitBytes;
    pages.otherMappedBytes = otherMappedBytes;
    const spans = Array.from({ length: 4 }, () => pages.alloc(128));
    pages.free(spans[0]!, 128);
    pages.free(spans[2]!, 128);
    return pages;
  }

  it('releases free pages when paging in released ones would pass the limit', () => {
    // Retained 4 MiB + 1 MiB elsewhere = the 5 MiB limit. 129 pages fit no free run: the heap
    // grows and pages them in, so as many free pages go back to the OS, the highest first.
    const pages = heapWithFreePages(5 * MiB, MiB);
    expect(pages.heapRetainedBytes).toBe(4 * MiB);

    const start = pages.alloc(129);

    expect(start).toBe(HEAP_GROWTH_PAGES);
    expect(pages.limitScavengedPages).toBe(129);
    expect(pages.heapRetainedBytes + pages.otherMappedBytes).toBe(5 * MiB);
    expect(pages.isReleased(256)).toBe(true);
    expect(pages.isReleased(127)).toBe(true);
    expect(pages.isReleased(126)).toBe(false);
  });

  it('leaves the heap alone under the limit, or when the span reused retained pages', () => {
    const under = heapWithFreePages(7 * MiB, MiB);
    under.alloc(129);
    expect(under.limitScavengedPages).toBe(0);

    // Already over the limit, but the span's pages were never released: nothing is paged in.
    const reuse = heapWithFreePages(4.5 * MiB, MiB);
    expect(reuse.alloc(8)).toBe(0);
    expect(reuse.limitScavengedPages).toBe(0);
  });

  it('does nothing without a limit', () => {
    const pages = heapWithFreePages(Infinity, 100 * MiB);
    pages.alloc(129);
    expect(pages.limitScavengedPages).toBe(0);
  });
});
