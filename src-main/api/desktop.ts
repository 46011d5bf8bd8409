/**
 * The desktop shell's one call beyond the API contract: saving an exported file through the native
 * save dialog (the browser build downloads it instead). Only the preload and desktop/ use the
 * channel; the renderer sees `saveFile` on its bridge when it runs in the desktop app. This file has
 * no runtime imports so the sandboxed preload can bundle it.
 */
import type { ExportFormat } from './types';

export const SAVE_FILE_CHANNEL = 'heapscope-desktop:save-file';

/** What the Export menu saves: a data export (sessions.export) or a chart's PNG. */
export type SaveFileKind = ExportFormat | 'png';

export interface SaveFileRequest {
  kind: SaveFileKind;
  /** The suggested name, without a directory (the dialog starts in Downloads). */
  fileName: string;
  encoding: 'utf8' | 'base64';
  content: string;
}

/** `saved: false` when the user cancelled the dialog; `path` is where the file was written. */
export type SaveFileResult = { saved: true; path: string } | { saved: false; path: null };
