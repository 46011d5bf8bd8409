/**
 * Heap snapshots: the state of the simulated heap at the end of a cycle (after its sweep), or on
 * demand, as JSON-safe data for storage and for the snapshot view.
 *
 *  1. heap: the allocator's totals (HeapAlloc, HeapInuse, HeapIdle, HeapReleased, waste).
 *  2. classes: one row per span class in use — spans, slots, objects, bytes and waste — whose sums
 *     are the heap totals (Σ allocBytes = heap.allocBytes, Σ spanBytes = heap.inUseBytes).
 *  3. spans: the span map, one row per in-use span in address order ([startPage, pages, spanClass,
 *     objects], Int32 little-endian, base64), plus the runs of released pages; every other page of
 *     [0, pagesTotal) is idle.
 *  4. stacks, globals, pools and sites: stack sizes by count, root and pool contents, and the
 *     escape split and live objects of every allocation site.
 *  5. graph (when enabled and the heap has at most graphMaxObjects objects): every allocated
 *     object in id order, numbered 0..n−1, with its site, slot size and requested size; its
 *     pointers as a CSR adjacency (edgeStart[i]..edgeStart[i+1] index edgeTarget); and every root
 *     pointer with its kind (stack of a goroutine, global, sync.Pool, mcache tiny block). That is
 *     what retained sizes and paths from roots are computed from. Columns are typed arrays in
 *     base64 (base64.ts): a million objects with two pointers each take ≈ 30 MB of JSON before
 *     compression, which is why the graph can be turned off or limited.
 *
 * Building a snapshot reads the heap; it never changes it, the PRNG, or anything a later cycle sees.
 */
import { encodeInt32, encodeUint16, encodeUint8 } from './base64';
import { NIL, type Heap } from './heap';
import type { SyncPool } from './pool';
import { GLOBAL, type Roots } from './roots';
import { NUM_SPAN_CLASSES, PAGE_BYTES, classObjectBytes, classTailWasteBytes } from './size-classes';
import type { Workload } from './workload';

export const SNAPSHOT_VERSION = 1;

/** Root kinds in graph.rootKind. */
export const ROOT_STACK = 0;
export const ROOT_GLOBAL = 1;
export const ROOT_POOL = 2;
export const ROOT_TINY = 3;

export interface SnapshotOptions {
  /** Take a snapshot at the end of every n-th cycle (1 = every cycle, 0 = never). */
  everyCycles: number;
  /**
   * Past this many cycles, thin out by powers of two so a long run keeps O(log n) more snapshots:
   * cycles up to T keep every `everyCycles`-th, up to 2T every 2nd of those, up to 4T every 4th…
   * (0 = never thin). A cycle's fate depends on its number only, so replays keep the same ones.
   */
  thinAfterCycles: number;
  /** Include the object graph. */
  graph: boolean;
  /** Include it only in every n-th cycle's snapshot (1 = in all). */
  graphEveryCycles: number;
  /** Leave the graph out of a snapshot whose heap has more objects than this. */
  graphMaxObjects: number;
}

export const DEFAULT_SNAPSHOT_OPTIONS: SnapshotOptions = {
  everyCycles: 1,
  thinAfterCycles: 0,
  graph: true,
  graphEveryCycles: 1,
  graphMaxObjects: 1_000_000,
};

/** Whether cycle `seq`'s end gets a snapshot (SnapshotOptions.everyCycles and thinAfterCycles). */
export function snapshotsCycle(seq: number, options: SnapshotOptions): boolean {
  const every = options.everyCycles;
  if (!(every > 0) || seq % every !== 0) return false;
  const thin = options.thinAfterCycles;
  if (!(thin > 0) || seq <= thin) return true;
  let stride = every;
  for (let limit = thin; seq > limit; limit *= 2) stride *= 2;
  return seq % stride === 0;
}

/** Whether cycle `seq`'s snapshot carries the object graph (before the object-count limit). */
export function graphsCycle(seq: number, options: SnapshotOptions): boolean {
  return options.graph && options.graphEveryCycles > 0 && seq % options.graphEveryCycles === 0;
}

export interface HeapSnapshot {
  version: typeof SNAPSHOT_VERSION;
  /** The cycle whose end this is; for an on-demand snapshot, the last cycle finished (0 = none). */
  seq: number;
  tNs: number;
  /** false for an on-demand snapshot taken between cycles. */
  atCycleEnd: boolean;
  heap: HeapTotals;
  classes: SizeClassRow[];
  spans: SpanMap;
  stacks: StackSummary;
  globals: { bytes: number; rootPointers: number };
  pools: PoolContents[];
  sites: SiteRow[];
  graph: ObjectGraph | null;
}

