/**
 * Chart series from a session reduced on the main side (`sessions.series`), for sessions too long
 * to fetch cycle by cycle. They take the shapes the full-session builders give (HeapSeries,
 * PauseSeries, CycleTotals), so the same charts draw both: a bucket's lowest and highest heap
 * sample become two points at their own times (the sawtooth's envelope, as min-max decimation
 * would draw it), and a cycle bucket stands as its longest pause and its highest marks.
 */
import type { ReducedSeries, SessionTotals } from '../../lib/contract';
import { durationScale, MiB, NS_PER_MS } from './format';
import type { GcSpan, HeapSeries, XY } from './heap';
import type { PausePoint, PauseSeries } from './pause';
import type { CycleTotals } from './totals';

export function reducedHeapSeries(series: ReducedSeries): HeapSeries {
  const allocMiB: XY[] = [];
  for (const b of series.samples) {
    const low = { x: b.minTNs / NS_PER_MS, y: b.minHeapAllocBytes / MiB };
    const high = { x: b.maxTNs / NS_PER_MS, y: b.maxHeapAllocBytes / MiB };
    if (b.samples === 1) allocMiB.push(low);
    else if (b.minTNs <= b.maxTNs) allocMiB.push(low, high);
    else allocMiB.push(high, low);
  }
  const markedMiB: XY[] = [];
  const goalMiB: XY[] = [];
  const triggerMiB: XY[] = [];
  const gcSpans: GcSpan[] = [];
  for (const b of series.cycles) {
    const startMs = b.startNs / NS_PER_MS;
    const endMs = b.endNs / NS_PER_MS;
    markedMiB.push({ x: endMs, y: b.heapMarkedMaxBytes / MiB });
    goalMiB.push({ x: startMs, y: b.heapGoalMaxBytes / MiB });
    triggerMiB.push({ x: startMs, y: b.heapTriggerMaxBytes / MiB });
    gcSpans.push({ seq: b.firstSeq, startMs, endMs, trigger: b.nonHeapTriggers > 0 ? 'forced' : 'heap' });
  }
  const endMs = series.endNs / NS_PER_MS;
  const last = series.cycles.at(-1);
  if (last) {
    // The last values hold to the end of the range, as the full-session builder draws them.
    if (endMs > last.endNs / NS_PER_MS) markedMiB.push({ x: endMs, y: last.heapMarkedMaxBytes / MiB });
    goalMiB.push({ x: endMs, y: last.heapGoalMaxBytes / MiB });
    triggerMiB.push({ x: endMs, y: last.heapTriggerMaxBytes / MiB });
  }
  return {
    allocMiB,
    markedMiB,
    goalMiB,
    triggerMiB,
    gcSpans,
    pointCount: allocMiB.length + markedMiB.length + goalMiB.length + triggerMiB.length,
    startMs: series.startNs / NS_PER_MS,
    endMs,
  };
}

/** One point per bucket: its longest pause, at that cycle's start. */
export function reducedPauseSeries(series: ReducedSeries): PauseSeries {
  const maxPauseNs = series.cycles.reduce((max, b) => Math.max(max, b.maxPauseNs), 0);
  const scale = durationScale(maxPauseNs);
  const points: PausePoint[] = series.cycles.map((b) => ({
    x: b.maxPauseStartNs / NS_PER_MS,
    y: b.maxPauseNs / scale.nsPerUnit,
    seq: b.maxPauseSeq,
    pauseNs: b.maxPauseNs,
    trigger: b.maxPauseTrigger,
  }));
  return { points, scale, maxPauseNs };
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : Number.NaN;
}

/** The stats strip's totals from the main side's sums (what `cycleTotals` adds up from records). */
export function totalsFromSums(t: SessionTotals): CycleTotals {
  const gets = t.poolGets ?? 0;
  const hits = t.poolHits ?? 0;
  const victimHits = t.poolHitsVictim ?? 0;
  const pool =
    gets > 0
      ? {
          gets,
          hits,
          victimHits,
          misses: t.poolMisses ?? 0,
          hitRate: share(hits, gets),
          victimShare: share(victimHits, gets),
        }
      : null;
  const heapObjects = t.heapAllocations;
  let alloc: CycleTotals['alloc'] = null;
  if (heapObjects !== null) {
    const heapBytes = t.heapAllocatedBytes ?? 0;
    const stackObjects = t.stackAllocations ?? 0;
    const stackBytes = t.stackAllocatedBytes ?? 0;
    alloc = {
      heapObjects,
      heapBytes,
      stackObjects,
      stackBytes,
      heapObjectShare: share(heapObjects, heapObjects + stackObjects),
      heapByteShare: share(heapBytes, heapBytes + stackBytes),
    };
  }
  return { pool, alloc, peakStackInUseBytes: t.peakStackInUseBytes };
}
