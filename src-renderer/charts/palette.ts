import type { Theme } from '../state/theme.svelte';

/** Chart colours, read from the theme's CSS custom properties so charts and page agree. */
export interface ChartPalette {
  text: string;
  muted: string;
  grid: string;
  tooltipBg: string;
  tooltipText: string;
  alloc: string;
  marked: string;
  goal: string;
  trigger: string;
  gcBand: string;
  gcTick: string;
  gcForced: string;
  pause: string;
  pauseForced: string;
}

const VARIABLES: Record<keyof ChartPalette, string> = {
  text: '--text',
  muted: '--text-muted',
  grid: '--chart-grid',
  tooltipBg: '--tooltip-bg',
  tooltipText: '--tooltip-text',
  alloc: '--chart-alloc',
  marked: '--chart-marked',
  goal: '--chart-goal',
  trigger: '--chart-trigger',
  gcBand: '--chart-gc-band',
  gcTick: '--chart-gc-tick',
  gcForced: '--chart-gc-forced',
  pause: '--chart-pause',
  pauseForced: '--chart-pause-forced',
};

/**
 * `theme` is not read: passing it makes the caller's derived value depend on the theme, so the
 * chart is rebuilt with the new colours after a toggle.
 */
export function readPalette(_theme: Theme): ChartPalette {
  const style = getComputedStyle(document.documentElement);
  const palette = {} as ChartPalette;
  for (const [key, variable] of Object.entries(VARIABLES) as [keyof ChartPalette, string][]) {
    palette[key] = style.getPropertyValue(variable).trim() || '#888';
  }
  return palette;
}
