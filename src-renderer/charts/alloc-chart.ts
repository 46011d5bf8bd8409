import type { ChartConfiguration, TooltipItem } from 'chart.js';
import { CYCLE_CHART_OPTIONS, legendOptions, timeScale, tooltipColors, valueScale } from './common';
import { translucent, type ChartPalette } from './palette';
import type { AllocDetail, AllocSeries } from './series/alloc';
import { perSecond } from './series/alloc';
import { intervalTitle, spanIndexOfStep, firstFromMs } from './series/cycles';
import { formatByteRate, formatBytes, formatCompact, formatCount, formatNs } from './series/format';
import type { XY } from './series/heap';
import { timeAxisTitle, type TimeAxisName } from '../lib/time-axis';

type Item = TooltipItem<'line'>;

function bytesRate(bytes: number | null, detail: AllocDetail): string {
  const rate = perSecond(bytes, detail);
  return formatByteRate(rate);
}

function counted(objects: number | null, bytes: number | null): string {
  return `${formatCount(objects ?? Number.NaN)} objects, ${formatBytes(bytes ?? Number.NaN)}`;
}

/**
 * Allocation rates per interval between cycle ends, per second of the session's time axis: bytes that
 * escaped to the heap and bytes that stayed on the stack (left axis), heap objects (right axis).
 */
export function allocChartConfig(
  series: AllocSeries,
  palette: ChartPalette,
  timeAxis: TimeAxisName,
): ChartConfiguration<'line', XY[]> {
  const step = { stepped: 'after' as const, pointRadius: 0, pointHoverRadius: 0 };
  const detailOf = (item: Item) => series.details[spanIndexOfStep(item.dataIndex)] as AllocDetail;
  const datasets: ChartConfiguration<'line', XY[]>['data']['datasets'] = [
    {
      label: 'escaped to heap',
      data: series.heapBytesRate,
      yAxisID: 'y',
      borderColor: palette.alloc,
      backgroundColor: translucent(palette.alloc, 0.18),
      borderWidth: 1.5,
      fill: 'origin',
      ...step,
    },
  ];
  const labels: ((d: AllocDetail) => string)[] = [
    (d) => `escaped to heap: ${bytesRate(d.heapBytes, d)} (${counted(d.heapObjects, d.heapBytes)})`,
  ];
  if (series.stackBytesRate.length > 0) {
    datasets.push({
      label: 'stayed on the stack',
      data: series.stackBytesRate,
      yAxisID: 'y',
      borderColor: palette.stack,
      backgroundColor: palette.stack,
      borderWidth: 1.5,
      fill: false,
      ...step,
    });
    labels.push(
      (d) => `stayed on the stack: ${bytesRate(d.stackBytes, d)} (${counted(d.stackObjects, d.stackBytes)})`,
    );
  }
  datasets.push({
    label: 'heap objects/s',
    data: series.heapObjectsRate,
    yAxisID: 'yObjects',
    borderColor: palette.objects,
    backgroundColor: palette.objects,
    borderDash: [4, 3],
    borderWidth: 1.25,
    fill: false,
    ...step,
  });
  labels.push((d) => `heap objects: ${formatCompact(perSecond(d.heapObjects, d))}/s`);

  return {
    type: 'line',
    data: { datasets },
    options: {
      ...CYCLE_CHART_OPTIONS,
      interaction: { mode: 'cycleInterval', intersect: false },
      scales: {
        x: timeScale(palette, series.endMs, timeAxisTitle(timeAxis), firstFromMs(series.details)),
        y: valueScale(palette, `${series.scale.unit}/s`),
        yObjects: {
          ...valueScale(palette, 'objects/s', 'right'),
          ticks: { ...valueScale(palette, '').ticks, callback: (value) => formatCompact(Number(value)) },
        },
      },
      plugins: {
        legend: legendOptions(palette),
        tooltip: {
          ...tooltipColors(palette),
          callbacks: {
            title: (items) => (items[0] ? intervalTitle(detailOf(items[0])) : ''),
            label: (item) => labels[item.datasetIndex]?.(detailOf(item)) ?? '',
            footer: (items) => {
              const first = items[0];
              if (!first) return '';
              const d = detailOf(first);
              const tiny = d.tinyObjects
                ? `, ${formatCount(d.tinyObjects)} tiny (packed in 16 B blocks)`
                : '';
              return `over ${formatNs(d.toNs - d.fromNs)} of ${timeAxis}${tiny}`;
            },
          },
        },
      },
    },
  };
}
