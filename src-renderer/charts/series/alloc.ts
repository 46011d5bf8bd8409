import type { CycleRecord } from '../../lib/contract';
import {
  cycleBuckets,
  lastEndMs,
  cyclesPerBucket,
  intervalSteps,
  MAX_CYCLE_BUCKETS,
  spanOf,
  sumOf,
  type CycleBucket,
  type CycleSpan,
} from './cycles';
import { byteScale, type ByteScale } from './format';
import type { XY } from './heap';

const NS_PER_S = 1e9;

/**
 * Allocations of one chart point, summed over its cycles' intervals, in escape-analysis terms:
 * heap objects escaped (or were too big or too dynamic for a frame), stack objects stayed in
 * their goroutine's frame and cost the collector nothing. Null where the source did not count.
 */
export interface AllocDetail extends CycleSpan {
  heapObjects: number | null;
  heapBytes: number | null;
  stackObjects: number | null;
  stackBytes: number | null;
  /** Heap objects packed into a 16 B tiny block (part of heapObjects). */
  tinyObjects: number | null;
}

/**
 * Interval series (see `intervalSteps`) of allocation rates per second of session time: bytes in
 * `scale` units per second, objects per second.
 */
export interface AllocSeries {
  heapBytesRate: XY[];
  /** Empty when no cycle counted stack allocations. */
  stackBytesRate: XY[];
  heapObjectsRate: XY[];
  scale: ByteScale;
  /** Point i of a series belongs to `details[spanIndexOfStep(i)]`. */
  details: AllocDetail[];
  /** The last cycle's end: where the chart's time axis stops. */
  endMs: number;
  cyclesPerPoint: number;
  pointCount: number;
}

export function hasAllocData(cycles: readonly CycleRecord[]): boolean {
  return cycles.some((c) => c.heapAllocations !== null || c.heapAllocatedBytes !== null);
}

function allocDetail(bucket: CycleBucket): AllocDetail {
  return {
    ...spanOf(bucket),
    heapObjects: sumOf(bucket.cycles, 'heapAllocations'),
    heapBytes: sumOf(bucket.cycles, 'heapAllocatedBytes'),
    stackObjects: sumOf(bucket.cycles, 'stackAllocations'),
    stackBytes: sumOf(bucket.cycles, 'stackAllocatedBytes'),
    tinyObjects: sumOf(bucket.cycles, 'tinyAllocations'),
  };
}

/** Per second of session time over the span; NaN (a gap) when unknown or the span is empty. */
export function perSecond(count: number | null, span: CycleSpan): number {
  const seconds = (span.toNs - span.fromNs) / NS_PER_S;
  return count === null || seconds <= 0 ? Number.NaN : count / seconds;
}

function finiteMax(values: readonly number[]): number {
  return values.reduce((max, v) => (Number.isFinite(v) && v > max ? v : max), 0);
}

export function allocSeries(
  cycles: readonly CycleRecord[],
  maxBuckets = MAX_CYCLE_BUCKETS,
  originNs = 0,
): AllocSeries {
  const buckets = cycleBuckets(cycles, maxBuckets, originNs);
  const details = buckets.map(allocDetail);
  const heapRate = (d: AllocDetail) => perSecond(d.heapBytes, d);
  const stackRate = (d: AllocDetail) => perSecond(d.stackBytes, d);
  const scale = byteScale(Math.max(finiteMax(details.map(heapRate)), finiteMax(details.map(stackRate))));

  const heapBytesRate = intervalSteps(details, (d) => heapRate(d) / scale.bytesPerUnit);
  const stackBytesRate = details.some((d) => d.stackBytes !== null)
    ? intervalSteps(details, (d) => stackRate(d) / scale.bytesPerUnit)
    : [];
  const heapObjectsRate = intervalSteps(details, (d) => perSecond(d.heapObjects, d));
  return {
    heapBytesRate,
    stackBytesRate,
    heapObjectsRate,
    scale,
    details,
    cyclesPerPoint: cyclesPerBucket(buckets),
    endMs: lastEndMs(details),
    pointCount: heapBytesRate.length + stackBytesRate.length + heapObjectsRate.length,
  };
}
