import type { Chart, ChartConfiguration, ChartType, DefaultDataPoint, Plugin } from 'chart.js';

/**
 * The playback cursor on a virtual-time chart: a vertical line at `ns`, read from the chart's own
 * `options.plugins.playbackCursor`, so a new cursor reaches a mounted chart through
 * `chartAttachment`'s in-place update, without a rebuild. Every chart's x axis is in milliseconds.
 * Once drawn, the canvas's parent carries `data-cursor-ns` (absent while the cursor is hidden).
 */
export interface PlaybackCursorOptions {
  /** Virtual time of the cursor; null hides it. */
  ns: number | null;
  color: string;
}

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a merged declaration repeats Chart.js's parameter
  interface PluginOptionsByType<TType extends ChartType> {
    playbackCursor?: Partial<PlaybackCursorOptions>;
  }
}

const NS_PER_MS = 1e6;
const LINE_WIDTH_PX = 1.5;
const HANDLE_PX = 5;

function reportCursor(chart: Chart, ns: number | null): void {
  // A destroyed chart has let go of its canvas (Chart.js nulls it before afterDestroy).
  const host = (chart.canvas as HTMLCanvasElement | null)?.parentElement;
  if (!host) return;
  if (ns === null) delete host.dataset.cursorNs;
  else host.dataset.cursorNs = String(ns);
}

export const playbackCursorPlugin: Plugin<ChartType, PlaybackCursorOptions> = {
  id: 'playbackCursor',
  defaults: { ns: null, color: '#888' },
  afterDatasetsDraw(chart, _args, options) {
    const { ns, color } = options;
    reportCursor(chart, ns);
    const x = chart.scales.x;
    if (ns === null || !x) return;
    const px = x.getPixelForValue(ns / NS_PER_MS);
    const { ctx, chartArea } = chart;
    if (px < chartArea.left - 0.5 || px > chartArea.right + 0.5) return;
    ctx.save();
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = LINE_WIDTH_PX;
    ctx.beginPath();
    ctx.moveTo(px, chartArea.top);
    ctx.lineTo(px, chartArea.bottom);
    ctx.stroke();
    // A small downward triangle on top, so the cursor is found on a busy chart.
    ctx.beginPath();
    ctx.moveTo(px - HANDLE_PX, chartArea.top - 1);
    ctx.lineTo(px + HANDLE_PX, chartArea.top - 1);
    ctx.lineTo(px, chartArea.top + HANDLE_PX);
    ctx.closePath();
    ctx.fill();
    ctx.restore();
  },
  // Before, not after: by afterDestroy Chart.js has already dropped the canvas, and the host keeps
  // no stale cursor once its chart is gone.
  beforeDestroy(chart) {
    reportCursor(chart, null);
  },
};

/** `config` with the playback cursor at `ns` (null: hidden); the rest of the config is shared, not copied. */
export function withCursor<TType extends ChartType, TData = DefaultDataPoint<TType>>(
  config: ChartConfiguration<TType, TData>,
  ns: number | null,
  color: string,
): ChartConfiguration<TType, TData> {
  const options = config.options;
  return {
    ...config,
    options: { ...options, plugins: { ...options?.plugins, playbackCursor: { ns, color } } },
  } as ChartConfiguration<TType, TData>;
}
