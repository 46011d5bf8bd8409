import type { ChartConfiguration, TooltipItem } from 'chart.js';
import {
  CYCLE_CHART_OPTIONS,
  legendOptions,
  pointRadiusFor,
  timeScale,
  tooltipColors,
  valueScale,
} from './common';
import { translucent, type ChartPalette } from './palette';
import { cycleEndTitle, firstFromMs } from './series/cycles';
import { formatBytes, formatCount } from './series/format';
import type { XY } from './series/heap';
import type { RootsDetail, RootsSeries } from './series/roots';
import { timeAxisTitle, type TimeAxisName } from '../lib/time-axis';

type Item = TooltipItem<'line'>;

function growthFooter(d: RootsDetail): string {
  if (d.stackGrowths === null && d.stackShrinks === null) return '';
  const since = d.firstSeq === 1 ? 'since the start' : 'since the previous cycle';
  const copied = d.stackCopiedBytes === null ? '' : `, ${formatBytes(d.stackCopiedBytes)} copied`;
  return `${since}: ${formatCount(d.stackGrowths ?? 0)} stack growths, ${formatCount(d.stackShrinks ?? 0)} shrinks${copied}`;
}

/**
 * The roots besides the heap at each cycle end: the stacks the goroutines hold (Σ hi − lo), the
 * part of them the heap goal counted (Σ hi − sp, scanned), and the scannable globals.
 */
export function rootsChartConfig(
  series: RootsSeries,
  palette: ChartPalette,
  timeAxis: TimeAxisName,
): ChartConfiguration<'line', XY[]> {
  const points = { pointRadius: pointRadiusFor(series.details.length), pointHoverRadius: 3 };
  const detailOf = (item: Item) => series.details[item.dataIndex] as RootsDetail;
  const datasets: ChartConfiguration<'line', XY[]>['data']['datasets'] = [];
  const labels: ((d: RootsDetail) => string)[] = [];
  if (series.stackInUse.length > 0) {
    datasets.push({
      label: 'stacks in use',
      data: series.stackInUse,
      borderColor: palette.stack,
      backgroundColor: translucent(palette.stack, 0.12),
      borderWidth: 1.75,
      fill: 'origin',
      ...points,
    });
    labels.push((d) => `stacks in use (Σ hi − lo): ${formatBytes(d.stackInUseBytes ?? Number.NaN)}`);
  }
  datasets.push(
    {
      label: 'stacks scanned (goal)',
      data: series.stacksScanned,
      borderColor: palette.stack,
      backgroundColor: palette.stack,
      borderDash: [5, 3],
      borderWidth: 1.5,
      fill: false,
      ...points,
    },
    {
      label: 'globals',
      data: series.globals,
      borderColor: palette.globals,
      backgroundColor: palette.globals,
      borderWidth: 1.5,
      fill: false,
      ...points,
    },
  );
  labels.push(
    (d) => `stacks scanned, counted by the goal (Σ hi − sp): ${formatBytes(d.stacksBytes)}`,
    (d) => `globals: ${formatBytes(d.globalsBytes)}`,
  );

  return {
    type: 'line',
    data: { datasets },
    options: {
      ...CYCLE_CHART_OPTIONS,
      interaction: { mode: 'index', axis: 'x', intersect: false },
      scales: {
        x: timeScale(
          palette,
          series.endMs,
          timeAxisTitle(timeAxis, 'cycle end'),
          firstFromMs(series.details),
        ),
        y: valueScale(palette, series.scale.unit),
      },
      plugins: {
        legend: legendOptions(palette),
        tooltip: {
          ...tooltipColors(palette),
          callbacks: {
            title: (items) => (items[0] ? cycleEndTitle(detailOf(items[0])) : ''),
            label: (item) => labels[item.datasetIndex]?.(detailOf(item)) ?? '',
            footer: (items) => (items[0] ? growthFooter(detailOf(items[0])) : ''),
          },
        },
      },
    },
  };
}
