/** Session aggregates computed from cycles on read, so they never disagree with the cycles. */
import type { SessionStats } from '../api/types';
import type { CycleRecord } from '../engine/record';

// The percentile and thrashing rules live with the SQL that computes the same stats for big sessions.
import { endsThrashing, percentile } from '../store/summary';

export { endsThrashing, percentile, THRASHING_CYCLES } from '../store/summary';

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
