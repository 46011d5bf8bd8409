import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  MAX_SMALL_SIZE_BYTES,
  PAGE_BYTES,
  SIZE_CLASSES,
  classObjectBytes,
  largeObjectPages,
  makeSpanClass,
  roundUpSize,
  sizeToClass,
  sizeToClass128,
  sizeToClass8,
  spanClassNoscan,
  spanClassSizeClass,
} from './size-classes';

const REFERENCE = fileURLToPath(new URL('../../fixtures/go/size-classes.md', import.meta.url));
const SIZES_FIXTURE = fileURLToPath(new URL('../../fixtures/gctrace/go1.19.8_sizes.txt', import.meta.url));

interface ReferenceRow {
  sizeClass: number;
  objectBytes: number;
  spanBytes: number;
  pages: number;
  objects: number;
  tailWasteBytes: number;
  maxWaste: string;
}

/** The rows of Go's size-class table (fixtures/go/size-classes.md). */
function referenceRows(): ReferenceRow[] {
  const text = readFileSync(REFERENCE, 'utf8');
  return text
    .split('\n')
    .filter((line) => /^\| \d+ \|/.test(line))
    .map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      const [sizeClass, objectBytes, spanBytes, pages, objects, tailWaste] = cells.slice(0, 6).map(Number);
      return {
        sizeClass: sizeClass!,
        objectBytes: objectBytes!,
        spanBytes: spanBytes!,
        pages: pages!,
        objects: objects!,
        tailWasteBytes: tailWaste!,
        maxWaste: cells[6]!,
      };
    });
}

/** The definition: the smallest class whose size is ≥ the request. */
function smallestClassAtLeast(sizeBytes: number): number {
  return SIZE_CLASSES.find((c) => c.objectBytes >= sizeBytes)!.sizeClass;
}

describe('size classes', () => {
  it('match every row of the reference table (67 classes)', () => {
    const rows = referenceRows();

    const ours = SIZE_CLASSES.map(
      ({ sizeClass, objectBytes, spanBytes, pages, objects, tailWasteBytes }) => ({
        sizeClass,
        objectBytes,
        spanBytes,
        pages,
        objects,
        tailWasteBytes,
      }),
    );

    expect(rows).toHaveLength(67);
    expect(ours).toEqual(rows.map(({ maxWaste: _maxWaste, ...row }) => row));
  });

  it('give the reference max-waste column, so class boundaries are the same', () => {
    const rows = referenceRows();

    const maxWaste = SIZE_CLASSES.map((c, i) => {
      const previousBytes = i === 0 ? 0 : SIZE_CLASSES[i - 1]!.objectBytes;
      const waste = ((c.objectBytes - previousBytes - 1) * c.objects + c.tailWasteBytes) / c.spanBytes;
      return `${(waste * 100).toFixed(2)}%`;
    });

    expect(maxWaste).toEqual(rows.map((row) => row.maxWaste));
  });

  it('have lookup tables of Go’s lengths', () => {
    expect(sizeToClass8).toHaveLength(129);
    expect(sizeToClass128).toHaveLength(249);
  });

  it('look up every size 1..32768 as the smallest class that fits', () => {
    const mismatches: number[] = [];

    for (let size = 1; size <= MAX_SMALL_SIZE_BYTES; size++) {
      if (sizeToClass(size) !== smallestClassAtLeast(size)) mismatches.push(size);
    }

    expect(mismatches).toEqual([]);
  });

  it('round sizes as Go 1.19.8 charged them in the sizes fixture', () => {
    const lines = readFileSync(SIZES_FIXTURE, 'utf8').split('\n');
    const measured = lines.flatMap((line) => {
      const match = /^\[\](?:byte|\*int) len (\d+) \((?:(\d+)B )?(noscan|scan)\)\s+bytes\/obj=(\d+)\.00/.exec(
        line,
      );
      if (match === null) return [];
      const elementBytes = line.startsWith('[]*int') ? 8 : 1;
      const sizeBytes = Number(match[1]) * elementBytes;
      const tiny = match[3] === 'noscan' && sizeBytes < 16;
      return tiny ? [] : [{ sizeBytes, chargedBytes: Number(match[4]) }];
    });

    const ours = measured.map(({ sizeBytes }) => ({ sizeBytes, chargedBytes: roundUpSize(sizeBytes) }));

    expect(measured.length).toBeGreaterThanOrEqual(10);
    expect(ours).toEqual(measured);
  });

  it('give a large object its own span of whole pages', () => {
    expect(sizeToClass(MAX_SMALL_SIZE_BYTES + 1)).toBe(0);
    expect(largeObjectPages(32769)).toBe(5);
    expect(roundUpSize(32769)).toBe(5 * PAGE_BYTES);
    expect(roundUpSize(65536)).toBe(8 * PAGE_BYTES);
  });

  it('encode span classes as sizeclass<<1 | noscan', () => {
    const spc = makeSpanClass(32, true);

    expect(spc).toBe(65);
    expect(spanClassSizeClass(spc)).toBe(32);
    expect(spanClassNoscan(spc)).toBe(true);
    expect(spanClassNoscan(makeSpanClass(32, false))).toBe(false);
    expect(classObjectBytes[32]).toBe(1024);
  });
});
