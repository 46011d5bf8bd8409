import type { RunRequest } from '../lib/contract';
import { api, type ConnectionStatus } from '../lib/api';
import { toApiCallError } from '../lib/api-error';
import { IDLE, isActive, runStep, type RunInput, type RunMachine } from './run-machine';

/**
 * The run started from this window. It outlives the New run view, so the top bar can show its
 * progress from anywhere and returning to the form finds it still running.
 */
class RunStore {
  state = $state.raw<RunMachine>(IDLE);
  /** The request of the current or last run, to show what is running and to run it again. */
  request = $state.raw<RunRequest | null>(null);
  /** A complete run's session has been opened (by the view or from the top bar). */
  opened = $state(false);

  #dispatch(input: RunInput): void {
    this.state = runStep(this.state, input);
  }

  /** Subscribes to run events for the life of the app; returns the unsubscribe. */
  connect(): () => void {
    const offProgress = api.subscribe('run.progress', (payload) =>
      this.#dispatch({ type: 'progress', payload }),
    );
    const offFinished = api.subscribe('run.finished', (payload) =>
      this.#dispatch({ type: 'finished', payload }),
    );
    let wasDown = false;
    const offConnection = api.onConnection((status: ConnectionStatus) => {
      if (status !== 'open') wasDown = true;
      else if (wasDown) void this.reconcile();
    });
    void this.adopt();
    return () => {
      offProgress();
      offFinished();
      offConnection();
    };
  }

  /** After a reload the run may still be going: pick it up so it can be watched and cancelled. */
  async adopt(): Promise<void> {
    try {
      const [active] = await api.call('runs.active', {});
      if (!active || this.state.phase !== 'idle') return;
      const detail = await api.call('sessions.get', { id: active.sessionId }).catch(() => null);
      if (this.state.phase !== 'idle') return;
      this.request = detail?.config ?? null;
      this.opened = false;
      this.#dispatch({ type: 'start' });
      this.#dispatch({ type: 'started', sessionId: active.sessionId });
      this.#dispatch({ type: 'progress', payload: active.progress });
      await this.reconcile();
    } catch {
      // Nothing to adopt, or the server is not there yet; the form works either way.
    }
  }

  async start(request: RunRequest): Promise<void> {
    if (isActive(this.state)) return;
    this.request = request;
    this.opened = false;
    this.#dispatch({ type: 'start' });
    try {
      const { sessionId } = await api.call('runs.start', { request });
      this.#dispatch({ type: 'started', sessionId });
    } catch (reason) {
      const error = toApiCallError(reason);
      this.#dispatch({ type: 'start-failed', error: { code: error.code, message: error.message } });
      return;
    }
    await this.reconcile();
  }

  async cancel(): Promise<void> {
    const state = this.state;
    if (state.phase !== 'running' || state.cancelling) return;
    this.#dispatch({ type: 'cancel-requested' });
    try {
      await api.call('runs.cancel', { sessionId: state.sessionId });
    } catch {
      this.#dispatch({ type: 'cancel-failed' });
      await this.reconcile();
    }
  }

  /**
   * Events can be missed (the WebSocket was down, or the run ended before the subscription was
   * live). If the run is no longer active, the session's recorded status says how it ended.
   */
  async reconcile(): Promise<void> {
    const state = this.state;
    if (state.phase !== 'running') return;
    try {
      const active = await api.call('runs.active', {});
      if (active.some((run) => run.sessionId === state.sessionId)) return;
      const detail = await api.call('sessions.get', { id: state.sessionId });
      if (detail.status === 'recording') return;
      this.#dispatch({
        type: 'finished',
        payload: { sessionId: detail.id, status: detail.status, error: detail.error },
      });
    } catch {
      // The events will still tell; a failed check changes nothing.
    }
  }

  markOpened(): void {
    this.opened = true;
  }

  reset(): void {
    this.#dispatch({ type: 'reset' });
  }
}

export const run = new RunStore();
