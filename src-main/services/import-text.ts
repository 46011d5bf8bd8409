/**
 * `sessions.import`: a gctrace log's text from the UI (a file picked or dropped) through the same
 * streaming import as `heapscope import`, so the session, its report and its refusals are the same.
 */
import { ApiError } from '../api/contract';
import type { ImportRequest, ImportTextResult } from '../api/types';
import { GctraceInputError } from '../formats/gctrace';
import type { Db } from '../store/database';
import type { EventHub } from './events';
import { defaultImportName, importGctrace } from './import';

/** The parser takes text a chunk at a time; a chunk of 1 Mi characters keeps each step short. */
const CHUNK_CHARS = 1 << 20;

async function* chunksOf(text: string): AsyncGenerator<string> {
  for (let start = 0; start < text.length; start += CHUNK_CHARS) yield text.slice(start, start + CHUNK_CHARS);
}

export async function importText(
  request: ImportRequest,
  db: Db,
  events: EventHub,
): Promise<ImportTextResult> {
  const fileName = request.fileName ?? null;
  try {
    const result = await importGctrace(chunksOf(request.text), {
      name: request.name ?? (fileName === null ? 'imported gctrace log' : defaultImportName(fileName)),
      database: db,
      fileName,
      goVersion: request.goVersion ?? null,
      totalBytes: null,
      recorderPid: process.pid,
    });
    events.emit('sessions.changed', {});
    return { sessionId: result.sessionId, warnings: result.warnings };
  } catch (error) {
    if (error instanceof GctraceInputError)
      throw new ApiError('invalid-argument', `${fileName ?? 'the log'}: ${error.message}`);
    throw error;
  }
}
