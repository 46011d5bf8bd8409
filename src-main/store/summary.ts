/**
 * A session's series reduced in SQL, and the summary kept with a finished session.
 *
 * Reading a cycle as an object costs ~45 columns; a session of 100,000 cycles takes seconds that
 * way. What a session view draws first needs none of that:
 * 1. Series: the range is cut into `points` buckets of equal time; one GROUP BY per query reads
 *    only the columns a chart draws and returns one row per bucket (min/max of heap allocated from
 *    the samples; per cycle bucket its span, longest pause and highest heap marks). Where a bucket
 *    needs the row behind an extreme (the time of the lowest sample, the cycle of the longest
 *    pause), the query holds exactly one min() or max(), so SQLite's bare columns come from that row.
 * 2. Stats: counts, sums and maxima in SQL; pause percentiles from the `pauses` column alone.
 * 3. Summary: when a recording ends, its stats, totals and a whole-session overview at
 *    OVERVIEW_POINTS buckets are stored with it (sessions.summary_json), so opening it again reads
 *    one row whatever its length; any narrower request is bucketed in SQL over its range.
 */
import type {
  CycleBucket,
  CycleTrigger,
  ReducedSeries,
  SampleBucket,
  SessionStats,
  SessionTotals,
} from '../api/types';
import { decodePauses } from './cycle-columns';
import type { Db } from './database';

/** Buckets of the stored overview: more than a chart is wide on any screen we expect. */
export const OVERVIEW_POINTS = 2048;
/** Bumped when the stored summary's shape changes; an older one is recomputed on read. */
const SUMMARY_VERSION = 2;
/** Consecutive final cycles whose goal sat at the live heap before thrashing is reported. */
export const THRASHING_CYCLES = 5;
/** A goal within 5 % of the last cycle's marked bytes leaves the program no room to allocate. */
const THRASHING_HEADROOM = 1.05;

export interface StoredSummary {
  version: number;
  cycleCount: number;
  durationNs: number;
  stats: SessionStats;
  totals: SessionTotals;
  /** The whole session at OVERVIEW_POINTS buckets. */
  overview: ReducedSeries;
}

export interface SeriesRange {
  startNs: number;
  endNs: number;
}

const CYCLE_END = '(start_ns + sweep_term_ns + mark_ns + mark_term_ns)';

/** Nearest-rank percentile of an ascending array (p in 0..100); 0 for an empty array. */
export function percentile(sortedAscending: ArrayLike<number>, p: number): number {
  if (sortedAscending.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(Math.max(rank, 1), sortedAscending.length) - 1]!;
}

/**
 * The session ends thrashing: its last THRASHING_CYCLES cycles each had a goal within 5 % of the
 * bytes the cycle before marked. GOGC never paces that tight (its goal is marked × (1 + GOGC/100)),
 * so this is a memory limit the live heap does not fit under: GC runs back to back.
 * `cycles` in seq order; only the last THRASHING_CYCLES + 1 matter.
 */
export function endsThrashing(
  cycles: readonly { heapGoalBytes: number; heapMarkedBytes: number }[],
): boolean {
  if (cycles.length <= THRASHING_CYCLES) return false;
  for (let i = cycles.length - THRASHING_CYCLES; i < cycles.length; i++) {
    if (cycles[i]!.heapGoalBytes > cycles[i - 1]!.heapMarkedBytes * THRASHING_HEADROOM) return false;
  }
  return true;
}

/** Where the session's last cycle or sample ends; 0 for an empty session. */
export function sessionEndNs(db: Db, id: number): number {
  const row = db
    .prepare(
      `SELECT max(coalesce((SELECT max(${CYCLE_END}) FROM cycles WHERE session_id = @id), 0),
                  coalesce((SELECT max(t_ns) FROM samples WHERE session_id = @id), 0))`,
    )
    .pluck()
    .get({ id }) as number;
  return row;
}

