import type { ChartConfiguration, ChartType, DefaultDataPoint, Plugin } from 'chart.js';
import type { Attachment } from 'svelte/attachments';
import { Chart } from './setup';

/**
 * Mounts a Chart.js chart on a canvas for as long as the canvas lives; a new config (new data,
 * another theme) re-runs the attachment, which replaces the chart. Once drawn, the canvas's parent
 * carries `data-points` (the points handed to the chart) so end-to-end tests can check what is shown.
 */
export function chartAttachment<TType extends ChartType, TData = DefaultDataPoint<TType>>(
  config: ChartConfiguration<TType, TData>,
  pointCount: number,
): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const host = canvas.parentElement;
    const reportDrawn: Plugin<TType> = {
      id: 'heapscopeDrawn',
      afterRender: () => {
        if (host) host.dataset.points = String(pointCount);
      },
    };
    const chart = new Chart(canvas, { ...config, plugins: [...(config.plugins ?? []), reportDrawn] });
    return () => {
      chart.destroy();
      if (host) delete host.dataset.points;
    };
  };
}
