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
 *     ends at the old top merges with the new pages. The new pages are mapped (sysMap) but count
 *     as released (HeapReleased) until a span takes them: Go 1.19's mheap.grow adds them to
 *     heapReleased, and allocSpan's sysUsed moves them into mappedReady only then, so a grown but
 *     untouched chunk weighs nothing against GOMEMLIMIT.
 *  4. free(start, n) returns a span's pages and lowers searchPage if needed. Freed pages stay
 *     mapped and count as idle (HeapIdle) until the scavenger releases them.
 *  5. release(maxPages, retainedGoalPages) is the scavenger's page work (mgcscavenge.go): it
 *     returns free pages to the OS (madvise; HeapReleased), highest addresses first, until the
 *     retained heap (mapped − released) is at the goal or maxPages were released. A released page
 *     that a span takes again is simply in use (the OS faults it back in).
 *  6. Under a memory limit, alloc scavenges for it as Go 1.19's mheap.allocSpan does: when the
 *     pages a span took were released (scav) and mappedReady + scav would pass the limit, the
 *     allocating goroutine releases that excess of free pages at once (h.pages.scavenge), so the
 *     heap's retained pages plus the runtime's other mapped memory (otherMappedBytes, kept current
 *     by the pacer) stay at the limit while free pages remain. Its CPU time (Go charges it to the
 *     goroutine as assist time) is not modelled; nor is the skip while the GC CPU limiter is on.
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
  /** 1 = free page returned to the OS. Only free pages are released. */
  private pageReleased = new Uint8Array(0);
  /** Free pages returned to the OS (HeapReleased / 8192). */
  pagesReleased = 0;
  /** Pages above this one are in use or released: where release() resumes its downward search. */
  private releaseCursor = -1;
  /** Pages mapped so far (HeapSys / 8192); only grows. */
  pagesTotal = 0;
  /** Pages in use by spans (HeapInuse / 8192). */
  pagesInUse = 0;
  /** Every page below this one is in use (Go's searchAddr). */
  private searchPage = 0;
  /** Number of times the heap grew (sysAlloc of a new chunk). */
  growCount = 0;
  /** GOMEMLIMIT (file comment, 6); Infinity = none. */
  memoryLimitBytes = Infinity;
  /** Mapped memory besides the heap's retained pages (stacks, runtime metadata), for step 6. */
  otherMappedBytes = 0;
  /** Pages step 6 released (cumulative). */
  limitScavengedPages = 0;

  get heapSysBytes(): number {
    return this.pagesTotal * PAGE_BYTES;
  }

  get heapInUseBytes(): number {
    return this.pagesInUse * PAGE_BYTES;
  }

  get pagesFree(): number {
    return this.pagesTotal - this.pagesInUse;
  }

  /** Free pages, released or not (MemStats.HeapIdle). */
  get heapIdleBytes(): number {
    return this.pagesFree * PAGE_BYTES;
  }

  get heapReleasedBytes(): number {
    return this.pagesReleased * PAGE_BYTES;
  }

  /** Mapped and not released: what the OS really holds for the heap. */
  get heapRetainedBytes(): number {
    return (this.pagesTotal - this.pagesReleased) * PAGE_BYTES;
  }

  isReleased(page: number): boolean {
    return this.pageReleased[page] === 1;
  }

  /**
   * The scavenger (file comment, 5): release free pages from the top down until retained ≤
   * retainedGoalPages or maxPages were released; returns the pages released.
   */
  release(maxPages: number, retainedGoalPages: number): number {
    let released = 0;
    let i = Math.min(this.releaseCursor, this.pagesTotal - 1);
    while (i >= 0 && released < maxPages && this.pagesTotal - this.pagesReleased > retainedGoalPages) {
      if (this.pageInUse[i] === 0 && this.pageReleased[i] === 0) {
        this.pageReleased[i] = 1;
        this.pagesReleased++;
        released++;
      }
      i--;
    }
    this.releaseCursor = i;
    return released;
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
    let scavPages = 0;
    if (this.pagesReleased > 0) {
      for (let page = start; page < start + npages; page++) {
        if (this.pageReleased[page] === 1) {
          this.pageReleased[page] = 0;
          scavPages++;
        }
      }
      this.pagesReleased -= scavPages;
    }
    if (start === this.searchPage) this.searchPage = start + npages;
    if (scavPages > 0 && this.memoryLimitBytes !== Infinity) this.scavengeForLimit();
    return start;
  }

  /** allocSpan's scavenge for the memory limit (file comment, 6). */
  private scavengeForLimit(): void {
    const mappedReadyBytes = this.heapRetainedBytes + this.otherMappedBytes;
    if (mappedReadyBytes <= this.memoryLimitBytes) return;
    const excessPages = Math.ceil((mappedReadyBytes - this.memoryLimitBytes) / PAGE_BYTES);
    this.limitScavengedPages += this.release(excessPages, 0);
  }

  free(start: number, npages: number): void {
    this.pageInUse.fill(0, start, start + npages);
    this.pagesInUse -= npages;
    if (start < this.searchPage) this.searchPage = start;
    this.releaseCursor = Math.max(this.releaseCursor, start + npages - 1);
  }

  private findRun(npages: number): number {
    const inUse = this.pageInUse;
    const total = this.pagesTotal;
    let i = this.searchPage;
    while (i < total && inUse[i] === 1) i++;
    // Every page below the first free one is in use: later searches need not walk them again
    // (without this, refilling a swept heap page by page rescans its in-use prefix every time).
    this.searchPage = i;
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
    this.pageReleased = growUint8(this.pageReleased, this.pagesTotal + ask);
    // Fresh pages count as released until a span first uses them (file comment, 3).
    this.pageReleased.fill(1, this.pagesTotal, this.pagesTotal + ask);
    this.pagesReleased += ask;
    this.pagesTotal += ask;
    this.growCount++;
  }
}