/** The time range from the start of cycle `fromSeq` (or the first after it) to the end of `toSeq` (or the last before it). */
export function cycleRangeNs(db: Db, id: number, fromSeq: number, toSeq: number): SeriesRange | null {
  const start = db
    .prepare('SELECT start_ns FROM cycles WHERE session_id = ? AND seq >= ? ORDER BY seq LIMIT 1')
    .pluck()
    .get(id, fromSeq) as number | undefined;
  const end = db
    .prepare(`SELECT ${CYCLE_END} FROM cycles WHERE session_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 1`)
    .pluck()
    .get(id, toSeq) as number | undefined;
  if (start === undefined || end === undefined || end < start) return null;
  return { startNs: start, endNs: end };
}

/**
 * The series of `range` in at most `points` buckets, straight from SQL. Every query walks only the
 * session's rows in the range (cycles by primary key, samples by their time index).
 */
export function reduceSeriesSql(
  db: Db,
  id: number,
  range: SeriesRange,
  points: number,
  sessionEnd: number,
  totals: SessionTotals,
): ReducedSeries {
  const spanNs = Math.max(1, range.endNs - range.startNs);
  const params = { id, s: range.startNs, e: range.endNs, n: points, span: spanNs };
  // better-sqlite3 binds numbers as reals: cast them, so the bucket is an integer division (times
  // are integer ns, and (t − s) × n stays far below 2^63) and equal buckets group together.
  const bucketOf = (t: string): string =>
    `min(@n - 1, (${t} - CAST(@s AS INTEGER)) * CAST(@n AS INTEGER) / CAST(@span AS INTEGER))`;
  const minSamples = db
    .prepare(
      `SELECT ${bucketOf('t_ns')} AS b, count(*) AS samples, min(heap_alloc_bytes) AS v, t_ns AS t
         FROM samples WHERE session_id = @id AND t_ns BETWEEN @s AND @e GROUP BY b ORDER BY b`,
    )
    .raw()
    .all(params) as [number, number, number, number][];
  const maxSamples = db
    .prepare(
      `SELECT ${bucketOf('t_ns')} AS b, max(heap_alloc_bytes) AS v, t_ns AS t
         FROM samples WHERE session_id = @id AND t_ns BETWEEN @s AND @e GROUP BY b ORDER BY b`,
    )
    .raw()
    .all(params) as [number, number, number][];
  const samples: SampleBucket[] = minSamples.map(([bucket, count, minV, minT], i) => {
    const [, maxV, maxT] = maxSamples[i]!;
    return {
      bucket,
      samples: count,
      minTNs: minT,
      minHeapAllocBytes: minV,
      maxTNs: maxT,
      maxHeapAllocBytes: maxV,
    };
  });

  const spans = db
    .prepare(
      `SELECT ${bucketOf('start_ns')} AS b, count(*), min(seq), max(seq), min(start_ns), max(${CYCLE_END}),
              sum(trigger <> 'heap'), max(heap_marked_bytes), max(heap_goal_bytes), max(heap_trigger_bytes)
         FROM cycles WHERE session_id = @id AND start_ns BETWEEN @s AND @e GROUP BY b ORDER BY b`,
    )
    .raw()
    .all(params) as number[][];
  const longest = db
    .prepare(
      `SELECT ${bucketOf('start_ns')} AS b, max(pause_ns), seq, start_ns, trigger
         FROM cycles WHERE session_id = @id AND start_ns BETWEEN @s AND @e GROUP BY b ORDER BY b`,
    )
    .raw()
    .all(params) as [number, number, number, number, CycleTrigger][];
  const cycles: CycleBucket[] = spans.map((row, i) => {
    const [bucket, count, firstSeq, lastSeq, startNs, endNs, nonHeap, marked, goal, trigger] = row as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const [, maxPauseNs, maxPauseSeq, maxPauseStartNs, maxPauseTrigger] = longest[i]!;
    return {
      bucket,
      cycles: count,
      firstSeq,
      lastSeq,
      startNs,
      endNs,
      nonHeapTriggers: nonHeap,
      maxPauseNs,
      maxPauseSeq,
      maxPauseStartNs,
      maxPauseTrigger,
      heapMarkedMaxBytes: marked,
      heapGoalMaxBytes: goal,
      heapTriggerMaxBytes: trigger,
    };
  });

  return {
    sessionId: id,
    startNs: range.startNs,
    endNs: range.endNs,
    sessionEndNs: sessionEnd,
    bucketNs: spanNs / points,
    cycleCount: cycles.reduce((sum, b) => sum + b.cycles, 0),
    sampleCount: samples.reduce((sum, b) => sum + b.samples, 0),
    samples,
    cycles,
    totals,
  };
}

