import type { HeapSnapshot, PoolContents, SiteRow, SizeClassRow, SpanMap } from '../../lib/contract';

/**
 * Shapes one heap snapshot (src-main/engine/snapshot.ts) for the snapshot panel: the size-class
 * occupancy bars, the span map's cells, and the pool and site tables. The span map's columns
 * arrive as little-endian Int32 in base64; the renderer may not import the engine's decoder, and
 * `atob` exists in every browser and in Node ≥ 16 (the unit tests).
 */

export function decodeInt32Base64(text: string): Int32Array {
  const binary = atob(text);
  if (binary.length % 4 !== 0) throw new Error('Int32 column length is not a multiple of 4 bytes');
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const values = new Int32Array(bytes.length / 4);
  for (let i = 0; i < values.length; i++) values[i] = view.getInt32(i * 4, true);
  return values;
}

/** Go's name for a span class: its size class and whether its objects hold pointers. */
export function classLabel(row: Pick<SizeClassRow, 'sizeClass' | 'objectBytes' | 'noscan'>): string {
  if (row.sizeClass === 0) return row.noscan ? 'large · noscan' : 'large';
  return `${row.objectBytes} B${row.noscan ? ' · noscan' : ''}`;
}

/**
 * One bar per span class, split so the four parts add up to its span bytes: what objects asked
 * for, the rounding up to the slot size (internal waste), free slots, and the span's tail that no
 * slot fits (tail waste). `percent` gives the same parts as shares of span bytes.
 */
export interface SizeClassSeries {
  labels: string[];
  rows: SizeClassRow[];
  requestedBytes: number[];
  internalWasteBytes: number[];
  freeSlotBytes: number[];
  tailWasteBytes: number[];
  percent: { requested: number[]; internalWaste: number[]; freeSlots: number[]; tailWaste: number[] };
  /** Bars handed to the chart, summed over its four datasets. */
  pointCount: number;
}

export function sizeClassSeries(classes: readonly SizeClassRow[]): SizeClassSeries {
  const rows = [...classes].sort((a, b) => a.spanClass - b.spanClass);
  const requestedBytes = rows.map((r) => r.requestedBytes);
  const internalWasteBytes = rows.map((r) => r.internalWasteBytes);
  const freeSlotBytes = rows.map((r) => r.freeSlotBytes);
  const tailWasteBytes = rows.map((r) => r.tailWasteBytes);
  const share = (values: number[]) =>
    values.map((v, i) => (rows[i]!.spanBytes > 0 ? (100 * v) / rows[i]!.spanBytes : 0));
  return {
    labels: rows.map(classLabel),
    rows,
    requestedBytes,
    internalWasteBytes,
    freeSlotBytes,
    tailWasteBytes,
    percent: {
      requested: share(requestedBytes),
      internalWaste: share(internalWasteBytes),
      freeSlots: share(freeSlotBytes),
      tailWaste: share(tailWasteBytes),
    },
    pointCount: rows.length * 4,
  };
}

/** One in-use span of the map, with what its class row says about its slots. */
export interface SpanInfo {
  startPage: number;
  pages: number;
  spanClass: number;
  sizeClass: number;
  noscan: boolean;
  /** Slot size; a large object's span is one slot of all its pages. */
  objectBytes: number;
  objects: number;
  slots: number;
  /** objects / slots, 0..1. */
  occupancy: number;
}

export function decodeSpans(map: SpanMap, classes: readonly SizeClassRow[]): SpanInfo[] {
  const byClass = new Map(classes.map((row) => [row.spanClass, row]));
  const data = decodeInt32Base64(map.spanData);
  const spans: SpanInfo[] = [];
  for (let i = 0; i + 3 < data.length; i += 4) {
    const [startPage, pages, spanClass, objects] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
    const row = byClass.get(spanClass);
    const sizeClass = spanClass >>> 1;
    const objectBytes = sizeClass === 0 ? pages * map.pageBytes : (row?.objectBytes ?? 0);
    // Every span of a small class has the same pages, so its slots are the class's over its spans.
    const slots = sizeClass === 0 ? 1 : row && row.spans > 0 ? Math.round(row.slots / row.spans) : objects;
    spans.push({
      startPage,
      pages,
      spanClass,
      sizeClass,
      noscan: (spanClass & 1) === 1,
      objectBytes,
      objects,
      slots,
      occupancy: slots > 0 ? Math.min(1, objects / slots) : 0,
    });
  }
  return spans;
}

