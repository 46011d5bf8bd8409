import type { CycleRecord } from '../../lib/contract';
import {
  cycleBuckets,
  cyclesPerBucket,
  endOfCyclePoints,
  intervalSteps,
  lastEndMs,
  MAX_CYCLE_BUCKETS,
  orNaN,
  spanOf,
  sumOf,
  type CycleBucket,
  type CycleSpan,
  type NullableCycleField,
} from './cycles';
import type { XY } from './heap';

/**
 * What only some collectors count: reference counting's leaks and cascades, and the write barrier
 * and mark assists of a collector that marks while the program runs. A panel is shown only when
 * the session recorded its fields (they are null for every other collector and for gctrace, except
 * the assist ratio of a log imported with its pacer lines, GODEBUG=gcpacertrace=1).
 */

function recorded(cycles: readonly CycleRecord[], fields: readonly NullableCycleField[]): boolean {
  return cycles.some((c) => fields.some((field) => c[field] !== null));
}

export function hasRefcountData(cycles: readonly CycleRecord[]): boolean {
  return recorded(cycles, ['leakedObjects', 'leakedBytes', 'cascadeMaxObjects', 'cascadeMaxNs']);
}

export function hasBarrierData(cycles: readonly CycleRecord[]): boolean {
  return recorded(cycles, ['writeBarrierHits', 'writeBarrierShades']);
}

export function hasAssistData(cycles: readonly CycleRecord[]): boolean {
  return recorded(cycles, ['assistRatio']);
}

/** The largest value of a field over a bucket's cycles; null when none recorded it. */
function maxOf(cycles: readonly CycleRecord[], field: NullableCycleField): number | null {
  let max: number | null = null;
  for (const cycle of cycles) {
    const value = cycle[field];
    if (value !== null) max = Math.max(max ?? value, value);
  }
  return max;
}

export interface RefcountDetail extends CycleSpan {
  /** At the last cycle's end. */
  leakedObjects: number | null;
  leakedBytes: number | null;
  /** Over the interval: frees by counts reaching zero, and the largest single cascade. */
  refcountFrees: number | null;
  cascadeMaxObjects: number | null;
  cascadeMaxNs: number | null;
}

export interface RefcountSeries {
  leakedBytes: XY[];
  leakedObjects: XY[];
  cascadeMaxObjects: XY[];
  /** Cascade time in µs (a cascade is a burst of frees inside one store, far below a ms). */
  cascadeMaxUs: XY[];
  details: RefcountDetail[];
  endMs: number;
  cyclesPerPoint: number;
}

export function refcountSeries(
  cycles: readonly CycleRecord[],
  maxBuckets = MAX_CYCLE_BUCKETS,
  originNs = 0,
): RefcountSeries {
  const buckets = cycleBuckets(cycles, maxBuckets, originNs);
  const details = buckets.map((bucket: CycleBucket): RefcountDetail => ({
    ...spanOf(bucket),
    leakedObjects: bucket.last.leakedObjects,
    leakedBytes: bucket.last.leakedBytes,
    refcountFrees: sumOf(bucket.cycles, 'refcountFrees'),
    cascadeMaxObjects: maxOf(bucket.cycles, 'cascadeMaxObjects'),
    cascadeMaxNs: maxOf(bucket.cycles, 'cascadeMaxNs'),
  }));
  return {
    leakedBytes: endOfCyclePoints(details, (d) => orNaN(d.leakedBytes)),
    leakedObjects: endOfCyclePoints(details, (d) => orNaN(d.leakedObjects)),
    cascadeMaxObjects: intervalSteps(details, (d) => orNaN(d.cascadeMaxObjects)),
    cascadeMaxUs: intervalSteps(details, (d) =>
      d.cascadeMaxNs === null ? Number.NaN : d.cascadeMaxNs / 1000,
    ),
    details,
    endMs: lastEndMs(details),
    cyclesPerPoint: cyclesPerBucket(buckets),
  };
}

export interface BarrierDetail extends CycleSpan {
  /** Summed over the interval. */
  writeBarrierHits: number | null;
  writeBarrierShades: number | null;
  assistCpuNs: number;
  /** The last cycle's, at its mark's start. */
  assistRatio: number | null;
}

export interface BarrierSeries {
  hits: XY[];
  shades: XY[];
  /** Assist CPU per interval, ms of CPU. */
  assistCpuMs: XY[];
  assistRatio: XY[];
  details: BarrierDetail[];
  endMs: number;
  cyclesPerPoint: number;
}

export function barrierSeries(
  cycles: readonly CycleRecord[],
  maxBuckets = MAX_CYCLE_BUCKETS,
  originNs = 0,
): BarrierSeries {
  const buckets = cycleBuckets(cycles, maxBuckets, originNs);
  const details = buckets.map((bucket): BarrierDetail => ({
    ...spanOf(bucket),
    writeBarrierHits: sumOf(bucket.cycles, 'writeBarrierHits'),
    writeBarrierShades: sumOf(bucket.cycles, 'writeBarrierShades'),
    assistCpuNs: bucket.cycles.reduce((sum, c) => sum + c.assistCpuNs, 0),
    assistRatio: bucket.last.assistRatio,
  }));
  return {
    hits: intervalSteps(details, (d) => orNaN(d.writeBarrierHits)),
    shades: intervalSteps(details, (d) => orNaN(d.writeBarrierShades)),
    assistCpuMs: intervalSteps(details, (d) => d.assistCpuNs / 1e6),
    assistRatio: intervalSteps(details, (d) => orNaN(d.assistRatio)),
    details,
    endMs: lastEndMs(details),
    cyclesPerPoint: cyclesPerBucket(buckets),
  };
}