/**
 * A series of `points` or fewer buckets from one of more buckets over the same range: every
 * `factor` neighbours merge, keeping each group's extremes and the rows behind them.
 */
export function coarsen(series: ReducedSeries, points: number): ReducedSeries {
  const fine = Math.max(1, Math.round((series.endNs - series.startNs) / series.bucketNs));
  const factor = Math.ceil(fine / points);
  if (factor <= 1) return series;
  const samples: SampleBucket[] = [];
  for (const b of series.samples) {
    const bucket = Math.floor(b.bucket / factor);
    const into = samples.at(-1);
    if (into === undefined || into.bucket !== bucket) {
      samples.push({ ...b, bucket });
      continue;
    }
    into.samples += b.samples;
    if (b.minHeapAllocBytes < into.minHeapAllocBytes) {
      into.minHeapAllocBytes = b.minHeapAllocBytes;
      into.minTNs = b.minTNs;
    }
    if (b.maxHeapAllocBytes > into.maxHeapAllocBytes) {
      into.maxHeapAllocBytes = b.maxHeapAllocBytes;
      into.maxTNs = b.maxTNs;
    }
  }
  const cycles: CycleBucket[] = [];
  for (const b of series.cycles) {
    const bucket = Math.floor(b.bucket / factor);
    const into = cycles.at(-1);
    if (into === undefined || into.bucket !== bucket) {
      cycles.push({ ...b, bucket });
      continue;
    }
    into.cycles += b.cycles;
    into.lastSeq = b.lastSeq;
    into.endNs = Math.max(into.endNs, b.endNs);
    into.nonHeapTriggers += b.nonHeapTriggers;
    if (b.maxPauseNs > into.maxPauseNs) {
      into.maxPauseNs = b.maxPauseNs;
      into.maxPauseSeq = b.maxPauseSeq;
      into.maxPauseStartNs = b.maxPauseStartNs;
      into.maxPauseTrigger = b.maxPauseTrigger;
    }
    into.heapMarkedMaxBytes = Math.max(into.heapMarkedMaxBytes, b.heapMarkedMaxBytes);
    into.heapGoalMaxBytes = Math.max(into.heapGoalMaxBytes, b.heapGoalMaxBytes);
    into.heapTriggerMaxBytes = Math.max(into.heapTriggerMaxBytes, b.heapTriggerMaxBytes);
  }
  return { ...series, bucketNs: series.bucketNs * factor, samples, cycles };
}

/** Whole-session counter sums (SessionTotals), in one pass of SQL. */
export function sessionTotalsSql(db: Db, id: number): SessionTotals {
  const row = db
    .prepare(
      `SELECT sum(pool_gets), sum(pool_hits_private) + sum(pool_hits_shared) + sum(pool_hits_stolen)
              + sum(pool_hits_victim),
              sum(pool_hits_victim), sum(pool_misses), sum(heap_allocations), sum(heap_allocated_bytes),
              sum(stack_allocations), sum(stack_allocated_bytes), max(stack_in_use_bytes)
         FROM cycles WHERE session_id = ?`,
    )
    .raw()
    .get(id) as (number | null)[];
  const [poolGets, poolHits, poolHitsVictim, poolMisses, heapAllocations, heapAllocatedBytes] = row;
  const [stackAllocations, stackAllocatedBytes, peakStackInUseBytes] = row.slice(6);
  return {
    poolGets: poolGets ?? null,
    poolHits: poolHits ?? null,
    poolHitsVictim: poolHitsVictim ?? null,
    poolMisses: poolMisses ?? null,
    heapAllocations: heapAllocations ?? null,
    heapAllocatedBytes: heapAllocatedBytes ?? null,
    stackAllocations: stackAllocations ?? null,
    stackAllocatedBytes: stackAllocatedBytes ?? null,
    peakStackInUseBytes: peakStackInUseBytes ?? null,
  };
}

