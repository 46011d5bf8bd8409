/**
 * Independent checks of the heap, for tests (and later, heap snapshots): a reachability oracle
 * that shares no code with any collector, and the allocator's accounting identities. Plain
 * JavaScript collections on purpose: these are slow, obvious and separate from the hot paths.
 */
import type { Heap } from '../heap';
import { NIL } from '../heap';
import type { Roots } from '../roots';
import { NUM_SPAN_CLASSES, PAGE_BYTES, classTailWasteBytes } from '../size-classes';

/** Every object reachable from the roots, by breadth-first search over pointer fields. */
export function reachableObjects(heap: Heap, roots: Roots): Set<number> {
  const reached = new Set<number>();
  const queue: number[] = [];
  for (let slot = 0; slot < roots.count; slot++) {
    const target = roots.slots[slot]!;
    if (target !== NIL && !reached.has(target)) {
      reached.add(target);
      queue.push(target);
    }
  }
  while (queue.length > 0) {
    const object = queue.shift()!;
    for (let field = 0; field < heap.pointerCount(object); field++) {
      const target = heap.getPointer(object, field);
      if (target !== NIL && !reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  return reached;
}

export function allocatedObjects(heap: Heap): number[] {
  const ids: number[] = [];
  for (let id = 0; id < heap.objectIdLimit; id++) if (heap.isAllocated(id)) ids.push(id);
  return ids;
}

/** Every accounting identity the allocator promises; returns the ones that do not hold. */
export function accountingViolations(heap: Heap): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) problems.push(what);
  };
  const objects = allocatedObjects(heap);
  const slotBytes = objects.reduce((sum, id) => sum + heap.elemBytes(id), 0);
  check(heap.mallocs - heap.frees === objects.length, 'mallocs − frees = allocated objects');
  check(heap.liveObjects === objects.length, 'liveObjects = allocated objects');
  check(heap.heapAllocBytes === slotBytes, 'heapAlloc = Σ slot sizes of allocated objects');
  check(heap.totalAllocBytes - heap.totalFreedBytes === heap.heapAllocBytes, 'allocated − freed = heapAlloc');

  let spanPages = 0;
  const pageOwner = new Map<number, number>();
  for (let span = 0; span < heap.spanIdLimit; span++) {
    if (heap.spanInUse[span] !== 1) continue;
    const start = heap.spanStartPage[span]!;
    const npages = heap.spanPages[span]!;
    spanPages += npages;
    for (let page = start; page < start + npages; page++) {
      check(!pageOwner.has(page), `page ${page} belongs to one span only`);
      check(heap.pages.isInUse(page), `page ${page} of span ${span} is in use`);
      pageOwner.set(page, span);
    }
    let occupied = 0;
    const base = heap.spanSlotBase[span]!;
    for (let slot = 0; slot < heap.spanNElems[span]!; slot++) {
      const id = heap.slots[base + slot]!;
      if (id === NIL) continue;
      occupied++;
      check(heap.spanOf(id) === span && heap.slotOf(id) === slot, `object ${id} knows its slot`);
    }
    check(occupied === heap.spanAllocCount[span], `span ${span} allocCount = occupied slots`);
    // An mcache may hold a span emptied by immediate frees (reference counting) until its refill.
    check(occupied > 0 || heap.spanCached[span] === 1, `in-use span ${span} holds an object`);
  }
  for (const id of objects) check(heap.spanInUse[heap.spanOf(id)] === 1, `object ${id} is in an in-use span`);
  check(spanPages === heap.pages.pagesInUse, 'Σ span pages = pages in use');
  check(
    heap.pages.pagesInUse + heap.pages.pagesFree === heap.pages.pagesTotal,
    'pages in use + free = mapped',
  );
  check(heap.heapInUseBytes === spanPages * PAGE_BYTES, 'heapInUse = Σ span pages · 8192');
  check(
    heap.fragmentationBytes === heap.heapInUseBytes - heap.heapAllocBytes,
    'fragmentation = inUse − alloc',
  );

  const requested = objects.reduce((sum, id) => sum + heap.sizeOf(id), 0);
  check(heap.requestedBytes === requested, 'requested = Σ requested bytes of allocated objects');
  check(heap.internalWasteBytes === heap.heapAllocBytes - requested, 'internal waste = alloc − requested');
  const classSpans = new Array<number>(NUM_SPAN_CLASSES).fill(0);
  const classPages = new Array<number>(NUM_SPAN_CLASSES).fill(0);
  const classSlots = new Array<number>(NUM_SPAN_CLASSES).fill(0);
  const classObjects = new Array<number>(NUM_SPAN_CLASSES).fill(0);
  const classRequested = new Array<number>(NUM_SPAN_CLASSES).fill(0);
  let tailWaste = 0;
  for (let span = 0; span < heap.spanIdLimit; span++) {
    if (heap.spanInUse[span] !== 1) continue;
    const spc = heap.spanClass[span]!;
    classSpans[spc]!++;
    classPages[spc]! += heap.spanPages[span]!;
    classSlots[spc]! += heap.spanNElems[span]!;
    tailWaste += classTailWasteBytes[spc >>> 1]!;
  }
  for (const id of objects) {
    const spc = heap.spanClass[heap.spanOf(id)]!;
    classObjects[spc]!++;
    classRequested[spc]! += heap.sizeOf(id);
  }
  for (let spc = 0; spc < NUM_SPAN_CLASSES; spc++) {
    check(heap.classSpans[spc] === classSpans[spc], `span class ${spc}: spans`);
    check(heap.classPages[spc] === classPages[spc], `span class ${spc}: pages`);
    check(heap.classSlots[spc] === classSlots[spc], `span class ${spc}: slots`);
    check(heap.classObjects[spc] === classObjects[spc], `span class ${spc}: objects`);
    check(heap.classRequestedBytes[spc] === classRequested[spc], `span class ${spc}: requested bytes`);
  }
  check(heap.tailWasteBytes === tailWaste, 'tail waste = Σ per-span tail waste');
  check(
    heap.freeSlotBytes === heap.fragmentationBytes - heap.tailWasteBytes && heap.freeSlotBytes >= 0,
    'free slot bytes = fragmentation − tail waste ≥ 0',
  );
  const pages = heap.pages;
  check(pages.pagesReleased <= pages.pagesFree, 'released pages are free pages');
  check(pages.heapIdleBytes === pages.heapSysBytes - heap.heapInUseBytes, 'idle = sys − in use');
  return problems;
}
