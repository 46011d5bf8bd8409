import { describe, expect, it } from 'vitest';
import { cycleRecord, importedCycleRecord } from '../../test-support/records';
import { barrierSeries, hasAssistData, hasBarrierData, hasRefcountData, refcountSeries } from './collector';

const MS = 1_000_000;

function refcountCycle(seq: number, endMs: number, fields: Partial<Parameters<typeof cycleRecord>[0]>) {
  return cycleRecord({
    seq,
    startNs: endMs * MS,
    sweepTermNs: 0,
    markNs: 0,
    markTermNs: 0,
    pauses: [],
    pauseNs: 0,
    assistRatio: null,
    markUtilization: null,
    writeBarrierHits: null,
    writeBarrierShades: null,
    leakedObjects: 0,
    leakedBytes: 0,
    refcountFrees: 0,
    cascadeMaxObjects: 0,
    cascadeMaxNs: 0,
    ...fields,
  });
}

describe('which collector panels a session gets', () => {
  it('shows none for an imported log', () => {
    const cycles = [importedCycleRecord()];

    expect([hasRefcountData(cycles), hasBarrierData(cycles), hasAssistData(cycles)]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('shows reference counting’s panel only when its fields were recorded', () => {
    expect(hasRefcountData([cycleRecord()])).toBe(false);
    expect(hasRefcountData([refcountCycle(1, 1, {})])).toBe(true);
    expect(hasBarrierData([refcountCycle(1, 1, {})])).toBe(false);
  });

  it('shows the barrier and assist panels for a collector that marks while the program runs', () => {
    expect(hasBarrierData([cycleRecord()])).toBe(true);
    expect(hasAssistData([cycleRecord()])).toBe(true);
  });
});

describe('refcountSeries', () => {
  const cycles = [
    refcountCycle(1, 10, { leakedObjects: 5, leakedBytes: 640, cascadeMaxObjects: 100, cascadeMaxNs: 3000 }),
    refcountCycle(2, 20, { leakedObjects: 9, leakedBytes: 1152, cascadeMaxObjects: 40, cascadeMaxNs: 1500 }),
  ];

  it('shows leaks at each cycle end and the largest cascade of each interval', () => {
    const series = refcountSeries(cycles);

    expect(series.leakedObjects).toEqual([
      { x: 10, y: 5 },
      { x: 20, y: 9 },
    ]);
    expect(series.leakedBytes.map((p) => p.y)).toEqual([640, 1152]);
    expect(series.cascadeMaxObjects.map((p) => p.y)).toEqual([100, 100, 40]);
    expect(series.cascadeMaxUs.map((p) => p.y)).toEqual([3, 3, 1.5]);
  });

  it('keeps the largest cascade, and the last leak, of merged cycles', () => {
    const series = refcountSeries(cycles, 1);

    expect(series.details).toEqual([
      expect.objectContaining({ leakedObjects: 9, cascadeMaxObjects: 100, cascadeMaxNs: 3000 }),
    ]);
  });
});

describe('barrierSeries', () => {
  it('sums barrier hits, shades and assist CPU over each interval and keeps the assist ratio', () => {
    const cycles = [
      cycleRecord({
        seq: 1,
        startNs: 0,
        writeBarrierHits: 10,
        writeBarrierShades: 2,
        assistCpuNs: 2 * MS,
        assistRatio: 0.5,
      }),
      cycleRecord({
        seq: 2,
        startNs: 50 * MS,
        writeBarrierHits: 30,
        writeBarrierShades: 4,
        assistCpuNs: 1 * MS,
        assistRatio: 0.8,
      }),
    ];

    const series = barrierSeries(cycles);
    const merged = barrierSeries(cycles, 1);

    expect(series.hits.map((p) => p.y)).toEqual([10, 10, 30]);
    expect(series.shades.map((p) => p.y)).toEqual([2, 2, 4]);
    expect(series.assistCpuMs.map((p) => p.y)).toEqual([2, 2, 1]);
    expect(series.assistRatio.map((p) => p.y)).toEqual([0.5, 0.5, 0.8]);
    expect(merged.details).toEqual([
      expect.objectContaining({
        writeBarrierHits: 40,
        writeBarrierShades: 6,
        assistCpuNs: 3 * MS,
        assistRatio: 0.8,
      }),
    ]);
  });
});
