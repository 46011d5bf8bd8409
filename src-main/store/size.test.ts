import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulation, type Scenario } from '../engine';
import { cycleExtrasOf, parseGctrace } from '../formats/gctrace';
import { openDatabase, type Db } from './database';
import { Recorder } from './recorder';
import { SessionRepository, type NewSession } from './sessions';
import { SIZED_TABLES, sessionSizeSql } from './size';

const scenario: Scenario = {
  formatVersion: 1,
  name: 'size',
  title: 'size',
  description: 'size',
  durationMs: 40,
  globalsBytes: 4096,
  pools: [],
  goroutines: [
    {
      name: 'g',
      count: 2,
      allocBytesPerSec: 256 * 2 ** 20,
      sites: [
        {
          name: 'kept',
          weight: 1,
          size: { kind: 'fixed', bytes: 64 },
          pointerFields: 1,
          escapes: true,
          lifetime: { kind: 'ring', slots: 1000, prefill: true },
        },
        {
          name: 'garbage',
          weight: 4,
          size: { kind: 'fixed', bytes: 512 },
          pointerFields: 0,
          escapes: true,
          lifetime: { kind: 'young' },
        },
      ],
    },
  ],
};

const simulated = createSimulation(
  { scenario, collector: 'go', gogc: 100, procs: 2, seed: 3, durationNs: 40e6 },
  { snapshots: { graphEveryCycles: 2 } },
).advance(Infinity);

const session = (name: string): NewSession => ({
  name,
  source: 'simulation',
  scenario: 'size',
  collector: 'go',
  config: null,
  seed: 3,
  engineVersion: null,
  recorderPid: null,
});

/** What SQLite itself says the rows of the sized tables take: dbstat's payload bytes. */
function dbstatPayload(db: Db): number {
  const inList = SIZED_TABLES.map((t) => `'${t}'`).join(', ');
  return db.prepare(`SELECT sum(payload) FROM dbstat WHERE name IN (${inList})`).pluck().get() as number;
}

