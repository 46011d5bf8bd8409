/**
 * Which rows of a virtualised table are in the DOM: the rows in view plus `overscan` either side,
 * so a short scroll never shows a gap before the next frame.
 */
export interface RowWindow {
  /** First row index rendered. */
  first: number;
  /** One past the last row index rendered. */
  end: number;
}

export function rowWindow(
  scrollTopPx: number,
  viewPx: number,
  rowPx: number,
  total: number,
  overscan: number,
): RowWindow {
  const top = Math.max(0, Math.floor(scrollTopPx / rowPx));
  const first = Math.max(0, Math.min(total, top - overscan));
  const end = Math.min(total, top + Math.ceil(viewPx / rowPx) + overscan);
  return { first, end: Math.max(first, end) };
}

/** A time range zoomed about its centre by `factor` (< 1 zooms in), kept inside [0, limitNs]. */
export function zoomRange(
  range: { startNs: number; endNs: number },
  factor: number,
  limitNs: number,
  minSpanNs = 1_000,
): { startNs: number; endNs: number } {
  const centre = (range.startNs + range.endNs) / 2;
  const span = Math.min(limitNs, Math.max(minSpanNs, (range.endNs - range.startNs) * factor));
  return clampRange(centre - span / 2, centre + span / 2, limitNs);
}

/** A time range moved by `fraction` of its span (negative: earlier), kept inside [0, limitNs]. */
export function panRange(
  range: { startNs: number; endNs: number },
  fraction: number,
  limitNs: number,
): { startNs: number; endNs: number } {
  const shift = (range.endNs - range.startNs) * fraction;
  return clampRange(range.startNs + shift, range.endNs + shift, limitNs);
}

function clampRange(startNs: number, endNs: number, limitNs: number): { startNs: number; endNs: number } {
  const span = Math.min(endNs - startNs, limitNs);
  let start = Math.max(0, startNs);
  if (start + span > limitNs) start = limitNs - span;
  return { startNs: Math.round(start), endNs: Math.round(start + span) };
}
