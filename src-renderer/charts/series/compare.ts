import type { CycleRecord, HeapSample } from '../../lib/contract';
import { durationScale, MiB, NS_PER_MS, type DurationScale } from './format';
import { sortedBy, type XY } from './heap';

/** Which HeapSample field the overlaid sawtooth shows. */
export type HeapMetric = 'alloc' | 'inUse';

export const HEAP_METRICS: readonly { name: HeapMetric; title: string; description: string }[] = [
  { name: 'alloc', title: 'Heap allocated', description: 'live and not yet swept objects (HeapAlloc)' },
  { name: 'inUse', title: 'Heap in use', description: 'bytes in in-use spans (HeapInuse)' },
];

export interface CompareInput {
  /** Legend text: the session's name and collector. */
  label: string;
  samples: readonly HeapSample[];
  cycles: readonly CycleRecord[];
}

export interface PauseXY extends XY {
  seq: number;
  pauseNs: number;
}

export interface CompareSeries {
  /** One line per session, x in ms of virtual time, y in MiB, sorted by x. */
  heap: { label: string; points: XY[] }[];
  /** One point per cycle per session at the cycle's start, y in `pauseScale.unit`. */
  pauses: { label: string; points: PauseXY[] }[];
  pauseScale: DurationScale;
  /** The longest session's end: every session is drawn on the same time axis. */
  endMs: number;
  heapPointCount: number;
  pausePointCount: number;
}

/** Shapes several sessions for the overlaid heap and pause charts, in the order given. */
export function compareSeries(sessions: readonly CompareInput[], metric: HeapMetric): CompareSeries {
  const maxPauseNs = sessions.reduce((max, s) => s.cycles.reduce((m, c) => Math.max(m, c.pauseNs), max), 0);
  const pauseScale = durationScale(maxPauseNs);
  let endMs = 0;

  const heap = sessions.map(({ label, samples }) => {
    const points = sortedBy(samples, (s) => s.tNs).map((s) => ({
      x: s.tNs / NS_PER_MS,
      y: (metric === 'alloc' ? s.heapAllocBytes : s.heapInUseBytes) / MiB,
    }));
    endMs = Math.max(endMs, points.at(-1)?.x ?? 0);
    return { label, points };
  });

  const pauses = sessions.map(({ label, cycles }) => {
    const points = sortedBy(cycles, (c) => c.startNs).map((c) => ({
      x: c.startNs / NS_PER_MS,
      y: c.pauseNs / pauseScale.nsPerUnit,
      seq: c.seq,
      pauseNs: c.pauseNs,
    }));
    const last = cycles.reduce(
      (max, c) => Math.max(max, (c.startNs + c.sweepTermNs + c.markNs + c.markTermNs) / NS_PER_MS),
      0,
    );
    endMs = Math.max(endMs, last);
    return { label, points };
  });

  return {
    heap,
    pauses,
    pauseScale,
    endMs,
    heapPointCount: heap.reduce((sum, s) => sum + s.points.length, 0),
    pausePointCount: pauses.reduce((sum, s) => sum + s.points.length, 0),
  };
}
