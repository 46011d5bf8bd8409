/** Session aggregates computed from cycles on read, so they never disagree with the cycles. */
import type { SessionStats } from '../api/types';
import type { CycleRecord } from '../engine/record';

/** Nearest-rank percentile of an ascending array (p in 0..100); 0 for an empty array. */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(Math.max(rank, 1), sortedAscending.length) - 1]!;
}

/** Consecutive final cycles whose goal sat at the live heap before thrashing is reported. */
export const THRASHING_CYCLES = 5;
/** A goal within 5 % of the last cycle's marked bytes leaves the program no room to allocate. */
const THRASHING_HEADROOM = 1.05;

/**
 * The session ends thrashing: its last THRASHING_CYCLES cycles each had a goal within 5 % of the
 * bytes the cycle before marked. GOGC never paces that tight (its goal is marked × (1 + GOGC/100)),
 * so this is a memory limit the live heap does not fit under: GC runs back to back.
 */
export function endsThrashing(cycles: readonly CycleRecord[]): boolean {
  if (cycles.length <= THRASHING_CYCLES) return false;
  for (let i = cycles.length - THRASHING_CYCLES; i < cycles.length; i++) {
    if (cycles[i]!.heapGoalBytes > cycles[i - 1]!.heapMarkedBytes * THRASHING_HEADROOM) return false;
  }
  return true;
}

export function sessionStats(cycles: readonly CycleRecord[]): SessionStats {
  // Percentiles are over every stop-the-world window: what a latency-sensitive program feels.
  const pauses = cycles.flatMap((c) => c.pauses.map((p) => p.durationNs)).sort((a, b) => a - b);
  const last = cycles.at(-1);
  return {
    cycles: cycles.length,
    pauseTotalNs: cycles.reduce((sum, c) => sum + c.pauseNs, 0),
    pauseP50Ns: percentile(pauses, 50),
    pauseP95Ns: percentile(pauses, 95),
    pauseP99Ns: percentile(pauses, 99),
    pauseMaxNs: pauses.at(-1) ?? 0,
    peakHeapBytes: cycles.reduce((peak, c) => Math.max(peak, c.heapStartBytes, c.heapEndBytes), 0),
    gcCpuFraction: last?.gcCpuFraction ?? 0,
    thrashing: endsThrashing(cycles),
    // Each cycle measures what is leaked at its end: the session's last one says what stays leaked.
    leakedObjects: last?.leakedObjects ?? null,
    leakedBytes: last?.leakedBytes ?? null,
  };
}
