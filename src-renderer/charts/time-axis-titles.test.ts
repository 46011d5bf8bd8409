import { describe, expect, it } from 'vitest';
import { cycleRecord, heapSample, importedCycleRecord } from '../test-support/records';
import { compareHeapConfig, comparePauseConfig, comparePercentConfig } from './compare-charts';
import { gcCpuChartConfig } from './gc-cpu-chart';
import { heapChartConfig } from './heap-chart';
import type { ChartPalette } from './palette';
import { pauseChartConfig } from './pause-chart';
import { phaseTimelineConfig } from './phase-timeline-chart';
import { rootsChartConfig } from './roots-chart';
import { compareSeries, type CompareInput } from './series/compare';
import { gcCpuSeries } from './series/gc-cpu';
import { heapSeries } from './series/heap';
import { pauseSeries } from './series/pause';
import { phaseTimeline } from './series/phases';
import { rootsSeries } from './series/roots';

/** Every colour the same: these tests read axis titles, not colours. */
const palette = new Proxy({}, { get: () => '#888' }) as ChartPalette;

function xTitle(config: { options?: unknown }): unknown {
  return (config.options as { scales: { x: { title: { text: unknown } } } }).scales.x.title.text;
}

const cycles = [
  importedCycleRecord({ seq: 1, startNs: 5_000_000 }),
  importedCycleRecord({ seq: 2, startNs: 9_000_000 }),
];

describe("a session's time charts", () => {
  it('title their x axis with the name they are given', () => {
    const heap = heapSeries([heapSample(1_000_000, 1_048_576)], cycles);
    const timeline = phaseTimeline(cycles, 0);

    expect(xTitle(heapChartConfig(heap, palette, 'program time'))).toBe('program time (ms)');
    expect(xTitle(pauseChartConfig(pauseSeries(cycles), palette, 'program time', heap.endMs))).toBe(
      'cycle start, program time (ms)',
    );
    expect(timeline).not.toBeNull();
    expect(xTitle(phaseTimelineConfig(timeline!, palette, 'program time'))).toBe('program time (ms)');
    expect(xTitle(gcCpuChartConfig(gcCpuSeries(cycles), palette, 'virtual time'))).toBe('virtual time (ms)');
    expect(xTitle(rootsChartConfig(rootsSeries(cycles), palette, 'program time'))).toBe(
      'cycle end, program time (ms)',
    );
  });
});

describe('the compare charts', () => {
  const simulated: CompareInput = {
    label: 'sim',
    source: 'simulation',
    samples: [heapSample(1_000_000, 1_048_576)],
    cycles: [cycleRecord({ seq: 1, startNs: 2_000_000 })],
  };
  const imported: CompareInput = { ...simulated, label: 'trace', source: 'gctrace', cycles };

  it('name the shared clock when every session is on it', () => {
    const series = compareSeries([imported, { ...imported, source: 'attach' }], 'alloc', 'time');

    expect(xTitle(compareHeapConfig(series, palette, 'light'))).toBe('program time (ms)');
    expect(xTitle(comparePauseConfig(series, palette, 'light'))).toBe('cycle start, program time (ms)');
  });

  it('say only "time since start" when simulated and real sessions are mixed', () => {
    const series = compareSeries([simulated, imported], 'alloc', 'time');

    expect(series.timeAxis).toBe('time since start');
    expect(xTitle(compareHeapConfig(series, palette, 'light'))).toBe('time since start (ms)');
    expect(xTitle(comparePercentConfig(series.gcCpu, series, 'GC CPU (%)', palette, 'light'))).toBe(
      'cycle end, time since start (ms)',
    );
  });

  it('count cycles, not time, when aligned by cycle number', () => {
    const series = compareSeries([simulated, imported], 'alloc', 'cycle');

    expect(xTitle(compareHeapConfig(series, palette, 'light'))).toBe('GC cycle');
  });
});
