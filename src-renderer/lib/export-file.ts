/**
 * Saving exports from the renderer: an API export result or a chart's pixels become a file — in
 * the desktop app through the native save dialog (the preload's `saveFile`), in a browser as a
 * download (an <a download> click). The pure parts (names, decoding, the menu's entries, which way
 * a file is saved) are here and unit-tested; ExportMenu.svelte does the clicking.
 */
import type { HeapscopeBridge } from './bridge';
import type { ExportRequest, ExportResult, SaveFileKind, SessionSource } from './contract';

/** One entry of the Export menu that asks the API for a file. */
export interface DataExportItem {
  key: string;
  label: string;
  request: Omit<ExportRequest, 'id'>;
  /** Why the entry cannot be used now; null when it can. */
  disabledReason: string | null;
}

export function dataExportItems(source: SessionSource, snapshotSeq: number | null): DataExportItem[] {
  const pprofReason =
    source !== 'simulation'
      ? 'gctrace logs carry no heap snapshots'
      : snapshotSeq === null
        ? 'no heap snapshot is selected'
        : null;
  return [
    { key: 'json', label: 'Session JSON', request: { format: 'json' }, disabledReason: null },
    { key: 'csv', label: 'Cycles CSV', request: { format: 'csv', table: 'cycles' }, disabledReason: null },
    {
      key: 'csv-pauses',
      label: 'Pauses CSV',
      request: { format: 'csv', table: 'pauses' },
      disabledReason: null,
    },
    { key: 'gctrace', label: 'gctrace log', request: { format: 'gctrace' }, disabledReason: null },
    { key: 'trace', label: 'Chrome trace (Perfetto)', request: { format: 'trace' }, disabledReason: null },
    {
      key: 'pprof',
      label: snapshotSeq === null ? 'pprof heap profile' : `pprof heap profile (gc ${snapshotSeq})`,
      request: snapshotSeq === null ? { format: 'pprof' } : { format: 'pprof', cycle: snapshotSeq },
      disabledReason: pprofReason,
    },
  ];
}

/** The bytes of a file's content, whichever encoding carried them. */
export function contentBytes(encoding: 'utf8' | 'base64', content: string): Uint8Array<ArrayBuffer> {
  if (encoding === 'utf8') return new TextEncoder().encode(content);
  const binary = atob(content);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The bytes of an export result, whichever encoding carried them. */
export function exportResultBytes(result: ExportResult): Uint8Array<ArrayBuffer> {
  return contentBytes(result.encoding, result.content);
}

/** A file to save: an export result, or a chart as a PNG data URL's base64. */
export interface FileToSave {
  kind: SaveFileKind;
  fileName: string;
  mimeType: string;
  encoding: 'utf8' | 'base64';
  content: string;
}

/** What became of a save: where it went (a path, or the download's name), or cancelled in the dialog. */
export type SaveOutcome = { saved: true; where: string } | { saved: false };

export function exportResultFile(result: ExportResult): FileToSave {
  const { format, fileName, mimeType, encoding, content } = result;
  return { kind: format, fileName, mimeType, encoding, content };
}

/** A `data:image/png;base64,…` URL as a file to save. */
export function pngDataUrlFile(dataUrl: string, fileName: string): FileToSave {
  const comma = dataUrl.indexOf(',');
  return {
    kind: 'png',
    fileName,
    mimeType: 'image/png',
    encoding: 'base64',
    content: dataUrl.slice(comma + 1),
  };
}

/**
 * Saves through the desktop's native dialog when the bridge offers one, else as a browser download
 * (which has no dialog to cancel, so it always counts as saved under its file name).
 */
export async function saveFile(
  file: FileToSave,
  bridge: HeapscopeBridge | null,
  download: (file: FileToSave) => void,
): Promise<SaveOutcome> {
  if (bridge?.saveFile) {
    const { kind, fileName, encoding, content } = file;
    const result = await bridge.saveFile({ kind, fileName, encoding, content });
    return result.saved ? { saved: true, where: result.path } : { saved: false };
  }
  download(file);
  return { saved: true, where: file.fileName };
}

/** Hands `file` to the browser as a download. */
export function downloadFile(file: FileToSave): void {
  downloadBytes(contentBytes(file.encoding, file.content), file.fileName, file.mimeType);
}

/** "heap-chart" of session 3 → "heapscope-3-heap-chart.png". */
export function chartFileName(sessionId: number, chartKey: string): string {
  const slug = chartKey
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `heapscope-${sessionId}-${slug || 'chart'}.png`;
}

/** Hands `href` to the browser as a download named `fileName`. */
export function download(href: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
}

export function downloadBytes(bytes: Uint8Array<ArrayBuffer>, fileName: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }));
  download(url, fileName);
  // The click has started the download by the next task; the URL is not needed after that.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A chart's canvas as a PNG data URL on the page's background colour: Chart.js draws on a
 * transparent canvas, which image viewers show as black or checkered.
 */
export function canvasPng(canvas: HTMLCanvasElement, background: string): string {
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const context = copy.getContext('2d');
  if (context === null) return canvas.toDataURL('image/png');
  context.fillStyle = background;
  context.fillRect(0, 0, copy.width, copy.height);
  context.drawImage(canvas, 0, 0);
  return copy.toDataURL('image/png');
}
