import { describe, expect, it } from 'vitest';
import { importedCycleRecord } from '../../test-support/records';
import { allocSeries, hasAllocData } from './alloc';
import { hasMemoryData, memorySeries } from './memory';
import { hasPoolData, poolSeries } from './pool';
import { hasRootsData, rootsSeries } from './roots';

const cycles = [
  importedCycleRecord({ seq: 1, startNs: 2_000_000 }),
  importedCycleRecord({ seq: 2, startNs: 6_000_000 }),
];

describe('an imported session, whose simulation-only fields are null', () => {
  it('has nothing for any of the per-cycle charts', () => {
    expect([hasPoolData, hasAllocData, hasRootsData, hasMemoryData].map((has) => has(cycles))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('still shapes into series of gaps rather than throwing or inventing zeros', () => {
    expect(poolSeries(cycles).hitRatePct.every((p) => Number.isNaN(p.y))).toBe(true);
    expect(allocSeries(cycles).heapBytesRate.every((p) => Number.isNaN(p.y))).toBe(true);
    expect(allocSeries(cycles).stackBytesRate).toEqual([]);
    expect(rootsSeries(cycles).stackInUse).toEqual([]);
    expect(memorySeries(cycles).inUseLessWaste.every((p) => Number.isNaN(p.y))).toBe(true);
  });

  it('draws the stacks a Go 1.18+ log printed', () => {
    const withStacks = cycles.map((c) => ({ ...c, stacksBytes: 31 * 1024 * 1024 }));

    expect(hasRootsData(withStacks)).toBe(true);
    expect(rootsSeries(withStacks).stacksScanned.map((p) => p.y)).toEqual([31, 31]);
  });
});
