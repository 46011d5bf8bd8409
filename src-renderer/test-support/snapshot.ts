import type { HeapSnapshot, SizeClassRow } from '../lib/contract';

const PAGE_BYTES = 8192;

/** Int32 values as the engine stores a snapshot column: little-endian bytes in base64. */
export function int32Base64(values: readonly number[]): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setInt32(i * 4, value, true));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * A size-class row whose sums hold: span bytes = slots · slot size + tail waste, and allocated
 * bytes = requested + internal waste. Small classes here use one page per span.
 */
export function sizeClassRow(
  fields: Pick<SizeClassRow, 'spanClass' | 'sizeClass' | 'objectBytes' | 'spans' | 'slots'> &
    Partial<SizeClassRow>,
): SizeClassRow {
  const objects = fields.objects ?? 0;
  const spanBytes = fields.spanBytes ?? fields.spans * PAGE_BYTES;
  const allocBytes = objects * fields.objectBytes;
  const requestedBytes = fields.requestedBytes ?? allocBytes;
  return {
    noscan: false,
    objects,
    spanBytes,
    allocBytes,
    requestedBytes,
    internalWasteBytes: allocBytes - requestedBytes,
    freeSlotBytes: (fields.slots - objects) * fields.objectBytes,
    tailWasteBytes: spanBytes - fields.slots * fields.objectBytes,
    ...fields,
  };
}

function site(name: string, liveBytes: number): HeapSnapshot['sites'][number] {
  return {
    name,
    goroutineKind: 'worker',
    heapAllocations: 10,
    heapBytes: 10 * liveBytes,
    stackAllocations: 0,
    stackBytes: 0,
    liveObjects: liveBytes / 1024,
    liveBytes,
  };
}

/** A three-page heap: one span of 48 B objects, two of 1 KiB buffers, one sync.Pool, four sites. */
export function snapshotFixture(): HeapSnapshot {
  return {
    version: 1,
    seq: 7,
    tNs: 12_500_000,
    atCycleEnd: true,
    heap: {
      allocBytes: 12288,
      requestedBytes: 11488,
      inUseBytes: 3 * PAGE_BYTES,
      idleBytes: PAGE_BYTES,
      releasedBytes: 0,
      sysBytes: 4 * PAGE_BYTES,
      objects: 104,
      tailWasteBytes: 32,
      internalWasteBytes: 800,
      freeSlotBytes: 15648,
      mallocs: 500,
      frees: 396,
      tinyAllocs: 0,
    },
    classes: [
      sizeClassRow({
        spanClass: 10,
        sizeClass: 5,
        objectBytes: 48,
        spans: 1,
        slots: 170,
        objects: 100,
        requestedBytes: 4000,
      }),
      sizeClassRow({
        spanClass: 65,
        sizeClass: 32,
        noscan: true,
        objectBytes: 1024,
        spans: 2,
        slots: 16,
        objects: 4,
      }),
    ],
    spans: { pagesTotal: 4, pageBytes: PAGE_BYTES, spans: 3, spanData: '', releasedRuns: '' },
    stacks: {
      goroutines: 4,
      inUseBytes: 16384,
      scanBytes: 2048,
      sizes: [{ bytes: 4096, goroutines: 4 }],
      growths: 0,
      shrinks: 0,
      copiedBytes: 0,
    },
    globals: { bytes: 8192, rootPointers: 1 },
    pools: [
      {
        name: 'bufPool',
        objects: 10,
        bytes: 10240,
        privateObjects: 2,
        sharedObjects: 5,
        victimObjects: 3,
        gets: 100,
        hitsPrivate: 50,
        hitsShared: 20,
        hitsStolen: 0,
        hitsVictim: 5,
        misses: 25,
        puts: 90,
        dropped: 1,
      },
    ],
    sites: [
      site('main.handle', 4096),
      site('main.idle', 0),
      site('main.cache', 8192),
      site('main.tmp', 1024),
    ],
    graph: null,
  };
}
