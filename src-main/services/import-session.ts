/**
 * Importing whatever a user hands over: a gctrace log (services/import.ts, streamed) or a Heapscope
 * session export (formats/session-json.ts), told apart by their first bytes.
 *
 *  1. Input that does not start with `{` (after a byte order mark and blank space) is a log: it
 *     streams to the gctrace importer from its first chunk.
 *  2. Input that starts with `{` is held until its end, unless a line starting like a gctrace cycle
 *     line shows it is a log whose program printed JSON first (a structured logger): then it streams
 *     to the gctrace importer, held chunks first. A session export never has such a line: its text
 *     is one line, or indented lines. Past SESSION_JSON_MAX_CHARS, an export is refused as too large
 *     and anything else streams to the gctrace importer, so memory stays bounded either way.
 *  3. At the end, JSON whose object has a `formatVersion` (or `format: "heapscope-session"`) is a
 *     session export: validated whole, then written in one transaction — the session as exported,
 *     its cycles, samples, snapshots and source report — so a refused file writes nothing. Any other
 *     input goes to the gctrace importer, which says why it is not a log.
 *
 * What an imported export keeps and what it does not is documented in docs/export-formats.md: a new
 * id; the stats, cycle count, duration and size are recomputed from the records (and come out equal).
 */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { SessionStatus } from '../api/types';
import { ENGINE_VERSION } from '../engine';
import {
  SessionJsonError,
  looksLikeSessionExport,
  parseSessionJson,
  type ParsedSessionExport,
} from '../formats/session-json';
import { Recorder } from '../store/recorder';
import { SessionRepository } from '../store/sessions';
import {
  ChunkDecoder,
  ImportCancelledError,
  defaultImportName,
  importGctrace,
  type ImportOptions,
} from './import';

/**
 * The largest session export read: it is parsed whole (JSON has no streaming form here), and a
 * string this long is well inside V8's limit. A simulation with object graphs in every snapshot is
 * the largest export there is; 256 Mi characters holds thousands of them.
 */
export const SESSION_JSON_MAX_CHARS = 256 << 20;
const READ_CHUNK_BYTES = 256 * 1024;
/**
 * A gctrace cycle line at the start of a line: `gc 12 @…` (Go ≥ 1.5) or `gc12(4): …` (Go 1.4). Held
 * text starts with `{`, so a cycle line in it follows a newline.
 */
