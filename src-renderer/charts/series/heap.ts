import type { CycleRecord, CycleTrigger, HeapSample } from '../../lib/contract';
import { MiB, NS_PER_MS } from './format';

/** A chart point in chart units: x in milliseconds since the session's start, y in MiB. */
export interface XY {
  x: number;
  y: number;
}

/** The interval of one GC cycle, from sweep termination to the end of mark termination. */
export interface GcSpan {
  seq: number;
  startMs: number;
  endMs: number;
  trigger: CycleTrigger;
}

export interface HeapSeries {
  /** Heap allocated (live + not yet swept) from the samples: the sawtooth. */
  allocMiB: XY[];
  /** Bytes marked live by each cycle, holding from that cycle's end to the next one's. */
  markedMiB: XY[];
  /** The goal each cycle was paced against, holding from the previous cycle's end to its own. */
  goalMiB: XY[];
  /** The heapLive value whose crossing started each cycle, over the same interval as its goal. */
  triggerMiB: XY[];
  gcSpans: GcSpan[];
  /** Points handed to the chart, summed over the line series (not the GC span markers). */
  pointCount: number;
  /** Where the x axis starts: 0 for a whole session, later for a zoomed range. */
  startMs?: number;
  endMs: number;
}

export function cycleEndNs(cycle: CycleRecord): number {
  return cycle.startNs + cycle.sweepTermNs + cycle.markNs + cycle.markTermNs;
}

export function sortedBy<T>(items: readonly T[], key: (item: T) => number): readonly T[] {
  for (let i = 1; i < items.length; i++) {
    if (key(items[i] as T) < key(items[i - 1] as T)) return [...items].sort((a, b) => key(a) - key(b));
  }
  return items;
}

/**
 * Shapes a session's samples and cycles for the heap chart. Step series are meant to be drawn with
 * Chart.js `stepped: 'before'` (each point's value holds until the next point's x), and each ends
 * with an extra point so the last value reaches the end of the session. Inputs may be unsorted;
 * the output is sorted by x as the decimation plugin requires.
 */
export function heapSeries(samples: readonly HeapSample[], cycles: readonly CycleRecord[]): HeapSeries {
  const orderedSamples = sortedBy(samples, (s) => s.tNs);
  const orderedCycles = sortedBy(cycles, (c) => c.startNs);

  const allocMiB = orderedSamples.map((s) => ({ x: s.tNs / NS_PER_MS, y: s.heapAllocBytes / MiB }));

  const gcSpans: GcSpan[] = orderedCycles.map((c) => ({
    seq: c.seq,
    startMs: c.startNs / NS_PER_MS,
    endMs: cycleEndNs(c) / NS_PER_MS,
    trigger: c.trigger,
  }));

  const lastSampleMs = allocMiB.at(-1)?.x ?? 0;
  const lastCycleEndMs = gcSpans.reduce((max, span) => Math.max(max, span.endMs), 0);
  const endMs = Math.max(lastSampleMs, lastCycleEndMs);

  const markedMiB: XY[] = [];
  const goalMiB: XY[] = [];
  const triggerMiB: XY[] = [];
  let previousEndMs = 0;
  orderedCycles.forEach((cycle, i) => {
    const endOfCycleMs = (gcSpans[i] as GcSpan).endMs;
    markedMiB.push({ x: endOfCycleMs, y: cycle.heapMarkedBytes / MiB });
    goalMiB.push({ x: previousEndMs, y: cycle.heapGoalBytes / MiB });
    triggerMiB.push({ x: previousEndMs, y: cycle.heapTriggerBytes / MiB });
    previousEndMs = endOfCycleMs;
  });

  const lastCycle = orderedCycles.at(-1);
  if (lastCycle) {
    if (endMs > previousEndMs) markedMiB.push({ x: endMs, y: lastCycle.heapMarkedBytes / MiB });
    goalMiB.push({ x: previousEndMs, y: lastCycle.heapGoalBytes / MiB });
    triggerMiB.push({ x: previousEndMs, y: lastCycle.heapTriggerBytes / MiB });
  }

  return {
    allocMiB,
    markedMiB,
    goalMiB,
    triggerMiB,
    gcSpans,
    pointCount: allocMiB.length + markedMiB.length + goalMiB.length + triggerMiB.length,
    endMs,
  };
}
