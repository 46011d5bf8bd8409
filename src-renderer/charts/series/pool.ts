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
  type NullableCycleField,
} from './cycles';
import type { XY } from './heap';

/** sync.Pool counters of one chart point, summed over its cycles' intervals. */
export interface PoolDetail extends CycleSpan {
  gets: number;
  hitsPrivate: number;
  hitsShared: number;
  hitsStolen: number;
  hitsVictim: number;
  /** Gets that called New. */
  misses: number;
  puts: number;
  /** Objects dropped with the victim cache at a cycle start: cached, never reused. */
  dropped: number;
}

/**
 * Interval series (see `intervalSteps`): the share of gets each source served, in percent, which
 * stack to 100 with the misses; the hit rate (the sum of the four hit shares); and the victim
 * cache's two outcomes as object counts, hits and drops, which would vanish in a stack of shares.
 */
export interface PoolSeries {
  privatePct: XY[];
  sharedPct: XY[];
  stolenPct: XY[];
  victimPct: XY[];
  missPct: XY[];
  hitRatePct: XY[];
  victimHits: XY[];
  dropped: XY[];
  /** One per chart point's cycles; point i of a series belongs to `details[spanIndexOfStep(i)]`. */
  details: PoolDetail[];
  /** The last cycle's end: where the chart's time axis stops. */
  endMs: number;
  cyclesPerPoint: number;
  /** Points handed to the chart, summed over its series. */
  pointCount: number;
}

/** Whether a session used a sync.Pool at all (imported sessions and pool-less scenarios did not). */
export function hasPoolData(cycles: readonly CycleRecord[]): boolean {
  return cycles.some((c) => (c.poolGets ?? 0) > 0);
}

export function poolHits(detail: PoolDetail): number {
  return detail.hitsPrivate + detail.hitsShared + detail.hitsStolen + detail.hitsVictim;
}

function poolDetail(bucket: CycleBucket): PoolDetail {
  const sum = (field: NullableCycleField) => sumOf(bucket.cycles, field) ?? 0;
  return {
    ...spanOf(bucket),
    gets: sum('poolGets'),
    hitsPrivate: sum('poolHitsPrivate'),
    hitsShared: sum('poolHitsShared'),
    hitsStolen: sum('poolHitsStolen'),
    hitsVictim: sum('poolHitsVictim'),
    misses: sum('poolMisses'),
    puts: sum('poolPuts'),
    dropped: sum('poolDropped'),
  };
}

export function poolSeries(
  cycles: readonly CycleRecord[],
  maxBuckets = MAX_CYCLE_BUCKETS,
  originNs = 0,
): PoolSeries {
  const buckets = cycleBuckets(cycles, maxBuckets, originNs);
  const details = buckets.map(poolDetail);
  // An interval without a Get has no shares: a gap rather than a misleading 0 %.
  const percentOf = (count: (detail: PoolDetail) => number) =>
    intervalSteps(details, (d) => (d.gets > 0 ? (100 * count(d)) / d.gets : Number.NaN));

  const series = {
    privatePct: percentOf((d) => d.hitsPrivate),
    sharedPct: percentOf((d) => d.hitsShared),
    stolenPct: percentOf((d) => d.hitsStolen),
    victimPct: percentOf((d) => d.hitsVictim),
    missPct: percentOf((d) => d.misses),
    hitRatePct: percentOf(poolHits),
    victimHits: intervalSteps(details, (d) => d.hitsVictim),
    dropped: intervalSteps(details, (d) => d.dropped),
  };
  const pointCount = Object.values(series).reduce((total, points) => total + points.length, 0);
  return {
    ...series,
    details,
    cyclesPerPoint: cyclesPerBucket(buckets),
    endMs: lastEndMs(details),
    pointCount,
  };
}
