/** Session aggregates computed from cycles on read, so they never disagree with the cycles. */
import type { SessionStats } from '../api/types';
import type { CycleRecord } from '../engine/record';

/** Nearest-rank percentile of an ascending array (p in 0..100); 0 for an empty array. */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(Math.max(rank, 1), sortedAscending.length) - 1]!;
}

export function sessionStats(cycles: readonly CycleRecord[]): SessionStats {
  const pauses = cycles.map((c) => c.pauseNs).sort((a, b) => a - b);
  const last = cycles.at(-1);
  return {
    cycles: cycles.length,
    pauseTotalNs: pauses.reduce((sum, p) => sum + p, 0),
    pauseP50Ns: percentile(pauses, 50),
    pauseP95Ns: percentile(pauses, 95),
    pauseP99Ns: percentile(pauses, 99),
    pauseMaxNs: pauses.at(-1) ?? 0,
    peakHeapBytes: cycles.reduce((peak, c) => Math.max(peak, c.heapStartBytes, c.heapEndBytes), 0),
    gcCpuFraction: last?.gcCpuFraction ?? 0,
  };
}
