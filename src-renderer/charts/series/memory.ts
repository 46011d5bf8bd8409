import type { CycleRecord } from '../../lib/contract';
import {
  cycleBuckets,
  lastEndMs,
  cyclesPerBucket,
  endOfCyclePoints,
  MAX_CYCLE_BUCKETS,
  spanOf,
  type CycleBucket,
  type CycleSpan,
} from './cycles';
import { byteScale, type ByteScale } from './format';
import type { XY } from './heap';

/** The heap's pages at the end of a chart point's last cycle (after its sweep), as MemStats names them. */
export interface MemoryDetail extends CycleSpan {
  /** Bytes in in-use spans: objects, free slots and waste. */
  heapInUseBytes: number | null;
  /** Bytes of free pages, released ones included. */
  heapIdleBytes: number | null;
  /** Free pages returned to the OS. */
  heapReleasedBytes: number | null;
  /** Span bytes past the last slot of each in-use small span. */
  tailWasteBytes: number | null;
  /** Slot bytes objects did not ask for (size-class rounding). */
  internalWasteBytes: number | null;
  /** Tail waste plus free slots in in-use spans. */
  fragmentationBytes: number | null;
}

/**
 * Layers that stack, in `scale` units, to the heap's mapped pages at each cycle end: in-use spans
 * less their waste, internal waste, tail waste (the three make heap in use), idle pages still held,
 * and pages released to the OS (the two make heap idle). `wastePct` is the waste as a percentage
 * of heap in use, for a second axis: a few KiB of waste vanishes in a stack of MiB.
 */
export interface MemorySeries {
  inUseLessWaste: XY[];
  internalWaste: XY[];
  tailWaste: XY[];
  idleRetained: XY[];
  released: XY[];
  wastePct: XY[];
  scale: ByteScale;
  /** Point i of a series belongs to `details[i]`. */
  details: MemoryDetail[];
  /** The last cycle's end: where the chart's time axis stops. */
  endMs: number;
  cyclesPerPoint: number;
  pointCount: number;
}

export function hasMemoryData(cycles: readonly CycleRecord[]): boolean {
  return cycles.some((c) => c.heapInUseBytes !== null);
}

/** Tail plus internal waste; null when the in-use heap is unknown. */
export function wasteBytes(detail: MemoryDetail): number | null {
  if (detail.heapInUseBytes === null) return null;
  return (detail.tailWasteBytes ?? 0) + (detail.internalWasteBytes ?? 0);
}

function memoryDetail(bucket: CycleBucket): MemoryDetail {
  const { last } = bucket;
  return {
    ...spanOf(bucket),
    heapInUseBytes: last.heapInUseBytes,
    heapIdleBytes: last.heapIdleBytes,
    heapReleasedBytes: last.heapReleasedBytes,
    tailWasteBytes: last.tailWasteBytes,
    internalWasteBytes: last.internalWasteBytes,
    fragmentationBytes: last.fragmentationBytes,
  };
}

export function memorySeries(
  cycles: readonly CycleRecord[],
  maxBuckets = MAX_CYCLE_BUCKETS,
  originNs = 0,
): MemorySeries {
  const buckets = cycleBuckets(cycles, maxBuckets, originNs);
  const details = buckets.map(memoryDetail);
  const maxBytes = details.reduce(
    (max, d) => Math.max(max, (d.heapInUseBytes ?? 0) + (d.heapIdleBytes ?? 0)),
    0,
  );
  const scale = byteScale(maxBytes);
  // A layer is NaN (a gap) where the in-use heap is unknown, else a clamped byte count in scale units.
  const layer = (bytes: (d: MemoryDetail, inUse: number) => number) =>
    endOfCyclePoints(details, (d) =>
      d.heapInUseBytes === null ? Number.NaN : Math.max(0, bytes(d, d.heapInUseBytes)) / scale.bytesPerUnit,
    );

  const series = {
    inUseLessWaste: layer((d, inUse) => inUse - (wasteBytes(d) ?? 0)),
    internalWaste: layer((d) => d.internalWasteBytes ?? 0),
    tailWaste: layer((d) => d.tailWasteBytes ?? 0),
    idleRetained: layer((d) => (d.heapIdleBytes ?? 0) - (d.heapReleasedBytes ?? 0)),
    released: layer((d) => d.heapReleasedBytes ?? 0),
    wastePct: endOfCyclePoints(details, (d) =>
      d.heapInUseBytes !== null && d.heapInUseBytes > 0
        ? (100 * (wasteBytes(d) ?? 0)) / d.heapInUseBytes
        : Number.NaN,
    ),
  };
  const pointCount = Object.values(series).reduce((total, points) => total + points.length, 0);
  return {
    ...series,
    scale,
    details,
    cyclesPerPoint: cyclesPerBucket(buckets),
    endMs: lastEndMs(details),
    pointCount,
  };
}
