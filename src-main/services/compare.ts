/**
 * `heapscope compare`'s table: the figures of 2–8 sessions side by side, each computed from the
 * session's cycles, and every session's difference from a baseline. The compare view computes the
 * same figures the same way (src-renderer/lib/compare.ts); the two are kept apart by the layer rule
 * that the renderer imports only the API contract.
 */
import type { SessionSource, SessionStatus } from '../api/types';
import type { CycleRecord, HeapSample } from '../engine/record';
import { peakHeapBytes, percentile } from './stats';

export const COMPARE_MIN_SESSIONS = 2;
/** More columns than this stop fitting a terminal (and the app's window). */
export const COMPARE_MAX_SESSIONS = 8;

export interface CompareFigures {
  cycles: number;
  pauseTotalNs: number;
  /** Nearest rank over every stop-the-world window; null without any window. */
  pauseP50Ns: number | null;
  pauseP95Ns: number | null;
  pauseP99Ns: number | null;
  pauseMaxNs: number | null;
  /** The last cycle's cumulative GC CPU fraction (gctrace P% / 100). */
  gcCpuFraction: number | null;
  /** The highest heap recorded, cycles' h0/h1 and the samples between them, as the session's stats take it. */
  peakHeapBytes: number | null;
  /** Mean h1 (heapEndBytes) over the cycles. */
  meanHeapBytes: number | null;
  /** Σ (poolGets − poolMisses) / Σ poolGets; null without pool counters (imports) or Gets. */
  poolHitRate: number | null;
  /** The last cycle's leakedBytes; null where the collector cannot leak. */
  leakedBytes: number | null;
}

export type CompareFigureKey = keyof CompareFigures;
export type CompareUnit = 'count' | 'ns' | 'bytes' | 'fraction';

export interface CompareFigureRow {
  key: CompareFigureKey;
  label: string;
  unit: CompareUnit;
  /** Whether a smaller value is better; null where neither is. */
  lowerIsBetter: boolean | null;
}

export const COMPARE_ROWS: readonly CompareFigureRow[] = [
  { key: 'cycles', label: 'cycles', unit: 'count', lowerIsBetter: null },
  { key: 'pauseTotalNs', label: 'total pause', unit: 'ns', lowerIsBetter: true },
  { key: 'pauseP50Ns', label: 'p50 pause', unit: 'ns', lowerIsBetter: true },
  { key: 'pauseP95Ns', label: 'p95 pause', unit: 'ns', lowerIsBetter: true },
  { key: 'pauseP99Ns', label: 'p99 pause', unit: 'ns', lowerIsBetter: true },
  { key: 'pauseMaxNs', label: 'max pause', unit: 'ns', lowerIsBetter: true },
  { key: 'gcCpuFraction', label: 'GC CPU', unit: 'fraction', lowerIsBetter: true },
  { key: 'peakHeapBytes', label: 'peak heap', unit: 'bytes', lowerIsBetter: true },
  { key: 'meanHeapBytes', label: 'mean heap (h1)', unit: 'bytes', lowerIsBetter: true },
  { key: 'poolHitRate', label: 'pool hit rate', unit: 'fraction', lowerIsBetter: false },
  { key: 'leakedBytes', label: 'leaked', unit: 'bytes', lowerIsBetter: true },
];

export function compareFigures(
  cycles: readonly CycleRecord[],
  samples: readonly HeapSample[] = [],
): CompareFigures {
  const windows = cycles.flatMap((c) => c.pauses.map((p) => p.durationNs)).sort((a, b) => a - b);
  const last = cycles.reduce<CycleRecord | undefined>((l, c) => (!l || c.seq > l.seq ? c : l), undefined);
  const rank = (p: number) => (windows.length === 0 ? null : percentile(windows, p));
  let gets = 0;
  let misses = 0;
  for (const c of cycles) {
    if (c.poolGets === null || c.poolMisses === null) continue;
    gets += c.poolGets;
    misses += c.poolMisses;
  }
  const any = cycles.length > 0;
  return {
    cycles: cycles.length,
    pauseTotalNs: cycles.reduce((sum, c) => sum + c.pauseNs, 0),
    pauseP50Ns: rank(50),
    pauseP95Ns: rank(95),
    pauseP99Ns: rank(99),
    pauseMaxNs: windows.at(-1) ?? null,
    gcCpuFraction: last?.gcCpuFraction ?? null,
    peakHeapBytes: any || samples.length > 0 ? peakHeapBytes(cycles, samples) : null,
    meanHeapBytes: any ? cycles.reduce((sum, c) => sum + c.heapEndBytes, 0) / cycles.length : null,
    poolHitRate: gets > 0 ? (gets - misses) / gets : null,
    leakedBytes: last?.leakedBytes ?? null,
  };
}

export interface CompareDelta {
  /** value − baseline, in the row's unit (a fraction's difference is a fraction: 0.01 = 1 point). */
  difference: number;
  /** difference / baseline; null when the baseline is 0. */
  relative: number | null;
  verdict: 'better' | 'worse' | 'same' | 'unranked';
}

export function compareDelta(
  row: CompareFigureRow,
  value: number | null,
  baseline: number | null,
): CompareDelta | null {
  if (value === null || baseline === null) return null;
  const difference = value - baseline;
  const relative = baseline === 0 ? null : difference / Math.abs(baseline);
  const verdict =
    difference === 0
      ? 'same'
      : row.lowerIsBetter === null
        ? 'unranked'
        : difference < 0 === row.lowerIsBetter
          ? 'better'
          : 'worse';
  return { difference, relative, verdict };
}

export interface ComparedSession {
  id: number;
  name: string;
  source: SessionSource;
  status: SessionStatus;
  collector: string | null;
}

export interface CompareStats {
  baselineId: number;
  sessions: ComparedSession[];
  rows: (CompareFigureRow & {
    /** One per session, in the order given. */
    values: (number | null)[];
    /** One per session; null for the baseline and where either value is missing. */
    deltas: (CompareDelta | null)[];
  })[];
}

export function compareStats(
  sessions: readonly {
    session: ComparedSession;
    cycles: readonly CycleRecord[];
    samples?: readonly HeapSample[];
  }[],
  baselineId: number,
): CompareStats {
  const baseline = sessions.findIndex((s) => s.session.id === baselineId);
  if (baseline < 0) throw new Error(`the baseline ${baselineId} is not among the compared sessions`);
  const figures = sessions.map((s) => compareFigures(s.cycles, s.samples));
  return {
    baselineId,
    sessions: sessions.map((s) => s.session),
    rows: COMPARE_ROWS.map((row) => {
      const values = figures.map((f) => f[row.key]);
      const base = values[baseline] ?? null;
      return {
        ...row,
        values,
        deltas: values.map((v, i) => (i === baseline ? null : compareDelta(row, v, base))),
      };
    }),
  };
}