export interface HeapTotals {
  /** MemStats.HeapAlloc: slot bytes of allocated objects (unswept dead ones included). */
  allocBytes: number;
  /** Bytes those objects requested. */
  requestedBytes: number;
  inUseBytes: number;
  idleBytes: number;
  releasedBytes: number;
  /** Mapped heap (HeapSys) = inUseBytes + idleBytes. */
  sysBytes: number;
  objects: number;
  tailWasteBytes: number;
  internalWasteBytes: number;
  freeSlotBytes: number;
  /** Cumulative: heap objects allocated and freed, tiny sub-allocations packed. */
  mallocs: number;
  frees: number;
  tinyAllocs: number;
}

export interface SizeClassRow {
  spanClass: number;
  /** 0 = large objects (one per span). */
  sizeClass: number;
  noscan: boolean;
  /** Slot size (0 for large: each span's slot is its pages). */
  objectBytes: number;
  spans: number;
  /** Σ span bytes (npages · 8192). */
  spanBytes: number;
  slots: number;
  objects: number;
  allocBytes: number;
  requestedBytes: number;
  tailWasteBytes: number;
  internalWasteBytes: number;
  freeSlotBytes: number;
}

export interface SpanMap {
  pagesTotal: number;
  pageBytes: number;
  spans: number;
  /** Int32 LE quads per span in address order: startPage, pages, spanClass, objects. */
  spanData: string;
  /** Int32 LE pairs: startPage, pages, for each run of released pages. */
  releasedRuns: string;
}

export interface StackSummary {
  goroutines: number;
  /** Σ stack sizes (MemStats.StackInuse). */
  inUseBytes: number;
  /** Σ bytes in use (what a GC scans). */
  scanBytes: number;
  /** Goroutines per stack size, ascending. */
  sizes: { bytes: number; goroutines: number }[];
  /** Cumulative. */
  growths: number;
  shrinks: number;
  copiedBytes: number;
}

export interface PoolContents {
  name: string;
  objects: number;
  /** Slot bytes of the pooled objects. */
  bytes: number;
  privateObjects: number;
  sharedObjects: number;
  victimObjects: number;
  /** Cumulative counters. */
  gets: number;
  hitsPrivate: number;
  hitsShared: number;
  hitsStolen: number;
  hitsVictim: number;
  misses: number;
  puts: number;
  dropped: number;
}

export interface SiteRow {
  name: string;
  goroutineKind: string;
  /** Cumulative escape split (requested bytes). */
  heapAllocations: number;
  heapBytes: number;
  stackAllocations: number;
  stackBytes: number;
  /** Allocated objects of this site now (a tiny block counts for its first sub-object's site). */
  liveObjects: number;
  liveBytes: number;
}

export interface ObjectGraph {
  objects: number;
  edges: number;
  roots: number;
  /** Uint16 LE per object: site index (into `sites`); 65535 = runtime-internal. */
  site: string;
  /** Int32 LE per object: slot bytes. */
  slotBytes: string;
  /** Int32 LE per object: requested bytes. */
  requestedBytes: string;
  /** Int32 LE, objects + 1 entries. */
  edgeStart: string;
  /** Int32 LE per edge: target object index. */
  edgeTarget: string;
  /** Int32 LE per root: object index. */
  rootObject: string;
  /** Uint8 per root: ROOT_STACK, ROOT_GLOBAL, ROOT_POOL or ROOT_TINY. */
  rootKind: string;
  /** Int32 LE per root: the goroutine of a stack root, −1 otherwise. */
  rootOwner: string;
}

/** What a snapshot is taken of. */
export interface SnapshotSource {
  heap: Heap;
  roots: Roots;
  workload: Workload;
  pools: readonly SyncPool[];
  /** Root slots holding each P's tiny block. */
  tinyRootSlots: Int32Array;
}

export function takeSnapshot(
  source: SnapshotSource,
  seq: number,
  tNs: number,
  atCycleEnd: boolean,
  options: SnapshotOptions,
): HeapSnapshot {
  const { heap, roots, workload, pools } = source;
  const pages = heap.pages;
  const objects = heap.liveObjects;
  const tailWasteBytes = heap.tailWasteBytes;
  return {
    version: SNAPSHOT_VERSION,
    seq,
    tNs,
    atCycleEnd,
    heap: {
      allocBytes: heap.heapAllocBytes,
      requestedBytes: heap.requestedBytes,
      inUseBytes: heap.heapInUseBytes,
      idleBytes: pages.heapIdleBytes,
      releasedBytes: pages.heapReleasedBytes,
      sysBytes: pages.heapSysBytes,
      objects,
      tailWasteBytes,
      internalWasteBytes: heap.internalWasteBytes,
      freeSlotBytes: heap.fragmentationBytes - tailWasteBytes,
      mallocs: heap.mallocs,
      frees: heap.frees,
      tinyAllocs: heap.tinyAllocs,
    },
    classes: classRows(heap),
    spans: spanMap(heap),
    stacks: stackSummary(roots),
    globals: { bytes: roots.globalsBytes, rootPointers: globalRootPointers(source) },
    pools: pools.map((pool) => poolContents(pool, heap, roots)),
    sites: siteRows(heap, workload),
    graph:
      (atCycleEnd ? graphsCycle(seq, options) : options.graph) && objects <= options.graphMaxObjects
        ? objectGraph(source)
        : null,
  };
}

