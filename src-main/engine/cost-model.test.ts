import { testCollectorContext } from './testing/context';
import { describe, expect, it } from 'vitest';
import { MarkSweepCollector } from './collectors/mark-sweep';
import {
  DEFAULT_COST_MODEL,
  largeAllocNs,
  markNs,
  poolGetNs,
  smallAllocNs,
  stackCopyNs,
  sweepNs,
  tinyAllocNs,
} from './cost-model';
import { Heap, POINTER_BYTES } from './heap';
import { Roots } from './roots';

const MiB = 1 << 20;

/** A `churn`-like heap: `liveBytes` of 1 KiB noscan objects in a global ring, plus as much garbage. */
function churnHeap(liveBytes: number) {
  const heap = new Heap(2);
  const roots = new Roots(4, 8192);
  const collector = new MarkSweepCollector(testCollectorContext(heap, roots));
  const slots = liveBytes / 1024;
  const ring = heap.malloc(slots * POINTER_BYTES, slots, 0, 0);
  collector.writeRoot(roots.addGlobal(), ring);
  for (let i = 0; i < slots * 2; i++) {
    const object = heap.malloc(1024, 0, i % 2, 0);
    if (i % 2 === 0) collector.writePointer(ring, i / 2, object);
  }
  return collector;
}

describe('cost model', () => {
  it('gives a stop-the-world pause of 0.1–2 ms for a 16 MiB live heap of 1 KiB objects', () => {
    const collector = churnHeap(16 * MiB);

    const result = collector.startCycle({ startNs: 0, trigger: 'heap' }).finished!;

    expect(result.pauseNs).toBeGreaterThanOrEqual(100_000);
    expect(result.pauseNs).toBeLessThanOrEqual(2_000_000);
  });

  it('marks 16 MiB of 1 KiB objects in about the 0.5 ms Go 1.19 needs for ~17 MB (within 2×)', () => {
    const collector = churnHeap(16 * MiB);

    const result = collector.startCycle({ startNs: 0, trigger: 'heap' }).finished!;

    expect(result.markNs).toBeGreaterThanOrEqual(250_000);
    expect(result.markNs).toBeLessThanOrEqual(1_000_000);
  });

  it('scans data+bss through its pointer mask, far cheaper per byte than a stack frame by frame', () => {
    // Go 1.19.8's churn binary: 223 504 B of data+bss in every cycle's scan work. Scanned at a
    // stack's rate it would cost 56 µs, a tenth of a whole mark; through its mask, ≈ 3.5 µs.
    const work = {
      rootJobs: 0,
      stackScanBytes: 0,
      globalsScanBytes: 0,
      heapScanBytes: 0,
      pointersFollowed: 0,
      objectsMarked: 0,
    };
    const globalsNs = markNs(DEFAULT_COST_MODEL, { ...work, globalsScanBytes: 223_504 });
    const stackNs = markNs(DEFAULT_COST_MODEL, { ...work, stackScanBytes: 223_504 });

    expect(globalsNs).toBeLessThan(5_000);
    expect(stackNs).toBeGreaterThan(10 * globalsNs);
  });

  it('scales the pause with the live heap', () => {
    const small = churnHeap(4 * MiB).startCycle({ startNs: 0, trigger: 'heap' }).finished!;
    const large = churnHeap(16 * MiB).startCycle({ startNs: 0, trigger: 'heap' }).finished!;

    expect(large.pauseNs / small.pauseNs).toBeGreaterThan(3);
    expect(large.pauseNs / small.pauseNs).toBeLessThan(5);
  });

  it('charges the mutator more for a refill and for zeroing bigger slots', () => {
    expect(smallAllocNs(DEFAULT_COST_MODEL, 1024, true)).toBeGreaterThan(
      smallAllocNs(DEFAULT_COST_MODEL, 1024, false),
    );
    expect(smallAllocNs(DEFAULT_COST_MODEL, 2048, false)).toBeGreaterThan(
      smallAllocNs(DEFAULT_COST_MODEL, 1024, false),
    );
    expect(largeAllocNs(DEFAULT_COST_MODEL, 40_960)).toBeGreaterThan(
      smallAllocNs(DEFAULT_COST_MODEL, 32_768, true),
    );
  });

  it('returns whole nanoseconds', () => {
    const work = {
      rootJobs: 3,
      stackScanBytes: 1001,
      globalsScanBytes: 40,
      heapScanBytes: 77,
      pointersFollowed: 5,
      objectsMarked: 5,
    };

    expect(Number.isInteger(markNs(DEFAULT_COST_MODEL, work))).toBe(true);
    expect(Number.isInteger(sweepNs(DEFAULT_COST_MODEL, 7))).toBe(true);
    expect(Number.isInteger(smallAllocNs(DEFAULT_COST_MODEL, 24, false))).toBe(true);
  });

  it('makes the tiny path and a pool hit cheaper than a fresh allocation of the same object', () => {
    expect(tinyAllocNs(DEFAULT_COST_MODEL)).toBeLessThan(smallAllocNs(DEFAULT_COST_MODEL, 16, false));
    expect(poolGetNs(DEFAULT_COST_MODEL, 0)).toBeLessThan(smallAllocNs(DEFAULT_COST_MODEL, 4096, false));
    expect(poolGetNs(DEFAULT_COST_MODEL, 3)).toBeGreaterThan(poolGetNs(DEFAULT_COST_MODEL, 0));
  });

  it('charges stack growth per doubling and per byte copied: a 2 → 16 KiB growth costs a few µs', () => {
    const ns = stackCopyNs(DEFAULT_COST_MODEL, 3, 512 + 3168 + 7264);

    expect(ns).toBeGreaterThan(stackCopyNs(DEFAULT_COST_MODEL, 3, 0));
    expect(ns).toBeGreaterThanOrEqual(3000);
    expect(ns).toBeLessThanOrEqual(10_000);
  });

  it('adds stack shrinking to the mark phase', () => {
    const work = {
      rootJobs: 1,
      stackScanBytes: 0,
      globalsScanBytes: 0,
      heapScanBytes: 0,
      pointersFollowed: 0,
      objectsMarked: 0,
    };

    expect(markNs(DEFAULT_COST_MODEL, { ...work, stackShrinks: 2, stackShrinkCopiedBytes: 4096 })).toBe(
      markNs(DEFAULT_COST_MODEL, work) + stackCopyNs(DEFAULT_COST_MODEL, 2, 4096),
    );
  });
});
