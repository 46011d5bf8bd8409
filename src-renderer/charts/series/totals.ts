import type { CycleRecord } from '../../lib/contract';
import { sumOf } from './cycles';

export interface PoolTotals {
  gets: number;
  /** Gets served from the pool, by any of its four sources. */
  hits: number;
  victimHits: number;
  /** Gets that called New. */
  misses: number;
  /** hits / gets. */
  hitRate: number;
  /** victimHits / gets: what the victim cache saved from New after a GC. */
  victimShare: number;
}

/** Allocations by escape-analysis verdict: escaped to the heap or stayed on the stack. */
export interface AllocTotals {
  heapObjects: number;
  heapBytes: number;
  stackObjects: number;
  stackBytes: number;
  /** heapObjects / (heapObjects + stackObjects); NaN when nothing was allocated. */
  heapObjectShare: number;
  heapByteShare: number;
}

/** Session totals the cycle records add up to; null parts were not recorded for this session. */
export interface CycleTotals {
  pool: PoolTotals | null;
  alloc: AllocTotals | null;
  /** The largest Σ stack sizes at any cycle end. */
  peakStackInUseBytes: number | null;
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : Number.NaN;
}

export function poolTotals(cycles: readonly CycleRecord[]): PoolTotals | null {
  const gets = sumOf(cycles, 'poolGets') ?? 0;
  if (gets <= 0) return null;
  const victimHits = sumOf(cycles, 'poolHitsVictim') ?? 0;
  const hits =
    (sumOf(cycles, 'poolHitsPrivate') ?? 0) +
    (sumOf(cycles, 'poolHitsShared') ?? 0) +
    (sumOf(cycles, 'poolHitsStolen') ?? 0) +
    victimHits;
  return {
    gets,
    hits,
    victimHits,
    misses: sumOf(cycles, 'poolMisses') ?? 0,
    hitRate: share(hits, gets),
    victimShare: share(victimHits, gets),
  };
}

export function allocTotals(cycles: readonly CycleRecord[]): AllocTotals | null {
  const heapObjects = sumOf(cycles, 'heapAllocations');
  if (heapObjects === null) return null;
  const heapBytes = sumOf(cycles, 'heapAllocatedBytes') ?? 0;
  const stackObjects = sumOf(cycles, 'stackAllocations') ?? 0;
  const stackBytes = sumOf(cycles, 'stackAllocatedBytes') ?? 0;
  return {
    heapObjects,
    heapBytes,
    stackObjects,
    stackBytes,
    heapObjectShare: share(heapObjects, heapObjects + stackObjects),
    heapByteShare: share(heapBytes, heapBytes + stackBytes),
  };
}

export function peakStackInUseBytes(cycles: readonly CycleRecord[]): number | null {
  let peak: number | null = null;
  for (const cycle of cycles) {
    if (cycle.stackInUseBytes !== null) peak = Math.max(peak ?? 0, cycle.stackInUseBytes);
  }
  return peak;
}

export function cycleTotals(cycles: readonly CycleRecord[]): CycleTotals {
  return {
    pool: poolTotals(cycles),
    alloc: allocTotals(cycles),
    peakStackInUseBytes: peakStackInUseBytes(cycles),
  };
}
