/**
 * `sessions.fit` and `sessions.whatif` through `dispatch`, on real Go traces imported into a
 * temporary database, with the simulation run on the built worker (`npm run build` first).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/contract';
import type { FitResult, ImportTextResult, ScenarioCheck, SessionDetail, WhatIfResult } from '../api/types';
import { assertBuildIsCurrent, BUILT_WORKER } from '../test-support/build';
import { SHORT_RUN } from '../test-support/requests';
import { useTempDir } from '../test-support/temp';
import { createApp, type App } from './app';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'gctrace');
const tempDir = useTempDir();
const open: App[] = [];

beforeAll(assertBuildIsCurrent);
afterEach(async () => {
  for (const app of open.splice(0)) await app.close();
});

function newApp(): App {
  const app = createApp({ dbPath: join(tempDir(), 'whatif.db'), workerEntry: BUILT_WORKER });
  open.push(app);
  return app;
}

async function importFixture(app: App, file: string): Promise<number> {
  const text = readFileSync(join(FIXTURES, file), 'utf8');
  const result = (await app.dispatch('sessions.import', { text, fileName: file })) as ImportTextResult;
  return result.sessionId;
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('sessions.fit', () => {
  it('fits a valid scenario to an imported trace, with the settings its cycles tell', async () => {
    const app = newApp();
    const id = await importFixture(app, 'go1.19.8_churn_gogc100.txt');

    const fit = (await app.dispatch('sessions.fit', { id })) as FitResult;
    const check = (await app.dispatch('scenarios.validate', { scenario: fit.scenario })) as ScenarioCheck;

    expect(check).toEqual({ valid: true, name: `fit-${id}`, problems: [] });
    expect(fit.settings).toMatchObject({ gogc: 100, procs: 2 });
    expect(fit.phases.length).toBeGreaterThan(0);
  });

  it('refuses a simulation, a session that does not exist, and a malformed ID', async () => {
    const app = newApp();
    const { sessionId } = (await app.dispatch('runs.start', { request: SHORT_RUN })) as { sessionId: number };
    await app.runs.waitFor(sessionId);

    const simulation = await rejection(app.dispatch('sessions.fit', { id: sessionId }));
    const missing = await rejection(app.dispatch('sessions.fit', { id: 999 }));
    const malformed = await rejection(app.dispatch('sessions.fit', { id: 'three' }));

    expect(simulation.code).toBe('invalid-argument');
    expect(simulation.message).toMatch(/is a simulation: a scenario is fitted to a real trace/);
    expect(missing.code).toBe('not-found');
    expect(malformed.message).toMatch(/^sessions\.fit: id: /);
  });
});

describe('sessions.whatif', () => {
  it('records a simulation of the fitted scenario under the chosen GOGC, storing the scenario with it', async () => {
    const app = newApp();
    const id = await importFixture(app, 'go1.19.8_churn_gogc100.txt');
    const fit = (await app.dispatch('sessions.fit', { id })) as FitResult;

    const result = (await app.dispatch('sessions.whatif', { id, gogc: 200 })) as WhatIfResult;
    const finished = await app.runs.waitFor(result.sessionId);
    const sim = (await app.dispatch('sessions.get', { id: result.sessionId })) as SessionDetail;
    const real = (await app.dispatch('sessions.get', { id })) as SessionDetail;

    expect(finished?.status).toBe('complete');
    expect(result.baselineId).toBe(id);
    expect(sim).toMatchObject({ source: 'simulation', collector: 'go', scenario: `fit-${id}` });
    expect(sim.config).toMatchObject({
      gogc: 200,
      procs: 2,
      customScenario: fit.scenario,
      memoryLimitBytes: null,
    });
    // GOGC=200 doubles the headroom over the same live heap: far fewer cycles than the trace's 33.
    expect(sim.stats.cycles).toBeGreaterThan(5);
    expect(sim.stats.cycles).toBeLessThan(real.stats.cycles * 0.75);
  });

  it('takes the trace’s own settings where none are given, and any collector with its options', async () => {
    const app = newApp();
    const id = await importFixture(app, 'go1.19.8_churn_gomaxprocs1.txt');

    const own = (await app.dispatch('sessions.whatif', { id })) as WhatIfResult;
    const incremental = (await app.dispatch('sessions.whatif', {
      id,
      collector: 'incremental',
      barrier: 'yuasa',
      memoryLimitBytes: 64 << 20,
    })) as WhatIfResult;
    await Promise.all([app.runs.waitFor(own.sessionId), app.runs.waitFor(incremental.sessionId)]);

    expect(own.request).toMatchObject({ collector: 'go', gogc: 105, procs: 1, memoryLimitBytes: null });
    expect(incremental.request).toMatchObject({
      collector: 'incremental',
      barrier: 'yuasa',
      memoryLimitBytes: 64 << 20,
    });
    expect(app.sessions.get(incremental.sessionId)?.status).toBe('complete');
  });

  it('refuses GOGC 0, an unknown collector and a memory limit under 1 MiB, naming the field', async () => {
    const app = newApp();
    const id = await importFixture(app, 'go1.19.8_churn_gogc100.txt');

    const gogc = await rejection(app.dispatch('sessions.whatif', { id, gogc: 0 }));
    const collector = await rejection(app.dispatch('sessions.whatif', { id, collector: 'g0' }));
    const limit = await rejection(app.dispatch('sessions.whatif', { id, memoryLimitBytes: 1000 }));

    expect(gogc.message).toMatch(/gogc: GOGC=0 \(collect continuously\) is not supported/);
    expect(collector.code).toBe('invalid-argument');
    expect(collector.message).toMatch(/collector "g0"/);
    expect(limit.message).toMatch(/memoryLimitBytes: a memory limit below 1048576 bytes/);
    expect(app.sessions.list({}).length).toBe(1);
  });
});
