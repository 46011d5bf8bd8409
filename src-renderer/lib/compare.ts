import type { CollectorInfo, CycleRecord, SessionDetail } from './contract';
import { formatBytes, formatCount, formatNs, formatPercent } from '../charts/series/format';
import { BARRIERS } from './run-form';

/**
 * The compare view's summary table: one column per session, one row per figure, each figure
 * computed from the session's cycles (not from its stored stats, so every pause window counts),
 * and the best value of a row marked.
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
  /** Over every stop-the-world window of every cycle; null without any window. */
  pauseP99Ns: number | null;
  pauseMaxNs: number | null;
  /** The last cycle's cumulative GC CPU fraction; null without cycles. */
  gcCpuFraction: number | null;
  /** Max heapEndBytes (gctrace h1). */
  peakHeapBytes: number | null;
  /** The last cycle's heapMarkedBytes. */
  finalMarkedBytes: number | null;
  /** The last cycle's leakedBytes; null where the collector cannot leak (or nothing was recorded). */
  leakedBytes: number | null;
}

function lastBySeq(cycles: readonly CycleRecord[]): CycleRecord | undefined {
  let last: CycleRecord | undefined;
  for (const cycle of cycles) if (!last || cycle.seq > last.seq) last = cycle;
  return last;
}

export function sessionFigures(cycles: readonly CycleRecord[]): SessionFigures {
  const windows = cycles.flatMap((c) => c.pauses.map((p) => p.durationNs)).sort((a, b) => a - b);
  const last = lastBySeq(cycles);
  return {
    cycles: cycles.length,
    pauseTotalNs: cycles.reduce((sum, c) => sum + c.pauseNs, 0),
    pauseP99Ns: nearestRank(windows, 99),
    pauseMaxNs: windows.at(-1) ?? null,
    gcCpuFraction: last?.gcCpuFraction ?? null,
    peakHeapBytes: cycles.length > 0 ? cycles.reduce((max, c) => Math.max(max, c.heapEndBytes), 0) : null,
    finalMarkedBytes: last?.heapMarkedBytes ?? null,
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
  return parts.join(', ');
}

export type FigureKey = keyof SessionFigures;

export interface FigureRow {
  key: FigureKey;
  label: string;
  /** Whether a smaller value is better (and so marked); null for rows that are not ranked. */
  lowerIsBetter: boolean | null;
  format: (value: number) => string;
}

export const FIGURE_ROWS: readonly FigureRow[] = [
  { key: 'cycles', label: 'Cycles', lowerIsBetter: null, format: formatCount },
  { key: 'pauseTotalNs', label: 'Total pause', lowerIsBetter: true, format: formatNs },
  { key: 'pauseP99Ns', label: 'p99 pause', lowerIsBetter: true, format: formatNs },
  { key: 'pauseMaxNs', label: 'Max pause', lowerIsBetter: true, format: formatNs },
  { key: 'gcCpuFraction', label: 'GC CPU', lowerIsBetter: true, format: (f) => formatPercent(f, 2) },
  { key: 'peakHeapBytes', label: 'Peak heap', lowerIsBetter: true, format: formatBytes },
  { key: 'finalMarkedBytes', label: 'Final heap marked', lowerIsBetter: null, format: formatBytes },
  { key: 'leakedBytes', label: 'Leaked at the end', lowerIsBetter: true, format: formatBytes },
];

/**
 * The indexes of the best value in a row: the smallest (or largest), all of them on a tie. Values
 * that read the same once formatted tie too (31.5 MiB against 31.5 MiB is no win). None when fewer
 * than two sessions have a value or every value reads the same: there is nothing to pick.
 */
export function bestIndexes(
  values: readonly (number | null)[],
  lowerIsBetter: boolean,
  format: (value: number) => string = String,
): number[] {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length < 2) return [];
  const best = format(lowerIsBetter ? Math.min(...present) : Math.max(...present));
  if (present.every((v) => format(v) === best)) return [];
  return values.flatMap((v, i) => (v !== null && format(v) === best ? [i] : []));
}

/** Rows to show: every row, except the leak row when no session has a leak figure. */
export function visibleRows(figures: readonly SessionFigures[]): FigureRow[] {
  return FIGURE_ROWS.filter(
    (row) => row.key !== 'leakedBytes' || figures.some((f) => f.leakedBytes !== null),
  );
}

/** A session as the legend and the column header name it: its name, and its collector unless the name says it. */
export function sessionLabel(session: { name: string; collector: string | null }): string {
  const collector = session.collector;
  if (!collector || session.name.split(/[\s·(),]+/).includes(collector)) return session.name;
  return `${session.name} (${collector})`;
}
