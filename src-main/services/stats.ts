/** Session aggregates computed from cycles on read, so they never disagree with the cycles. */
import type { SessionStats } from '../api/types';
import type { CycleRecord, HeapSample } from '../engine/record';

// The percentile and thrashing rules live with the SQL that computes the same stats for big sessions.
import { endsThrashing, percentile } from '../store/summary';

export { endsThrashing, percentile, THRASHING_CYCLES } from '../store/summary';

/** Stats of a session's cycles and samples; peak heap is the highest of either (as sessionStatsSql takes it). */
export function sessionStats(
  cycles: readonly CycleRecord[],
  samples: readonly HeapSample[] = [],
): SessionStats {
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
    peakHeapBytes: peakHeapBytes(cycles, samples),
    gcCpuFraction: last?.gcCpuFraction ?? 0,
    thrashing: endsThrashing(cycles),
    // Each cycle measures what is leaked at its end: the session's last one says what stays leaked.
    leakedObjects: last?.leakedObjects ?? null,
    leakedBytes: last?.leakedBytes ?? null,
  };
}

/** The highest heap the session recorded: cycles' h0 and h1, and every sample between cycles; 0 for none. */
export function peakHeapBytes(cycles: readonly CycleRecord[], samples: readonly HeapSample[]): number {
  let peak = 0;
  for (const c of cycles) peak = Math.max(peak, c.heapStartBytes, c.heapEndBytes);
  for (const s of samples) peak = Math.max(peak, s.heapAllocBytes);
  return peak;
}
