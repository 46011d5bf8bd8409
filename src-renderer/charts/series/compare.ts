import type { CycleRecord, HeapSample, SessionSource } from '../../lib/contract';
import { durationScale, MiB, NS_PER_MS, type DurationScale } from './format';
import { cycleEndNs, sortedBy, type XY } from './heap';
import { sharedTimeAxisName, type TimeAxisName } from '../../lib/time-axis';

/**
 * The compare view's overlaid charts: one line (or dot series) per session on shared axes, x either
 * the time since each session's start, on its own clock, or the cycle number. Every chart keeps one
 * series per session, in the order given, so a session has the same colour in each; a session
 * without the chart's figure gets an empty series and a line in `missing` saying why.
 */

/** What the heap chart shows: two figures sampled between cycles, two set once per cycle. */
export type HeapMetric = 'alloc' | 'inUse' | 'live' | 'goal';

export const HEAP_METRICS: readonly { name: HeapMetric; title: string; description: string }[] = [
  { name: 'alloc', title: 'Heap allocated', description: 'live and not yet swept objects (HeapAlloc)' },
  { name: 'inUse', title: 'Heap in use', description: 'bytes in in-use spans (HeapInuse)' },
  { name: 'live', title: 'Live heap', description: 'bytes each cycle marked reachable (gctrace h2)' },
  { name: 'goal', title: 'Heap goal', description: 'the goal each cycle was paced against' },
];

/** x of every chart: ms since each session's start, or the cycle number (samples between get fractions). */
export type CompareAlign = 'time' | 'cycle';

export interface CompareInput {
  /** Legend text: the session's name and collector. */
  label: string;
  source: SessionSource;
  samples: readonly HeapSample[];
  cycles: readonly CycleRecord[];
}

export interface CycleXY extends XY {
  seq: number;
}

export interface PauseXY extends CycleXY {
  pauseNs: number;
}

/** A session the chart has nothing for, and why. */
export interface MissingFigure {
  label: string;
  reason: string;
}

export interface CompareChart<P extends XY> {
  lines: { label: string; points: P[] }[];
  pointCount: number;
  missing: MissingFigure[];
}

export interface CompareSeries {
  align: CompareAlign;
  /** What the time axis is called: the sessions' common clock, or "time since start" when they differ. */
  timeAxis: TimeAxisName;
  /** The largest x of any session: every session is drawn on the same axis. */
  endX: number;
  /** Heap in MiB. */
  heap: CompareChart<XY>;
  /** One point per cycle, y in `pauseScale.unit`. */
  pauses: CompareChart<PauseXY>;
  pauseScale: DurationScale;
  /** GC CPU over each interval between cycle ends, in % of the machine. */
  gcCpu: CompareChart<CycleXY>;
  /** sync.Pool Gets served without New per cycle interval, in %. */
  poolHitRate: CompareChart<CycleXY>;
}

const NO_CYCLES = 'no GC cycles recorded';

function chart<P extends XY>(
  sessions: readonly CompareInput[],
  pointsOf: (session: CompareInput) => P[] | string,
): CompareChart<P> {
  const missing: MissingFigure[] = [];
  const lines = sessions.map((session) => {
    const points = pointsOf(session);
    if (typeof points === 'string') {
      missing.push({ label: session.label, reason: points });
      return { label: session.label, points: [] };
    }
    return { label: session.label, points };
  });
  return { lines, missing, pointCount: lines.reduce((sum, l) => sum + l.points.length, 0) };
}

/**
 * Where `tNs` falls on a cycle-number axis: cycle N starts at x = N, and a time between two starts
 * is placed linearly between them. Before the first cycle the axis runs from x = first seq − 1 at
 * t = 0; after the last it goes on at the last interval's pace.
 */
export function cyclePosition(startsBySeq: readonly { seq: number; startNs: number }[], tNs: number): number {
  const first = startsBySeq[0];
  if (first === undefined) return 0;
  if (tNs < first.startNs) return first.seq - 1 + (first.startNs > 0 ? tNs / first.startNs : 0);
  let low = 0;
  let high = startsBySeq.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if ((startsBySeq[mid] as { startNs: number }).startNs <= tNs) low = mid;
    else high = mid - 1;
  }
  const at = startsBySeq[low] as { seq: number; startNs: number };
  const next = startsBySeq[low + 1];
  const previous = startsBySeq[low - 1];
  const periodNs = next
    ? next.startNs - at.startNs
    : previous
      ? at.startNs - previous.startNs
      : at.startNs > 0
        ? at.startNs
        : 0;
  return periodNs > 0 ? at.seq + (tNs - at.startNs) / periodNs : at.seq;
}

