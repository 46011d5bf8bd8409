import type { ChartConfiguration } from 'chart.js';
import { axisColors, fixYAxisWidth, tooltipColors } from './common';
import type { ChartPalette } from './palette';
import { formatCount, formatPercent } from './series/format';
import type { PauseBucket } from './series/pause-windows';

/** Stop-the-world windows by duration: one bar per rung of the 1-2-5 ladder. */
export function pauseHistogramConfig(
  buckets: readonly PauseBucket[],
  palette: ChartPalette,
): ChartConfiguration<'bar', number[], string> {
  const axes = axisColors(palette);
  const windows = buckets.reduce((sum, b) => sum + b.count, 0);
  return {
    type: 'bar',
    data: {
      labels: buckets.map((b) => b.label),
      datasets: [
        {
          label: 'pause windows',
          data: buckets.map((b) => b.count),
          backgroundColor: palette.pause,
          categoryPercentage: 0.9,
          barPercentage: 1,
          maxBarThickness: 64,
          minBarLength: 0,
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: {
          type: 'category',
          title: { display: true, text: 'pause duration (log buckets)', ...axes.title },
          ticks: { ...axes.ticks, maxRotation: 0, autoSkip: true },
          grid: { display: false },
          border: axes.border,
        },
        y: {
          type: 'linear',
          beginAtZero: true,
          title: { display: true, text: 'windows', ...axes.title },
          ticks: { ...axes.ticks, precision: 0 },
          grid: axes.grid,
          border: axes.border,
          afterFit: fixYAxisWidth,
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          ...tooltipColors(palette),
          callbacks: {
            title: (items) => (items[0] ? (buckets[items[0].dataIndex]?.label ?? '') : ''),
            label: (item) => {
              const count = buckets[item.dataIndex]?.count ?? 0;
              return `${formatCount(count)} ${count === 1 ? 'window' : 'windows'} (${formatPercent(count / Math.max(1, windows))})`;
            },
          },
        },
      },
    },
  };
}
