import type { ChartConfiguration } from 'chart.js';
import type { Theme } from '../state/theme.svelte';
import { CYCLE_CHART_OPTIONS, legendOptions, timeScale, tooltipColors, valueScale } from './common';
import type { ChartPalette } from './palette';
import type { CompareSeries, PauseXY } from './series/compare';
import { formatNs } from './series/format';
import type { XY } from './series/heap';

/**
 * One colour per compared session, told apart by hue in both themes (Tableau 10, lightened for the
 * dark background); the summary table's column swatches use the same colours.
 */
const SESSION_COLORS: Record<Theme, readonly string[]> = {
  light: ['#1a66d6', '#e8710a', '#188038', '#c5221f', '#8e44ad', '#00897b', '#c2185b', '#6d4c41'],
  dark: ['#6ea8fe', '#f6ae5c', '#6dd58c', '#f28b82', '#c58af9', '#4dd0c1', '#ff6fae', '#c9a99b'],
};

export function sessionColor(theme: Theme, index: number): string {
  const colors = SESSION_COLORS[theme];
  return colors[index % colors.length] as string;
}

export function compareHeapConfig(
  series: CompareSeries,
  palette: ChartPalette,
  theme: Theme,
): ChartConfiguration<'line', XY[]> {
  return {
    type: 'line',
    data: {
      datasets: series.heap.map((s, i) => ({
        label: s.label,
        data: s.points,
        borderColor: sessionColor(theme, i),
        backgroundColor: sessionColor(theme, i),
        borderWidth: 1.25,
        pointRadius: 0,
        pointHoverRadius: 3,
      })),
    },
    options: {
      ...CYCLE_CHART_OPTIONS,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: { x: timeScale(palette, series.endMs), y: valueScale(palette, 'MiB') },
      plugins: {
        decimation: { enabled: true, algorithm: 'min-max' },
        legend: legendOptions(palette),
        tooltip: {
          ...tooltipColors(palette),
          callbacks: {
            title: (items) => (items[0] ? `t = ${(items[0].parsed.x ?? 0).toFixed(1)} ms` : ''),
            label: (item) => `${item.dataset.label}: ${(item.parsed.y ?? 0).toFixed(2)} MiB`,
          },
        },
      },
    },
  };
}

export function comparePauseConfig(
  series: CompareSeries,
  palette: ChartPalette,
  theme: Theme,
): ChartConfiguration<'line', PauseXY[]> {
  // Points without lines (a scatter plot) from the line controller, the only one registered.
  return {
    type: 'line',
    data: {
      datasets: series.pauses.map((s, i) => ({
        label: s.label,
        data: s.points,
        borderColor: sessionColor(theme, i),
        backgroundColor: sessionColor(theme, i),
        showLine: false,
        pointRadius: s.points.length > 400 ? 1.5 : 2.5,
        pointHoverRadius: 4,
      })),
    },
    options: {
      ...CYCLE_CHART_OPTIONS,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: timeScale(palette, series.endMs, 'cycle start, virtual time (ms)'),
        y: valueScale(palette, `pause (${series.pauseScale.unit})`),
      },
      plugins: {
        legend: legendOptions(palette),
        tooltip: {
          ...tooltipColors(palette),
          callbacks: {
            title: (items) => {
              const point = items[0]?.raw as PauseXY | undefined;
              return point ? `${items[0]?.dataset.label ?? ''} — cycle ${point.seq}` : '';
            },
            label: (item) => {
              const point = item.raw as PauseXY;
              return `pause ${formatNs(point.pauseNs)} at ${point.x.toFixed(1)} ms`;
            },
          },
        },
      },
    },
  };
}
