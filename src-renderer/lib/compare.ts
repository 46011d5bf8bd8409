import type { CollectorInfo, CycleRecord, HeapSample, SessionDetail } from './contract';
import { formatBytes, formatCount, formatNs, formatPercent } from '../charts/series/format';
import { BARRIERS } from './run-form';

/**
 * The compare view's summary table: one column per session, one row per figure, each figure
 * computed from the session's cycles, and every column's difference from a baseline session's,
 * judged better or worse by the row's direction. `heapscope compare` prints the same figures
 * (src-main/services/compare.ts).
 */

/** More columns than this stop fitting a window and overlaid lines stop telling apart. */
export const COMPARE_MAX_SESSIONS = 8;

/** The p-th percentile by nearest rank: the smallest value with at least p % of values at or below it. */
export function nearestRank(sortedAscending: readonly number[], percentile: number): number | null {
  const n = sortedAscending.length;
  if (n === 0) return null;
  // percentile × n first: (99 / 100) × 100 is 99.00000000000001 and would round up a rank.
  const rank = Math.max(1, Math.ceil((percentile * n) / 100));
  return sortedAscending[Math.min(n, rank) - 1] ?? null;
}

export interface SessionFigures {
  cycles: number;
  pauseTotalNs: number;
  /** Nearest rank over every stop-the-world window of every cycle; null without any window. */
  pauseP50Ns: number | null;
  pauseP95Ns: number | null;
  pauseP99Ns: number | null;
  pauseMaxNs: number | null;
  /** The last cycle's cumulative GC CPU fraction; null without cycles. */
  gcCpuFraction: number | null;
  /**
   * The highest heap recorded: heapStartBytes and heapEndBytes (gctrace h0, h1) and every sample
   * between cycles, as the session's stats take it (and as the heap chart draws it).
   */
  peakHeapBytes: number | null;
  /** Mean heapEndBytes (gctrace h1) over the cycles. */
  meanHeapBytes: number | null;
  /** The last cycle's heapMarkedBytes. */
  finalMarkedBytes: number | null;
  /** Σ (poolGets − poolMisses) / Σ poolGets; null without pool counters (imports) or without a Get. */
  poolHitRate: number | null;
  /** The last cycle's leakedBytes; null where the collector cannot leak (or nothing was recorded). */
  leakedBytes: number | null;
}

function lastBySeq(cycles: readonly CycleRecord[]): CycleRecord | undefined {
  let last: CycleRecord | undefined;
  for (const cycle of cycles) if (!last || cycle.seq > last.seq) last = cycle;
  return last;
}

/** The share of sync.Pool Gets a pool served without calling New; null when none was counted. */
export function poolHitRate(cycles: readonly CycleRecord[]): number | null {
  let gets = 0;
  let misses = 0;
  for (const cycle of cycles) {
    if (cycle.poolGets === null || cycle.poolMisses === null) continue;
    gets += cycle.poolGets;
    misses += cycle.poolMisses;
  }
  return gets > 0 ? (gets - misses) / gets : null;
}

export function sessionFigures(
  cycles: readonly CycleRecord[],
  samples: readonly HeapSample[] = [],
): SessionFigures {
  const windows = cycles.flatMap((c) => c.pauses.map((p) => p.durationNs)).sort((a, b) => a - b);
  const last = lastBySeq(cycles);
  const any = cycles.length > 0;
  return {
    cycles: cycles.length,
    pauseTotalNs: cycles.reduce((sum, c) => sum + c.pauseNs, 0),
    pauseP50Ns: nearestRank(windows, 50),
    pauseP95Ns: nearestRank(windows, 95),
    pauseP99Ns: nearestRank(windows, 99),
    pauseMaxNs: windows.at(-1) ?? null,
    gcCpuFraction: last?.gcCpuFraction ?? null,
    peakHeapBytes:
      any || samples.length > 0
        ? samples.reduce(
            (max, s) => Math.max(max, s.heapAllocBytes),
            cycles.reduce((max, c) => Math.max(max, c.heapStartBytes, c.heapEndBytes), 0),
          )
        : null,
    meanHeapBytes: any ? cycles.reduce((sum, c) => sum + c.heapEndBytes, 0) / cycles.length : null,
    finalMarkedBytes: last?.heapMarkedBytes ?? null,
    poolHitRate: poolHitRate(cycles),
    leakedBytes: last?.leakedBytes ?? null,
  };
}

/** The run options a session used, as a short phrase: only those its collector reads, and GOMEMLIMIT. */
export function optionsLabel(detail: SessionDetail, collector: CollectorInfo | undefined): string {
  const config = detail.config;
  if (!config) return '—';
  const reads = (option: 'barrier' | 'cycleCollector'): boolean =>
    collector ? collector.options.includes(option) : config[option] !== undefined;
  const parts: string[] = [];
  if (reads('barrier')) {
    const barrier = BARRIERS.find((b) => b.name === (config.barrier ?? 'dijkstra'));
    parts.push(`${barrier?.title ?? config.barrier} barrier`);
  }
  if (reads('cycleCollector')) parts.push(config.cycleCollector ? 'cycle collector' : 'no cycle collector');
  parts.push(`GOGC=${config.gogc < 0 ? 'off' : config.gogc}`);
  if (config.memoryLimitBytes !== null && config.memoryLimitBytes !== undefined) {
    parts.push(`GOMEMLIMIT=${formatBytes(config.memoryLimitBytes)}`);
  }
  if (config.cpus !== null && config.cpus !== undefined && config.cpus < config.procs) {
    parts.push(`${config.procs} P on ${config.cpus} CPUs`);
  }
  return parts.join(', ');
}

