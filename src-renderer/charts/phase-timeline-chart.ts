import { Interaction, type ChartConfiguration, type InteractionModeFunction, type Plugin } from 'chart.js';
import { axisColors, formatTick, tooltipColors, Y_AXIS_WIDTH_PX } from './common';
import { translucent, type ChartPalette } from './palette';
import { formatNs, NS_PER_MS } from './series/format';
import type { CycleBar, PhaseBar, PhaseTimeline } from './series/phases';
import { timeAxisTitle, type TimeAxisName } from '../lib/time-axis';

declare module 'chart.js' {
  interface InteractionModeMap {
    /** The bar under the pointer in the lane under it, else that lane's nearest bar. */
    phaseLane: InteractionModeFunction;
  }
}

/** Lanes top to bottom; dataset i draws lane i. */
export const TIMELINE_LANES = ['cycle', 'stop the world', 'concurrent mark'] as const;

/** A pause of a few µs in a window of 20 cycles is far below a pixel: draw it anyway. */
const MIN_BAR_PX = 2;

export interface TimelinePoint {
  /** [start, end] in ms since the session's start. */
  x: [number, number];
  y: (typeof TIMELINE_LANES)[number];
  cycle?: CycleBar;
  phase?: PhaseBar;
}

interface BarProps {
  x: number;
  base: number;
}

export const phaseLaneMode: InteractionModeFunction = (chart, event) => {
  const { chartArea } = chart;
  const yScale = chart.scales.y;
  if (!yScale || event.x === null || event.y === null) return [];
  if (event.x < chartArea.left || event.x > chartArea.right) return [];
  if (event.y < chartArea.top || event.y > chartArea.bottom) return [];
  const datasetIndex = Math.round(Number(yScale.getValueForPixel(event.y)));
  const meta = chart.getDatasetMeta(datasetIndex);
  if (!meta || !chart.isDatasetVisible(datasetIndex)) return [];
  let best = -1;
  let bestDistancePx = Number.POSITIVE_INFINITY;
  meta.data.forEach((element, index) => {
    const { x, base } = element.getProps(['x', 'base'], true) as unknown as BarProps;
    const left = Math.min(x, base) - MIN_BAR_PX / 2;
    const right = Math.max(x, base) + MIN_BAR_PX / 2;
    const distancePx = event.x! < left ? left - event.x! : event.x! > right ? event.x! - right : 0;
    if (distancePx < bestDistancePx) {
      best = index;
      bestDistancePx = distancePx;
    }
  });
  const element = meta.data[best];
  return element ? [{ element, datasetIndex, index: best }] : [];
};
Interaction.modes.phaseLane = phaseLaneMode;

function toMs(startNs: number, endNs: number): [number, number] {
  return [startNs / NS_PER_MS, endNs / NS_PER_MS];
}

export function timelinePoints(timeline: PhaseTimeline) {
  const cycles: TimelinePoint[] = timeline.cycles.map((cycle) => ({
    x: toMs(cycle.startNs, cycle.endNs),
    y: 'cycle',
    cycle,
  }));
  const bar = (lane: TimelinePoint['y']) => (phase: PhaseBar) => ({
    x: toMs(phase.startNs, phase.startNs + phase.durationNs),
    y: lane,
    phase,
  });
  return {
    cycles,
    pauses: timeline.pauses.map(bar('stop the world')),
    marks: timeline.marks.map(bar('concurrent mark')),
  };
}

/** Writes each cycle's number on its bar where the bar is wide enough to hold it. */
function cycleNumbers(palette: ChartPalette): Plugin<'bar'> {
  return {
    id: 'heapscopeCycleNumbers',
    afterDatasetsDraw: (chart) => {
      const meta = chart.getDatasetMeta(0);
      const points = chart.data.datasets[0]?.data as unknown as TimelinePoint[] | undefined;
      const { ctx } = chart;
      ctx.save();
      ctx.fillStyle = palette.text;
      ctx.font = '10px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      meta.data.forEach((element, index) => {
        const { x, base, y } = element.getProps(['x', 'base', 'y'], true) as unknown as BarProps & {
          y: number;
        };
        const seq = points?.[index]?.cycle?.seq;
        const label = seq === undefined ? '' : String(seq);
        if (Math.abs(x - base) >= ctx.measureText(label).width + 6) ctx.fillText(label, (x + base) / 2, y);
      });
      ctx.restore();
    },
  };
}

/**
 * A floating-bar chart on the session's time axis, one lane each for the cycles (alternating shades, numbered),
 * their stop-the-world windows and their concurrent marks.
 */
export function phaseTimelineConfig(
  timeline: PhaseTimeline,
  palette: ChartPalette,
  timeAxis: TimeAxisName,
): ChartConfiguration<'bar', TimelinePoint[]> {
  const axes = axisColors(palette);
  const points = timelinePoints(timeline);
  const lane = {
    grouped: false,
    minBarLength: MIN_BAR_PX,
    borderSkipped: false,
    barPercentage: 0.7,
  } as const;
  return {
    type: 'bar',
    data: {
      labels: [...TIMELINE_LANES],
      datasets: [
        {
          label: 'cycle',
          data: points.cycles,
          backgroundColor: (context) =>
            translucent(
              palette.idle,
              ((context.raw as TimelinePoint | undefined)?.cycle?.seq ?? 0) % 2 === 1 ? 0.45 : 0.25,
            ),
          ...lane,
          barPercentage: 0.55,
        },
        { label: 'stop-the-world pause', data: points.pauses, backgroundColor: palette.pause, ...lane },
        { label: 'concurrent mark', data: points.marks, backgroundColor: palette.gcMark, ...lane },
      ],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'phaseLane', intersect: false },
      scales: {
        x: {
          type: 'linear',
          min: timeline.fromNs / NS_PER_MS,
          max: Math.max(timeline.toNs, timeline.fromNs + 1) / NS_PER_MS,
          title: { display: true, text: timeAxisTitle(timeAxis), ...axes.title },
          ticks: {
            ...axes.ticks,
            maxRotation: 0,
            includeBounds: false,
            callback: (value, _index, ticks) =>
              formatTick(Number(value), Math.abs((ticks[1]?.value ?? 0) - (ticks[0]?.value ?? 0))),
          },
          grid: axes.grid,
          border: axes.border,
        },
        y: {
          type: 'category',
          ticks: axes.ticks,
          grid: { display: false },
          border: axes.border,
          afterFit: (scale) => {
            scale.width = Math.max(scale.width, Y_AXIS_WIDTH_PX);
          },
        },
      },
      plugins: {
        legend: {
          position: 'top',
          align: 'end',
          labels: {
            color: palette.text,
            boxWidth: 10,
            boxHeight: 10,
            padding: 8,
            filter: (item) => item.datasetIndex !== 0,
          },
        },
        tooltip: {
          ...tooltipColors(palette),
          callbacks: {
            title: (items) => {
              const point = items[0]?.raw as TimelinePoint | undefined;
              const seq = point?.cycle?.seq ?? point?.phase?.seq;
              return seq === undefined ? '' : `Cycle ${seq}`;
            },
            label: (item) => {
              const point = item.raw as TimelinePoint;
              if (point.cycle)
                return `whole cycle: ${formatNs(point.cycle.endNs - point.cycle.startNs)} from ${formatNs(point.cycle.startNs)}`;
              const phase = point.phase as PhaseBar;
              return `${phase.phase}: ${formatNs(phase.durationNs)} at ${formatNs(phase.startNs)}`;
            },
          },
        },
      },
    },
    plugins: [cycleNumbers(palette) as unknown as Plugin<'bar', TimelinePoint[]>],
  };
}
