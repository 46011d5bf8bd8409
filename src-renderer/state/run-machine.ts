import type { ApiErrorBody, RunFinished, RunProgress, SessionStatus } from '../lib/contract';
import { assertNever } from '../lib/routes';

/**
 * The life of one run started from this window, as a pure (state, input) → state function.
 *
 * 1. `start`: the request is in flight and the session id is not known yet. A short run can
 *    finish before `runs.start` replies, so progress and finish events seen meanwhile are kept.
 * 2. `started`: the id is known; kept events for it are replayed, the others dropped.
 * 3. `progress` updates the bar; `finished` ends the run with the session's final status.
 *    Events for other sessions are ignored; after the end, late progress is ignored too.
 */
export type RunEvent =
  { type: 'progress'; payload: RunProgress } | { type: 'finished'; payload: RunFinished };

export type RunMachine =
  | { phase: 'idle' }
  | { phase: 'starting'; early: RunEvent[] }
  | { phase: 'start-failed'; error: ApiErrorBody }
  | { phase: 'running'; sessionId: number; progress: RunProgress | null; cancelling: boolean }
  | {
      phase: 'finished';
      sessionId: number;
      progress: RunProgress | null;
      status: SessionStatus;
      error: string | null;
    };

export type RunInput =
  | RunEvent
  | { type: 'start' }
  | { type: 'started'; sessionId: number }
  | { type: 'start-failed'; error: ApiErrorBody }
  | { type: 'cancel-requested' }
  | { type: 'cancel-failed' }
  | { type: 'reset' };

export const IDLE: RunMachine = { phase: 'idle' };

/** Once `early` holds this many events only the latest progress and any finish matter. */
const MAX_EARLY_EVENTS = 256;

function keepEarly(early: RunEvent[], event: RunEvent): RunEvent[] {
  const next = [...early, event];
  return next.length > MAX_EARLY_EVENTS
    ? next.filter((e, i) => e.type === 'finished' || i >= next.length - 32)
    : next;
}

export function runStep(state: RunMachine, input: RunInput): RunMachine {
  switch (input.type) {
    case 'start':
      return state.phase === 'starting' || state.phase === 'running'
        ? state
        : { phase: 'starting', early: [] };
    case 'start-failed':
      return state.phase === 'starting' ? { phase: 'start-failed', error: input.error } : state;
    case 'started': {
      if (state.phase !== 'starting') return state;
      const running: RunMachine = {
        phase: 'running',
        sessionId: input.sessionId,
        progress: null,
        cancelling: false,
      };
      return state.early.reduce(runStep, running);
    }
    case 'progress':
      if (state.phase === 'starting') return { ...state, early: keepEarly(state.early, input) };
      if (state.phase !== 'running' || input.payload.sessionId !== state.sessionId) return state;
      return { ...state, progress: input.payload };
    case 'finished':
      if (state.phase === 'starting') return { ...state, early: keepEarly(state.early, input) };
      if (state.phase !== 'running' || input.payload.sessionId !== state.sessionId) return state;
      return {
        phase: 'finished',
        sessionId: state.sessionId,
        progress: state.progress,
        status: input.payload.status,
        error: input.payload.error,
      };
    case 'cancel-requested':
      return state.phase === 'running' ? { ...state, cancelling: true } : state;
    case 'cancel-failed':
      return state.phase === 'running' ? { ...state, cancelling: false } : state;
    case 'reset':
      return state.phase === 'starting' || state.phase === 'running' ? state : IDLE;
    default:
      return assertNever(input);
  }
}

export function isActive(state: RunMachine): boolean {
  return state.phase === 'starting' || state.phase === 'running';
}
