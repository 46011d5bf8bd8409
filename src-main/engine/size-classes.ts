/**
 * Go 1.19's size classes (runtime/sizeclasses.go, identical through Go 1.25) and the size → class
 * lookup of mallocgc.
 *
 *  1. A request of 1..32768 bytes (maxSmallSize) is rounded up to one of 67 size classes; class 0
 *     means "large". Each class has a fixed span size in 8 KiB pages, so a span of class c holds
 *     objects = spanBytes / size slots and wastes spanBytes − size·objects bytes at its tail.
 *  2. The lookup is two tables, exactly as in malloc.go: requests ≤ 1016 B (smallSizeMax − 8) index
 *     size_to_class8 by ceil(size/8); larger small requests index size_to_class128 by
 *     ceil((size − 1024)/128). Both tables are generated here from class_to_size the way
 *     mksizeclasses.go generates them, which makes the lookup equal to "the smallest class whose
 *     size is ≥ the request" (size-classes.test.ts checks every size).
 *  3. A request > 32768 B is a large object: its own span of ceil(size/8192) pages, span class
 *     0 (scan or noscan), one slot of npages·8192 bytes.
 *  4. Span class = sizeclass<<1 | noscan: pointer-free objects live in noscan spans the collector
 *     never scans. 68 size classes × 2 = 136 span classes.
 *
 * Go ≥ 1.22's allocation headers (a pointerful object > 512 B is placed by size + 8) are not
 * modelled: this is the 1.19 placement (reference §1.4).
 */

/** _PageShift = 13: the heap is managed in 8 KiB pages. */
export const PAGE_SHIFT = 13;
export const PAGE_BYTES = 1 << PAGE_SHIFT;
/** _MaxSmallSize: the largest request served from a size class. */
export const MAX_SMALL_SIZE_BYTES = 32768;
/** _NumSizeClasses, including class 0 (large). */
export const NUM_SIZE_CLASSES = 68;
/** numSpanClasses = _NumSizeClasses << 1. */
export const NUM_SPAN_CLASSES = NUM_SIZE_CLASSES << 1;
/** Lookup-table granularity (smallSizeDiv, smallSizeMax, largeSizeDiv in sizeclasses.go). */
export const SMALL_SIZE_DIV = 8;
export const SMALL_SIZE_MAX = 1024;
export const LARGE_SIZE_DIV = 128;
/** maxObjsPerSpan: class 1 (8 B) in one page. */
export const MAX_OBJECTS_PER_SPAN = 1024;

/** class_to_size, verbatim from sizeclasses.go (index = size class). */
const CLASS_TO_SIZE_BYTES: readonly number[] = [
  0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416,
  448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200,
  3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384,
  18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
];

/** class_to_allocnpages, verbatim from sizeclasses.go: span size of each class in pages. */
const CLASS_TO_PAGES: readonly number[] = [
  0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2,
  1, 2, 1, 2, 1, 3, 2, 3, 1, 3, 2, 3, 4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7, 2, 9, 7, 5, 8, 3, 10, 7, 4,
];

/** One row of the size-class table, as Go's generated comment prints it. */
export interface SizeClass {
  sizeClass: number;
  objectBytes: number;
  spanBytes: number;
  pages: number;
  objects: number;
  tailWasteBytes: number;
}

/** Classes 1..67 (class 0, "large", has no fixed geometry). */
export const SIZE_CLASSES: readonly SizeClass[] = CLASS_TO_SIZE_BYTES.slice(1).map((objectBytes, i) => {
  const sizeClass = i + 1;
  const pages = CLASS_TO_PAGES[sizeClass]!;
  const spanBytes = pages * PAGE_BYTES;
  const objects = Math.floor(spanBytes / objectBytes);
  return {
    sizeClass,
    objectBytes,
    spanBytes,
    pages,
    objects,
    tailWasteBytes: spanBytes - objects * objectBytes,
  };
});

/** Flat per-class columns for the allocator's hot path (index = size class; class 0 is zero). */
export const classObjectBytes = Int32Array.from(CLASS_TO_SIZE_BYTES);
export const classPages = Int32Array.from(CLASS_TO_PAGES);
export const classObjects = Int32Array.from(CLASS_TO_SIZE_BYTES, (size, c) =>
  c === 0 ? 0 : Math.floor((CLASS_TO_PAGES[c]! * PAGE_BYTES) / size),
);

/** Bytes past the last slot of one span of each class (class 0 has none: a large span is one slot). */
export const classTailWasteBytes = Int32Array.from(CLASS_TO_SIZE_BYTES, (size, c) =>
  c === 0 ? 0 : CLASS_TO_PAGES[c]! * PAGE_BYTES - classObjects[c]! * size,
);

/** size_to_class8 (129 entries) and size_to_class128 (249 entries), generated as mksizeclasses.go does. */
export const sizeToClass8 = buildLookup(0, SMALL_SIZE_DIV, SMALL_SIZE_MAX / SMALL_SIZE_DIV + 1);
export const sizeToClass128 = buildLookup(
  SMALL_SIZE_MAX,
  LARGE_SIZE_DIV,
  (MAX_SMALL_SIZE_BYTES - SMALL_SIZE_MAX) / LARGE_SIZE_DIV + 1,
);

function buildLookup(baseBytes: number, stepBytes: number, entries: number): Uint8Array {
  const table = new Uint8Array(entries);
  let c = 0;
  for (let i = 0; i < entries; i++) {
    const size = baseBytes + i * stepBytes;
    while (CLASS_TO_SIZE_BYTES[c]! < size) c++;
    table[i] = c;
  }
  return table;
}

/**
 * The size class of a small request (1..32768 B), as mallocgc computes it. Returns 0 for a
 * request above maxSmallSize (a large object).
 */
export function sizeToClass(sizeBytes: number): number {
  if (sizeBytes <= SMALL_SIZE_MAX - 8) {
    return sizeToClass8[(sizeBytes + SMALL_SIZE_DIV - 1) >>> 3]!;
  }
  if (sizeBytes <= MAX_SMALL_SIZE_BYTES) {
    return sizeToClass128[(sizeBytes - SMALL_SIZE_MAX + LARGE_SIZE_DIV - 1) >>> 7]!;
  }
  return 0;
}

/** Pages of a large object's span: ceil(size / 8192). */
export function largeObjectPages(sizeBytes: number): number {
  return Math.ceil(sizeBytes / PAGE_BYTES);
}

/** Bytes actually charged for a request: the class size, or whole pages for a large object. */
export function roundUpSize(sizeBytes: number): number {
  const c = sizeToClass(sizeBytes);
  return c === 0 ? largeObjectPages(sizeBytes) * PAGE_BYTES : classObjectBytes[c]!;
}

export function makeSpanClass(sizeClass: number, noscan: boolean): number {
  return (sizeClass << 1) | (noscan ? 1 : 0);
}

export function spanClassSizeClass(spanClass: number): number {
  return spanClass >>> 1;
}

export function spanClassNoscan(spanClass: number): boolean {
  return (spanClass & 1) === 1;
}
