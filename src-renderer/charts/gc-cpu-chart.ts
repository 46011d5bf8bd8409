import type { ChartConfiguration, ChartDataset, TooltipItem } from 'chart.js';
import { CYCLE_CHART_OPTIONS, legendOptions, timeScale, tooltipColors, valueScale } from './common';
import { translucent, type ChartPalette } from './palette';
import { intervalTitle, spanIndexOfStep, firstFromMs } from './series/cycles';
import { formatNs, formatPercent } from './series/format';
import { gcCpuNs, type GcCpuDetail, type GcCpuSeries } from './series/gc-cpu';
import type { XY } from './series/heap';
import { timeAxisTitle, type TimeAxisName } from '../lib/time-axis';

type Item = TooltipItem<'line'>;

function share(cpuNs: number, d: GcCpuDetail): string {
  return d.capacityCpuNs > 0 ? formatPercent(cpuNs / d.capacityCpuNs, 2) : '—';
}

/** GC CPU per interval as a share of the machine, stacked by source. */
export function gcCpuChartConfig(
  series: GcCpuSeries,
  palette: ChartPalette,
  timeAxis: TimeAxisName,
): ChartConfiguration<'line', XY[]> {
  const area = (label: string, data: XY[], color: string, first = false): ChartDataset<'line', XY[]> => ({
    label,
    data,
    stack: 'cpu',
    fill: first ? 'origin' : '-1',
    borderColor: color,
    backgroundColor: translucent(color, 0.8),
    borderWidth: 0,
    stepped: 'after',
    pointRadius: 0,
    pointHoverRadius: 0,
  });
  const detailOf = (item: Item) => series.details[spanIndexOfStep(item.dataIndex)] as GcCpuDetail;
  const labels: ((d: GcCpuDetail) => string)[] = [
    (d) => `stop the world: ${share(d.stwCpuNs, d)} (${formatNs(d.stwCpuNs)} CPU)`,
    (d) => `mark assists: ${share(d.assistCpuNs, d)} (${formatNs(d.assistCpuNs)} CPU)`,
    (d) => `background mark: ${share(d.backgroundCpuNs, d)} (${formatNs(d.backgroundCpuNs)} CPU)`,
    (d) => `idle mark: ${share(d.idleCpuNs, d)} (${formatNs(d.idleCpuNs)} CPU)`,
  ];
  return {
    type: 'line',
    data: {
      datasets: [
        area('stop the world', series.stwPct, palette.pause, true),
        area('assist', series.assistPct, palette.gcAssist),
        area('background', series.backgroundPct, palette.gcMark),
        area('idle', series.idlePct, palette.gcIdleMark),
      ],
    },
    options: {
      ...CYCLE_CHART_OPTIONS,
      interaction: { mode: 'cycleInterval', intersect: false },
      scales: {
        x: timeScale(palette, series.endMs, timeAxisTitle(timeAxis), firstFromMs(series.details)),
        y: {
          ...valueScale(palette, '% of CPU'),
          stacked: true,
          min: 0,
          ticks: { ...valueScale(palette, '').ticks, callback: (value) => `${value}%` },
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
              return `GC total ${share(gcCpuNs(d), d)} of ${formatNs(d.capacityCpuNs)} CPU`;
            },
          },
        },
      },
    },
  };
}