const CYCLE_LINE_START = /\ngc ?\d+[ (]/;
/** Enough of the held text's end to find a cycle line's start cut by a chunk boundary. */
const LINE_START_OVERLAP_CHARS = 32;
/** An export as `heapscope export` writes it: its kind or version is its first key. */
const EXPORT_OPENING = /^[\s\uFEFF]*\{\s*"(format|formatVersion)"\s*:/;

export type ImportKind = 'gctrace' | 'session-json';

export interface AnyImportResult {
  sessionId: number;
  kind: ImportKind;
  /** One line each, for a person: what was skipped, substituted or changed and why. */
  warnings: string[];
}

/** The session an export describes, written in one transaction; what a person should know about it. */
export function writeSessionExport(
  parsed: ParsedSessionExport,
  options: Pick<ImportOptions, 'database' | 'now'> & { name?: string | null },
): AnyImportResult {
  const db = typeof options.database === 'function' ? options.database() : options.database;
  const { session, cycles, samples, snapshots, pacerLines } = parsed;
  const sessions = new SessionRepository(db);
  const warnings: string[] = [];
  // A session exported while it recorded was cut off there; nothing will finish it now.
  let status: Exclude<SessionStatus, 'recording'>;
  let error = session.error;
  if (session.status === 'recording') {
    status = 'interrupted';
    error ??= 'exported while it was still recording: the export holds the cycles recorded by then';
    warnings.push('the session was still recording when it was exported: imported as interrupted');
  } else {
    status = session.status;
  }
  if (
    session.source === 'simulation' &&
    session.engineVersion !== null &&
    session.engineVersion !== ENGINE_VERSION
  ) {
    warnings.push(
      `recorded by engine version ${session.engineVersion}, this is ${ENGINE_VERSION}: a replay may rightly differ`,
    );
  }
  const write = db.transaction((): number => {
    const id = sessions.create(
      {
        name: options.name ?? session.name,
        source: session.source,
        scenario: session.scenario,
        collector: session.collector,
        config: session.config,
        seed: session.seed,
        engineVersion: session.engineVersion,
        recorderPid: null,
      },
      new Date(session.createdAt),
    );
    sessions.update(id, { notes: session.notes, tags: session.tags });
    const recorder = new Recorder(db, id);
    recorder.add(cycles, samples, snapshots, pacerLines);
    recorder.flush();
    if (session.sourceReport !== null) sessions.setSourceReport(id, session.sourceReport);
    sessions.finish(id, status, error, options.now?.() ?? new Date());
    return id;
  });
  return { sessionId: write.immediate(), kind: 'session-json', warnings };
}

/** The chunks held while deciding, then the rest of the input, as one stream. */
async function* replay(
  held: readonly (Uint8Array | string)[],
  rest: AsyncIterator<Uint8Array | string>,
): AsyncGenerator<Uint8Array | string> {
  yield* held;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** A gctrace log or a session export, from any stream of bytes or text. */
export async function importAny(
  input: AsyncIterable<Uint8Array | string>,
  options: ImportOptions,
): Promise<AnyImportResult> {
  const iterator = input[Symbol.asyncIterator]();
  const held: (Uint8Array | string)[] = [];
  const decoder = new ChunkDecoder();
  let text = '';
  let bytesRead = 0;
  let isLog = false;
  for (let next = await iterator.next(); ; next = await iterator.next()) {
    if (options.signal?.aborted) throw new ImportCancelledError();
    if (next.done) {
      text += decoder.end();
      break;
    }
    const chunk = next.value;
    held.push(chunk);
    bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    // Only the new text (and the end of the old, for a line start cut in two) is searched: a
    // minified export is one line, and searching it whole at every chunk would take quadratic time.
    const from = Math.max(0, text.length - LINE_START_OVERLAP_CHARS);
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk);
    const start = /^[\s\uFEFF]*/.exec(text)![0].length;
    if (start === text.length) continue;
    if (text[start] !== '{' || CYCLE_LINE_START.test(text.slice(from))) {
      isLog = true;
      break;
    }
    if (text.length > SESSION_JSON_MAX_CHARS) {
      if (EXPORT_OPENING.test(text.slice(0, 200)))
        throw new SessionJsonError([
          `$: expected a session export of at most ${SESSION_JSON_MAX_CHARS / 2 ** 20} Mi characters, found a larger one`,
        ]);
      isLog = true;
      break;
    }
    options.onProgress?.({ bytesRead, totalBytes: options.totalBytes ?? null, linesRead: 0, cycles: 0 });
  }
  if (options.signal?.aborted) throw new ImportCancelledError();
  if (!isLog) {
    let json: unknown;
    let parsed = false;
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, ''));
      parsed = true;
    } catch {
      // Either a broken export (said below) or not JSON at all (the gctrace importer says so).
    }
    const claimsExport = parsed ? looksLikeSessionExport(json) : EXPORT_OPENING.test(text.slice(0, 200));
    if (claimsExport) {
      const session = parseSessionJson(text.replace(/^\uFEFF/, ''));
      return writeSessionExport(session, {
        database: options.database,
        now: options.now,
        name: options.nameGiven ? options.name : null,
      });
    }
  }
  const result = await importGctrace(replay(held, iterator), options);
  return { sessionId: result.sessionId, kind: 'gctrace', warnings: result.warnings };
}

/** Imports a file (or '-' for stdin): a log is named after the file, an export keeps its name. */
export async function importFile(
  path: string,
  options: Omit<ImportOptions, 'name' | 'fileName' | 'totalBytes' | 'nameGiven'> & { name?: string | null },
): Promise<AnyImportResult> {
  const named = { nameGiven: options.name !== undefined && options.name !== null };
  if (path === '-') {
    return importAny(process.stdin, {
      ...options,
      ...named,
      name: options.name ?? 'gctrace from stdin',
      fileName: null,
      totalBytes: null,
    });
  }
  const stats = statSync(path);
  return importAny(createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }), {
    ...options,
    ...named,
    name: options.name ?? defaultImportName(path),
    fileName: basename(path),
    totalBytes: stats.isFile() ? stats.size : null,
  });
}
