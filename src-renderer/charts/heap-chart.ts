import type { ChartConfiguration, Plugin } from 'chart.js';
import { axisColors, fixYAxisWidth, formatAxisMs, tooltipColors } from './common';
import type { ChartPalette } from './palette';
import type { GcSpan, HeapSeries, XY } from './series/heap';
import { timeAxisTitle, type TimeAxisName } from '../lib/time-axis';

const GC_TICK_HEIGHT_PX = 5;
const MIN_PX_PER_BAND = 4;

/** The legend entry for the GC spans: an empty dataset, so clicking it hides the spans too. */
const GC_DATASET_INDEX = 4;

/** Shades each GC cycle's interval behind the lines, with a tick on top so short cycles still show. */
function gcSpansPlugin(spans: readonly GcSpan[], palette: ChartPalette): Plugin<'line'> {
  return {
    id: 'gcSpans',
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea } = chart;
      const x = chart.scales.x;
      if (!x || spans.length === 0 || !chart.isDatasetVisible(GC_DATASET_INDEX)) return;
      ctx.save();
      ctx.beginPath();
      ctx.rect(chartArea.left, chartArea.top, chartArea.width, chartArea.height);
      ctx.clip();
      // Bands closer than a few pixels merge into a wash that hides the lines; keep just the ticks.
      const bands = chartArea.width / spans.length >= MIN_PX_PER_BAND;
      for (const span of spans) {
        const left = x.getPixelForValue(span.startMs);
        const width = Math.max(1, x.getPixelForValue(span.endMs) - left);
        if (bands) {
          ctx.fillStyle = palette.gcBand;
          ctx.fillRect(left, chartArea.top, width, chartArea.height);
        }
        ctx.fillStyle = span.trigger === 'heap' ? palette.gcTick : palette.gcForced;
        ctx.fillRect(left, chartArea.top, Math.max(2, width), GC_TICK_HEIGHT_PX);
      }
      ctx.restore();
    },
  };
}

export function heapChartConfig(
  series: HeapSeries,
  palette: ChartPalette,
  timeAxis: TimeAxisName,
): ChartConfiguration<'line', XY[]> {
  const axes = axisColors(palette);
  const step = { stepped: 'before' as const, pointRadius: 0, pointHoverRadius: 3, borderWidth: 1.5 };
  return {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'Heap allocated',
          data: series.allocMiB,
          borderColor: palette.alloc,
          backgroundColor: palette.alloc,
          borderWidth: 1.25,
          pointRadius: 0,
          pointHoverRadius: 3,
        },
        {
          label: 'Marked live',
          data: series.markedMiB,
          borderColor: palette.marked,
          backgroundColor: palette.marked,
          ...step,
        },
        {
          label: 'Goal',
          data: series.goalMiB,
          borderColor: palette.goal,
          backgroundColor: palette.goal,
          borderDash: [6, 3],
          ...step,
        },
        {
          label: 'Trigger',
          data: series.triggerMiB,
          borderColor: palette.trigger,
          backgroundColor: palette.trigger,
          borderDash: [2, 3],
          ...step,
          borderWidth: 1,
        },
        {
          label: 'GC cycles',
          data: [],
          borderColor: palette.gcTick,
          backgroundColor: palette.gcBand,
          borderWidth: 3,
          pointRadius: 0,
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
          min: series.startMs ?? 0,
          max: series.endMs > (series.startMs ?? 0) ? series.endMs : (series.startMs ?? 0) + 1,
          title: { display: true, text: timeAxisTitle(timeAxis), ...axes.title },
          ticks: { ...axes.ticks, callback: formatAxisMs, maxRotation: 0, includeBounds: false },
          grid: axes.grid,
          border: axes.border,
        },
        y: {
          type: 'linear',
          beginAtZero: true,
          title: { display: true, text: 'MiB', ...axes.title },
          ticks: axes.ticks,
          grid: axes.grid,
          border: axes.border,
          afterFit: fixYAxisWidth,
        },
      },
      plugins: {
        decimation: { enabled: true, algorithm: 'min-max' },
        legend: {
          position: 'top',
          align: 'end',
          labels: { color: palette.text, boxWidth: 14, boxHeight: 2, padding: 10 },
        },
        tooltip: {
          ...tooltipColors(palette),
          callbacks: {
            title: (items) => (items[0] ? `t = ${formatAxisMs(items[0].parsed.x ?? 0)} ms` : ''),
            label: (item) => `${item.dataset.label}: ${(item.parsed.y ?? 0).toFixed(2)} MiB`,
          },
        },
      },
    },
    plugins: [gcSpansPlugin(series.gcSpans, palette)],
  };
}
