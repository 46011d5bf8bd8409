/**
 * Drag-to-zoom on a time chart: a drag across the chart's plot area selects a time range, shown as
 * a shaded band while dragging, and hands it over on release. The pixel → time mapping is the
 * chart's own x scale, so the band lands exactly on what the user saw. A click (no drag) is left
 * to the chart (tooltips). The keyboard route to the same ranges is the zoom bar (ZoomBar.svelte).
 */
import type { Attachment } from 'svelte/attachments';
import { Chart } from './setup';

/** A drag narrower than this is a click. */
const MIN_DRAG_PX = 6;

export function dragZoom(onSelect: (startMs: number, endMs: number) => void): Attachment<HTMLElement> {
  return (host) => {
    let fromPx: number | null = null;
    const band = document.createElement('div');
    band.className = 'drag-zoom-band';
    band.hidden = true;
    host.append(band);

    const chartOf = (): Chart | undefined => {
      const canvas = host.querySelector('canvas');
      return canvas ? Chart.getChart(canvas) : undefined;
    };
    const localX = (event: PointerEvent): number => event.clientX - host.getBoundingClientRect().left;

    const down = (event: PointerEvent): void => {
      const chart = chartOf();
      if (!chart || event.button !== 0) return;
      const x = localX(event);
      if (x < chart.chartArea.left || x > chart.chartArea.right) return;
      fromPx = x;
      host.setPointerCapture(event.pointerId);
    };
    const move = (event: PointerEvent): void => {
      const chart = chartOf();
      if (fromPx === null || !chart) return;
      const x = Math.min(chart.chartArea.right, Math.max(chart.chartArea.left, localX(event)));
      band.hidden = Math.abs(x - fromPx) < MIN_DRAG_PX;
      band.style.left = `${Math.min(x, fromPx)}px`;
      band.style.width = `${Math.abs(x - fromPx)}px`;
      band.style.top = `${chart.chartArea.top}px`;
      band.style.height = `${chart.chartArea.height}px`;
    };
    const up = (event: PointerEvent): void => {
      const chart = chartOf();
      const start = fromPx;
      fromPx = null;
      band.hidden = true;
      if (start === null || !chart) return;
      const x = Math.min(chart.chartArea.right, Math.max(chart.chartArea.left, localX(event)));
      if (Math.abs(x - start) < MIN_DRAG_PX) return;
      const scale = chart.scales.x!;
      const a = scale.getValueForPixel(Math.min(start, x)) ?? 0;
      const b = scale.getValueForPixel(Math.max(start, x)) ?? 0;
      onSelect(a, b);
    };
    host.addEventListener('pointerdown', down);
    host.addEventListener('pointermove', move);
    host.addEventListener('pointerup', up);
    host.addEventListener('pointercancel', up);
    return () => {
      host.removeEventListener('pointerdown', down);
      host.removeEventListener('pointermove', move);
      host.removeEventListener('pointerup', up);
      host.removeEventListener('pointercancel', up);
      band.remove();
    };
  };
}
