/**
 * Importing a gctrace log into a new session, streaming: text flows through the parser and the
 * Recorder a chunk at a time, so a log of any size imports in constant memory.
 *
 *  1. Bytes are decoded as UTF-8, or UTF-16 when a byte order mark says so (PowerShell's `2>` writes
 *     UTF-16LE); undecodable bytes become U+FFFD, which the parser counts towards "binary".
 *  2. Nothing is written before the first cycle line. Input that is not a gctrace log is refused with
 *     the database untouched — not even opened, when the caller passes a function that opens it.
 *  3. At the first cycle line the session is created (source 'gctrace', status 'recording'); each
 *     cycle and the three heap samples it implies (heapSamplesOf) go to the Recorder, which commits
 *     in batches. Only the log's first program run is imported: one session is one run.
 *  4. At the end, the last batch, the source report and status 'complete' are committed together.
 *     If anything fails once the session exists (a read error, a cancel, a full disk), the session is
 *     deleted with its cycles and samples: an import is all or nothing, and the log is still there to
 *     retry. If the process dies mid-import, the session stays 'recording' and the next start marks it
 *     interrupted, as for a run.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { TextDecoder } from 'node:util';
import { isAscii } from 'node:buffer';
import {
  cycleExtrasOf,
  GctraceParser,
  heapSamplesOf,
  type GctraceCycle,
  type GctraceReport,
} from '../formats/gctrace';
import type { Db } from '../store/database';
import { Recorder } from '../store/recorder';
import { SessionRepository } from '../store/sessions';

/** File reads of 256 KiB: large enough that per-chunk work vanishes, small enough to stay flat in memory. */
const READ_CHUNK_BYTES = 256 * 1024;
/**
 * Longest a written cycle waits for its commit, as for runs: a log piped in live (`… 2>&1 | heapscope
 * import -`) trickles, and another process reading the session should see it grow.
 */
const MAX_UNCOMMITTED_MS = 250;
/** Malformed lines quoted in a warning; the report keeps (up to 1000 of) them all. */
const QUOTED_PROBLEMS = 3;

export interface ImportProgress {
  bytesRead: number;
  /** Null when the size is unknown (a pipe). */
  totalBytes: number | null;
  linesRead: number;
  cycles: number;
}

export interface ImportOptions {
  name: string;
  /** The user gave `name` (not derived from the file): a session export takes it instead of its own. */
  nameGiven?: boolean;
  /** The database, or a function that opens it, called only when the first cycle line is found. */
  database: Db | (() => Db);
  /** The file's name, kept in the report; null for stdin. */
  fileName?: string | null;
  /** The Go release that wrote the log, when known: it decides what "MB stacks" means. */
  goVersion?: string | null;
  totalBytes?: number | null;
  onProgress?: (progress: ImportProgress) => void;
  /** Aborting stops the import and deletes the session it had begun. */
  signal?: AbortSignal;
  /** Recorded with the session so that a later start can tell a dead import from a live one. */
  recorderPid?: number | null;
  now?: () => Date;
}

export interface ImportResult {
  sessionId: number;
  report: GctraceReport;
  /** One line each, for a person: what was skipped or substituted and why. */
  warnings: string[];
}

export class ImportCancelledError extends Error {
  constructor() {
    super('import cancelled; nothing was saved');
    this.name = 'ImportCancelledError';
  }
}

