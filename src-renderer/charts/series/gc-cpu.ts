import type { CycleRecord } from '../../lib/contract';
import {
  cycleBuckets,
  cyclesPerBucket,
  intervalSteps,
  lastEndMs,
  MAX_CYCLE_BUCKETS,
  spanOf,
  type CycleSpan,
} from './cycles';
import { cycleEndNs, type XY } from './heap';

/**
 * GC CPU per interval between cycle ends, as a share of the machine: CPU-ns spent by each source
 * over the interval's length × GOMAXPROCS. Stop-the-world CPU is pauseNs × procs (every P stopped);
 * the rest is gctrace's assist / background / idle split of the concurrent mark.
 */
export interface GcCpuDetail extends CycleSpan {
  /** Σ over the cycles of (this cycle's end − the previous one's) × procs. */
  capacityCpuNs: number;
  stwCpuNs: number;
  assistCpuNs: number;
  backgroundCpuNs: number;
  idleCpuNs: number;
}

export interface GcCpuSeries {
  stwPct: XY[];
  assistPct: XY[];
  backgroundPct: XY[];
  idlePct: XY[];
  /** One per chart point; point i of a series belongs to `details[spanIndexOfStep(i)]`. */
  details: GcCpuDetail[];
  /** The session's GC CPU fraction since its start, as of its last cycle (gctrace's P%). */
  gcCpuFraction: number;
  endMs: number;
  cyclesPerPoint: number;
  pointCount: number;
}

export function gcCpuNs(detail: GcCpuDetail): number {
  return detail.stwCpuNs + detail.assistCpuNs + detail.backgroundCpuNs + detail.idleCpuNs;
}

export function gcCpuSeries(
  cycles: readonly CycleRecord[],
  maxBuckets = MAX_CYCLE_BUCKETS,
  originNs = 0,
): GcCpuSeries {
  const buckets = cycleBuckets(cycles, maxBuckets, originNs);
  let previousEndNs = 0;
  const details = buckets.map((bucket): GcCpuDetail => {
    const detail = {
      ...spanOf(bucket),
      capacityCpuNs: 0,
      stwCpuNs: 0,
      assistCpuNs: 0,
      backgroundCpuNs: 0,
      idleCpuNs: 0,
    };
    for (const cycle of bucket.cycles) {
      const endNs = cycleEndNs(cycle);
      detail.capacityCpuNs += Math.max(0, endNs - previousEndNs) * cycle.procs;
      detail.stwCpuNs += cycle.pauseNs * cycle.procs;
      detail.assistCpuNs += cycle.assistCpuNs;
      detail.backgroundCpuNs += cycle.backgroundCpuNs;
      detail.idleCpuNs += cycle.idleCpuNs;
      previousEndNs = endNs;
    }
    return detail;
  });
  const percentOf = (cpuNs: (d: GcCpuDetail) => number) =>
    intervalSteps(details, (d) => (d.capacityCpuNs > 0 ? (100 * cpuNs(d)) / d.capacityCpuNs : Number.NaN));
  const series = {
    stwPct: percentOf((d) => d.stwCpuNs),
    assistPct: percentOf((d) => d.assistCpuNs),
    backgroundPct: percentOf((d) => d.backgroundCpuNs),
    idlePct: percentOf((d) => d.idleCpuNs),
  };
  return {
    ...series,
    details,
    gcCpuFraction: buckets.at(-1)?.last.gcCpuFraction ?? 0,
    endMs: lastEndMs(details),
    cyclesPerPoint: cyclesPerBucket(buckets),
    pointCount: Object.values(series).reduce((total, points) => total + points.length, 0),
  };
}
