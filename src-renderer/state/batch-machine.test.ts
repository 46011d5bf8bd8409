import { describe, expect, it } from 'vitest';
import type { RunRequest } from '../lib/contract';
import {
  allComplete,
  batchStep,
  isDone,
  newBatch,
  nextToStart,
  sessionIds,
  type Batch,
} from './batch-machine';

function request(collector: string): RunRequest {
  return {
    scenario: 'steady',
    customScenario: null,
    collector,
    gogc: 100,
    procs: 4,
    seed: 1,
    durationMs: 100,
    name: null,
  };
}

const threeCollectors = newBatch([request('mark-sweep'), request('go'), request('refcount')]);

function finished(sessionId: number, status: 'complete' | 'failed' = 'complete') {
  return {
    type: 'finished',
    payload: { sessionId, status, error: status === 'failed' ? 'boom' : null },
  } as const;
}

function started(batch: Batch, index: number, sessionId: number): Batch {
  return batchStep(batchStep(batch, { type: 'start', index }), { type: 'started', index, sessionId });
}

describe('batchStep', () => {
  it('starts the first queued run and no other while its start is in flight', () => {
    const batch = batchStep(threeCollectors, { type: 'start', index: 0 });

    expect(batch.runs[0]?.phase).toBe('starting');
    expect(nextToStart(batch)).toBeNull();
  });

  it('offers the next run as soon as the previous one has started, so runs overlap', () => {
    const batch = started(threeCollectors, 0, 10);

    expect(batch.runs[0]).toMatchObject({ phase: 'running', sessionId: 10 });
    expect(nextToStart(batch)).toBe(1);
  });

  it('queues a run the server refused as too many and waits for any run to finish', () => {
    const refused = batchStep(batchStep(started(threeCollectors, 0, 10), { type: 'start', index: 1 }), {
      type: 'start-failed',
      index: 1,
      error: { code: 'conflict', message: 'full' },
    });

    expect(refused.runs[1]?.phase).toBe('queued');
    expect(nextToStart(refused)).toBeNull();
    expect(nextToStart(batchStep(refused, finished(99)))).toBe(1);
  });

  it('queues a run answered "full" (no free slot) and waits for any run to finish', () => {
    const full = batchStep(batchStep(started(threeCollectors, 0, 10), { type: 'start', index: 1 }), {
      type: 'full',
      index: 1,
    });

    expect(full.runs[1]?.phase).toBe('queued');
    expect(full.full).toBe(true);
    expect(nextToStart(full)).toBeNull();
    expect(nextToStart(batchStep(full, finished(99)))).toBe(1);
    expect(nextToStart(batchStep(full, { type: 'retry' }))).toBe(1);
  });

  it('tries again after a retry tick when no finish event comes', () => {
    const refused = batchStep(batchStep(threeCollectors, { type: 'start', index: 0 }), {
      type: 'start-failed',
      index: 0,
      error: { code: 'conflict', message: 'full' },
    });

    expect(nextToStart(batchStep(refused, { type: 'retry' }))).toBe(0);
  });

  it('fails only the run whose start was rejected for another reason', () => {
    const batch = batchStep(batchStep(threeCollectors, { type: 'start', index: 0 }), {
      type: 'start-failed',
      index: 0,
      error: { code: 'invalid-argument', message: 'bad barrier' },
    });

    expect(batch.runs[0]).toMatchObject({ phase: 'start-failed', error: { message: 'bad barrier' } });
    expect(nextToStart(batch)).toBe(1);
  });

  it('keeps progress and a finish that arrive before the start reply', () => {
    let batch = batchStep(threeCollectors, { type: 'start', index: 0 });
    batch = batchStep(batch, {
      type: 'progress',
      payload: { sessionId: 7, fraction: 1, cycles: 5, virtualNs: 1 },
    });
    batch = batchStep(batch, finished(7));

    batch = batchStep(batch, { type: 'started', index: 0, sessionId: 7 });

    expect(batch.runs[0]).toMatchObject({ phase: 'finished', status: 'complete', progress: { cycles: 5 } });
    expect(batch.early).toEqual([]);
  });

  it('records each run’s progress and final status by session', () => {
    let batch = started(started(threeCollectors, 0, 10), 1, 11);
    batch = batchStep(batch, {
      type: 'progress',
      payload: { sessionId: 11, fraction: 0.5, cycles: 3, virtualNs: 1 },
    });
    batch = batchStep(batch, finished(10, 'failed'));

    expect(batch.runs[0]).toMatchObject({ phase: 'finished', status: 'failed', error: 'boom' });
    expect(batch.runs[1]).toMatchObject({ phase: 'running', progress: { fraction: 0.5 } });
  });

  it('skips the queued runs on cancel and keeps the recording ones until they end', () => {
    const batch = batchStep(started(threeCollectors, 0, 10), { type: 'cancel' });

    expect(batch.runs.map((r) => r.phase)).toEqual(['running', 'skipped', 'skipped']);
    expect(nextToStart(batch)).toBeNull();
    expect(isDone(batchStep(batch, finished(10)))).toBe(true);
  });
});

describe('batch outcome', () => {
  it('is done when every run has finished or failed to start, listing the recorded sessions', () => {
    let batch = started(started(threeCollectors, 0, 10), 1, 11);
    batch = batchStep(batchStep(batch, { type: 'start', index: 2 }), {
      type: 'start-failed',
      index: 2,
      error: { code: 'internal', message: 'worker crashed' },
    });
    expect(isDone(batch)).toBe(false);

    batch = batchStep(batchStep(batch, finished(10)), finished(11));

    expect(isDone(batch)).toBe(true);
    expect(sessionIds(batch)).toEqual([10, 11]);
    expect(allComplete(batch)).toBe(false);
  });

  it('is all complete only when every run completed', () => {
    const batch = [0, 1, 2].reduce(
      (b, i) => batchStep(started(b, i, 20 + i), finished(20 + i)),
      threeCollectors,
    );

    expect(allComplete(batch)).toBe(true);
  });
});
