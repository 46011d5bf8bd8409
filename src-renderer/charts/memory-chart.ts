import type { ChartConfiguration, ChartDataset, TooltipItem } from 'chart.js';
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
import { formatBytes, formatPercent } from './series/format';
import type { XY } from './series/heap';
import { wasteBytes, type MemoryDetail, type MemorySeries } from './series/memory';
import { timeAxisTitle, type TimeAxisName } from '../lib/time-axis';

type Item = TooltipItem<'line'>;

function bytes(value: number | null): string {
  return formatBytes(value ?? Number.NaN);
}

/**
 * The heap's pages at each cycle end, stacked: in-use spans (objects and free slots, then the two
 * kinds of waste) under idle pages (held, then released to the OS); the waste as a share of heap in
 * use on the right axis.
 */
export function memoryChartConfig(
  series: MemorySeries,
  palette: ChartPalette,
  timeAxis: TimeAxisName,
): ChartConfiguration<'line', XY[]> {
  const detailOf = (item: Item) => series.details[item.dataIndex] as MemoryDetail;
  const layer = (
    label: string,
    data: XY[],
    color: string,
    alpha: number,
    first = false,
  ): ChartDataset<'line', XY[]> => ({
    label,
    data,
    yAxisID: 'y',
    stack: 'pages',
    fill: first ? 'origin' : '-1',
    borderColor: color,
    backgroundColor: translucent(color, alpha),
    borderWidth: 1,
    pointRadius: pointRadiusFor(series.details.length),
    pointHoverRadius: 3,
  });
  const labels: ((d: MemoryDetail) => string)[] = [
    (d) =>
      `in use, less waste: ${bytes(d.heapInUseBytes === null ? null : d.heapInUseBytes - (wasteBytes(d) ?? 0))}`,
    (d) => `internal waste (size-class rounding): ${bytes(d.internalWasteBytes)}`,
    (d) => `tail waste (span ends): ${bytes(d.tailWasteBytes)}`,
    (d) =>
      `idle, held: ${bytes(d.heapIdleBytes === null ? null : d.heapIdleBytes - (d.heapReleasedBytes ?? 0))}`,
    (d) => `released to the OS: ${bytes(d.heapReleasedBytes)}`,
    (d) => {
      const waste = wasteBytes(d);
      return d.heapInUseBytes && waste !== null
        ? `waste: ${formatPercent(waste / d.heapInUseBytes)} of in use`
        : 'waste: —';
    },
  ];

  return {
    type: 'line',
    data: {
      datasets: [
        layer('in use', series.inUseLessWaste, palette.alloc, 0.4, true),
        layer('internal waste', series.internalWaste, palette.wasteInternal, 0.85),
        layer('tail waste', series.tailWaste, palette.wasteTail, 0.85),
        layer('idle', series.idleRetained, palette.idle, 0.45),
        layer('released', series.released, palette.released, 0.8),
        {
          label: 'waste %',
          data: series.wastePct,
          yAxisID: 'yWaste',
          borderColor: palette.wasteInternal,
          backgroundColor: palette.wasteInternal,
          borderDash: [4, 3],
          borderWidth: 1.25,
          fill: false,
          pointRadius: 0,
          pointHoverRadius: 3,
        },
      ],
    },
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
        y: { ...valueScale(palette, series.scale.unit), stacked: true },
        yWaste: {
          ...valueScale(palette, 'waste (% of in use)', 'right'),
          ticks: { ...valueScale(palette, '').ticks, callback: (value) => `${value}%` },
        },
      },
      plugins: {
        legend: legendOptions(palette),
        tooltip: {
          ...tooltipColors(palette),
          callbacks: {
            title: (items) => (items[0] ? cycleEndTitle(detailOf(items[0])) : ''),
            label: (item) => labels[item.datasetIndex]?.(detailOf(item)) ?? '',
            footer: (items) => {
              const first = items[0];
              if (!first) return '';
              const d = detailOf(first);
              const freeSlots =
                d.fragmentationBytes === null || d.tailWasteBytes === null
                  ? ''
                  : ` · free slots ${formatBytes(Math.max(0, d.fragmentationBytes - d.tailWasteBytes))}`;
              return `heap in use ${bytes(d.heapInUseBytes)} · idle ${bytes(d.heapIdleBytes)}${freeSlots}`;
            },
          },
        },
      },
    },
  };
}
