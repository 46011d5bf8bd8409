import { describe, expect, it } from 'vitest';
import type { RunFinished, RunProgress } from '../lib/contract';
import { IDLE, runStep, type RunInput, type RunMachine } from './run-machine';

const progress = (sessionId: number, fraction: number): RunInput => ({
  type: 'progress',
  payload: {
    sessionId,
    fraction,
    cycles: Math.round(fraction * 10),
    virtualNs: fraction * 1e9,
  } satisfies RunProgress,
});
const finished = (sessionId: number, status: RunFinished['status'] = 'complete'): RunInput => ({
  type: 'finished',
  payload: { sessionId, status, error: null },
});

function play(...inputs: RunInput[]): RunMachine {
  return inputs.reduce(runStep, IDLE);
}

describe('runStep', () => {
  it('tracks the progress of its own session', () => {
    const state = play(
      { type: 'start' },
      { type: 'started', sessionId: 4 },
      progress(4, 0.25),
      progress(9, 0.9),
    );

    expect(state).toMatchObject({ phase: 'running', sessionId: 4, progress: { fraction: 0.25 } });
  });

  it('finishes with the status the finish event reports', () => {
    const state = play(
      { type: 'start' },
      { type: 'started', sessionId: 4 },
      progress(4, 0.5),
      finished(4, 'failed'),
    );

    expect(state).toMatchObject({
      phase: 'finished',
      sessionId: 4,
      progress: { fraction: 0.5 },
      status: 'failed',
      error: null,
    });
  });

  it('replays the events that arrived before the start reply named the session', () => {
    const state = play({ type: 'start' }, progress(4, 0.5), finished(3), finished(4), {
      type: 'started',
      sessionId: 4,
    });

    expect(state).toMatchObject({
      phase: 'finished',
      sessionId: 4,
      status: 'complete',
      progress: { fraction: 0.5 },
    });
  });

  it('ignores progress after the end', () => {
    const state = play({ type: 'start' }, { type: 'started', sessionId: 4 }, finished(4), progress(4, 0.9));

    expect(state).toMatchObject({ phase: 'finished', progress: null });
  });

  it('records a failed start with its error', () => {
    const error = { code: 'invalid-argument', message: 'request.procs: too big' } as const;

    expect(play({ type: 'start' }, { type: 'start-failed', error })).toEqual({
      phase: 'start-failed',
      error,
    });
  });

  it('marks a cancel request and clears it when the cancel call fails', () => {
    const cancelling = play(
      { type: 'start' },
      { type: 'started', sessionId: 2 },
      { type: 'cancel-requested' },
    );
    const failed = runStep(cancelling, { type: 'cancel-failed' });

    expect(cancelling).toMatchObject({ cancelling: true });
    expect(failed).toMatchObject({ phase: 'running', cancelling: false });
  });

  it('does not reset or restart a run in progress', () => {
    const running = play({ type: 'start' }, { type: 'started', sessionId: 2 });

    expect(runStep(running, { type: 'reset' })).toBe(running);
    expect(runStep(running, { type: 'start' })).toBe(running);
  });

  it('resets a finished run to idle', () => {
    expect(
      play({ type: 'start' }, { type: 'started', sessionId: 2 }, finished(2), { type: 'reset' }),
    ).toEqual(IDLE);
  });
});
