import type { CycleRecord } from '../../lib/contract';
import { formatNs, NS_PER_MS } from './format';
import { cycleEndNs, sortedBy, type XY } from './heap';

/**
 * Past this many cycles the per-cycle charts merge neighbours into one point: about one point per
 * pixel of a half-width chart, so a virtual hour of cycles draws as fast as a second of them.
 */
export const MAX_CYCLE_BUCKETS = 600;

/** The cycles one chart point stands for, and the interval their counters cover. */
export interface CycleSpan {
  firstSeq: number;
  lastSeq: number;
  /** End of the cycle before the first one (0 for the session's first): where interval counters start. */
  fromNs: number;
  /** End of the last cycle: where interval counters stop and end-of-cycle values were taken. */
  toNs: number;
}

/** Consecutive cycles shown as one chart point (one cycle unless the session is long). */
export interface CycleBucket extends CycleSpan {
  cycles: readonly CycleRecord[];
  /** The last cycle, whose end-of-cycle values the bucket shows. */
  last: CycleRecord;
}

/** The CycleRecord fields a source may not know (null when imported or not applicable). */
export type NullableCycleField = {
  [K in keyof CycleRecord]-?: null extends CycleRecord[K] ? K : never;
}[keyof CycleRecord];

/**
 * Groups cycles, in start order, into at most `maxBuckets` runs of equal length (the last may be
 * shorter). Interval counters sum exactly over a bucket, since each counts from the previous
 * cycle's end to its own.
 */
export function cycleBuckets(
  cycles: readonly CycleRecord[],
  maxBuckets: number = MAX_CYCLE_BUCKETS,
  /**
   * Where the first cycle's interval counters started: 0 for a session's first cycle; the end of
   * the cycle before it when `cycles` are a range of a longer session.
   */
  originNs = 0,
): CycleBucket[] {
  const ordered = sortedBy(cycles, (c) => c.startNs);
  const perBucket = Math.max(1, Math.ceil(ordered.length / Math.max(1, maxBuckets)));
  const buckets: CycleBucket[] = [];
  let fromNs = originNs;
  for (let i = 0; i < ordered.length; i += perBucket) {
    const group = ordered.slice(i, i + perBucket);
    const first = group[0] as CycleRecord;
    const last = group[group.length - 1] as CycleRecord;
    const toNs = cycleEndNs(last);
    buckets.push({ firstSeq: first.seq, lastSeq: last.seq, fromNs, toNs, cycles: group, last });
    fromNs = toNs;
  }
  return buckets;
}

/** Where the first span's interval started, in ms: the per-cycle charts' x axes start there. */
export function firstFromMs(spans: readonly CycleSpan[]): number {
  return (spans[0]?.fromNs ?? 0) / NS_PER_MS;
}

/** Where the last cycle ended, in ms: the per-cycle charts' x axes end there (0 without cycles). */
export function lastEndMs(spans: readonly CycleSpan[]): number {
  return (spans.at(-1)?.toNs ?? 0) / NS_PER_MS;
}

/** How many cycles each point stands for (1 unless the session was long enough to merge them). */
export function cyclesPerBucket(buckets: readonly CycleBucket[]): number {
  return buckets[0]?.cycles.length ?? 1;
}

export function spanOf(bucket: CycleBucket): CycleSpan {
  const { firstSeq, lastSeq, fromNs, toNs } = bucket;
  return { firstSeq, lastSeq, fromNs, toNs };
}

/** Σ of a counter over cycles, null values left out; null when every value is null. */
export function sumOf(cycles: readonly CycleRecord[], field: NullableCycleField): number | null {
  let sum: number | null = null;
  for (const cycle of cycles) {
    const value = cycle[field];
    if (value !== null) sum = (sum ?? 0) + value;
  }
  return sum;
}

/** "Cycle 7" or "Cycles 7–12", for tooltip titles. */
export function spanLabel(span: CycleSpan): string {
  return span.firstSeq === span.lastSeq
    ? `Cycle ${span.firstSeq}`
    : `Cycles ${span.firstSeq}–${span.lastSeq}`;
}

/** "Cycle 7 · 42.6 ms → 81.0 ms": the interval a point's counters cover, in session time. */
export function intervalTitle(span: CycleSpan): string {
  const from = span.fromNs === 0 ? 'start' : formatNs(span.fromNs);
  return `${spanLabel(span)} · ${from} → ${formatNs(span.toNs)}`;
}

/** "Cycle 7 · ends at 81.0 ms": when a point's end-of-cycle values were taken. */
export function cycleEndTitle(span: CycleSpan): string {
  return `${spanLabel(span)} · ends at ${formatNs(span.toNs)}`;
}

/**
 * A per-interval value as a line drawn with Chart.js `stepped: 'after'` (which draws each point's
 * value back to the previous point; `'before'` would hold the previous value instead): a point at
 * the first interval's start, then one at each span's end carrying that span's value, so each value
 * covers exactly the interval it was counted over. NaN leaves a gap (nothing to show there).
 */
export function intervalSteps<T extends CycleSpan>(spans: readonly T[], valueOf: (span: T) => number): XY[] {
  const first = spans[0];
  if (!first) return [];
  const points: XY[] = [{ x: first.fromNs / NS_PER_MS, y: valueOf(first) }];
  for (const span of spans) points.push({ x: span.toNs / NS_PER_MS, y: valueOf(span) });
  return points;
}

/** The span a point of `intervalSteps` belongs to: its leading point belongs to the first. */
export function spanIndexOfStep(pointIndex: number): number {
  return Math.max(0, pointIndex - 1);
}

/**
 * The point of an `intervalSteps` line whose interval contains `x` (left-open: a cycle's end
 * belongs to the interval that ends there), or -1 outside the first start and the last end.
 */
export function stepIndexAt(points: readonly XY[], x: number): number {
  const firstX = points[0]?.x;
  const lastX = points.at(-1)?.x;
  if (points.length < 2 || firstX === undefined || lastX === undefined || x < firstX || x > lastX) return -1;
  let low = 1;
  let high = points.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((points[middle] as XY).x >= x) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** A value taken at each span's end (its last cycle's), as one point per span. */
export function endOfCyclePoints<T extends CycleSpan>(
  spans: readonly T[],
  valueOf: (span: T) => number,
): XY[] {
  return spans.map((span) => ({ x: span.toNs / NS_PER_MS, y: valueOf(span) }));
}

/** A nullable field as a number for a chart: NaN (a gap) where it is null. */
export function orNaN(value: number | null): number {
  return value ?? Number.NaN;
}
