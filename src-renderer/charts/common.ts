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
