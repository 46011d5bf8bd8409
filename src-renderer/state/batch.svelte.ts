import type { RunRequest } from '../lib/contract';
import { api } from '../lib/api';
import { toApiCallError } from '../lib/api-error';
import { batchStep, isDone, newBatch, nextToStart, type Batch, type BatchInput } from './batch-machine';

/** While the server is full and no finish event comes (another window's runs, a dropped socket). */
const RETRY_MS = 2_000;

/**
 * "Run all collectors" started from this window. Like the single run it outlives the New run view,
 * so leaving the form and coming back finds the batch still going.
 */
class BatchStore {
  batch = $state.raw<Batch | null>(null);
  /** The compare view of a finished batch has been opened. */
  opened = $state(false);
  #unsubscribe: (() => void) | null = null;
  #retry: ReturnType<typeof setInterval> | null = null;

  get active(): boolean {
    return this.batch !== null && !isDone(this.batch);
  }

  #dispatch(input: BatchInput): void {
    if (!this.batch) return;
    this.batch = batchStep(this.batch, input);
    this.#pump();
  }

  start(requests: RunRequest[]): void {
    if (this.active || requests.length === 0) return;
    this.#listen();
    this.opened = false;
    this.batch = newBatch(requests);
    this.#pump();
  }

  /** Starts what may start now; stops listening once every run has ended. */
  #pump(): void {
    const batch = this.batch;
    if (!batch) return;
    if (isDone(batch)) {
      this.#stopListening();
      return;
    }
    const index = nextToStart(batch);
    if (index !== null) void this.#startRun(index);
  }

  async #startRun(index: number): Promise<void> {
    const request = this.batch?.runs[index]?.request;
    if (!request) return;
    this.#dispatch({ type: 'start', index });
    try {
      // Waiting for a slot is an answer, not an error: no failed request for the console to log.
      const attempt = await api.call('runs.startWhenFree', { request });
      if (!attempt.started) {
        this.#dispatch({ type: 'full', index });
        return;
      }
      const sessionId = attempt.sessionId;
      this.#dispatch({ type: 'started', index, sessionId });
      // Cancelled while its start was in flight.
      if (this.batch?.cancelling) await api.call('runs.cancel', { sessionId }).catch(() => null);
    } catch (reason) {
      const error = toApiCallError(reason);
      this.#dispatch({ type: 'start-failed', index, error: { code: error.code, message: error.message } });
    }
  }

  /**
   * Events can be missed (the socket dropped); on each retry tick, runs the server no longer lists
   * as active take their status from the session.
   */
  async #reconcile(): Promise<void> {
    const batch = this.batch;
    if (!batch) return;
    const running = batch.runs.flatMap((r) => (r.phase === 'running' ? [r.sessionId] : []));
    if (running.length === 0) return;
    try {
      const active = new Set((await api.call('runs.active', {})).map((r) => r.sessionId));
      for (const sessionId of running.filter((id) => !active.has(id))) {
        const detail = await api.call('sessions.get', { id: sessionId });
        if (detail.status === 'recording') continue;
        this.#dispatch({
          type: 'finished',
          payload: { sessionId, status: detail.status, error: detail.error },
        });
      }
    } catch {
      // The next tick or the events will tell.
    }
  }

  #listen(): void {
    if (this.#unsubscribe) return;
    const offProgress = api.subscribe('run.progress', (payload) =>
      this.#dispatch({ type: 'progress', payload }),
    );
    const offFinished = api.subscribe('run.finished', (payload) =>
      this.#dispatch({ type: 'finished', payload }),
    );
    this.#retry = setInterval(() => {
      this.#dispatch({ type: 'retry' });
      void this.#reconcile();
    }, RETRY_MS);
    this.#unsubscribe = () => {
      offProgress();
      offFinished();
    };
  }

  #stopListening(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#retry !== null) clearInterval(this.#retry);
    this.#retry = null;
  }

  /** Cancels every run of the batch still recording; queued runs are dropped. */
  async cancel(): Promise<void> {
    const batch = this.batch;
    if (!batch || batch.cancelling) return;
    this.#dispatch({ type: 'cancel' });
    await Promise.all(
      batch.runs.map((r) =>
        r.phase === 'running' ? api.call('runs.cancel', { sessionId: r.sessionId }).catch(() => null) : null,
      ),
    );
  }

  markOpened(): void {
    this.opened = true;
  }

  reset(): void {
    if (this.active) return;
    this.batch = null;
  }
}

export const batch = new BatchStore();
