import type { ApiErrorBody, RunFinished, RunProgress, RunRequest, SessionStatus } from '../lib/contract';
import { assertNever } from '../lib/routes';

/**
 * "Run all collectors" as a pure (state, input) → state function: one run per collector, started
 * one request at a time, as many recording at once as the server allows.
 *
 * 1. `nextToStart` names the first queued run when no start is in flight and the server has not
 *    just said it is full; the store sends `runs.start` for it (`start`).
 * 2. `started` records its session id and replays the events that arrived before the reply (a
 *    short run can finish first); the store then asks `nextToStart` again, so runs overlap.
 * 3. A `full` answer (`runs.startWhenFree`: as many runs recording as the server allows; a normal
 *    answer, not an error) puts the run back in the queue and waits: any `run.finished` (ours or
 *    another window's) or a `retry` tick frees the queue again. A `conflict` error (a server that
 *    refused the start) is taken the same way. Any other error fails that run alone; the rest go on.
 * 4. `cancel` skips the queued runs; the store cancels the recording ones (and one that starts late).
 * 5. Done once every run has finished, failed to start or been skipped.
 */
export type BatchRunPhase =
  | { phase: 'queued' }
  | { phase: 'starting' }
  | { phase: 'start-failed'; error: ApiErrorBody }
  | { phase: 'skipped' }
  | { phase: 'running'; sessionId: number; progress: RunProgress | null }
  | {
      phase: 'finished';
      sessionId: number;
      progress: RunProgress | null;
      status: SessionStatus;
      error: string | null;
    };

export type BatchRun = { request: RunRequest } & BatchRunPhase;

export type BatchEvent =
  { type: 'progress'; payload: RunProgress } | { type: 'finished'; payload: RunFinished };

export interface Batch {
  runs: BatchRun[];
  /** The server had no free slot: nothing starts until a run finishes or a retry tick. */
  full: boolean;
  /** Events for sessions not (yet) known, kept while a start is in flight. */
  early: BatchEvent[];
  cancelling: boolean;
}

export type BatchInput =
  | BatchEvent
  | { type: 'start'; index: number }
  | { type: 'started'; index: number; sessionId: number }
  | { type: 'start-failed'; index: number; error: ApiErrorBody }
  /** Every slot was taken: the run waits for one. */
  | { type: 'full'; index: number }
  | { type: 'retry' }
  | { type: 'cancel' };

const MAX_EARLY_EVENTS = 256;

export function newBatch(requests: readonly RunRequest[]): Batch {
  return {
    runs: requests.map((request) => ({ request, phase: 'queued' })),
    full: false,
    early: [],
    cancelling: false,
  };
}

function replace(batch: Batch, index: number, run: BatchRun): Batch {
  return { ...batch, runs: batch.runs.map((r, i) => (i === index ? run : r)) };
}

function onEvent(batch: Batch, event: BatchEvent): Batch {
  const sessionId = event.payload.sessionId;
  const index = batch.runs.findIndex(
    (r) => (r.phase === 'running' || r.phase === 'finished') && r.sessionId === sessionId,
  );
  const run = batch.runs[index];
  // Any run ending frees a slot on the server, ours or not.
  const full = event.type === 'finished' ? false : batch.full;
  if (!run) {
    const starting = batch.runs.some((r) => r.phase === 'starting');
    const early = starting ? [...batch.early, event].slice(-MAX_EARLY_EVENTS) : batch.early;
    return { ...batch, full, early };
  }
  if (run.phase !== 'running') return { ...batch, full };
  const next: BatchRun =
    event.type === 'progress'
      ? { ...run, progress: event.payload }
      : {
          request: run.request,
          phase: 'finished',
          sessionId,
          progress: run.progress,
          status: event.payload.status,
          error: event.payload.error,
        };
  return { ...replace(batch, index, next), full };
}

export function batchStep(batch: Batch, input: BatchInput): Batch {
  switch (input.type) {
    case 'progress':
    case 'finished':
      return onEvent(batch, input);
    case 'start': {
      const run = batch.runs[input.index];
      if (run?.phase !== 'queued') return batch;
      return replace(batch, input.index, { request: run.request, phase: 'starting' });
    }
    case 'started': {
      const run = batch.runs[input.index];
      if (run?.phase !== 'starting') return batch;
      const running = replace(batch, input.index, {
        request: run.request,
        phase: 'running',
        sessionId: input.sessionId,
        progress: null,
      });
      const mine = batch.early.filter((e) => e.payload.sessionId === input.sessionId);
      const others = batch.early.filter((e) => e.payload.sessionId !== input.sessionId);
      return mine.reduce(onEvent, { ...running, early: others });
    }
    case 'full': {
      const run = batch.runs[input.index];
      if (run?.phase !== 'starting') return batch;
      return { ...replace(batch, input.index, { request: run.request, phase: 'queued' }), full: true };
    }
    case 'start-failed': {
      const run = batch.runs[input.index];
      if (run?.phase !== 'starting') return batch;
      if (input.error.code === 'conflict') {
        return { ...replace(batch, input.index, { request: run.request, phase: 'queued' }), full: true };
      }
      return replace(batch, input.index, { request: run.request, phase: 'start-failed', error: input.error });
    }
    case 'retry':
      return batch.full ? { ...batch, full: false } : batch;
    case 'cancel':
      return {
        ...batch,
        cancelling: true,
        runs: batch.runs.map((r) => (r.phase === 'queued' ? { request: r.request, phase: 'skipped' } : r)),
      };
    default:
      return assertNever(input);
  }
}

/** The run to start now, or null while a start is in flight, the server is full or none is queued. */
export function nextToStart(batch: Batch): number | null {
  if (batch.full || batch.runs.some((r) => r.phase === 'starting')) return null;
  const index = batch.runs.findIndex((r) => r.phase === 'queued');
  return index === -1 ? null : index;
}

export function isDone(batch: Batch): boolean {
  return batch.runs.every(
    (r) => r.phase === 'finished' || r.phase === 'start-failed' || r.phase === 'skipped',
  );
}

/** Sessions that recorded something to compare: every run that got a session id, in run order. */
export function sessionIds(batch: Batch): number[] {
  return batch.runs.flatMap((r) => (r.phase === 'running' || r.phase === 'finished' ? [r.sessionId] : []));
}

/** Every run finished complete: the compare view can open without hiding an error. */
export function allComplete(batch: Batch): boolean {
  return batch.runs.length > 0 && batch.runs.every((r) => r.phase === 'finished' && r.status === 'complete');
}
