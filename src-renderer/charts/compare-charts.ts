import type { ChartConfiguration } from 'chart.js';
import type { Theme } from '../state/theme.svelte';
import { CYCLE_CHART_OPTIONS, legendOptions, timeScale, tooltipColors, valueScale } from './common';
import type { ChartPalette } from './palette';
import type { CompareChart, CompareSeries, CycleXY, PauseXY } from './series/compare';
import { formatNs } from './series/format';
import type { XY } from './series/heap';
import { timeAxisTitle, type TimeAxisAnchor } from '../lib/time-axis';

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

function xScale(series: CompareSeries, palette: ChartPalette, anchor?: TimeAxisAnchor) {
  return series.align === 'time'
    ? timeScale(palette, series.endX, timeAxisTitle(series.timeAxis, anchor))
    : { ...timeScale(palette, series.endX, 'GC cycle'), min: Math.min(1, series.endX) };
}

function xLabel(series: CompareSeries, x: number): string {
  return series.align === 'time' ? `t = ${x.toFixed(1)} ms` : `cycle ${x.toFixed(x % 1 === 0 ? 0 : 2)}`;
}

/** Lines (or, with `dots`, points without lines) for each session, coloured by its index. */
function datasets<P extends XY>(chart: CompareChart<P>, theme: Theme, dots: boolean) {
  return chart.lines.map((line, i) => ({
    label: line.label,
    data: line.points,
    borderColor: sessionColor(theme, i),
    backgroundColor: sessionColor(theme, i),
    ...(dots
      ? { showLine: false, pointRadius: line.points.length > 400 ? 1.5 : 2.5 }
      : { borderWidth: 1.25, pointRadius: 0 }),
    pointHoverRadius: 4,
  }));
}

export function compareHeapConfig(
  series: CompareSeries,
  palette: ChartPalette,
  theme: Theme,
): ChartConfiguration<'line', XY[]> {
  return {
    type: 'line',
    data: { datasets: datasets(series.heap, theme, false) },
    options: {
      ...CYCLE_CHART_OPTIONS,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: { x: xScale(series, palette), y: valueScale(palette, 'MiB') },
      plugins: {
        decimation: { enabled: true, algorithm: 'min-max' },
        legend: legendOptions(palette),
        tooltip: {
          ...tooltipColors(palette),
          callbacks: {
            title: (items) => (items[0] ? xLabel(series, items[0].parsed.x ?? 0) : ''),
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
    data: { datasets: datasets(series.pauses, theme, true) },
    options: {
      ...CYCLE_CHART_OPTIONS,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: xScale(series, palette, 'cycle start'),
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
              return series.align === 'time'
                ? `pause ${formatNs(point.pauseNs)} at ${point.x.toFixed(1)} ms`
                : `pause ${formatNs(point.pauseNs)}`;
            },
          },
        },
      },
    },
  };
}

/** A per-cycle percentage (GC CPU, pool hit rate), one line per session. */
export function comparePercentConfig(
  chart: CompareChart<CycleXY>,
  series: CompareSeries,
  yTitle: string,
  palette: ChartPalette,
  theme: Theme,
): ChartConfiguration<'line', CycleXY[]> {
  return {
    type: 'line',
    data: {
      datasets: datasets(chart, theme, false).map((d) => ({
        ...d,
        pointRadius: d.data.length > 120 ? 0 : 2,
      })),
    },
    options: {
      ...CYCLE_CHART_OPTIONS,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: { x: xScale(series, palette, 'cycle end'), y: valueScale(palette, yTitle) },
      plugins: {
        legend: legendOptions(palette),
        tooltip: {
          ...tooltipColors(palette),
          callbacks: {
            title: (items) => {
              const point = items[0]?.raw as CycleXY | undefined;
              return point ? `cycle ${point.seq}` : '';
            },
            label: (item) => `${item.dataset.label}: ${(item.parsed.y ?? 0).toFixed(2)} %`,
          },
        },
      },
    },
  };
}
