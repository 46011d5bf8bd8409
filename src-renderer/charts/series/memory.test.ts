import { describe, expect, it } from 'vitest';
import { cycleRecord } from '../../test-support/records';
import { hasMemoryData, memorySeries, wasteBytes } from './memory';

const KiB = 1024;
const MiB = 1024 * KiB;

const cycle = cycleRecord({
  startNs: 9e6,
  sweepTermNs: 0,
  markNs: 1e6,
  markTermNs: 0,
  heapInUseBytes: 8 * MiB,
  heapIdleBytes: 6 * MiB,
  heapReleasedBytes: 2 * MiB,
  tailWasteBytes: 256 * KiB,
  internalWasteBytes: 768 * KiB,
});

describe('hasMemoryData', () => {
  it('is false when no cycle knows its in-use heap (an imported log)', () => {
    expect(hasMemoryData([cycleRecord({ heapInUseBytes: null })])).toBe(false);
  });
});

describe('memorySeries', () => {
  it('stacks in use less waste, both wastes, idle still held and released to heap in use plus idle', () => {
    const series = memorySeries([cycle]);

    expect(series.scale.unit).toBe('MiB');
    expect(series.inUseLessWaste).toEqual([{ x: 10, y: 7 }]);
    expect(series.internalWaste).toEqual([{ x: 10, y: 0.75 }]);
    expect(series.tailWaste).toEqual([{ x: 10, y: 0.25 }]);
    expect(series.idleRetained).toEqual([{ x: 10, y: 4 }]);
    expect(series.released).toEqual([{ x: 10, y: 2 }]);
  });

  it('gives the waste as a percentage of heap in use', () => {
    expect(memorySeries([cycle]).wastePct).toEqual([{ x: 10, y: 12.5 }]);
    expect(wasteBytes(memorySeries([cycle]).details[0]!)).toBe(1 * MiB);
  });

  it('leaves gaps where the in-use heap is unknown, and no waste percentage for an empty heap', () => {
    const series = memorySeries([
      cycleRecord({ seq: 1, startNs: 1e6, heapInUseBytes: null }),
      cycleRecord({ seq: 2, startNs: 5e6, heapInUseBytes: 0, heapIdleBytes: 4 * MiB }),
    ]);

    expect(series.inUseLessWaste.map((p) => p.y)).toEqual([Number.NaN, 0]);
    expect(series.wastePct.map((p) => p.y)).toEqual([Number.NaN, Number.NaN]);
  });

  it('counts one point per cycle in each of its six series', () => {
    expect(memorySeries([cycle, { ...cycle, seq: 2, startNs: 20e6 }]).pointCount).toBe(12);
  });
});