function heapPoints(session: CompareInput, metric: HeapMetric, align: CompareAlign): XY[] | string {
  const cycles = sortedBy(session.cycles, (c) => c.seq);
  if (metric === 'alloc' || metric === 'inUse') {
    if (session.samples.length === 0) return 'no heap samples recorded';
    const starts = sortedBy(session.cycles, (c) => c.startNs);
    return sortedBy(session.samples, (s) => s.tNs).map((s) => ({
      x: align === 'time' ? s.tNs / NS_PER_MS : cyclePosition(starts, s.tNs),
      y: (metric === 'alloc' ? s.heapAllocBytes : s.heapInUseBytes) / MiB,
    }));
  }
  if (cycles.length === 0) return NO_CYCLES;
  const x = (c: CycleRecord) => (align === 'time' ? cycleEndNs(c) / NS_PER_MS : c.seq);
  if (metric === 'live') return cycles.map((c) => ({ x: x(c), y: c.heapMarkedBytes / MiB }));
  // GOGC=off without a limit: the pacer's goal is Infinity, an imported "~2^44 MB" is stored as 0.
  const paced = cycles.filter((c) => Number.isFinite(c.heapGoalBytes) && c.heapGoalBytes > 0);
  if (paced.length === 0) return 'no heap goal (GOGC=off without a memory limit)';
  return paced.map((c) => ({ x: x(c), y: c.heapGoalBytes / MiB }));
}

function poolPoints(session: CompareInput, align: CompareAlign): CycleXY[] | string {
  if (session.source === 'gctrace') return 'imported gctrace traces have no sync.Pool counters';
  if (session.source === 'attach') return 'attached sessions have no sync.Pool counters';
  if (session.cycles.length === 0) return NO_CYCLES;
  const points = sortedBy(session.cycles, (c) => c.seq).flatMap((c) =>
    c.poolGets !== null && c.poolMisses !== null && c.poolGets > 0
      ? [
          {
            x: align === 'time' ? cycleEndNs(c) / NS_PER_MS : c.seq,
            y: ((c.poolGets - c.poolMisses) / c.poolGets) * 100,
            seq: c.seq,
          },
        ]
      : [],
  );
  return points.length > 0 ? points : 'its scenario never called sync.Pool Get';
}

/**
 * GC CPU of each interval between cycle ends over the interval × GOMAXPROCS: stop-the-world time
 * stops every P, and gctrace's assist / background / idle split is the concurrent mark's.
 */
function gcCpuPoints(session: CompareInput, align: CompareAlign): CycleXY[] | string {
  if (session.cycles.length === 0) return NO_CYCLES;
  let previousEndNs = 0;
  return sortedBy(session.cycles, (c) => c.seq).flatMap((c) => {
    const endNs = cycleEndNs(c);
    const capacityCpuNs = (endNs - previousEndNs) * c.procs;
    previousEndNs = endNs;
    if (capacityCpuNs <= 0) return [];
    const gcCpuNs = c.pauseNs * c.procs + c.assistCpuNs + c.backgroundCpuNs + c.idleCpuNs;
    return [
      { x: align === 'time' ? endNs / NS_PER_MS : c.seq, y: (gcCpuNs / capacityCpuNs) * 100, seq: c.seq },
    ];
  });
}

/** Shapes several sessions for the overlaid charts, in the order given. */
export function compareSeries(
  sessions: readonly CompareInput[],
  metric: HeapMetric,
  align: CompareAlign = 'time',
): CompareSeries {
  const maxPauseNs = sessions.reduce((max, s) => s.cycles.reduce((m, c) => Math.max(m, c.pauseNs), max), 0);
  const pauseScale = durationScale(maxPauseNs);

  const heap = chart(sessions, (s) => heapPoints(s, metric, align));
  const pauses = chart(sessions, (s): PauseXY[] | string =>
    s.cycles.length === 0
      ? NO_CYCLES
      : sortedBy(s.cycles, (c) => (align === 'time' ? c.startNs : c.seq)).map((c) => ({
          x: align === 'time' ? c.startNs / NS_PER_MS : c.seq,
          y: c.pauseNs / pauseScale.nsPerUnit,
          seq: c.seq,
          pauseNs: c.pauseNs,
        })),
  );
  const gcCpu = chart(sessions, (s) => gcCpuPoints(s, align));
  const poolHitRate = chart(sessions, (s) => poolPoints(s, align));

  let endX = 0;
  for (const s of sessions) {
    for (const c of s.cycles) endX = Math.max(endX, align === 'time' ? cycleEndNs(c) / NS_PER_MS : c.seq);
  }
  for (const line of heap.lines) endX = Math.max(endX, line.points.at(-1)?.x ?? 0);

  const timeAxis = sharedTimeAxisName(sessions.map((s) => s.source));
  return { align, timeAxis, endX, heap, pauses, pauseScale, gcCpu, poolHitRate };
}
