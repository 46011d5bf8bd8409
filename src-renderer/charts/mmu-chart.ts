import type { ChartConfiguration } from 'chart.js';
import { axisColors, fixYAxisWidth, tooltipColors } from './common';
import { translucent, type ChartPalette } from './palette';
import { formatNs, formatPercent } from './series/format';
import type { MmuPoint } from './series/mmu';
import { formatEdgeNs } from './series/pause-windows';

interface MmuXY {
  /** Window size, ns. */
  x: number;
  /** MMU, percent. */
  y: number;
}

/** A tick at each power of ten only: a log axis's 2…9 ticks would crowd the labels. */
function decadeLabel(value: number | string): string {
  const ns = Number(value);
  const exponent = Math.log10(ns);
  return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? formatEdgeNs(ns) : '';
}

export function mmuChartConfig(
  curve: readonly MmuPoint[],
  palette: ChartPalette,
): ChartConfiguration<'line', MmuXY[]> {
  const axes = axisColors(palette);
  const data = curve.map((p) => ({ x: p.windowNs, y: p.mmu * 100 }));
  return {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'minimum mutator utilization',
          data,
          borderColor: palette.alloc,
          backgroundColor: translucent(palette.alloc, 0.12),
          borderWidth: 1.75,
          fill: 'origin',
          pointRadius: 0,
          pointHoverRadius: 3,
        },
      ],
    },
    options: {
      parsing: false,
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      // Room for the last decade's label, which sits on the right edge.
      layout: { padding: { right: 18 } },
      scales: {
        x: {
          type: 'logarithmic',
          min: curve[0]?.windowNs,
          max: curve.at(-1)?.windowNs,
          title: { display: true, text: 'window size (log scale)', ...axes.title },
          ticks: { ...axes.ticks, maxRotation: 0, autoSkip: false, callback: decadeLabel },
          grid: axes.grid,
          border: axes.border,
        },
        y: {
          type: 'linear',
          min: 0,
          max: 100,
          title: { display: true, text: 'mutator utilization', ...axes.title },
          ticks: { ...axes.ticks, stepSize: 25, callback: (value) => `${value}%` },
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
              const point = curve[items[0]?.dataIndex ?? -1];
              return point ? `window ${formatNs(point.windowNs)}` : '';
            },
            label: (item) => {
              const point = curve[item.dataIndex] as MmuPoint;
              return `MMU ${formatPercent(point.mmu)} (windows of at least this size)`;
            },
            footer: (items) => {
              const point = curve[items[0]?.dataIndex ?? -1];
              return point ? `worst window of exactly this size: ${formatPercent(point.exact)}` : '';
            },
          },
        },
      },
    },
  };
}
