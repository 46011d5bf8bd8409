/**
 * Runs on real worker threads, as the app and the CLI run them. Uses the built worker
 * (`npm run build` first; npm test builds before it runs the unit tests).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunFinished, RunProgress } from '../api/types';
import { assertBuildIsCurrent, BUILT_WORKER as WORKER } from '../test-support/build';
import { SHORT_RUN } from '../test-support/requests';
import { useTempDir } from '../test-support/temp';
import { createApp } from './app';

const tempDir = useTempDir();

beforeAll(assertBuildIsCurrent);

function newApp() {
  return createApp({ dbPath: join(tempDir(), 'runs.db'), workerEntry: WORKER });
}

describe('runs on worker threads', () => {
  it('records a run, streaming progress, and finishes it complete', async () => {
    const app = newApp();
    const progress: RunProgress[] = [];
    const finished: RunFinished[] = [];
    app.events.subscribe((event, payload) => {
      if (event === 'run.progress') progress.push(payload as RunProgress);
      if (event === 'run.finished') finished.push(payload as RunFinished);
    });

    const { sessionId } = (await app.dispatch('runs.start', { request: SHORT_RUN })) as { sessionId: number };
    const outcome = await app.runs.waitFor(sessionId);

    expect(outcome).toEqual({ sessionId, status: 'complete', error: null });
    expect(finished).toEqual([outcome]);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)?.fraction).toBe(1);
    expect(app.sessions.get(sessionId)?.cycleCount).toBe(progress.at(-1)?.cycles);
    await app.close();
  });

  it('cancels a long run, keeping the cycles recorded so far', async () => {
    const app = newApp();
    const { sessionId } = (await app.dispatch('runs.start', {
      request: { ...SHORT_RUN, durationMs: 600_000 },
    })) as { sessionId: number };
    await new Promise<void>((resolve) => {
      const off = app.events.subscribe((event, payload) => {
        // A run that ends early fails the assertions below instead of hanging here.
        const enough = event === 'run.progress' && (payload as RunProgress).cycles >= 3;
        if (enough || event === 'run.finished') {
          off();
          resolve();
        }
      });
    });

    expect(await app.dispatch('runs.cancel', { sessionId })).toEqual({ cancelled: true });
    const outcome = await app.runs.waitFor(sessionId);

    expect(outcome?.status).toBe('interrupted');
    expect(app.sessions.get(sessionId)?.cycleCount).toBeGreaterThanOrEqual(3);
    expect(await app.dispatch('runs.active', {})).toEqual([]);
    await app.close();
  });

  it('answers "no free slot" to startWhenFree while every slot records, and starts once one is free', async () => {
    const app = createApp({ dbPath: join(tempDir(), 'slots.db'), workerEntry: WORKER, maxConcurrentRuns: 1 });
    const long = { ...SHORT_RUN, durationMs: 600_000 };
    const first = (await app.dispatch('runs.startWhenFree', { request: long })) as {
      started: true;
      sessionId: number;
    };
    expect(first).toEqual({ started: true, sessionId: expect.any(Number) as number });

    expect(await app.dispatch('runs.startWhenFree', { request: SHORT_RUN })).toEqual({
      started: false,
      activeRuns: 1,
      maxConcurrentRuns: 1,
    });
    // runs.start keeps refusing, for the CLI and single runs; a bad request is refused either way.
    await expect(app.dispatch('runs.start', { request: SHORT_RUN })).rejects.toThrow(/limit is 1/);
    await expect(
      app.dispatch('runs.startWhenFree', { request: { ...SHORT_RUN, collector: 'nope' } }),
    ).rejects.toThrow(/collector/);
    await expect(
      app.dispatch('runs.startWhenFree', { request: { ...SHORT_RUN, gogc: 'x' } }),
    ).rejects.toThrow(/request\.gogc/);

    app.runs.cancel(first.sessionId);
    await app.runs.waitFor(first.sessionId);
    const second = (await app.dispatch('runs.startWhenFree', { request: SHORT_RUN })) as {
      sessionId: number;
    };
    expect(second).toMatchObject({ started: true });
    await app.runs.waitFor(second.sessionId);
    expect(app.sessions.list().length).toBe(2);
    await app.close();
  });

  it('refuses to delete a session while it records', async () => {
    const app = newApp();
    const { sessionId } = (await app.dispatch('runs.start', {
      request: { ...SHORT_RUN, durationMs: 600_000 },
    })) as {
      sessionId: number;
    };

    await expect(app.dispatch('sessions.delete', { id: sessionId })).rejects.toThrow(
      /still recording; cancel the run/,
    );
    await app.close();
  });

  it('rejects an unknown scenario naming the valid ones, and records nothing', async () => {
    const app = newApp();

    await expect(app.dispatch('runs.start', { request: { ...SHORT_RUN, scenario: 'warp' } })).rejects.toThrow(
      'unknown scenario "warp"; valid scenarios: steady',
    );
    expect(app.sessions.list()).toEqual([]);
    await app.close();
  });

  it('marks a recording left by a dead process interrupted at the next start', async () => {
    const dbPath = join(tempDir(), 'orphan.db');
    const first = createApp({ dbPath, workerEntry: WORKER });
    const id = first.sessions.create({
      name: 'crashed',
      source: 'simulation',
      scenario: 'steady',
      collector: 'mark-sweep',
      config: SHORT_RUN,
      seed: 3,
      engineVersion: null,
      recorderPid: 2 ** 22 + 12345, // above Linux's pid_max: no such process
    });
    await first.close();

    const second = createApp({ dbPath, workerEntry: WORKER });

    expect(second.sessions.get(id)?.status).toBe('interrupted');
    await second.close();
  });
});

describe('custom scenarios and snapshots through the API', () => {
  it('validates a scenario, listing problems by JSON path', async () => {
    const app = newApp();
    const { scenario } = (await app.dispatch('scenarios.get', { name: 'steady' })) as {
      scenario: { goroutines: { count: number }[] };
    };

    expect(await app.dispatch('scenarios.validate', { scenario })).toEqual({
      valid: true,
      name: 'steady',
      problems: [],
    });
    scenario.goroutines[0]!.count = 0;
    const check = (await app.dispatch('scenarios.validate', { scenario })) as {
      valid: boolean;
      problems: string[];
    };
    expect(check.valid).toBe(false);
    expect(check.problems).toEqual([expect.stringMatching(/^goroutines\[0\]\.count: expected /)]);
    await app.close();
  });

  it('suggests the nearest preset for a mistyped name', async () => {
    const app = newApp();

    await expect(app.dispatch('scenarios.get', { name: 'go-pol' })).rejects.toThrow(
      '(did you mean "go-pool"?)',
    );
    await app.close();
  });

  it('runs a custom scenario, records it under its own name, and keeps it for a re-run', async () => {
    const app = newApp();
    const { scenario } = (await app.dispatch('scenarios.get', { name: 'steady' })) as { scenario: object };
    const custom = { ...scenario, name: 'my-service', durationMs: 100 };

    const { sessionId } = (await app.dispatch('runs.start', {
      request: { ...SHORT_RUN, scenario: 'whatever', customScenario: custom },
    })) as { sessionId: number };
    await app.runs.waitFor(sessionId);

    const session = app.sessions.get(sessionId);
    expect(session).toMatchObject({ scenario: 'my-service', status: 'complete' });
    expect(session?.config?.customScenario).toEqual(custom);
    await app.close();
  });

  it('refuses an invalid custom scenario before recording anything', async () => {
    const app = newApp();

    await expect(
      app.dispatch('runs.start', { request: { ...SHORT_RUN, customScenario: { formatVersion: 1 } } }),
    ).rejects.toThrow(/^request\.customScenario: invalid scenario/);
    expect(app.sessions.list()).toEqual([]);
    await app.close();
  });

  it('serves the heap snapshots of a recorded run', async () => {
    const app = newApp();
    const { sessionId } = (await app.dispatch('runs.start', { request: SHORT_RUN })) as { sessionId: number };
    await app.runs.waitFor(sessionId);

    const list = (await app.dispatch('sessions.snapshots', { id: sessionId })) as { seq: number }[];
    const last = list.at(-1)!;
    const snapshot = (await app.dispatch('sessions.snapshot', { id: sessionId, seq: last.seq })) as {
      seq: number;
    };

    expect(list.length).toBe(app.sessions.get(sessionId)?.cycleCount);
    expect(snapshot.seq).toBe(last.seq);
    await expect(app.dispatch('sessions.snapshot', { id: sessionId, seq: 99_999 })).rejects.toThrow(
      `session ${sessionId} has no heap snapshot at the end of cycle 99999`,
    );
    await app.close();
  });
});
