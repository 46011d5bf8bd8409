import type { ChartConfiguration, TooltipItem } from 'chart.js';
import {
  CYCLE_CHART_OPTIONS,
  legendOptions,
  pointRadiusFor,
  timeScale,
  tooltipColors,
  valueScale,
} from './common';
import type { ChartPalette } from './palette';
import { cycleEndTitle, intervalTitle, spanIndexOfStep, type CycleSpan, firstFromMs } from './series/cycles';
import type { BarrierDetail, BarrierSeries, RefcountDetail, RefcountSeries } from './series/collector';
import { byteScale, formatBytes, formatCompact, formatCount, formatNs } from './series/format';
import type { XY } from './series/heap';
import { timeAxisTitle, type TimeAxisName } from '../lib/time-axis';

type Item = TooltipItem<'line'>;

interface Line<D> {
  label: string;
  data: XY[];
  color: string;
  axisTitle: string;
  tick?: (value: number) => string;
  describe: (detail: D) => string;
  dashed?: boolean;
}

/**
 * Two lines on one time axis, each on its own y axis (left and right). `interval` lines hold each
 * value over the interval it was counted in (`intervalSteps`); the others are one point per cycle end.
 */
function twoAxisConfig<D extends CycleSpan>(
  palette: ChartPalette,
  timeAxis: TimeAxisName,
  endMs: number,
  details: readonly D[],
  interval: boolean,
  left: Line<D>,
  right: Line<D>,
): ChartConfiguration<'line', XY[]> {
  const detailOf = (item: Item) => details[interval ? spanIndexOfStep(item.dataIndex) : item.dataIndex] as D;
  const shape = interval
    ? { stepped: 'after' as const, pointRadius: 0, pointHoverRadius: 0 }
    : { pointRadius: pointRadiusFor(details.length), pointHoverRadius: 3 };
  const axis = (line: Line<D>, side: 'left' | 'right') => {
    const scale = valueScale(palette, line.axisTitle, side);
    return {
      ...scale,
      ticks: {
        ...scale.ticks,
        ...(line.tick ? { callback: (value: number | string) => line.tick!(Number(value)) } : {}),
      },
    };
  };
  return {
    type: 'line',
    data: {
      datasets: [left, right].map((line, i) => ({
        label: line.label,
        data: line.data,
        yAxisID: i === 0 ? 'y' : 'yRight',
        borderColor: line.color,
        backgroundColor: line.color,
        borderWidth: 1.5,
        borderDash: line.dashed ? [5, 3] : [],
        fill: false,
        ...shape,
      })),
    },
    options: {
      ...CYCLE_CHART_OPTIONS,
      interaction: interval
        ? { mode: 'cycleInterval', intersect: false }
        : { mode: 'index', intersect: false },
      scales: {
        x: timeScale(palette, endMs, timeAxisTitle(timeAxis), firstFromMs(details)),
        y: axis(left, 'left'),
        yRight: axis(right, 'right'),
      },
      plugins: {
        legend: legendOptions(palette),
        tooltip: {
          ...tooltipColors(palette),
          callbacks: {
            title: (items) => {
              if (!items[0]) return '';
              const d = detailOf(items[0]);
              return interval ? intervalTitle(d) : cycleEndTitle(d);
            },
            label: (item) => [left, right][item.datasetIndex]?.describe(detailOf(item)) ?? '',
          },
        },
      },
    },
  };
}

function count(value: number | null, unit: string): string {
  return value === null ? `— ${unit}` : `${formatCount(value)} ${unit}`;
}

export function leakChartConfig(
  series: RefcountSeries,
  palette: ChartPalette,
  timeAxis: TimeAxisName,
): ChartConfiguration<'line', XY[]> {
  const maxBytes = series.leakedBytes.reduce(
    (max, p) => (Number.isFinite(p.y) ? Math.max(max, p.y) : max),
    0,
  );
  const scale = byteScale(maxBytes);
  return twoAxisConfig<RefcountDetail>(
    palette,
    timeAxis,
    series.endMs,
    series.details,
    false,
    {
      label: 'leaked bytes',
      data: series.leakedBytes.map((p) => ({ x: p.x, y: p.y / scale.bytesPerUnit })),
      color: palette.gcForced,
      axisTitle: `leaked (${scale.unit})`,
      describe: (d) => `leaked: ${d.leakedBytes === null ? '—' : formatBytes(d.leakedBytes)}`,
    },
    {
      label: 'leaked objects',
      data: series.leakedObjects,
      color: palette.objects,
      axisTitle: 'objects',
      tick: formatCompact,
      dashed: true,
      describe: (d) => `in unreachable cycles: ${count(d.leakedObjects, 'objects')}`,
    },
  );
}

export function cascadeChartConfig(
  series: RefcountSeries,
  palette: ChartPalette,
  timeAxis: TimeAxisName,
): ChartConfiguration<'line', XY[]> {
  return twoAxisConfig<RefcountDetail>(
    palette,
    timeAxis,
    series.endMs,
    series.details,
    true,
    {
      label: 'largest cascade (objects)',
      data: series.cascadeMaxObjects,
      color: palette.objects,
      axisTitle: 'objects',
      tick: formatCompact,
      describe: (d) =>
        `largest cascade: ${count(d.cascadeMaxObjects, 'objects')} (${count(d.refcountFrees, 'frees in all')})`,
    },
    {
      label: 'its time',
      data: series.cascadeMaxUs,
      color: palette.pause,
      axisTitle: 'time (µs)',
      dashed: true,
      describe: (d) =>
        `longest cascade: ${d.cascadeMaxNs === null ? '—' : formatNs(d.cascadeMaxNs)} of mutator time`,
    },
  );
}

export function barrierChartConfig(
  series: BarrierSeries,
  palette: ChartPalette,
  timeAxis: TimeAxisName,
): ChartConfiguration<'line', XY[]> {
  return twoAxisConfig<BarrierDetail>(
    palette,
    timeAxis,
    series.endMs,
    series.details,
    true,
    {
      label: 'barrier hits',
      data: series.hits,
      color: palette.gcMark,
      axisTitle: 'hits',
      tick: formatCompact,
      describe: (d) => `pointer stores through the barrier: ${count(d.writeBarrierHits, '')}`.trimEnd(),
    },
    {
      label: 'shades',
      data: series.shades,
      color: palette.objects,
      axisTitle: 'objects shaded',
      tick: formatCompact,
      dashed: true,
      describe: (d) => `objects shaded grey: ${count(d.writeBarrierShades, '')}`.trimEnd(),
    },
  );
}

export function assistChartConfig(
  series: BarrierSeries,
  palette: ChartPalette,
  timeAxis: TimeAxisName,
): ChartConfiguration<'line', XY[]> {
  return twoAxisConfig<BarrierDetail>(
    palette,
    timeAxis,
    series.endMs,
    series.details,
    true,
    {
      label: 'assist CPU',
      data: series.assistCpuMs,
      color: palette.gcAssist,
      axisTitle: 'assist CPU (ms)',
      describe: (d) => `mark assists: ${formatNs(d.assistCpuNs)} of CPU`,
    },
    {
      label: 'assist ratio',
      data: series.assistRatio,
      color: palette.goal,
      axisTitle: 'scan work / byte',
      dashed: true,
      describe: (d) =>
        `assist ratio: ${d.assistRatio === null ? '—' : d.assistRatio.toPrecision(3)} bytes of scan work per byte allocated`,
    },
  );
}
