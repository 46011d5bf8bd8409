/**
 * `sessions.import`: a gctrace log's or a session export's text from the UI (a file picked or
 * dropped) through the same import as `heapscope import`, so the session, its report and its
 * refusals are the same. Large files come in chunks instead (services/import-jobs.ts).
 */
import { ApiError } from '../api/contract';
import type { ImportRequest, ImportTextResult } from '../api/types';
import { GctraceInputError } from '../formats/gctrace';
import { SessionJsonError } from '../formats/session-json';
import type { Db } from '../store/database';
import type { EventHub } from './events';
import { defaultImportName } from './import';
import { importAny } from './import-session';

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
    const result = await importAny(chunksOf(request.text), {
      name: request.name ?? (fileName === null ? 'imported gctrace log' : defaultImportName(fileName)),
      nameGiven: request.name !== undefined,
      database: db,
      fileName,
      goVersion: request.goVersion ?? null,
      totalBytes: null,
      recorderPid: process.pid,
    });
    events.emit('sessions.changed', {});
    return { sessionId: result.sessionId, warnings: result.warnings };
  } catch (error) {
    if (error instanceof GctraceInputError || error instanceof SessionJsonError)
      throw new ApiError('invalid-argument', `${fileName ?? 'the log'}: ${error.message}`);
    throw error;
  }
}
