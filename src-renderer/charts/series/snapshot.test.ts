import { describe, expect, it } from 'vitest';
import type { SizeClassRow, SpanMap } from '../../lib/contract';
import { int32Base64, snapshotFixture, sizeClassRow } from '../../test-support/snapshot';
import {
  CELL_IDLE,
  CELL_RELEASED,
  classLabel,
  decodeInt32Base64,
  decodeReleasedRuns,
  decodeSpans,
  poolRows,
  sizeClassSeries,
  snapshotHeadline,
  spanMapCells,
  topSites,
} from './snapshot';

function spanMap(pagesTotal: number, spans: number[][], released: number[][] = []): SpanMap {
  return {
    pagesTotal,
    pageBytes: 8192,
    spans: spans.length,
    spanData: int32Base64(spans.flat()),
    releasedRuns: int32Base64(released.flat()),
  };
}

describe('decodeInt32Base64', () => {
  it('reads little-endian Int32 values, negatives included', () => {
    const text = int32Base64([1, -2, 70_000]);

    expect([...decodeInt32Base64(text)]).toEqual([1, -2, 70_000]);
  });

  it('gives an empty column for an empty string', () => {
    expect(decodeInt32Base64('')).toHaveLength(0);
  });

  it('refuses bytes that are not whole Int32 values', () => {
    expect(() => decodeInt32Base64(btoa('\x01\x02\x03'))).toThrow(/multiple of 4/);
  });
});

describe('classLabel', () => {
  it('names a small class by slot size and a large one as large', () => {
    expect(classLabel({ sizeClass: 32, objectBytes: 1024, noscan: true })).toBe('1024 B · noscan');
    expect(classLabel({ sizeClass: 5, objectBytes: 48, noscan: false })).toBe('48 B');
    expect(classLabel({ sizeClass: 0, objectBytes: 0, noscan: false })).toBe('large');
  });
});

describe('sizeClassSeries', () => {
  const classes: SizeClassRow[] = [
    sizeClassRow({
      spanClass: 65,
      sizeClass: 32,
      noscan: true,
      objectBytes: 1024,
      spans: 2,
      slots: 16,
      objects: 4,
    }),
    sizeClassRow({
      spanClass: 10,
      sizeClass: 5,
      objectBytes: 48,
      spans: 1,
      slots: 170,
      objects: 100,
      requestedBytes: 4000,
    }),
  ];

  it('orders bars by span class, smallest objects first', () => {
    expect(sizeClassSeries(classes).labels).toEqual(['48 B', '1024 B · noscan']);
  });

  it('splits span bytes into requested, internal waste, free slots and tail waste', () => {
    const series = sizeClassSeries(classes);

    // 48 B class: 100 objects asked for 4,000 B of 4,800 B slots; 70 free slots; 8,192 − 170·48 = 32 B tail.
    expect(series.requestedBytes[0]).toBe(4000);
    expect(series.internalWasteBytes[0]).toBe(800);
    expect(series.freeSlotBytes[0]).toBe(3360);
    expect(series.tailWasteBytes[0]).toBe(32);
    expect(
      series.requestedBytes[0]! +
        series.internalWasteBytes[0]! +
        series.freeSlotBytes[0]! +
        series.tailWasteBytes[0]!,
    ).toBe(8192);
  });

  it('gives the same parts as percentages of span bytes', () => {
    const series = sizeClassSeries(classes);

    expect(series.percent.requested[1]).toBe(25);
    expect(series.percent.freeSlots[1]).toBe(75);
  });

  it('counts four bars per class', () => {
    expect(sizeClassSeries(classes).pointCount).toBe(8);
  });
});

describe('decodeSpans', () => {
  const classes = [
    sizeClassRow({ spanClass: 10, sizeClass: 5, objectBytes: 48, spans: 2, slots: 340, objects: 170 }),
    sizeClassRow({ spanClass: 0, sizeClass: 0, objectBytes: 0, spans: 1, slots: 1, objects: 1 }),
  ];

  it('reads each span with its class, slots and occupancy', () => {
    const spans = decodeSpans(
      spanMap(
        16,
        [
          [0, 1, 10, 85],
          [1, 1, 10, 17],
          [4, 3, 0, 1],
        ],
        [],
      ),
      classes,
    );

    expect(spans).toHaveLength(3);
    expect(spans[0]).toMatchObject({
      startPage: 0,
      pages: 1,
      sizeClass: 5,
      objectBytes: 48,
      slots: 170,
      occupancy: 0.5,
    });
    expect(spans[1]!.occupancy).toBeCloseTo(0.1);
    expect(spans[2]).toMatchObject({
      sizeClass: 0,
      objectBytes: 3 * 8192,
      slots: 1,
      objects: 1,
      occupancy: 1,
    });
  });
});

describe('spanMapCells', () => {
  const classes = [sizeClassRow({ spanClass: 10, sizeClass: 5, objectBytes: 48, spans: 2, slots: 340 })];
  const map = spanMap(
    8,
    [
      [0, 1, 10, 85],
      [1, 2, 10, 170],
    ],
    [[5, 2]],
  );
  const spans = decodeSpans(map, classes);
  const released = decodeReleasedRuns(map);

  it('gives one cell per page: the span holding it, else idle or released', () => {
    const cells = spanMapCells(map, spans, released);

    expect(cells.pagesPerCell).toBe(1);
    expect([...cells.span]).toEqual([0, 1, 1, CELL_IDLE, CELL_IDLE, CELL_RELEASED, CELL_RELEASED, CELL_IDLE]);
    expect(cells.occupancy[0]).toBeCloseTo(0.5);
    expect(cells.occupancy[2]).toBe(1);
    expect(cells.occupancy[3]).toBe(0);
  });

  it('folds pages into cells past the cell limit, each taking what covers most of its pages', () => {
    const cells = spanMapCells(map, spans, released, 3);

    expect(cells.pagesPerCell).toBe(3);
    expect(cells.cells).toBe(3);
    expect([...cells.span]).toEqual([1, CELL_IDLE, CELL_RELEASED]);
  });
});

describe('tables', () => {
  const snapshot = snapshotFixture();

  it('lists the sites with the most live bytes first and leaves out those with none', () => {
    const sites = topSites(snapshot.sites, 2);

    expect(sites.map((s) => s.name)).toEqual(['main.cache', 'main.handle']);
  });

  it('splits each pool into the primary cache and the victim', () => {
    expect(poolRows(snapshot.pools)).toEqual([
      { name: 'bufPool', primaryObjects: 7, victimObjects: 3, bytes: 10240 },
    ]);
  });

  it('sums the occupancy of all span bytes for the headline', () => {
    expect(snapshotHeadline(snapshot)).toEqual({ objects: 104, inUseBytes: 24576, occupancy: 0.5 });
  });
});
