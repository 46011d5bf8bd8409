/** `sessions.fidelity`: a simulation held to an imported trace through `dispatch`, on a real database. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FidelityReport, ImportTextResult } from '../api/types';
import { Recorder } from '../store/recorder';
import { cycleRecord } from '../test-support/records';
import { useTempDir } from '../test-support/temp';
import { createApp, type App } from './app';
import { compareWithTrace } from './fidelity';

const TRACE = join(__dirname, '..', '..', 'fixtures', 'gctrace', 'go1.19.8_churn_gogc100.txt');
const MiB = 1 << 20;
const tempDir = useTempDir();
let app: App;

afterEach(async () => {
  await app.close();
});

function addSimulation(): number {
  const id = app.sessions.create({
    name: 'sim',
    source: 'simulation',
    scenario: 'fit-1',
    collector: 'go',
    config: null,
    seed: 1,
    engineVersion: null,
    recorderPid: process.pid,
  });
  const recorder = new Recorder(app.db, id);
  recorder.add(
    [1, 2, 3, 4, 5].map((seq) =>
      cycleRecord({
        seq,
        startNs: seq * 1_000_000,
        heapGoalBytes: 4 * seq * MiB,
        heapMarkedBytes: 2 * seq * MiB,
      }),
    ),
    [],
  );
  recorder.flush();
  app.sessions.finish(id, 'complete');
  return id;
}

describe('sessions.fidelity', () => {
  it('compares a simulation with an imported trace cycle by cycle, as compare --check does', async () => {
    app = createApp({ dbPath: join(tempDir(), 'fidelity.db') });
    const { sessionId: traceId } = (await app.dispatch('sessions.import', {
      text: readFileSync(TRACE, 'utf8'),
    })) as ImportTextResult;
    const simulationId = addSimulation();

    const report = (await app.dispatch('sessions.fidelity', { simulationId, traceId })) as FidelityReport;

    expect(report).toEqual(
      compareWithTrace(app.sessions.cycles(simulationId), app.sessions.cycles(traceId), MiB),
    );
    expect(report.precisionBytes).toBe(MiB);
    expect(report.rows).toHaveLength(33);
    expect(report.rows[4]).toMatchObject({ seq: 5, judged: true });
    expect(report.verdict).toMatchObject({ simCycles: 5, realCycles: 33, cyclesOk: false, pass: false });
  });

  it('refuses a pair that is not a simulation and a trace, naming the argument', async () => {
    app = createApp({ dbPath: join(tempDir(), 'fidelity.db') });
    const simulationId = addSimulation();
    const other = addSimulation();

    await expect(app.dispatch('sessions.fidelity', { simulationId, traceId: other })).rejects.toThrow(
      /traceId: session \d+ is a simulation session; expected an imported gctrace trace/,
    );
    await expect(app.dispatch('sessions.fidelity', { simulationId, traceId: 999 })).rejects.toThrow(
      /session 999 does not exist/,
    );
    await expect(app.dispatch('sessions.fidelity', { simulationId: 'one', traceId: other })).rejects.toThrow(
      /simulationId/,
    );
  });
});