/** The encoding a byte order mark names; UTF-8 without one. */
function encodingOf(head: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/**
 * Bytes to text, chunk by chunk. A gctrace log is ASCII, and an ASCII chunk becomes a string without
 * UTF-8 decoding (a sixth of a parse's time otherwise); from the first chunk that is not ASCII, or
 * after a UTF-16 byte order mark, a streaming TextDecoder takes over, so a character split between
 * chunks still decodes.
 */
export class ChunkDecoder {
  private decoder: TextDecoder | null = null;
  /** The first bytes, held until there are two to look for a byte order mark in. */
  private head: Buffer | null = Buffer.alloc(0);

  decode(chunk: Uint8Array): string {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.head !== null) {
      bytes = Buffer.concat([this.head, bytes]);
      if (bytes.byteLength < 2) {
        this.head = bytes;
        return '';
      }
      this.head = null;
      const encoding = encodingOf(bytes);
      if (encoding !== 'utf-8') this.decoder = new TextDecoder(encoding);
      // A UTF-8 byte order mark is dropped by the parser, as U+FEFF.
      else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    if (this.decoder === null && isAscii(bytes)) return bytes.toString('latin1');
    this.decoder ??= new TextDecoder('utf-8');
    return this.decoder.decode(bytes, { stream: true });
  }

  /** What the last bytes held back: a partial character, or a lone first byte. */
  end(): string {
    if (this.head !== null && this.head.byteLength > 0) return new TextDecoder().decode(this.head);
    return this.decoder?.decode() ?? '';
  }
}

/** Decodes a byte stream to text chunks, counting the bytes; strings pass through unchanged. */
async function* decodeChunks(
  input: AsyncIterable<Uint8Array | string>,
  countBytes: (bytes: number) => void,
): AsyncGenerator<string> {
  const decoder = new ChunkDecoder();
  for await (const chunk of input) {
    if (typeof chunk === 'string') {
      countBytes(Buffer.byteLength(chunk));
      yield chunk;
      continue;
    }
    countBytes(chunk.byteLength);
    yield decoder.decode(chunk);
  }
  yield decoder.end();
}

/** The session an import writes, created at its first cycle and either completed or deleted. */
class ImportWriter {
  private session: { sessions: SessionRepository; recorder: Recorder; id: number } | null = null;
  /** Stops the heartbeat that shows the session is alive while its input (a pipe) is quiet. */
  private stopHeartbeat: () => void = () => {};
  private db: Db | null = null;
  private lastCommitMs = 0;

  constructor(private readonly options: ImportOptions) {}

  write(cycles: readonly GctraceCycle[]): void {
    if (cycles.length === 0) return;
    const session = this.session ?? this.create();
    for (const cycle of cycles) {
      const extras = cycleExtrasOf(cycle);
      session.recorder.add([cycle.record], heapSamplesOf(cycle.record), [], extras === null ? [] : [extras]);
    }
    const nowMs = Date.now();
    if (nowMs - this.lastCommitMs >= MAX_UNCOMMITTED_MS) {
      session.recorder.flush();
      this.lastCommitMs = nowMs;
    }
  }

  /** Commits the last batch, the report and status 'complete' together. */
  complete(report: GctraceReport, now: Date): number {
    const { db, session } = this;
    // The parser's end() throws when the log held no cycle, so a session exists by now.
    if (db === null || session === null) throw new Error('an import completed without a cycle');
    this.stopHeartbeat();
    db.transaction(() => {
      session.recorder.flush();
      session.sessions.setSourceReport(session.id, report);
      session.sessions.finish(session.id, 'complete', null, now);
    })();
    return session.id;
  }

  /** Deletes the session begun, with its cycles and samples, if there is one. */
  discard(): void {
    this.stopHeartbeat();
    if (this.session === null) return;
    try {
      this.session.sessions.delete(this.session.id);
    } catch {
      // The failure that led here is the one worth reporting.
    }
  }

  private create(): NonNullable<ImportWriter['session']> {
    const { database, name, recorderPid, now } = this.options;
    const db = (this.db = typeof database === 'function' ? database() : database);
    const sessions = new SessionRepository(db);
    const id = sessions.create(
      {
        name,
        source: 'gctrace',
        scenario: null,
        collector: null,
        config: null,
        seed: null,
        engineVersion: null,
        recorderPid: recorderPid ?? null,
      },
      now?.() ?? new Date(),
    );
    this.lastCommitMs = Date.now();
    this.session = { sessions, recorder: new Recorder(db, id), id };
    this.stopHeartbeat = this.session.recorder.keepAlive();
    return this.session;
  }
}

export async function importGctrace(
  input: AsyncIterable<Uint8Array | string>,
  options: ImportOptions,
): Promise<ImportResult> {
  const parser = new GctraceParser({ firstRunOnly: true, goVersion: options.goVersion ?? null });
  const writer = new ImportWriter(options);
  let bytesRead = 0;
  try {
    for await (const text of decodeChunks(input, (bytes) => (bytesRead += bytes))) {
      if (options.signal?.aborted) throw new ImportCancelledError();
      writer.write(parser.push(text).cycles);
      options.onProgress?.({
        bytesRead,
        totalBytes: options.totalBytes ?? null,
        linesRead: parser.linesRead,
        cycles: parser.cyclesRead,
      });
    }
    if (options.signal?.aborted) throw new ImportCancelledError();
    writer.write(parser.end().cycles);
    const report: GctraceReport = { ...parser.report(), fileName: options.fileName ?? null, bytesRead };
    const sessionId = writer.complete(report, options.now?.() ?? new Date());
    return { sessionId, report, warnings: importWarnings(report) };
  } catch (error) {
    writer.discard();
    throw error;
  }
}

/** Imports a file (or '-' for stdin), naming the session after the file unless a name is given. */
export async function importGctraceFile(
  path: string,
  options: Omit<ImportOptions, 'name' | 'fileName' | 'totalBytes'> & { name?: string | null },
): Promise<ImportResult> {
  if (path === '-') {
    return importGctrace(process.stdin, {
      ...options,
      name: options.name ?? 'gctrace from stdin',
      fileName: null,
      totalBytes: null,
    });
  }
  const stats = statSync(path);
  return importGctrace(createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }), {
    ...options,
    name: options.name ?? defaultImportName(path),
    fileName: basename(path),
    // A pipe or a device reports no meaningful size.
    totalBytes: stats.isFile() ? stats.size : null,
  });
}

