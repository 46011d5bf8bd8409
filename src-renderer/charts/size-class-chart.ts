import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { axisColors, legendOptions, tooltipColors } from './common';
import type { ChartPalette } from './palette';
import { byteScale, formatBytes, formatCount, formatPercent } from './series/format';
import type { SizeClassSeries } from './series/snapshot';

export type SizeClassScale = 'bytes' | 'percent';

/**
 * One horizontal bar per span class, stacked to its span bytes: what the objects asked for, then
 * the three kinds of waste. `percent` scales every bar to 100 % so a class with one span reads as
 * well as one with thousands; `bytes` shows where the heap's pages went.
 */
export function sizeClassChartConfig(
  series: SizeClassSeries,
  palette: ChartPalette,
  scale: SizeClassScale,
): ChartConfiguration<'bar', number[], string> {
  const maxBytes = Math.max(0, ...series.rows.map((row) => row.spanBytes));
  const unit = byteScale(maxBytes);
  const values = (bytes: number[], percent: number[]) =>
    scale === 'percent' ? percent : bytes.map((b) => b / unit.bytesPerUnit);
  const part = (label: string, data: number[], color: string): ChartDataset<'bar', number[]> => ({
    label,
    data,
    backgroundColor: color,
    borderWidth: 0,
    stack: 'span',
    barPercentage: 0.9,
    categoryPercentage: 0.9,
  });
  const axes = axisColors(palette);
  const row = (index: number) => series.rows[index];

  return {
    type: 'bar',
    data: {
      labels: series.labels,
      datasets: [
        part('in use (requested)', values(series.requestedBytes, series.percent.requested), palette.alloc),
        part(
          'internal waste',
          values(series.internalWasteBytes, series.percent.internalWaste),
          palette.wasteInternal,
        ),
        part('free slots', values(series.freeSlotBytes, series.percent.freeSlots), palette.idle),
        part('tail waste', values(series.tailWasteBytes, series.percent.tailWaste), palette.wasteTail),
      ],
    },
    options: {
      indexAxis: 'y',
      interaction: { mode: 'index', axis: 'y', intersect: false },
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: {
          type: 'linear',
          stacked: true,
          beginAtZero: true,
          max: scale === 'percent' ? 100 : undefined,
          title: {
            display: true,
            text: scale === 'percent' ? '% of span bytes' : `span bytes (${unit.unit})`,
            ...axes.title,
          },
          ticks: axes.ticks,
          grid: axes.grid,
          border: axes.border,
        },
        y: {
          type: 'category',
          stacked: true,
          title: { display: true, text: 'size class (slot size)', ...axes.title },
          ticks: { ...axes.ticks, autoSkip: false },
          grid: { display: false },
          border: axes.border,
        },
      },
      plugins: {
        legend: legendOptions(palette),
        tooltip: {
          ...tooltipColors(palette),
          callbacks: {
            title: (items) => {
              const r = items[0] ? row(items[0].dataIndex) : undefined;
              if (!r) return '';
              return r.sizeClass === 0
                ? `large objects${r.noscan ? ' (noscan)' : ''}`
                : `size class ${r.sizeClass}: ${formatBytes(r.objectBytes)} slots${r.noscan ? ', noscan' : ''}`;
            },
            label: (item) => {
              const r = row(item.dataIndex);
              if (!r) return '';
              const bytes = [r.requestedBytes, r.internalWasteBytes, r.freeSlotBytes, r.tailWasteBytes][
                item.datasetIndex
              ];
              const share = r.spanBytes > 0 && bytes !== undefined ? bytes / r.spanBytes : Number.NaN;
              return `${item.dataset.label ?? ''}: ${formatBytes(bytes ?? Number.NaN)} (${formatPercent(share)})`;
            },
            footer: (items) => {
              const r = items[0] ? row(items[0].dataIndex) : undefined;
              if (!r) return '';
              return [
                `${formatCount(r.spans)} spans, ${formatBytes(r.spanBytes)}`,
                `${formatCount(r.objects)} of ${formatCount(r.slots)} slots used (${formatPercent(r.slots > 0 ? r.objects / r.slots : Number.NaN)})`,
              ];
            },
          },
        },
      },
    },
  };
}