describe('session size on disk', () => {
  it("equals dbstat's payload bytes for a simulated session's cycles, samples and snapshots", () => {
    const db = openDatabase(':memory:');
    const sessions = new SessionRepository(db);
    const id = sessions.create(session('sized'));
    const recorder = new Recorder(db, id);
    recorder.add(simulated.cycles, simulated.samples, simulated.snapshots);
    recorder.flush();
    expect(simulated.snapshots.length).toBeGreaterThan(1);

    sessions.finish(id, 'complete');

    expect(sessions.get(id)!.sizeBytes).toBe(dbstatPayload(db));
  });

  it("equals dbstat's payload bytes for an imported log, whose cycles leave the simulator's fields null", () => {
    const db = openDatabase(':memory:');
    const sessions = new SessionRepository(db);
    const id = sessions.create({ ...session('imported'), source: 'gctrace', scenario: null });
    const parsed = parseGctrace(
      'gc 1 @0.011s 2%: 0.018+1.2+0.021 ms clock, 0.072+0.35/1.1/0.61+0.085 ms cpu, 4->4->1 MB, 5 MB goal, 4 P\n' +
        'gc 2 @0.030s 3%: 0.020+2.5+0.030 ms clock, 0.080+0.40/2.2/0.70+0.12 ms cpu, 7->8->3 MB, 9 MB goal, 4 P\n',
    );
    const recorder = new Recorder(db, id);
    recorder.add(
      parsed.cycles.map((c) => c.record),
      parsed.cycles.map((c) => ({ tNs: c.record.startNs, heapAllocBytes: 1 << 20, heapInUseBytes: 2 << 20 })),
    );
    recorder.flush();

    sessions.finish(id, 'complete');

    expect(sessions.get(id)!.sizeBytes).toBe(dbstatPayload(db));
  });

  it("equals dbstat's payload bytes for an imported log with pacer lines, kept beside its cycles", () => {
    const db = openDatabase(':memory:');
    const sessions = new SessionRepository(db);
    const id = sessions.create({ ...session('pacer'), source: 'gctrace', scenario: null });
    const { cycles } = parseGctrace(
      readFileSync(
        join(__dirname, '..', '..', 'fixtures', 'gctrace', 'go1.19.8_churn_pacertrace.txt'),
        'utf8',
      ),
    );
    const recorder = new Recorder(db, id);
    recorder.add(
      cycles.map((c) => c.record),
      [],
      [],
      cycles.map((c) => cycleExtrasOf(c)!),
    );
    recorder.flush();

    sessions.finish(id, 'complete');

    expect(db.prepare('SELECT count(*) FROM pacer_lines').pluck().get()).toBe(5);
    expect(sessions.get(id)!.sizeBytes).toBe(dbstatPayload(db));
    expect(
      db
        .prepare(`SELECT ${sessionSizeSql(db, '@id')}`)
        .pluck()
        .get({ id }),
    ).toBe(sessions.get(id)!.sizeBytes);
  });

  it('counts only its own rows, and sizes a recording session as it grows', () => {
    const db = openDatabase(':memory:');
    const sessions = new SessionRepository(db);
    const small = sessions.create(session('small'));
    const big = sessions.create(session('big'));
    const bigRecorder = new Recorder(db, big);
    bigRecorder.add(simulated.cycles, simulated.samples, simulated.snapshots);
    bigRecorder.flush();
    const smallRecorder = new Recorder(db, small);
    smallRecorder.add(simulated.cycles.slice(0, 1), []);
    smallRecorder.flush();
    const smallWhileRecording = sessions.get(small)!.sizeBytes;

    smallRecorder.add(simulated.cycles.slice(1, 2), []);
    smallRecorder.flush();

    expect(sessions.get(small)!.sizeBytes).toBeGreaterThan(smallWhileRecording);
    expect(sessions.get(small)!.sizeBytes + sessions.get(big)!.sizeBytes).toBe(dbstatPayload(db));
  });

  it('is zero for a session with no rows', () => {
    const db = openDatabase(':memory:');
    const sessions = new SessionRepository(db);
    const id = sessions.create(session('empty'));

    sessions.finish(id, 'failed', 'nothing recorded');

    expect(sessions.get(id)!.sizeBytes).toBe(0);
  });

  it('keeps the size as it commits, equal to dbstat and to the rows read back, at every edge of the encoding', () => {
    const db = openDatabase(':memory:');
    const sessions = new SessionRepository(db);
    const id = sessions.create(session('edges'));
    const base = simulated.cycles[0]!;
    // Each value sits at an edge of SQLite's serial types: 0 and 1 take no body bytes, integers
    // take 1–8 bytes, an integral value in a REAL column is stored as an integer, text is UTF-8.
    const edges = [
      0,
      1,
      -1,
      127,
      128,
      -129,
      32767,
      32768,
      8388608,
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 47,
      2 ** 53,
    ];
    const cycles = edges.map((value, i) => ({
      ...base,
      seq: i + 1,
      heapGoalBytes: value,
      objectsFreed: i % 2 === 0 ? null : value,
      gcCpuFraction: i % 3 === 0 ? value : value + 0.25,
      assistRatio: i % 2 === 0 ? null : -value,
      pauses: [{ startNs: value, durationNs: i }],
    }));
    const recorder = new Recorder(db, id, 5);
    recorder.add(cycles, [{ tNs: 2 ** 40, heapAllocBytes: 0, heapInUseBytes: 1 }], simulated.snapshots);
    recorder.flush();
    const kept = db.prepare('SELECT size_bytes FROM sessions WHERE id = ?').pluck().get(id);
    const readBack = db
      .prepare(`SELECT ${sessionSizeSql(db, '@id')}`)
      .pluck()
      .get({ id });

    expect(kept).toBe(dbstatPayload(db));
    expect(readBack).toBe(dbstatPayload(db));
    sessions.finish(id, 'complete');
    expect(sessions.get(id)!.sizeBytes).toBe(dbstatPayload(db));
  });
});
