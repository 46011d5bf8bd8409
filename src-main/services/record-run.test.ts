import { describe, expect, it } from 'vitest';
import { createSimulation } from '../engine';
import { openDatabase } from '../store/database';
import { SessionRepository } from '../store/sessions';
import { SnapshotRepository } from '../store/snapshots';
import { SHORT_RUN as request } from '../test-support/requests';
import { toSimulationConfig } from './runs';
import { RECORDED_SNAPSHOTS, recordRun, type RecordRunHooks } from './record-run';
import type { FromWorker } from './run-protocol';

function hooks(overrides: Partial<RecordRunHooks> = {}): RecordRunHooks & { reports: FromWorker[] } {
  const reports: FromWorker[] = [];
  let clockMs = 0;
  return {
    reports,
    isCancelled: () => false,
    report: (message) => reports.push(message),
    yieldTurn: () => Promise.resolve(),
    // Every reading advances 5 ms, so each turn simulates a few slices and then reports.
    wallNowMs: () => (clockMs += 5),
    ...overrides,
  };
}

function newSession() {
  const db = openDatabase(':memory:');
  const sessions = new SessionRepository(db);
  const id = sessions.create({
    name: 'test',
    source: 'simulation',
    scenario: request.scenario,
    collector: request.collector,
    config: request,
    seed: request.seed,
    engineVersion: null,
    recorderPid: null,
  });
  return { db, sessions, id };
}

describe('recordRun', () => {
  it('records exactly what the simulation produces and completes the session', async () => {
    const { db, sessions, id } = newSession();
    const config = toSimulationConfig(request);
    const reference = createSimulation(config).advance(Number.MAX_SAFE_INTEGER);

    const done = await recordRun(db, id, config, hooks());

    expect(done).toEqual({ type: 'done', status: 'complete', error: null });
    expect(sessions.get(id)?.status).toBe('complete');
    expect(sessions.cycles(id)).toEqual(reference.cycles);
    expect(sessions.samples(id)).toEqual(reference.samples);
  });

  it('records a heap snapshot at every cycle end, with the object graph in every 8th', async () => {
    const { db, id } = newSession();
    const config = toSimulationConfig(request);
    const reference = createSimulation(config, { snapshots: RECORDED_SNAPSHOTS }).advance(
      Number.MAX_SAFE_INTEGER,
    );

    await recordRun(db, id, config, hooks());

    const snapshots = new SnapshotRepository(db);
    const list = snapshots.list(id);
    expect(list.map((s) => s.seq)).toEqual(reference.cycles.map((c) => c.seq));
    expect(list.filter((s) => s.hasGraph).map((s) => s.seq)).toEqual(
      reference.cycles.filter((c) => c.seq % 8 === 0).map((c) => c.seq),
    );
    expect(snapshots.get(id, 8)).toEqual(reference.snapshots[7]);
  });

  it('reports monotonic progress ending at 1', async () => {
    const { db, id } = newSession();
    const h = hooks();

    await recordRun(db, id, toSimulationConfig(request), h);

    const fractions = h.reports
      .filter((r) => r.type === 'progress')
      .map((r) => (r.type === 'progress' ? r.fraction : -1));
    expect(fractions.length).toBeGreaterThan(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
  });

  it('stops at a cancel, keeps what was recorded and ends interrupted', async () => {
    const { db, sessions, id } = newSession();
    let turns = 0;
    const h = hooks({ isCancelled: () => turns >= 3, yieldTurn: async () => void turns++ });

    const done = await recordRun(db, id, toSimulationConfig(request), h);

    expect(done.status).toBe('interrupted');
    const full = createSimulation(toSimulationConfig(request)).advance(Number.MAX_SAFE_INTEGER).cycles;
    const kept = sessions.cycles(id);
    expect(kept.length).toBeLessThan(full.length);
    expect(kept).toEqual(full.slice(0, kept.length));
    expect(sessions.get(id)?.status).toBe('interrupted');
  });

  it('ends the session failed with the reason when the engine throws', async () => {
    const { db, sessions, id } = newSession();
    const config = { ...toSimulationConfig(request), collector: 'no-such-collector' };

    const done = await recordRun(db, id, config, hooks());

    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/no-such-collector/);
    expect(sessions.get(id)).toMatchObject({ status: 'failed', error: done.error });
  });
});
