/**
 * Chunked imports (`imports.start/append/finish/cancel`): the library sends a file a piece at a
 * time, so a log of any size imports with progress, can be cancelled, and never sits whole in one
 * request or in memory (a session export is the exception: it is parsed whole, services/import-session.ts).
 *
 *  1. start opens a job: an import (importAny) reading from a channel that holds one piece at a time.
 *  2. append hands the channel a piece and answers when the importer has taken it in — parsed and
 *     its cycles handed to the recorder — so the caller's pace is the importer's (back-pressure),
 *     and its answer carries the lines and cycles read so far. If the importer refuses the input
 *     (not a log, a broken export), that append fails with the refusal and the job is gone.
 *  3. finish ends the channel and answers with the new session once the import has committed it.
 *  4. cancel, an app shutdown, or a job left without a call for IDLE_TIMEOUT_MS (the window was
 *     closed mid-import) abort the import, which deletes what it had begun: nothing is saved.
 */
import { ApiError } from '../api/contract';
import type { ImportJobProgress, ImportStartRequest, ImportTextResult } from '../api/types';
import { GctraceInputError } from '../formats/gctrace';
import { SessionJsonError } from '../formats/session-json';
import type { Db } from '../store/database';
import type { EventHub } from './events';
import { ImportCancelledError, defaultImportName } from './import';
import { importAny, type AnyImportResult } from './import-session';

/** A renderer that went away mid-import leaves its job this long before it is cancelled. */
export const IMPORT_IDLE_TIMEOUT_MS = 60_000;
/** Imports running at once: one per window is the use; a few more cover several windows. */
export const MAX_IMPORT_JOBS = 4;

/** One piece at a time, from the API calls to the importer's `for await`. */
class ChunkChannel {
  private pending: { text: string; taken: () => void } | null = null;
  private closed = false;
  private wake: (() => void) | null = null;

  /** Resolves when the importer asks for the next piece, having dealt with this one. */
  push(text: string): Promise<void> {
    return new Promise((taken) => {
      this.pending = { text, taken };
      this.wake?.();
    });
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *chunks(): AsyncGenerator<string> {
    for (;;) {
      while (this.pending === null && !this.closed) await new Promise<void>((wake) => (this.wake = wake));
      this.wake = null;
      const item = this.pending;
      if (item === null) return;
      this.pending = null;
      try {
        yield item.text;
      } finally {
        item.taken();
      }
    }
  }
}

interface ImportJob {
  id: number;
  fileName: string | null;
  channel: ChunkChannel;
  controller: AbortController;
  /** Settles when the import ends. */
  done: Promise<AnyImportResult>;
  /** A call is in progress: only one at a time, in order. */
  busy: boolean;
  progress: ImportJobProgress;
  idleTimer: ReturnType<typeof setTimeout> | null;
}

export class ImportJobs {
  private readonly jobs = new Map<number, ImportJob>();
  private nextId = 1;

  constructor(
    private readonly db: Db,
    private readonly events: EventHub,
  ) {}

  start(request: ImportStartRequest): { importId: number } {
    if (this.jobs.size >= MAX_IMPORT_JOBS)
      throw new ApiError(
        'conflict',
        `${MAX_IMPORT_JOBS} imports are already running; finish or cancel one before starting another`,
      );
    const id = this.nextId++;
    const fileName = request.fileName ?? null;
    const channel = new ChunkChannel();
    const controller = new AbortController();
    const progress: ImportJobProgress = {
      importId: id,
      bytesReceived: 0,
      totalBytes: request.totalBytes ?? null,
      linesRead: 0,
      cycles: 0,
    };
    const done = importAny(channel.chunks(), {
      name: request.name ?? (fileName === null ? 'imported gctrace log' : defaultImportName(fileName)),
      nameGiven: request.name !== undefined,
      database: this.db,
      fileName,
      goVersion: request.goVersion ?? null,
      totalBytes: request.totalBytes ?? null,
      recorderPid: process.pid,
      signal: controller.signal,
      onProgress: (p) => {
        progress.linesRead = p.linesRead;
        progress.cycles = p.cycles;
      },
    });
    // Every rejection is delivered by the call that ends the job (append, finish); this only keeps
    // one that lands between calls from counting as unhandled.
    done.catch(() => undefined);
    const job: ImportJob = {
      id,
      fileName,
      channel,
      controller,
      done,
      busy: false,
      progress,
      idleTimer: null,
    };
    this.jobs.set(id, job);
    this.touch(job);
    return { importId: id };
  }

  async append(importId: number, text: string): Promise<ImportJobProgress> {
    const job = this.claim(importId, 'append to');
    try {
      job.progress.bytesReceived += Buffer.byteLength(text, 'utf8');
      // The importer takes the piece, or ends (a refusal) without wanting more.
      const ended = await Promise.race([job.channel.push(text).then(() => false), settled(job.done)]);
      if (ended) await this.end(job);
      return { ...job.progress };
    } finally {
      this.release(job);
    }
  }

  async finish(importId: number): Promise<ImportTextResult> {
    const job = this.claim(importId, 'finish');
    job.channel.close();
    const result = await this.end(job);
    this.events.emit('sessions.changed', {});
    return { sessionId: result.sessionId, warnings: result.warnings };
  }

  async cancel(importId: number): Promise<{ cancelled: boolean }> {
    const job = this.jobs.get(importId);
    if (job === undefined) return { cancelled: false };
    await this.abort(job);
    return { cancelled: true };
  }

  /** Cancels every import (the app is closing). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((job) => this.abort(job)));
  }

  private claim(importId: number, what: string): ImportJob {
    const job = this.jobs.get(importId);
    if (job === undefined)
      throw new ApiError(
        'not-found',
        `import ${importId} does not exist (it finished, failed or was cancelled)`,
      );
    if (job.busy)
      throw new ApiError(
        'conflict',
        `import ${importId} is still taking in a piece; ${what} it once that call answers`,
      );
    job.busy = true;
    if (job.idleTimer !== null) clearTimeout(job.idleTimer);
    return job;
  }

  private release(job: ImportJob): void {
    job.busy = false;
    if (this.jobs.has(job.id)) this.touch(job);
  }

  private touch(job: ImportJob): void {
    job.idleTimer = setTimeout(() => void this.abort(job), IMPORT_IDLE_TIMEOUT_MS);
    job.idleTimer.unref();
  }

  /** Waits for the import's end, forgets the job, and turns a refusal into the API's error. */
  private async end(job: ImportJob): Promise<AnyImportResult> {
    try {
      return await job.done;
    } catch (error) {
      if (error instanceof GctraceInputError || error instanceof SessionJsonError)
        throw new ApiError('invalid-argument', `${job.fileName ?? 'the file'}: ${error.message}`);
      if (error instanceof ImportCancelledError) throw new ApiError('conflict', error.message);
      throw error;
    } finally {
      this.forget(job);
    }
  }

  private async abort(job: ImportJob): Promise<void> {
    this.forget(job);
    job.controller.abort();
    job.channel.close();
    await settled(job.done);
  }

  private forget(job: ImportJob): void {
    if (job.idleTimer !== null) clearTimeout(job.idleTimer);
    this.jobs.delete(job.id);
  }
}

/** Resolves (true) when `promise` settles either way. */
function settled(promise: Promise<unknown>): Promise<true> {
  return promise.then(
    () => true,
    () => true,
  );
}
