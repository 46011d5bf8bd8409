import type { CycleRecord } from '../../lib/contract';
import { durationScale } from './format';

/**
 * Every stop-the-world window of a session, as a distribution: the percentiles above the pause
 * histogram and its log-scale buckets. Unlike the stats strip (one value per cycle, Σ of its
 * pauses), this counts each window on its own, so an incremental collector's mark slices and Go's
 * two termination pauses are each one sample.
 */

/** Every pause window's duration, ascending. */
export function pauseDurationsNs(cycles: readonly CycleRecord[]): number[] {
  const durations: number[] = [];
  for (const cycle of cycles) for (const pause of cycle.pauses) durations.push(pause.durationNs);
  return durations.sort((a, b) => a - b);
}

/**
 * Nearest-rank percentile (the one the stats strip and the CLI use): the smallest value with at
 * least p % of the values at or below it, i.e. sorted[ceil(p/100 · n) − 1]; always a value that
 * occurred, never an interpolation. p in (0, 100]; NaN for no values.
 */
export function nearestRank(sortedAscending: readonly number[], p: number): number {
  const n = sortedAscending.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  return sortedAscending[rank - 1] as number;
}

export interface PausePercentiles {
  windows: number;
  totalNs: number;
  p50Ns: number;
  p95Ns: number;
  p99Ns: number;
  maxNs: number;
}

/** Null when the session stopped the world not once (reference counting without a cycle collection). */
export function pausePercentiles(sortedAscending: readonly number[]): PausePercentiles | null {
  if (sortedAscending.length === 0) return null;
  return {
    windows: sortedAscending.length,
    totalNs: sortedAscending.reduce((sum, d) => sum + d, 0),
    p50Ns: nearestRank(sortedAscending, 50),
    p95Ns: nearestRank(sortedAscending, 95),
    p99Ns: nearestRank(sortedAscending, 99),
    maxNs: sortedAscending.at(-1) as number,
  };
}

export interface PauseBucket {
  /** Lower edge, inclusive (0 for the first bucket when some window lasted 0 ns). */
  loNs: number;
  /** Upper edge, exclusive. */
  hiNs: number;
  count: number;
  label: string;
}

const STEPS = [1, 2, 5] as const;

/** Rung k of the 1-2-5 ladder: 1, 2, 5, 10, 20, 50, … ns. */
function rungNs(k: number): number {
  return (STEPS[k % 3] as number) * 10 ** Math.floor(k / 3);
}

/** The highest rung at or below `ns` (ns ≥ 1). */
function rungAtOrBelow(ns: number): number {
  let k = Math.max(0, 3 * Math.floor(Math.log10(ns)) - 3);
  while (rungNs(k + 1) <= ns) k++;
  return k;
}

/** An edge in the largest unit it is at least 1 of, without trailing zeros: "20 µs", "1.5 ms". */
export function formatEdgeNs(ns: number): string {
  if (ns === 0) return '0';
  const scale = durationScale(ns);
  return `${Number((ns / scale.nsPerUnit).toPrecision(3))} ${scale.unit}`;
}

function bucketLabel(loNs: number, hiNs: number): string {
  if (loNs === 0) return `< ${formatEdgeNs(hiNs)}`;
  const lo = formatEdgeNs(loNs);
  const hi = formatEdgeNs(hiNs);
  const [loValue, loUnit] = lo.split(' ');
  const [hiValue, hiUnit] = hi.split(' ');
  return loUnit === hiUnit ? `${loValue}–${hiValue} ${hiUnit}` : `${lo}–${hi}`;
}

/**
 * Log-scale buckets on a 1-2-5 ladder (1, 2, 5, 10, 20 µs, …) from the shortest window's rung to
 * past the longest, empty rungs between included so the x axis stays logarithmic.
 */
export function pauseHistogram(sortedAscending: readonly number[]): PauseBucket[] {
  if (sortedAscending.length === 0) return [];
  const positive = sortedAscending.find((d) => d > 0);
  const maxNs = sortedAscending.at(-1) as number;
  let rung = rungAtOrBelow(Math.max(1, positive ?? 1));
  const edges = [rungNs(rung)];
  while ((edges.at(-1) as number) <= maxNs) edges.push(rungNs(++rung));
  const buckets: PauseBucket[] = [];
  for (let i = 0; i + 1 < edges.length; i++)
    buckets.push({ loNs: edges[i] as number, hiNs: edges[i + 1] as number, count: 0, label: '' });
  let at = 0;
  for (const d of sortedAscending) {
    while (at < buckets.length - 1 && d >= (buckets[at] as PauseBucket).hiNs) at++;
    (buckets[at] as PauseBucket).count++;
  }
  const first = buckets[0] as PauseBucket;
  if ((sortedAscending[0] as number) < first.loNs) first.loNs = 0;
  for (const bucket of buckets) bucket.label = bucketLabel(bucket.loNs, bucket.hiNs);
  return buckets;
}
