import { describe, expect, it } from 'vitest';
import { cycleRecord, importedCycleRecord } from '../../test-support/records';
import { allocTotals, cycleTotals, peakStackInUseBytes, poolTotals } from './totals';

const imported = importedCycleRecord();

describe('poolTotals', () => {
  it('adds gets and hits over the session: the hit rate and the share the victim cache served', () => {
    const totals = poolTotals([
      cycleRecord({
        poolGets: 100,
        poolHitsPrivate: 60,
        poolHitsShared: 10,
        poolHitsStolen: 5,
        poolHitsVictim: 5,
        poolMisses: 20,
      }),
      cycleRecord({
        poolGets: 300,
        poolHitsPrivate: 250,
        poolHitsShared: 0,
        poolHitsStolen: 0,
        poolHitsVictim: 35,
        poolMisses: 15,
      }),
    ]);

    expect(totals).toEqual({
      gets: 400,
      hits: 365,
      victimHits: 40,
      misses: 35,
      hitRate: 365 / 400,
      victimShare: 0.1,
    });
  });

  it('is null for a session without pools', () => {
    expect(poolTotals([imported])).toBeNull();
    expect(poolTotals([cycleRecord({ poolGets: 0 })])).toBeNull();
  });
});

describe('allocTotals', () => {
  it('splits allocations into escaped to heap and stayed on the stack, by count and by bytes', () => {
    const totals = allocTotals([
      cycleRecord({
        heapAllocations: 300,
        heapAllocatedBytes: 9000,
        stackAllocations: 100,
        stackAllocatedBytes: 1000,
      }),
      cycleRecord({
        heapAllocations: 300,
        heapAllocatedBytes: 6000,
        stackAllocations: 100,
        stackAllocatedBytes: 4000,
      }),
    ]);

    expect(totals).toEqual({
      heapObjects: 600,
      heapBytes: 15_000,
      stackObjects: 200,
      stackBytes: 5_000,
      heapObjectShare: 0.75,
      heapByteShare: 0.75,
    });
  });

  it('is null when allocations were not counted', () => {
    expect(allocTotals([imported])).toBeNull();
  });
});

describe('peakStackInUseBytes', () => {
  it('is the largest stack total at any cycle end', () => {
    expect(
      peakStackInUseBytes([
        cycleRecord({ stackInUseBytes: 8192 }),
        cycleRecord({ stackInUseBytes: 65_536 }),
        cycleRecord({ stackInUseBytes: null }),
      ]),
    ).toBe(65_536);
  });
});

describe('cycleTotals', () => {
  it('is all null for an imported session', () => {
    expect(cycleTotals([imported])).toEqual({ pool: null, alloc: null, peakStackInUseBytes: null });
  });
});