export interface PageRun {
  startPage: number;
  pages: number;
}

export function decodeReleasedRuns(map: SpanMap): PageRun[] {
  const data = decodeInt32Base64(map.releasedRuns);
  const runs: PageRun[] = [];
  for (let i = 0; i + 1 < data.length; i += 2) runs.push({ startPage: data[i]!, pages: data[i + 1]! });
  return runs;
}

export const CELL_IDLE = -1;
export const CELL_RELEASED = -2;

/** Past this many pages, a cell stands for several pages, so the map stays a few hundred rows at most. */
export const MAX_SPAN_MAP_CELLS = 32_768;

/**
 * The heap's pages as cells in address order. `span[i]` is the index (into `spans`) of the span
 * holding most of cell i's pages, or CELL_IDLE / CELL_RELEASED when most of them are free;
 * `occupancy[i]` is that span's.
 */
export interface SpanMapCells {
  pagesPerCell: number;
  cells: number;
  span: Int32Array;
  occupancy: Float32Array;
}

export function spanMapCells(
  map: SpanMap,
  spans: readonly SpanInfo[],
  released: readonly PageRun[],
  maxCells = MAX_SPAN_MAP_CELLS,
): SpanMapCells {
  const pagesPerCell = Math.max(1, Math.ceil(map.pagesTotal / maxCells));
  const cells = Math.ceil(map.pagesTotal / pagesPerCell);
  const pageOwner = new Int32Array(map.pagesTotal).fill(CELL_IDLE);
  for (const run of released)
    pageOwner.fill(CELL_RELEASED, run.startPage, Math.min(map.pagesTotal, run.startPage + run.pages));
  spans.forEach((span, index) =>
    pageOwner.fill(index, span.startPage, Math.min(map.pagesTotal, span.startPage + span.pages)),
  );

  const span = new Int32Array(cells);
  const occupancy = new Float32Array(cells);
  const counts = new Map<number, number>();
  for (let cell = 0; cell < cells; cell++) {
    counts.clear();
    const end = Math.min(map.pagesTotal, (cell + 1) * pagesPerCell);
    for (let page = cell * pagesPerCell; page < end; page++) {
      const owner = pageOwner[page]!;
      counts.set(owner, (counts.get(owner) ?? 0) + 1);
    }
    let best = CELL_IDLE;
    let bestPages = 0;
    for (const [owner, pages] of counts) {
      if (pages > bestPages) [best, bestPages] = [owner, pages];
    }
    span[cell] = best;
    occupancy[cell] = best >= 0 ? spans[best]!.occupancy : 0;
  }
  return { pagesPerCell, cells, span, occupancy };
}

/** Hue of a size class on the span map: golden-angle steps, so neighbouring classes differ. */
export function classHue(sizeClass: number): number {
  return (sizeClass * 137.508) % 360;
}

export interface PoolRow {
  name: string;
  /** The primary cache: every P's private slot and shared chain. */
  primaryObjects: number;
  victimObjects: number;
  bytes: number;
}

export function poolRows(pools: readonly PoolContents[]): PoolRow[] {
  return pools.map((pool) => ({
    name: pool.name,
    primaryObjects: pool.privateObjects + pool.sharedObjects,
    victimObjects: pool.victimObjects,
    bytes: pool.bytes,
  }));
}

/** The sites holding the most live bytes, largest first (ties by name, so the order is stable). */
export function topSites(sites: readonly SiteRow[], limit = 10): SiteRow[] {
  return [...sites]
    .filter((site) => site.liveBytes > 0)
    .sort((a, b) => b.liveBytes - a.liveBytes || a.name.localeCompare(b.name))
    .slice(0, limit);
}

/** What the panel's header line says about a snapshot's heap. */
export function snapshotHeadline(snapshot: HeapSnapshot): {
  objects: number;
  inUseBytes: number;
  occupancy: number;
} {
  const spanBytes = snapshot.classes.reduce((total, row) => total + row.spanBytes, 0);
  return {
    objects: snapshot.heap.objects,
    inUseBytes: snapshot.heap.inUseBytes,
    occupancy: spanBytes > 0 ? snapshot.heap.allocBytes / spanBytes : 0,
  };
}
