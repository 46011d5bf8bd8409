/**
 * mheap's page allocator: which 8 KiB pages of the heap's address range are in use by spans.
 *
 *  1. The heap is one growable range of pages [0, pagesTotal), all mapped ("HeapSys"). A page is
 *     either in use by exactly one span or free.
 *  2. alloc(n) is first fit from the lowest address, like Go's page allocator: it starts at
 *     searchPage (every page below it is in use; Go's searchAddr) and takes the first run of n free
 *     pages.
 *  3. When no run fits, the heap grows by alignUp(n, 512) pages (pallocChunkPages: 4 MiB chunks,
 *     mheap.grow), appended at the top of the range, and the search is retried; a free run that
 *     ends at the old top merges with the new pages.
 *  4. free(start, n) returns a span's pages and lowers searchPage if needed. Freed pages stay
 *     mapped: returning memory to the OS (the scavenger) is not modelled yet.
 *
 * Arenas (64 MiB reservations) are not modelled: they only matter for address-space accounting.
 */
import { growUint8 } from './growable';
import { PAGE_BYTES } from './size-classes';

/** pallocChunkPages: the heap grows in 4 MiB chunks. */
export const HEAP_GROWTH_PAGES = 512;

export class PageHeap {
  /** 1 = page in use by a span. Updated by alloc/free only. */
  private pageInUse = new Uint8Array(0);
  /** Pages mapped so far (HeapSys / 8192); only grows. */
  pagesTotal = 0;
  /** Pages in use by spans (HeapInuse / 8192). */
  pagesInUse = 0;
  /** Every page below this one is in use (Go's searchAddr). */
  private searchPage = 0;
  /** Number of times the heap grew (sysAlloc of a new chunk). */
  growCount = 0;

  get heapSysBytes(): number {
    return this.pagesTotal * PAGE_BYTES;
  }

  get heapInUseBytes(): number {
    return this.pagesInUse * PAGE_BYTES;
  }

  get pagesFree(): number {
    return this.pagesTotal - this.pagesInUse;
  }

  isInUse(page: number): boolean {
    return this.pageInUse[page] === 1;
  }

  /** First page of a run of `npages` now in use. */
  alloc(npages: number): number {
    let start = this.findRun(npages);
    if (start < 0) {
      this.grow(npages);
      start = this.findRun(npages);
    }
    this.pageInUse.fill(1, start, start + npages);
    this.pagesInUse += npages;
    if (start === this.searchPage) this.searchPage = start + npages;
    return start;
  }

  free(start: number, npages: number): void {
    this.pageInUse.fill(0, start, start + npages);
    this.pagesInUse -= npages;
    if (start < this.searchPage) this.searchPage = start;
  }

  private findRun(npages: number): number {
    const inUse = this.pageInUse;
    const total = this.pagesTotal;
    let i = this.searchPage;
    while (i + npages <= total) {
      if (inUse[i] === 1) {
        i++;
        continue;
      }
      let j = i + 1;
      const end = i + npages;
      while (j < end && inUse[j] === 0) j++;
      if (j === end) return i;
      i = j + 1;
    }
    return -1;
  }

  private grow(npages: number): void {
    const ask = Math.ceil(npages / HEAP_GROWTH_PAGES) * HEAP_GROWTH_PAGES;
    this.pageInUse = growUint8(this.pageInUse, this.pagesTotal + ask);
    this.pagesTotal += ask;
    this.growCount++;
  }
}