/** The file's name without a log-like extension: "api-server.log" → "api-server". */
export function defaultImportName(path: string): string {
  const name = basename(path);
  const extension = extname(name);
  return ['.txt', '.log', '.out', '.err', '.trace'].includes(extension.toLowerCase())
    ? name.slice(0, -extension.length)
    : name;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** What a person should know about an import that succeeded, one line each. */
export function importWarnings(report: GctraceReport): string[] {
  const warnings: string[] = [];
  if (report.malformedLines > 0) {
    const quoted = report.malformed
      .slice(0, QUOTED_PROBLEMS)
      .map((m) => `line ${m.line}: ${m.reason}`)
      .join('; ');
    const more = report.malformedLines > QUOTED_PROBLEMS ? '; …' : '';
    warnings.push(
      `${plural(report.malformedLines, 'line')} looked like trace lines but did not parse and were skipped (${quoted}${more})`,
    );
  }
  if (report.unattachedPacerLines > 0) {
    const quoted = report.unattachedPacer
      .slice(0, QUOTED_PROBLEMS)
      .map((u) => `line ${u.line}: ${u.reason}`)
      .join('; ');
    const more = report.unattachedPacerLines > QUOTED_PROBLEMS ? '; …' : '';
    warnings.push(
      `${plural(report.unattachedPacerLines, 'pacer line')} had no gc line after ${report.unattachedPacerLines === 1 ? 'it' : 'them'} and went into no cycle (${quoted}${more})`,
    );
  }
  if (report.truncatedLastLine !== null) {
    const t = report.truncatedLastLine;
    warnings.push(`the last line (${t.line}) is cut off and was skipped: ${t.reason}`);
  }
  if (report.runs > 1) {
    const starts = report.laterRuns
      .slice(0, QUOTED_PROBLEMS)
      .map((r) => r.line)
      .join(', ');
    warnings.push(
      `the log holds ${report.runs} program runs (gc numbers restart at line ${starts}${report.runs - 1 > QUOTED_PROBLEMS ? ', …' : ''}); ` +
        `imported the first, skipped ${plural(report.cyclesNotImported, 'cycle')}: split the log to import the others`,
    );
  }
  if (report.firstSeq !== null && report.firstSeq > 1) {
    warnings.push(`the log starts at gc ${report.firstSeq}: the cycles before it are not in it`);
  }
  if (report.missingCycles > 0) {
    warnings.push(`${plural(report.missingCycles, 'gc number')} missing between lines: lost from the log?`);
  }
  if (report.duplicateLines > 0) {
    warnings.push(`${plural(report.duplicateLines, 'repeated cycle line')} skipped`);
  }
  if (report.noGoalCycles > 0) {
    warnings.push(
      `${plural(report.noGoalCycles, 'cycle')} ran with GOGC=off and no memory limit: no heap goal (stored as 0)`,
    );
  }
  return warnings;
}