export type FigureKey = keyof SessionFigures;

export interface FigureRow {
  key: FigureKey;
  label: string;
  /** Whether a smaller value is better; null for rows where neither is (the cycle count). */
  lowerIsBetter: boolean | null;
  format: (value: number) => string;
  /** A difference of two values, without its sign: fractions differ in percentage points. */
  formatDifference: (difference: number) => string;
}

const percentagePoints = (difference: number): string => `${(difference * 100).toFixed(2)} pp`;
const fractionRow = (key: FigureKey, label: string, lowerIsBetter: boolean): FigureRow => ({
  key,
  label,
  lowerIsBetter,
  format: (f) => formatPercent(f, 2),
  formatDifference: percentagePoints,
});

export const FIGURE_ROWS: readonly FigureRow[] = [
  { key: 'cycles', label: 'Cycles', lowerIsBetter: null, format: formatCount, formatDifference: formatCount },
  {
    key: 'pauseTotalNs',
    label: 'Total pause',
    lowerIsBetter: true,
    format: formatNs,
    formatDifference: formatNs,
  },
  {
    key: 'pauseP50Ns',
    label: 'p50 pause',
    lowerIsBetter: true,
    format: formatNs,
    formatDifference: formatNs,
  },
  {
    key: 'pauseP95Ns',
    label: 'p95 pause',
    lowerIsBetter: true,
    format: formatNs,
    formatDifference: formatNs,
  },
  {
    key: 'pauseP99Ns',
    label: 'p99 pause',
    lowerIsBetter: true,
    format: formatNs,
    formatDifference: formatNs,
  },
  {
    key: 'pauseMaxNs',
    label: 'Max pause',
    lowerIsBetter: true,
    format: formatNs,
    formatDifference: formatNs,
  },
  fractionRow('gcCpuFraction', 'GC CPU', true),
  {
    key: 'peakHeapBytes',
    label: 'Peak heap',
    lowerIsBetter: true,
    format: formatBytes,
    formatDifference: formatBytes,
  },
  {
    key: 'meanHeapBytes',
    label: 'Mean heap (h1)',
    lowerIsBetter: true,
    format: formatBytes,
    formatDifference: formatBytes,
  },
  {
    key: 'finalMarkedBytes',
    label: 'Final heap marked',
    lowerIsBetter: null,
    format: formatBytes,
    formatDifference: formatBytes,
  },
  fractionRow('poolHitRate', 'Pool hit rate', false),
  {
    key: 'leakedBytes',
    label: 'Leaked at the end',
    lowerIsBetter: true,
    format: formatBytes,
    formatDifference: formatBytes,
  },
];

/** How a value compares with the baseline's: better and worse follow the row's direction. */
export type DeltaVerdict = 'better' | 'worse' | 'same' | 'unranked';

export interface FigureDelta {
  /** value − baseline, in the row's unit. */
  difference: number;
  /** difference / baseline; null when the baseline is 0. */
  relative: number | null;
  verdict: DeltaVerdict;
  /** "+1.20 ms (+15.3 %)", "−2.00 pp", "same". */
  text: string;
}

const MINUS = '\u2212';

function signed(difference: number, magnitude: string): string {
  return `${difference < 0 ? MINUS : '+'}${magnitude}`;
}

/**
 * A value against the baseline's. Values that read the same once formatted are "same" (31.5 MiB
 * against 31.5 MiB is no change); null when either side has no value.
 */
export function figureDelta(
  row: FigureRow,
  value: number | null,
  baseline: number | null,
): FigureDelta | null {
  if (value === null || baseline === null || !Number.isFinite(value) || !Number.isFinite(baseline))
    return null;
  const difference = value - baseline;
  const relative = baseline === 0 ? null : difference / Math.abs(baseline);
  if (row.format(value) === row.format(baseline))
    return { difference, relative, verdict: 'same', text: 'same' };
  const verdict: DeltaVerdict =
    row.lowerIsBetter === null ? 'unranked' : difference < 0 === row.lowerIsBetter ? 'better' : 'worse';
  const percent =
    relative === null ? '' : ` (${signed(relative, `${Math.abs(relative * 100).toFixed(1)} %`)})`;
  return {
    difference,
    relative,
    verdict,
    text: `${signed(difference, row.formatDifference(Math.abs(difference)))}${percent}`,
  };
}

/** Rows to show: every row, except the pool and leak rows when no session has that figure. */
export function visibleRows(figures: readonly SessionFigures[]): FigureRow[] {
  const optional: readonly FigureKey[] = ['leakedBytes', 'poolHitRate'];
  return FIGURE_ROWS.filter((row) => !optional.includes(row.key) || figures.some((f) => f[row.key] !== null));
}

/** The baseline's index among the loaded sessions: the one picked if it is still there, else the first. */
export function baselineIndex(ids: readonly number[], picked: number | null): number {
  const index = picked === null ? -1 : ids.indexOf(picked);
  return index < 0 ? 0 : index;
}

/** A session as the legend and the column header name it: its name, and its collector unless the name says it. */
export function sessionLabel(session: { name: string; collector: string | null }): string {
  const collector = session.collector;
  if (!collector || session.name.split(/[\s·(),]+/).includes(collector)) return session.name;
  return `${session.name} (${collector})`;
}