/** SessionStats without reading a cycle as an object: the same figures services/stats.ts computes from records. */
export function sessionStatsSql(db: Db, id: number): SessionStats {
  // Peak heap is the highest of what the session recorded, cycles' h0/h1 and the samples between
  // them: the heap chart draws the samples, and a peak below the chart's top reads as a contradiction
  // (a collector that frees late, like refcount's, peaks between its rare cycles).
  const [cycles, pauseTotalNs, peakHeapBytes] = db
    .prepare(
      `SELECT count(*), coalesce(sum(pause_ns), 0),
              max(coalesce(max(max(heap_start_bytes, heap_end_bytes)), 0),
                  coalesce((SELECT max(heap_alloc_bytes) FROM samples WHERE session_id = @id), 0))
         FROM cycles WHERE session_id = @id`,
    )
    .raw()
    .get({ id }) as [number, number, number];
  const tail = (
    db
      .prepare(
        `SELECT heap_goal_bytes AS heapGoalBytes, heap_marked_bytes AS heapMarkedBytes,
                gc_cpu_fraction AS gcCpuFraction, leaked_objects AS leakedObjects,
                leaked_bytes AS leakedBytes
           FROM cycles WHERE session_id = ? ORDER BY seq DESC LIMIT ?`,
      )
      .all(id, THRASHING_CYCLES + 1) as {
      heapGoalBytes: number;
      heapMarkedBytes: number;
      gcCpuFraction: number;
      leakedObjects: number | null;
      leakedBytes: number | null;
    }[]
  ).reverse();
  // Percentiles are over every stop-the-world window: what a latency-sensitive program feels.
  const encoded = db.prepare('SELECT pauses FROM cycles WHERE session_id = ?').pluck().all(id) as string[];
  let windows = 0;
  const decoded = encoded.map((text) => {
    const pauses = decodePauses(text);
    windows += pauses.length;
    return pauses;
  });
  const durations = new Float64Array(windows);
  let at = 0;
  for (const pauses of decoded) for (const p of pauses) durations[at++] = p.durationNs;
  durations.sort();
  return {
    cycles,
    pauseTotalNs,
    pauseP50Ns: percentile(durations, 50),
    pauseP95Ns: percentile(durations, 95),
    pauseP99Ns: percentile(durations, 99),
    pauseMaxNs: windows > 0 ? durations[windows - 1]! : 0,
    peakHeapBytes,
    gcCpuFraction: tail.at(-1)?.gcCpuFraction ?? 0,
    thrashing: endsThrashing(tail),
    // Each cycle measures what is leaked at its end: the session's last one says what stays leaked.
    leakedObjects: tail.at(-1)?.leakedObjects ?? null,
    leakedBytes: tail.at(-1)?.leakedBytes ?? null,
  };
}

/** Everything StoredSummary holds, computed from the rows (one pass per query). */
export function computeSummary(db: Db, id: number): StoredSummary {
  const durationNs = sessionEndNs(db, id);
  const stats = sessionStatsSql(db, id);
  const totals = sessionTotalsSql(db, id);
  const overview = reduceSeriesSql(
    db,
    id,
    { startNs: 0, endNs: durationNs },
    OVERVIEW_POINTS,
    durationNs,
    totals,
  );
  return { version: SUMMARY_VERSION, cycleCount: stats.cycles, durationNs, stats, totals, overview };
}

/** The summary to store with a session as its recording ends, as SQL parameters. */
export function summaryColumns(
  db: Db,
  id: number,
): { cycleCount: number; durationNs: number; summaryJson: string } {
  const summary = computeSummary(db, id);
  return {
    cycleCount: summary.cycleCount,
    durationNs: summary.durationNs,
    summaryJson: JSON.stringify(summary),
  };
}

/** The stored summary of a finished session; null while recording, or when none (or an older one) is stored. */
export function readStoredSummary(db: Db, id: number): StoredSummary | null {
  const json = db.prepare('SELECT summary_json FROM sessions WHERE id = ?').pluck().get(id) as
    string | null | undefined;
  if (json === null || json === undefined) return null;
  try {
    const summary = JSON.parse(json) as StoredSummary;
    return summary.version === SUMMARY_VERSION ? summary : null;
  } catch {
    return null;
  }
}
