import type { ChartConfiguration } from 'chart.js';
import { axisColors, fixYAxisWidth, formatAxisMs, tooltipColors } from './common';
import type { ChartPalette } from './palette';
import { formatNs } from './series/format';
import type { PausePoint, PauseSeries } from './series/pause';
import { timeAxisTitle, type TimeAxisName } from '../lib/time-axis';

/** Spikes rather than touching bars: thick enough to hover when few, thin enough not to merge when many. */
function barThicknessPx(count: number): number {
  if (count <= 150) return 4;
  if (count <= 600) return 2;
  return 1;
}

export function pauseChartConfig(
  series: PauseSeries,
  palette: ChartPalette,
  timeAxis: TimeAxisName,
  endMs: number,
  /** Where the x axis starts: 0 for a whole session, later for a zoomed range. */
  startMs = 0,
): ChartConfiguration<'bar', PausePoint[]> {
  const axes = axisColors(palette);
  return {
    type: 'bar',
    data: {
      datasets: [
        {
          label: 'Stop-the-world pause',
          data: series.points,
          backgroundColor: (context) =>
            (context.raw as PausePoint | undefined)?.trigger === 'heap' ? palette.pause : palette.pauseForced,
          barThickness: barThicknessPx(series.points.length),
          minBarLength: 1,
          grouped: false,
        },
      ],
    },
    options: {
      parsing: false,
      normalized: true,
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'linear',
          min: startMs,
          max: endMs > startMs ? endMs : startMs + 1,
          offset: false,
          title: { display: true, text: timeAxisTitle(timeAxis, 'cycle start'), ...axes.title },
          ticks: { ...axes.ticks, callback: formatAxisMs, maxRotation: 0, includeBounds: false },
          grid: axes.grid,
          border: axes.border,
        },
        y: {
          type: 'linear',
          beginAtZero: true,
          title: { display: true, text: `pause (${series.scale.unit})`, ...axes.title },
          ticks: axes.ticks,
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
            title: (items) => {
              const point = items[0]?.raw as PausePoint | undefined;
              return point ? `Cycle ${point.seq} (${point.trigger})` : '';
            },
            label: (item) => {
              const point = item.raw as PausePoint;
              return `pause ${formatNs(point.pauseNs)} at ${formatAxisMs(point.x)} ms`;
            },
          },
        },
      },
    },
  };
}
