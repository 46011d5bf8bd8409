import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test-support/temp';
import { migrate, openDatabase, StoreError } from './database';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

const tempDir = useTempDir();

function tableNames(db: Database.Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);
}

describe('openDatabase', () => {
  it('creates a new database at the latest schema version with WAL and foreign keys on', () => {
    const path = join(tempDir(), 'nested', 'new.db');

    const db = openDatabase(path);

    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(tableNames(db)).toEqual([
      'cycles',
      'pacer_lines',
      'samples',
      'session_tags',
      'sessions',
      'snapshots',
    ]);
    db.close();
  });

  it('refuses a database written by a newer schema and leaves the file untouched', () => {
    const path = join(tempDir(), 'future.db');
    const future = new Database(path);
    future.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    future.close();
    const before = readFileSync(path);

    expect(() => openDatabase(path)).toThrow(StoreError);
    expect(() => openDatabase(path)).toThrow(
      new RegExp(
        `newer Heapscope \\(schema version ${SCHEMA_VERSION + 1}; this version reads up to ${SCHEMA_VERSION}\\)`,
      ),
    );
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses a file that is not SQLite, saying what it expected', () => {
    const path = join(tempDir(), 'notes.db');
    writeFileSync(path, 'these are my notes, not a database\n');

    expect(() => openDatabase(path)).toThrow(/is not a Heapscope database \(expected an SQLite 3 file\)/);
    expect(readFileSync(path, 'utf8')).toBe('these are my notes, not a database\n');
  });

  it('reopens an existing database without re-running migrations', () => {
    const path = join(tempDir(), 'again.db');
    const first = openDatabase(path);
    first
      .prepare(
        "INSERT INTO sessions (name, source, status, created_at) VALUES ('kept', 'simulation', 'complete', 'now')",
      )
      .run();
    first.close();

    const second = openDatabase(path);

    expect(second.prepare('SELECT name FROM sessions').pluck().all()).toEqual(['kept']);
    second.close();
  });
});

