import type { Scale } from 'chart.js';
import type { ChartPalette } from './palette';

/** Both charts reserve the same y-axis width so their time axes line up one above the other. */
export const Y_AXIS_WIDTH_PX = 60;

export function fixYAxisWidth(scale: Scale): void {
  scale.width = Y_AXIS_WIDTH_PX;
}

const msTicks = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatAxisMs(value: number | string): string {
  return msTicks.format(Number(value));
}

export function axisColors(palette: ChartPalette) {
  return {
    ticks: { color: palette.muted },
    grid: { color: palette.grid },
    border: { color: palette.grid },
    title: { color: palette.muted },
  };
}

export function tooltipColors(palette: ChartPalette) {
  return {
    backgroundColor: palette.tooltipBg,
    titleColor: palette.tooltipText,
    bodyColor: palette.tooltipText,
    footerColor: palette.tooltipText,
    borderColor: palette.grid,
    borderWidth: 1,
  };
}

/**
 * A tick label with as many decimals as the step between ticks has, so a 5 µs step over a 20 µs
 * session reads 0.005, 0.01, 0.015 ms rather than 0.01, 0.01, 0.02.
 */
export function formatTick(value: number, step: number): string {
  const stepText = Number.isFinite(step) && step > 0 ? String(Number(step.toPrecision(3))) : '';
  const decimals = /e-(\d+)$/.exec(stepText)?.[1] ?? stepText.split('.')[1]?.length ?? 2;
  const digits = Math.min(20, Number(decimals));
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/**
 * The time x axis every cycle chart shares, from `startMs` (0: the session's start) to `endMs`;
 * `title` names the session's clock (`timeAxisTitle`).
 */
export function timeScale(palette: ChartPalette, endMs: number, title: string, startMs = 0) {
  const axes = axisColors(palette);
  return {
    type: 'linear' as const,
    min: startMs,
    max: endMs > startMs ? endMs : startMs + 1,
    title: { display: true, text: title, ...axes.title },
    ticks: {
      ...axes.ticks,
      callback: (value: number | string, index: number, ticks: { value: number }[]) =>
        formatTick(Number(value), Math.abs((ticks[1]?.value ?? 0) - (ticks[0]?.value ?? 0))),
      maxRotation: 0,
      includeBounds: false,
    },
    grid: axes.grid,
    border: axes.border,
  };
}

/** A value axis whose title names its unit; a right-hand axis draws no grid over the chart. */
export function valueScale(palette: ChartPalette, title: string, side: 'left' | 'right' = 'left') {
  const axes = axisColors(palette);
  return {
    type: 'linear' as const,
    position: side,
    beginAtZero: true,
    title: { display: true, text: title, ...axes.title },
    ticks: axes.ticks,
    grid: side === 'left' ? axes.grid : { ...axes.grid, drawOnChartArea: false },
    border: axes.border,
    // Left axes share one width so the charts of a column line up; a right axis takes what it needs.
    afterFit: side === 'left' ? fixYAxisWidth : undefined,
  };
}

export function legendOptions(palette: ChartPalette) {
  return {
    position: 'top' as const,
    align: 'end' as const,
    labels: { color: palette.text, boxWidth: 10, boxHeight: 10, padding: 8 },
  };
}

/** Points are drawn only when few enough to tell apart: each one is a cycle end, not a sample. */
export function pointRadiusFor(points: number): number {
  return points <= 60 ? 2 : 0;
}

/** Options every cycle chart shares (big series: no parsing, no animation). */
export const CYCLE_CHART_OPTIONS = {
  parsing: false,
  normalized: true,
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
} as const;
