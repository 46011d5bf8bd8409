import type { ChartConfiguration, ChartType, DefaultDataPoint, Plugin } from 'chart.js';
import type { Attachment } from 'svelte/attachments';
import { Chart } from './setup';

/** The chart living on a canvas, and what its "drawn" report says. */
interface Mounted {
  chart: Chart;
  type: string;
  pointCount: number;
  /** Torn down by the last run of the attachment; destroyed unless a re-run takes it over. */
  releasing: boolean;
}

const mounted = new WeakMap<HTMLCanvasElement, Mounted>();

/** The x axis's title as Chart.js resolved it for drawing, if it shows one. */
function drawnXTitle(chart: { scales: Record<string, { options: unknown } | undefined> }): string | null {
  const title = (chart.scales['x']?.options as { title?: { display?: boolean; text?: unknown } } | undefined)
    ?.title;
  return title?.display && typeof title.text === 'string' ? title.text : null;
}

/**
 * Mounts a Chart.js chart on a canvas for as long as the canvas lives. A new config (new data, as
 * a live recording streams in; another theme) re-runs the attachment: a chart of the same type is
 * updated in place, without animation, rather than rebuilt, so a live view does not flicker or
 * lose the user's hover. Once drawn, the canvas's parent carries `data-points` (the points handed
 * to the chart) and `data-x-title` (the x axis's title as drawn) so end-to-end tests can check
 * what is shown.
 */
export function chartAttachment<TType extends ChartType, TData = DefaultDataPoint<TType>>(
  config: ChartConfiguration<TType, TData>,
  pointCount: number,
): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const host = canvas.parentElement;
    let state = mounted.get(canvas);
    // A chart whose canvas was detached when it was made is still waiting to attach: rebuild it.
    if (state !== undefined && state.type === config.type && state.chart.attached) {
      state.releasing = false;
      state.pointCount = pointCount;
      const chart = state.chart as unknown as Chart<TType, TData>;
      chart.data = config.data;
      chart.options = (config.options ?? {}) as typeof chart.options;
      chart.update('none');
    } else {
      if (state !== undefined) state.chart.destroy();
      // The report reads the count from `fresh`, which exists before the chart: Chart.js may draw
      // synchronously inside its constructor.
      const fresh: Omit<Mounted, 'chart'> & { chart?: Chart } = {
        type: config.type,
        pointCount,
        releasing: false,
      };
      const reportDrawn: Plugin<TType> = {
        id: 'heapscopeDrawn',
        afterRender: (chart) => {
          if (!host) return;
          host.dataset.points = String(fresh.pointCount);
          const xTitle = drawnXTitle(chart);
          if (xTitle === null) delete host.dataset.xTitle;
          else host.dataset.xTitle = xTitle;
        },
      };
      fresh.chart = new Chart(canvas, {
        ...config,
        plugins: [...(config.plugins ?? []), reportDrawn],
      }) as unknown as Chart;
      state = fresh as Mounted;
      mounted.set(canvas, state);
    }
    const current = state;
    return () => {
      current.releasing = true;
      // A re-run (new config) happens right after this teardown and takes the chart over; a canvas
      // that is going away is not re-run, and its chart is destroyed.
      queueMicrotask(() => {
        if (!current.releasing || mounted.get(canvas) !== current) return;
        current.chart.destroy();
        mounted.delete(canvas);
        if (host) {
          delete host.dataset.points;
          delete host.dataset.xTitle;
        }
      });
    };
  };
}
