import type { CycleRecord } from '../../lib/contract';
import {
  cycleBuckets,
  lastEndMs,
  cyclesPerBucket,
  endOfCyclePoints,
  MAX_CYCLE_BUCKETS,
  orNaN,
  spanOf,
  sumOf,
  type CycleBucket,
  type CycleSpan,
} from './cycles';
import { byteScale, type ByteScale } from './format';
import type { XY } from './heap';

/**
 * GC roots besides the heap at the end of a chart point's last cycle, and the stack growth and
 * shrinking counted over its cycles' intervals. Null where the source did not record it.
 */
export interface RootsDetail extends CycleSpan {
  /** Σ stack sizes (hi − lo): what the goroutines hold. */
  stackInUseBytes: number | null;
  /** Σ scanned stack (hi − sp): what the heap goal counted. */
  stacksBytes: number;
  globalsBytes: number;
  stackGrowths: number | null;
  stackShrinks: number | null;
  stackCopiedBytes: number | null;
}

/** One point per chart point at its last cycle's end, in `scale` units. */
export interface RootsSeries {
  /** Empty when the source did not record stack sizes. */
  stackInUse: XY[];
  stacksScanned: XY[];
  globals: XY[];
  scale: ByteScale;
  /** Point i of a series belongs to `details[i]`. */
  details: RootsDetail[];
  /** The last cycle's end: where the chart's time axis stops. */
  endMs: number;
  cyclesPerPoint: number;
  pointCount: number;
}

/** Whether there is anything to draw: an imported log before Go 1.18 prints no stacks or globals. */
export function hasRootsData(cycles: readonly CycleRecord[]): boolean {
  return cycles.some((c) => c.stackInUseBytes !== null || c.stacksBytes > 0 || c.globalsBytes > 0);
}

function rootsDetail(bucket: CycleBucket): RootsDetail {
  return {
    ...spanOf(bucket),
    stackInUseBytes: bucket.last.stackInUseBytes,
    stacksBytes: bucket.last.stacksBytes,
    globalsBytes: bucket.last.globalsBytes,
    stackGrowths: sumOf(bucket.cycles, 'stackGrowths'),
    stackShrinks: sumOf(bucket.cycles, 'stackShrinks'),
    stackCopiedBytes: sumOf(bucket.cycles, 'stackCopiedBytes'),
  };
}

export function rootsSeries(
  cycles: readonly CycleRecord[],
  maxBuckets = MAX_CYCLE_BUCKETS,
  originNs = 0,
): RootsSeries {
  const buckets = cycleBuckets(cycles, maxBuckets, originNs);
  const details = buckets.map(rootsDetail);
  const maxBytes = details.reduce(
    (max, d) => Math.max(max, d.stackInUseBytes ?? 0, d.stacksBytes, d.globalsBytes),
    0,
  );
  const scale = byteScale(maxBytes);
  const inScale = (bytes: number | null) => orNaN(bytes) / scale.bytesPerUnit;

  const stackInUse = details.some((d) => d.stackInUseBytes !== null)
    ? endOfCyclePoints(details, (d) => inScale(d.stackInUseBytes))
    : [];
  const stacksScanned = endOfCyclePoints(details, (d) => inScale(d.stacksBytes));
  const globals = endOfCyclePoints(details, (d) => inScale(d.globalsBytes));
  return {
    stackInUse,
    stacksScanned,
    globals,
    scale,
    details,
    cyclesPerPoint: cyclesPerBucket(buckets),
    endMs: lastEndMs(details),
    pointCount: stackInUse.length + stacksScanned.length + globals.length,
  };
}
