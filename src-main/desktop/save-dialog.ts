/**
 * The native save dialog for exports, as plain data and plain file writes: what the dialog offers
 * (a title, the suggested path in Downloads, a filter for the format and one for all files), and
 * writing what the user chose. desktop/ipc.ts shows the dialog; everything here is unit-tested
 * without Electron.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileFilter, SaveDialogOptions } from 'electron';
import type { SaveFileKind, SaveFileRequest } from '../api/desktop';
import { assertNever } from '../engine/assert';

/** The filter the dialog selects for each kind, named as a user knows the format. */
export function saveFilters(kind: SaveFileKind): FileFilter[] {
  const all: FileFilter = { name: 'All files', extensions: ['*'] };
  switch (kind) {
    case 'json':
      return [{ name: 'Heapscope session (JSON)', extensions: ['json'] }, all];
    case 'csv':
      return [{ name: 'CSV', extensions: ['csv'] }, all];
    case 'gctrace':
      return [{ name: 'gctrace log', extensions: ['txt', 'log'] }, all];
    case 'pprof':
      // pprof's own name is name.pb.gz; the dialog matches on the last extension.
      return [{ name: 'pprof profile (gzipped protobuf)', extensions: ['gz', 'pb'] }, all];
    case 'trace':
      return [{ name: 'Chrome trace (JSON)', extensions: ['json'] }, all];
    case 'png':
      return [{ name: 'PNG image', extensions: ['png'] }, all];
    default:
      return assertNever(kind, 'save file kind');
  }
}

export function saveDialogOptions(request: SaveFileRequest, downloadsDir: string): SaveDialogOptions {
  return {
    title: request.kind === 'png' ? 'Save chart' : 'Save export',
    defaultPath: join(downloadsDir, request.fileName),
    filters: saveFilters(request.kind),
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}

/**
 * Writes the file beside its destination and renames it into place, as `heapscope export --out`
 * does, so a failed write never leaves half a file under the chosen name. A failure names the path
 * and the reason.
 */
export async function writeSavedFile(path: string, request: SaveFileRequest): Promise<void> {
  const bytes = Buffer.from(request.content, request.encoding === 'base64' ? 'base64' : 'utf8');
  const temporary = join(dirname(path), `.heapscope-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`cannot write ${path}: ${reason}`, { cause: error });
  }
}