describe('migrations', () => {
  it('are numbered 1..N in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  /** Rows a database of each version could hold, written with that version's schema. */
  const SEED_AT_VERSION: Record<number, string> = {
    1: `INSERT INTO sessions (id, name, source, status, created_at) VALUES (1, 'old', 'simulation', 'complete', 'then');
        INSERT INTO cycles VALUES (1, 1, 0, 'heap', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0.5, 16, 17, 18, 19);
        INSERT INTO samples VALUES (1, 100, 200, 300);`,
    2: `INSERT INTO sessions (id, name, source, status, created_at, source_report_json)
          VALUES (2, 'imported', 'gctrace', 'complete', 'then', '{"kind":"gctrace"}');
        INSERT INTO cycles VALUES (2, 1, 0, 'forced', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0.5, NULL, NULL, NULL, NULL);`,
    3: `INSERT INTO snapshots VALUES (1, 1, 0, 'json+deflate', 10, 0, x'0102030405');`,
    4: `INSERT INTO sessions (id, name, source, status, notes, created_at, recorder_pid)
          VALUES (4, 'recording', 'simulation', 'recording', 'still going', 'then', 99);`,
    5: `INSERT INTO session_tags VALUES (1, 'base');
        UPDATE sessions SET size_bytes = 123 WHERE id = 1;`,
  };

  for (const migration of MIGRATIONS) {
    it(`migration ${migration.version} (${migration.description}) upgrades a version ${migration.version - 1} database and keeps its rows`, () => {
      const db = new Database(':memory:');
      for (let version = 1; version < migration.version; version++) {
        migrate(db, version);
        db.exec(SEED_AT_VERSION[version] ?? '');
      }
      const rowsBefore = tableNames(db).map((t) => [
        t,
        db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get(),
      ]);

      migrate(db, migration.version);

      expect(db.pragma('user_version', { simple: true })).toBe(migration.version);
      for (const [table, count] of rowsBefore) {
        expect(
          db
            .prepare(`SELECT count(*) FROM "${String(table)}"`)
            .pluck()
            .get(),
        ).toBe(count);
      }
      db.close();
    });
  }

  it('migration 3 leaves the new cycle fields of older rows null and adds an empty snapshots table', () => {
    const db = new Database(':memory:');
    migrate(db, 1);
    db.exec(SEED_AT_VERSION[1]!);

    migrate(db, 3);

    const row = db.prepare('SELECT stack_in_use_bytes, pool_gets, heap_idle_bytes FROM cycles').get();
    expect(row).toEqual({ stack_in_use_bytes: null, pool_gets: null, heap_idle_bytes: null });
    expect(db.prepare('SELECT count(*) FROM snapshots').pluck().get()).toBe(0);
    db.close();
  });

  it('migration 4 gives older rows the pause windows their clocks describe, and null collector fields', () => {
    const db = new Database(':memory:');
    for (let version = 1; version <= 3; version++) {
      migrate(db, version);
      db.exec(SEED_AT_VERSION[version] ?? '');
    }

    migrate(db, 4);

    const rows = db
      .prepare('SELECT session_id, pauses, assist_ratio, leaked_bytes FROM cycles ORDER BY session_id')
      .all();
    // Seeded clocks: start 0, sweep termination 9, mark 10, mark termination 11, pause 12.
    expect(rows).toEqual([
      { session_id: 1, pauses: '[0,12]', assist_ratio: null, leaked_bytes: null },
      { session_id: 2, pauses: '[0,9,19,11]', assist_ratio: null, leaked_bytes: null },
    ]);
    db.close();
  });

  it('migration 5 keeps sessions visible and untagged, and leaves their size to be computed', () => {
    const db = new Database(':memory:');
    for (let version = 1; version <= 4; version++) {
      migrate(db, version);
      db.exec(SEED_AT_VERSION[version] ?? '');
    }

    migrate(db, 5);

    expect(db.prepare('SELECT id, notes, deleted_at, size_bytes FROM sessions ORDER BY id').all()).toEqual([
      { id: 1, notes: '', deleted_at: null, size_bytes: null },
      { id: 2, notes: '', deleted_at: null, size_bytes: null },
      { id: 4, notes: 'still going', deleted_at: null, size_bytes: null },
    ]);
    expect(db.prepare('SELECT count(*) FROM session_tags').pluck().get()).toBe(0);
    db.exec("INSERT INTO session_tags VALUES (1, 'base')");
    expect(() => db.exec("INSERT INTO session_tags VALUES (1, 'base')")).toThrow(/UNIQUE/);
    expect(() => db.exec("INSERT INTO session_tags VALUES (1, '')")).toThrow(/CHECK/);
    db.pragma('foreign_keys = ON');
    db.exec('DELETE FROM sessions WHERE id = 1');
    expect(db.prepare('SELECT count(*) FROM session_tags').pluck().get()).toBe(0);
    db.close();
  });

  it('migration 6 leaves heartbeats and summaries empty, so older rows are judged by pid and summarised on read', () => {
    const db = new Database(':memory:');
    for (let version = 1; version <= 5; version++) {
      migrate(db, version);
      db.exec(SEED_AT_VERSION[version] ?? '');
    }

    migrate(db, 6);

    expect(
      db
        .prepare(
          'SELECT id, status, heartbeat_at, cycle_count, duration_ns, summary_json, size_bytes FROM sessions ORDER BY id',
        )
        .all(),
    ).toEqual([
      {
        id: 1,
        status: 'complete',
        heartbeat_at: null,
        cycle_count: null,
        duration_ns: null,
        summary_json: null,
        size_bytes: 123,
      },
      {
        id: 2,
        status: 'complete',
        heartbeat_at: null,
        cycle_count: null,
        duration_ns: null,
        summary_json: null,
        size_bytes: null,
      },
      {
        id: 4,
        status: 'recording',
        heartbeat_at: null,
        cycle_count: null,
        duration_ns: null,
        summary_json: null,
        size_bytes: null,
      },
    ]);
    db.close();
  });

  it('roll back entirely when a migration fails', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE sessions (id INTEGER)'); // collides with migration 1

    expect(() => migrate(db)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    db.close();
  });
});