function classRows(heap: Heap): SizeClassRow[] {
  const rows: SizeClassRow[] = [];
  for (let spc = 0; spc < NUM_SPAN_CLASSES; spc++) {
    const spans = heap.classSpans[spc]!;
    if (spans === 0) continue;
    const sizeClass = spc >>> 1;
    const objectBytes = classObjectBytes[sizeClass]!;
    const objects = heap.classObjects[spc]!;
    const slots = heap.classSlots[spc]!;
    const spanBytes = heap.classPages[spc]! * PAGE_BYTES;
    const allocBytes = sizeClass === 0 ? spanBytes : objects * objectBytes;
    const requestedBytes = heap.classRequestedBytes[spc]!;
    const tailWasteBytes = spans * classTailWasteBytes[sizeClass]!;
    rows.push({
      spanClass: spc,
      sizeClass,
      noscan: (spc & 1) === 1,
      objectBytes,
      spans,
      spanBytes,
      slots,
      objects,
      allocBytes,
      requestedBytes,
      tailWasteBytes,
      internalWasteBytes: allocBytes - requestedBytes,
      freeSlotBytes: spanBytes - allocBytes - tailWasteBytes,
    });
  }
  return rows;
}

function spanMap(heap: Heap): SpanMap {
  const ids: number[] = [];
  for (let span = 0; span < heap.spanIdLimit; span++) if (heap.spanInUse[span] === 1) ids.push(span);
  ids.sort((a, b) => heap.spanStartPage[a]! - heap.spanStartPage[b]!);
  const data = new Int32Array(ids.length * 4);
  ids.forEach((span, i) => {
    data[i * 4] = heap.spanStartPage[span]!;
    data[i * 4 + 1] = heap.spanPages[span]!;
    data[i * 4 + 2] = heap.spanClass[span]!;
    data[i * 4 + 3] = heap.spanAllocCount[span]!;
  });
  const runs: number[] = [];
  const pages = heap.pages;
  for (let page = 0; page < pages.pagesTotal; page++) {
    if (!pages.isReleased(page)) continue;
    let end = page + 1;
    while (end < pages.pagesTotal && pages.isReleased(end)) end++;
    runs.push(page, end - page);
    page = end;
  }
  return {
    pagesTotal: pages.pagesTotal,
    pageBytes: PAGE_BYTES,
    spans: ids.length,
    spanData: encodeInt32(data),
    releasedRuns: encodeInt32(Int32Array.from(runs)),
  };
}

function stackSummary(roots: Roots): StackSummary {
  const stacks = roots.stacks;
  const bySize = new Map<number, number>();
  for (let g = 0; g < stacks.goroutines; g++) {
    const size = stacks.sizeBytes[g]!;
    bySize.set(size, (bySize.get(size) ?? 0) + 1);
  }
  return {
    goroutines: stacks.goroutines,
    inUseBytes: stacks.inUseBytes,
    scanBytes: stacks.scanBytes,
    sizes: [...bySize.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([bytes, goroutines]) => ({ bytes, goroutines })),
    growths: stacks.growths,
    shrinks: stacks.shrinks,
    copiedBytes: stacks.growCopiedBytes + stacks.shrinkCopiedBytes,
  };
}

/** Kind of every root slot: stack or global by owner, then pool and tiny slots marked. */
function rootKinds(source: SnapshotSource): Uint8Array {
  const { roots, pools, tinyRootSlots } = source;
  const kinds = new Uint8Array(roots.count);
  for (let slot = 0; slot < roots.count; slot++) {
    kinds[slot] = roots.slotOwner[slot] === GLOBAL ? ROOT_GLOBAL : ROOT_STACK;
  }
  for (const pool of pools) for (const slot of pool.slots()) kinds[slot] = ROOT_POOL;
  for (const slot of tinyRootSlots) kinds[slot] = ROOT_TINY;
  return kinds;
}

