import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../test-support/temp';
import { parseGctrace } from '../formats/gctrace';
import { cycleRecord } from '../test-support/records';
import { openDatabase, type Db } from './database';
import { Recorder } from './recorder';
import { ORPHAN_HEARTBEAT_MS, SessionRepository, type NewSession } from './sessions';

const simulation: NewSession = {
  name: 'steady · mark-sweep',
  source: 'simulation',
  scenario: 'steady',
  collector: 'mark-sweep',
  config: {
    scenario: 'steady',
    customScenario: null,
    collector: 'mark-sweep',
    gogc: 100,
    procs: 4,
    seed: 7,
    durationMs: null,
    name: null,
  },
  seed: 7,
  engineVersion: '0.1.0',
  recorderPid: 4242,
};

const tempDir = useTempDir();
let db: Db;
let sessions: SessionRepository;

beforeEach(() => {
  db = openDatabase(':memory:');
  sessions = new SessionRepository(db);
});

describe('SessionRepository', () => {
  it('creates a recording session and reads back its config', () => {
    const id = sessions.create(simulation, new Date('2026-01-02T03:04:05Z'));

    const row = sessions.get(id);

    expect(row).toMatchObject({
      id,
      name: 'steady · mark-sweep',
      status: 'recording',
      createdAt: '2026-01-02T03:04:05.000Z',
      config: simulation.config,
      seed: 7,
      cycleCount: 0,
      durationNs: 0,
      recorderPid: 4242,
    });
  });

  it('lists the newest session first with its cycle count and covered duration', () => {
    const older = sessions.create(simulation);
    const newer = sessions.create({ ...simulation, name: 'second' });
    const newerRecorder = new Recorder(db, newer);
    newerRecorder.add(
      [cycleRecord({ seq: 1, startNs: 5_000_000, sweepTermNs: 1, markNs: 2, markTermNs: 3 })],
      [{ tNs: 9_000_000, heapAllocBytes: 1, heapInUseBytes: 2 }],
    );
    newerRecorder.flush();
    const olderRecorder = new Recorder(db, older);
    olderRecorder.add([cycleRecord({ seq: 1 }), cycleRecord({ seq: 2, startNs: 2_000_000 })], []);
    olderRecorder.flush();

    const list = sessions.list();

    expect(list.map((s) => s.id)).toEqual([newer, older]);
    expect(list[0]).toMatchObject({ cycleCount: 1, durationNs: 9_000_000 });
    expect(list[1]).toMatchObject({ cycleCount: 2, durationNs: 2_000_000 + 350_000 });
  });

  it('finishes a recording once; a later finish cannot overwrite it', () => {
    const id = sessions.create(simulation);

    expect(sessions.finish(id, 'interrupted')).toBe(true);
    expect(sessions.finish(id, 'complete')).toBe(false);
    expect(sessions.get(id)?.status).toBe('interrupted');
  });

  it('marks recordings of dead processes interrupted and leaves live ones alone', () => {
    const dead = sessions.create({ ...simulation, recorderPid: 1001 });
    const alive = sessions.create({ ...simulation, recorderPid: 1002 });

    const orphans = sessions.markOrphansInterrupted((pid) => pid === 1002);

    expect(orphans).toEqual([dead]);
    expect(sessions.get(dead)).toMatchObject({ status: 'interrupted', recorderPid: null });
    expect(sessions.get(dead)?.error).toMatch(/ended before the session was finished/);
    expect(sessions.get(alive)?.status).toBe('recording');
  });

  it('marks a recording whose heartbeat went stale interrupted even though its pid is alive (reused)', () => {
    const now = new Date('2026-01-01T01:00:00.000Z');
    const stale = sessions.create(
      { ...simulation, recorderPid: 1001 },
      new Date(now.getTime() - ORPHAN_HEARTBEAT_MS - 1),
    );
    const fresh = sessions.create({ ...simulation, recorderPid: 1002 }, new Date(now.getTime() - 60_000));
    sessions.beat(fresh, new Date(now.getTime() - 1_000));
    const beforeHeartbeats = sessions.create({ ...simulation, recorderPid: 1003 }, new Date(0));
    db.prepare('UPDATE sessions SET heartbeat_at = NULL WHERE id = ?').run(beforeHeartbeats);

    const orphans = sessions.markOrphansInterrupted(() => true, now);

    expect(orphans).toEqual([stale]);
    expect(sessions.get(stale)?.status).toBe('interrupted');
    expect(sessions.get(fresh)?.status).toBe('recording');
    expect(sessions.get(beforeHeartbeats)?.status).toBe('recording');
  });

  it('reads cycles a page at a time, within a seq range', () => {
    const id = sessions.create(simulation);
    const recorder = new Recorder(db, id);
    recorder.add(
      Array.from({ length: 30 }, (_, i) => cycleRecord({ seq: i + 1, startNs: (i + 1) * 1_000_000 })),
      [],
    );
    recorder.flush();

    expect(sessions.cycles(id, { offset: 10, limit: 5 }).map((c) => c.seq)).toEqual([11, 12, 13, 14, 15]);
    expect(sessions.cycles(id, { fromSeq: 28 }).map((c) => c.seq)).toEqual([28, 29, 30]);
    expect(sessions.cycles(id, { fromSeq: 5, toSeq: 9, offset: 3 }).map((c) => c.seq)).toEqual([8, 9]);
    expect(sessions.timeline(id).seq).toHaveLength(30);
    expect(sessions.timeline(id).startNs[2]).toBe(3_000_000);
  });

  it('deletes a session with its cycles and samples', () => {
    const id = sessions.create(simulation);
    const recorder = new Recorder(db, id);
    recorder.add([cycleRecord()], [{ tNs: 1, heapAllocBytes: 2, heapInUseBytes: 3 }]);
    recorder.flush();

    expect(sessions.delete(id)).toBe(true);

    expect(sessions.get(id)).toBeNull();
    expect(db.prepare('SELECT count(*) FROM cycles').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM samples').pluck().get()).toBe(0);
    expect(sessions.delete(id)).toBe(false);
  });
});

describe('source reports', () => {
  const report = parseGctrace(
    'gc 1 @0.001s 5%: 0.1+0.2+0.3 ms clock, 0.1+0/0.1/0+0.3 ms cpu, 4->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n',
  ).report;

  it('stores a report with its session and reads it back unchanged', () => {
    const id = sessions.create({ ...simulation, source: 'gctrace' });

    expect(sessions.setSourceReport(id, report)).toBe(true);

    expect(sessions.sourceReport(id)).toEqual(report);
  });

  it('has none for a simulation, nor for a session that does not exist', () => {
    const id = sessions.create(simulation);

    expect(sessions.sourceReport(id)).toBeNull();
    expect(sessions.sourceReport(id + 1)).toBeNull();
    expect(sessions.setSourceReport(id + 1, report)).toBe(false);
  });

  it('reads a report it cannot understand as none, rather than failing the session', () => {
    const garbled = sessions.create(simulation);
    const future = sessions.create(simulation);
    db.prepare('UPDATE sessions SET source_report_json = ? WHERE id = ?').run('{not json', garbled);
    db.prepare('UPDATE sessions SET source_report_json = ? WHERE id = ?').run(
      JSON.stringify({ ...report, reportVersion: 99 }),
      future,
    );

    expect(sessions.sourceReport(garbled)).toBeNull();
    expect(sessions.sourceReport(future)).toBeNull();
    expect(sessions.get(garbled)).not.toBeNull();
  });

  it('keeps the report out of the session list', () => {
    const id = sessions.create(simulation);
    sessions.setSourceReport(id, report);

    expect(Object.keys(sessions.list()[0]!)).not.toContain('source_report_json');
  });
});

describe('samples', () => {
  it('come back in time order, and in insertion order at equal times (h1 then h2 of an import)', () => {
    const id = sessions.create(simulation);
    const recorder = new Recorder(db, id);
    recorder.add(
      [],
      [
        { tNs: 5, heapAllocBytes: 28, heapInUseBytes: 28 },
        { tNs: 5, heapAllocBytes: 17, heapInUseBytes: 17 },
        { tNs: 1, heapAllocBytes: 26, heapInUseBytes: 26 },
        { tNs: 5, heapAllocBytes: 3, heapInUseBytes: 3 },
      ],
    );
    recorder.flush();

    expect(sessions.samples(id).map((s) => s.heapAllocBytes)).toEqual([26, 28, 17, 3]);
  });
});

describe('Recorder', () => {
  it('round-trips every cycle field exactly, nulls included', () => {
    const id = sessions.create(simulation);
    const cycles = [
      cycleRecord({ seq: 1, gcCpuFraction: 0.123456789 }),
      cycleRecord({
        seq: 2,
        trigger: 'forced',
        objectsFreed: null,
        bytesFreed: null,
        liveObjects: null,
        fragmentationBytes: null,
      }),
    ];
    const recorder = new Recorder(db, id);

    recorder.add(cycles, []);
    recorder.flush();

    expect(sessions.cycles(id)).toEqual(cycles);
  });

  it('holds rows until the batch fills, then commits them together', () => {
    const id = sessions.create(simulation);
    const recorder = new Recorder(db, id, 3);

    recorder.add([cycleRecord({ seq: 1 })], [{ tNs: 1, heapAllocBytes: 1, heapInUseBytes: 1 }]);
    expect(sessions.cycles(id)).toHaveLength(0);

    recorder.add([cycleRecord({ seq: 2 })], []);
    expect(sessions.cycles(id).map((c) => c.seq)).toEqual([1, 2]);
    expect(sessions.samples(id)).toEqual([{ tNs: 1, heapAllocBytes: 1, heapInUseBytes: 1 }]);
  });

  it('writes nothing of a batch that fails part way', () => {
    const id = sessions.create(simulation);
    const recorder = new Recorder(db, id);
    recorder.add([cycleRecord({ seq: 1 }), cycleRecord({ seq: 1 })], []); // duplicate key

    expect(() => recorder.flush()).toThrow(/UNIQUE/);
    expect(sessions.cycles(id)).toHaveLength(0);
  });
});

describe('Recorder under contention', () => {
  it('keeps buffered rows when a commit cannot get the write lock, and writes them on the next flush', () => {
    const path = join(tempDir(), 'busy.db');
    const writer = openDatabase(path);
    writer.pragma('busy_timeout = 0');
    const id = new SessionRepository(writer).create(simulation);
    const other = openDatabase(path);
    const recorder = new Recorder(writer, id);
    recorder.add([cycleRecord({ seq: 1 })], []);

    other.exec('BEGIN IMMEDIATE');
    expect(() => recorder.flush()).toThrow(/locked|busy/i);
    other.exec('COMMIT');
    recorder.flush();

    expect(new SessionRepository(other).cycles(id).map((c) => c.seq)).toEqual([1]);
    writer.close();
    other.close();
  });
});

describe('SessionRepository: library edits', () => {
  it('renames, annotates and replaces the tag set in one update', () => {
    const id = sessions.create(simulation);
    sessions.update(id, { tags: ['old'] });

    const updated = sessions.update(id, {
      name: 'baseline',
      notes: 'GOGC 100 on 4 Ps',
      tags: ['gogc', 'base'],
    });

    expect(updated).toBe(true);
    expect(sessions.get(id)).toMatchObject({
      name: 'baseline',
      notes: 'GOGC 100 on 4 Ps',
      tags: ['base', 'gogc'],
    });
  });

  it('leaves absent fields as they are', () => {
    const id = sessions.create(simulation);
    sessions.update(id, { notes: 'kept', tags: ['kept'] });

    sessions.update(id, { name: 'renamed' });

    expect(sessions.get(id)).toMatchObject({ name: 'renamed', notes: 'kept', tags: ['kept'] });
  });

  it('filters the list by exact tag and by words over name, tag, scenario and collector', () => {
    const a = sessions.create({ ...simulation, name: 'Baseline run' });
    const b = sessions.create({ ...simulation, name: 'tuned', scenario: 'burst', collector: 'go' });
    const c = sessions.create({ ...simulation, name: '50%_off' });
    sessions.update(a, { tags: ['prod-like'] });
    sessions.update(b, { tags: ['prod'] });

    const ids = (filter: Parameters<SessionRepository['list']>[0]) => sessions.list(filter).map((s) => s.id);

    expect(ids({ tag: 'prod' })).toEqual([b]);
    expect(ids({ search: 'prod' })).toEqual([b, a]);
    expect(ids({ search: 'BASELINE mark' })).toEqual([a]);
    expect(ids({ search: 'burst go' })).toEqual([b]);
    expect(ids({ search: '%_' })).toEqual([c]);
    expect(ids({ search: 'prod', tag: 'prod-like' })).toEqual([a]);
  });

  it('hides a soft-deleted session from every read until it is restored', () => {
    const id = sessions.create(simulation);
    sessions.finish(id, 'complete');

    expect(sessions.softDelete(id)).toBe(true);
    expect(sessions.get(id)).toBeNull();
    expect(sessions.list()).toEqual([]);
    expect(sessions.update(id, { name: 'x' })).toBe(false);
    expect(sessions.softDelete(id)).toBe(false);

    expect(sessions.restore(id)).toBe(true);
    expect(sessions.get(id)).toMatchObject({ id, status: 'complete' });
    expect(sessions.restore(id)).toBe(false);
  });

  it('purges sessions deleted before the cutoff with their rows, keeping the rest restorable', () => {
    const old = sessions.create(simulation);
    const recent = sessions.create(simulation);
    const recorder = new Recorder(db, old);
    recorder.add([cycleRecord({ seq: 1 })], [{ tNs: 1, heapAllocBytes: 1, heapInUseBytes: 1 }]);
    recorder.flush();
    sessions.update(old, { tags: ['gone'] });
    sessions.softDelete(old, new Date('2026-01-01T00:00:00Z'));
    sessions.softDelete(recent, new Date('2026-01-01T00:20:00Z'));

    const purged = sessions.purgeDeleted(new Date('2026-01-01T00:10:00Z'));

    expect(purged).toEqual([old]);
    for (const table of ['cycles', 'samples', 'session_tags'])
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    expect(sessions.restore(old)).toBe(false);
    expect(sessions.restore(recent)).toBe(true);
  });

  it('backfills the size of sessions finished before sizes were stored', () => {
    const id = sessions.create(simulation);
    const recorder = new Recorder(db, id);
    recorder.add([cycleRecord({ seq: 1 })], []);
    recorder.flush();
    sessions.finish(id, 'complete');
    const size = sessions.get(id)!.sizeBytes;
    db.prepare('UPDATE sessions SET size_bytes = NULL').run();

    expect(sessions.backfillSizes()).toBe(1);
    expect(db.prepare('SELECT size_bytes FROM sessions').pluck().get()).toBe(size);
    expect(size).toBeGreaterThan(0);
  });
});
