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
  stack: string;
  globals: string;
  objects: string;
  poolPrivate: string;
  poolShared: string;
  poolStolen: string;
  poolVictim: string;
  poolMiss: string;
  poolDropped: string;
  hitRate: string;
  wasteInternal: string;
  wasteTail: string;
  idle: string;
  released: string;
  gcMark: string;
  gcAssist: string;
  gcIdleMark: string;
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
  stack: '--chart-stack',
  globals: '--chart-globals',
  objects: '--chart-objects',
  poolPrivate: '--chart-pool-private',
  poolShared: '--chart-pool-shared',
  poolStolen: '--chart-pool-stolen',
  poolVictim: '--chart-pool-victim',
  poolMiss: '--chart-pool-miss',
  poolDropped: '--chart-pool-dropped',
  hitRate: '--chart-hit-rate',
  wasteInternal: '--chart-waste-internal',
  wasteTail: '--chart-waste-tail',
  idle: '--chart-idle',
  released: '--chart-released',
  gcMark: '--chart-gc-mark',
  gcAssist: '--chart-gc-assist',
  gcIdleMark: '--chart-gc-idle-mark',
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

/** `#rgb` or `#rrggbb` at the given opacity, for area fills under a solid line; other colours as they are. */
export function translucent(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (!hex) return color;
  const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((at) => parseInt(full.slice(at, at + 2), 16));
  return `rgb(${r} ${g} ${b} / ${alpha})`;
}