function globalRootPointers(source: SnapshotSource): number {
  const kinds = rootKinds(source);
  const { roots } = source;
  let n = 0;
  for (let slot = 0; slot < roots.count; slot++) {
    if (kinds[slot] === ROOT_GLOBAL && roots.slots[slot] !== NIL && roots.slotOwner[slot] === GLOBAL) n++;
  }
  return n;
}

function poolContents(pool: SyncPool, heap: Heap, roots: Roots): PoolContents {
  let bytes = 0;
  for (const slot of pool.slots()) bytes += heap.elemBytes(roots.slots[slot]!);
  return {
    name: pool.name,
    objects: pool.objects,
    bytes,
    ...pool.counts(),
    gets: pool.gets,
    hitsPrivate: pool.hitsPrivate,
    hitsShared: pool.hitsShared,
    hitsStolen: pool.hitsStolen,
    hitsVictim: pool.hitsVictim,
    misses: pool.misses,
    puts: pool.puts,
    dropped: pool.dropped,
  };
}

function siteRows(heap: Heap, workload: Workload): SiteRow[] {
  const liveObjects = new Float64Array(workload.siteCount);
  const liveBytes = new Float64Array(workload.siteCount);
  for (let id = 0; id < heap.objectIdLimit; id++) {
    if (!heap.isAllocated(id)) continue;
    const span = heap.spanOf(id);
    const site = heap.siteOf(id);
    if (site < 0 || site >= workload.siteCount) continue;
    liveObjects[site] = liveObjects[site]! + 1;
    liveBytes[site] = liveBytes[site]! + heap.spanElemBytes[span]!;
  }
  return workload.siteNames.map((name, site) => ({
    name,
    goroutineKind: workload.kindNames[workload.siteKind[site]!]!,
    heapAllocations: workload.siteHeapAllocs[site]!,
    heapBytes: workload.siteHeapBytes[site]!,
    stackAllocations: workload.siteStackAllocs[site]!,
    stackBytes: workload.siteStackBytes[site]!,
    liveObjects: liveObjects[site]!,
    liveBytes: liveBytes[site]!,
  }));
}

/** Site index stored for objects no scenario site allocated. */
export const GRAPH_NO_SITE = 0xffff;

function objectGraph(source: SnapshotSource): ObjectGraph {
  const { heap, roots } = source;
  const n = heap.liveObjects;
  const indexOf = new Int32Array(heap.objectIdLimit).fill(-1);
  const site = new Uint16Array(n);
  const slotBytes = new Int32Array(n);
  const requestedBytes = new Int32Array(n);
  const edgeStart = new Int32Array(n + 1);
  let index = 0;
  let edges = 0;
  for (let id = 0; id < heap.objectIdLimit; id++) {
    if (!heap.isAllocated(id)) continue;
    const span = heap.spanOf(id);
    indexOf[id] = index;
    const s = heap.siteOf(id);
    site[index] = s >= 0 && s < GRAPH_NO_SITE ? s : GRAPH_NO_SITE;
    slotBytes[index] = heap.spanElemBytes[span]!;
    requestedBytes[index] = heap.sizeOf(id);
    const base = heap.objectPointerBase[id]!;
    const end = base + heap.objectPointerCount[id]!;
    for (let i = base; i < end; i++) if (heap.pointers[i] !== NIL) edges++;
    index++;
    edgeStart[index] = edges;
  }
  const edgeTarget = new Int32Array(edges);
  let e = 0;
  for (let id = 0; id < heap.objectIdLimit; id++) {
    if (!heap.isAllocated(id)) continue;
    const base = heap.objectPointerBase[id]!;
    const end = base + heap.objectPointerCount[id]!;
    for (let i = base; i < end; i++) {
      const target = heap.pointers[i]!;
      if (target !== NIL) edgeTarget[e++] = indexOf[target]!;
    }
  }
  const kinds = rootKinds(source);
  const rootObject: number[] = [];
  const rootKind: number[] = [];
  const rootOwner: number[] = [];
  for (let slot = 0; slot < roots.count; slot++) {
    const target = roots.slots[slot]!;
    if (target === NIL) continue;
    rootObject.push(indexOf[target]!);
    rootKind.push(kinds[slot]!);
    rootOwner.push(kinds[slot] === ROOT_STACK ? roots.slotOwner[slot]! : -1);
  }
  return {
    objects: n,
    edges,
    roots: rootObject.length,
    site: encodeUint16(site),
    slotBytes: encodeInt32(slotBytes),
    requestedBytes: encodeInt32(requestedBytes),
    edgeStart: encodeInt32(edgeStart),
    edgeTarget: encodeInt32(edgeTarget),
    rootObject: encodeInt32(Int32Array.from(rootObject)),
    rootKind: encodeUint8(Uint8Array.from(rootKind)),
    rootOwner: encodeInt32(Int32Array.from(rootOwner)),
  };
}
