import type { Attachment } from 'svelte/attachments';
import type { ChartPalette } from './palette';
import { CELL_RELEASED, classHue, type SpanInfo, type SpanMapCells } from './series/snapshot';

/** Cells per row: 4,096 pages (32 MiB) make 32 rows, and a row of the map is a round 1 MiB. */
export const SPAN_MAP_COLUMNS = 128;
const MIN_CELL_PX = 3;
const MAX_CELL_PX = 12;

export interface SpanMapLayout {
  columns: number;
  cellPx: number;
  rows: number;
}

export function spanMapLayout(cells: number, widthPx: number): SpanMapLayout {
  const columns = Math.max(1, Math.min(SPAN_MAP_COLUMNS, cells));
  const cellPx = Math.max(MIN_CELL_PX, Math.min(MAX_CELL_PX, Math.floor(widthPx / columns)));
  return { columns, cellPx, rows: Math.ceil(cells / columns) };
}

/** A span's colour: its class's hue (large objects their own colour), paler the fewer slots are used. */
export function spanColor(span: SpanInfo, palette: ChartPalette): string {
  const alpha = (0.3 + 0.7 * span.occupancy).toFixed(2);
  if (span.sizeClass === 0)
    return `color-mix(in srgb, ${palette.objects} ${Number(alpha) * 100}%, transparent)`;
  return `hsl(${classHue(span.sizeClass).toFixed(0)} 65% 45% / ${alpha})`;
}

/**
 * Draws the cells on the canvas, at the width of its parent and again when that changes; once
 * drawn, the parent carries `data-cells`.
 */
export function spanMapAttachment(
  cells: SpanMapCells,
  spans: readonly SpanInfo[],
  palette: ChartPalette,
): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const host = canvas.parentElement;
    const draw = () => {
      const context = canvas.getContext('2d');
      if (!host || !context) return;
      const layout = spanMapLayout(cells.cells, host.clientWidth);
      const ratio = window.devicePixelRatio || 1;
      const widthPx = layout.columns * layout.cellPx;
      const heightPx = layout.rows * layout.cellPx;
      canvas.style.width = `${widthPx}px`;
      canvas.style.height = `${heightPx}px`;
      canvas.width = Math.round(widthPx * ratio);
      canvas.height = Math.round(heightPx * ratio);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, widthPx, heightPx);
      // A one-pixel gutter keeps cells apart once they are big enough to spare it.
      const gap = layout.cellPx >= 5 ? 1 : 0;
      for (let cell = 0; cell < cells.cells; cell++) {
        const owner = cells.span[cell]!;
        context.fillStyle =
          owner >= 0
            ? spanColor(spans[owner]!, palette)
            : owner === CELL_RELEASED
              ? palette.released
              : palette.idle;
        const x = (cell % layout.columns) * layout.cellPx;
        const y = Math.floor(cell / layout.columns) * layout.cellPx;
        context.fillRect(x, y, layout.cellPx - gap, layout.cellPx - gap);
      }
      host.dataset.cells = String(cells.cells);
    };
    draw();
    const observer = new ResizeObserver(draw);
    if (host) observer.observe(host);
    return () => {
      observer.disconnect();
      if (host) delete host.dataset.cells;
    };
  };
}
