import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExportResult, RunRequest, SessionDetail } from '../api/types';
import { ENGINE_VERSION } from '../engine';
import type { SessionExport } from '../formats/session-json';
import { openDatabase, type Db } from '../store/database';
import { SessionRepository } from '../store/sessions';
import { useTempDir } from '../test-support/temp';
import { createApp, type App } from './app';
import { attachProgram } from './attach';
import { importGctraceFile } from './import';
import { importAny, importFile } from './import-session';
import { recordRun } from './record-run';
import { toSimulationConfig } from './runs';
import { verifySession } from './verify';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'gctrace');
const LOG = join(FIXTURES, 'go1.19.8_scav.txt');
const PACER_LOG = join(FIXTURES, 'go1.19.8_churn_pacertrace.txt');
const tempDir = useTempDir();

const POOL_RUN: RunRequest = {
  scenario: 'pool-buffers',
  customScenario: null,
  collector: 'go',
  gogc: 100,
  procs: 2,
  seed: 11,
  durationMs: 400,
  name: 'pooled buffers',
};
const REFCOUNT_RUN: RunRequest = {
  scenario: 'cyclic-garbage',
  customScenario: null,
  collector: 'refcount',
  gogc: 100,
  procs: 2,
  seed: 5,
  durationMs: 200,
  name: null,
};

async function recordSimulation(db: Db, request: RunRequest): Promise<number> {
  const id = new SessionRepository(db).create({
    name: request.name ?? `${request.scenario} · ${request.collector}`,
    source: 'simulation',
    scenario: request.scenario,
    collector: request.collector,
    config: request,
    seed: request.seed,
    engineVersion: ENGINE_VERSION,
    recorderPid: null,
  });
  let clockMs = 0;
  await recordRun(db, id, toSimulationConfig(request), {
    isCancelled: () => false,
    report: () => {},
    yieldTurn: () => Promise.resolve(),
    wallNowMs: () => (clockMs += 5),
  });
  return id;
}

async function attachLog(db: Db): Promise<number> {
  const program = attachProgram({
    command: ['sh', '-c', `cat "${LOG}" 1>&2`],
    name: 'attached pool',
    database: db,
    stdout: 'inherit',
  });
  const { sessionId } = await program.done;
  return sessionId!;
}

let templateDir: string;
let app: App;
const ids: Record<'pool' | 'refcount' | 'gctrace' | 'attach' | 'pacer', number> = {
  pool: 0,
  refcount: 0,
  gctrace: 0,
  attach: 0,
  pacer: 0,
};

// Recorded once; each test gets a copy of the database, so imports in one never show in another.
beforeAll(async () => {
  templateDir = mkdtempSync(join(tmpdir(), 'heapscope-round-trip-'));
  const db = openDatabase(join(templateDir, 'template.db'));
  ids.pool = await recordSimulation(db, POOL_RUN);
  ids.refcount = await recordSimulation(db, REFCOUNT_RUN);
  ids.gctrace = (await importGctraceFile(LOG, { database: db })).sessionId;
  ids.attach = await attachLog(db);
  ids.pacer = (await importGctraceFile(PACER_LOG, { database: db })).sessionId;
  new SessionRepository(db).update(ids.pool, {
    notes: 'before the change\n"quoted"',
    tags: ['baseline', 'pool'],
  });
  db.close();
}, 120_000);

afterAll(() => rmSync(templateDir, { recursive: true, force: true }));

beforeEach(() => {
  const dbPath = join(tempDir(), 'round-trip.db');
  copyFileSync(join(templateDir, 'template.db'), dbPath);
  app = createApp({ dbPath });
});

afterEach(async () => {
  await app.close();
});

/**
 * docs/export-formats.md: the id is new, and the size on disk is recounted — SQLite stores a row's
 * session id in as few bytes as it fits, so the same rows under another id differ by a byte or so.
 */
const NOT_CARRIED: readonly (keyof SessionDetail)[] = ['id', 'sizeBytes'];

const exportJson = async (id: number): Promise<string> =>
  ((await app.dispatch('sessions.export', { id, format: 'json' })) as ExportResult).content;

async function* chunks(text: string, size = 64 * 1024): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const importText = (text: string, name?: string) =>
  importAny(chunks(text), { name: name ?? 'unused', nameGiven: name !== undefined, database: app.db });

const sessionCount = (): number =>
  (app.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;

describe('a session export imports back as the same session', { timeout: 30_000 }, () => {
  it.each(['pool', 'refcount', 'gctrace', 'attach', 'pacer'] as const)(
    '%s: export(import(export(x))) is export(x) but for the id',
    async (which) => {
      const first = await exportJson(ids[which]);

      const result = await importText(first);
      const second = await exportJson(result.sessionId);

      expect(result.kind).toBe('session-json');
      expect(result.sessionId).not.toBe(ids[which]);
      const a = JSON.parse(first) as SessionExport;
      const b = JSON.parse(second) as SessionExport;
      for (const field of Object.keys(a.session) as (keyof SessionDetail)[]) {
        if (NOT_CARRIED.includes(field)) continue;
        expect({ field, value: b.session[field] }).toEqual({ field, value: a.session[field] });
      }
      expect(b.cycles).toEqual(a.cycles);
      expect(b.samples).toEqual(a.samples);
      expect(b.snapshots).toEqual(a.snapshots);
      expect(b.pacerLines).toEqual(a.pacerLines);
      const withoutNotCarried = (text: string): string => text.replace(/^ {4}"(id|sizeBytes)": \d+,$/gm, '');
      expect(withoutNotCarried(second)).toBe(withoutNotCarried(first));
    },
  );

  it('a pacer trace keeps its pacer lines through a JSON export: its gctrace export is the log again', async () => {
    const exported = JSON.parse(await exportJson(ids.pacer)) as SessionExport;
    const plain = JSON.parse(await exportJson(ids.gctrace)) as SessionExport;

    const { sessionId } = await importText(JSON.stringify(exported));
    const gctrace = (
      (await app.dispatch('sessions.export', { id: sessionId, format: 'gctrace' })) as ExportResult
    ).content;

    expect(exported.pacerLines).toHaveLength(5);
    expect(plain).not.toHaveProperty('pacerLines');
    expect(gctrace.split('\n')).toEqual(
      readFileSync(PACER_LOG, 'utf8')
        .split('\n')
        .filter((line) => !line.startsWith('#')),
    );
  });

  it('the exports under test carry snapshots, pool, refcount and attach fields', async () => {
    const pool = JSON.parse(await exportJson(ids.pool)) as SessionExport;
    const refcount = JSON.parse(await exportJson(ids.refcount)) as SessionExport;
    const attach = JSON.parse(await exportJson(ids.attach)) as SessionExport;

    expect(pool.snapshots.length).toBe(pool.cycles.length);
    expect(pool.snapshots.some((s) => s.graph !== null)).toBe(true);
    expect(pool.cycles.some((c) => (c.poolHitsPrivate ?? 0) > 0)).toBe(true);
    expect(pool.session).toMatchObject({ notes: 'before the change\n"quoted"', tags: ['baseline', 'pool'] });
    expect(refcount.cycles.some((c) => (c.leakedBytes ?? 0) > 0)).toBe(true);
    expect(attach.session.source).toBe('attach');
    expect(attach.session.sourceReport?.attach?.command[0]).toBe('sh');
  });

  it('an imported simulation replays to the same cycles', async () => {
    const { sessionId } = await importText(await exportJson(ids.pool));

    const detail = (await app.dispatch('sessions.get', { id: sessionId })) as SessionDetail;
    const verdict = verifySession(detail, app.sessions.cycles(sessionId));

    expect(verdict).toMatchObject({ outcome: 'reproduced', engineChanged: false, firstDifference: null });
    expect(verdict.cyclesCompared).toBe(detail.cycleCount);
  });

  it('takes the name the user gives instead of the exported one', async () => {
    const { sessionId } = await importText(await exportJson(ids.pool), 'renamed on import');

    expect(app.sessions.get(sessionId)?.name).toBe('renamed on import');
  });

  it('reads a version 1 export (no snapshots) and a file written with a byte order mark', async () => {
    const v2 = JSON.parse(await exportJson(ids.gctrace)) as Record<string, unknown>;
    const { format: _format, snapshots: _snapshots, ...rest } = v2;
    const v1 = { ...rest, formatVersion: 1 };
    const path = join(tempDir(), 'v1.json');
    writeFileSync(path, `\uFEFF${JSON.stringify(v1)}`);

    const result = await importFile(path, { database: app.db });

    expect(result.kind).toBe('session-json');
    expect(app.sessions.cycles(result.sessionId)).toEqual(app.sessions.cycles(ids.gctrace));
  });

  it('imports a session exported while recording as interrupted, and says so', async () => {
    const file = JSON.parse(await exportJson(ids.pool)) as SessionExport;
    file.session.status = 'recording';

    const result = await importText(JSON.stringify(file));

    expect(app.sessions.get(result.sessionId)).toMatchObject({ status: 'interrupted' });
    expect(result.warnings.join('\n')).toMatch(/still recording when it was exported/);
  });
});

describe('a log is still a log', { timeout: 30_000 }, () => {
  it('a log whose program printed JSON lines first imports as gctrace', async () => {
    const log = `{"level":"info","msg":"starting"}\n${readFileSync(LOG, 'utf8')}`;

    const result = await importText(log, 'structured');

    expect(result.kind).toBe('gctrace');
    expect(app.sessions.cycles(result.sessionId)).toEqual(app.sessions.cycles(ids.gctrace));
  });

  it('JSON that is not an export gets the gctrace importer’s refusal', async () => {
    await expect(importText('{"sessions": [1, 2]}\n')).rejects.toMatchObject({ problem: 'json' });
  });
});

describe(
  'a broken export is refused with the JSON path and the expected form, nothing written',
  { timeout: 30_000 },
  () => {
    const broken = async (edit: (file: Record<string, unknown>) => void): Promise<string> => {
      const file = JSON.parse(await exportJson(ids.pool)) as Record<string, unknown>;
      edit(file);
      return JSON.stringify(file, null, 2);
    };
    const cycles = (file: Record<string, unknown>) => file.cycles as Record<string, unknown>[];

    it.each([
      [
        'a version this release does not read',
        (f: Record<string, unknown>) => (f.formatVersion = 9),
        /\$\.formatVersion: expected a format version this release reads: 1 or 2, found 9/,
      ],
      [
        'a missing field',
        (f: Record<string, unknown>) => delete cycles(f)[3]!.heapGoalBytes,
        /\$\.cycles\[3\]\.heapGoalBytes: expected a number, found nothing \(the field is missing\)/,
      ],
      [
        'a field of the wrong type',
        (f: Record<string, unknown>) => (cycles(f)[0]!.trigger = 7),
        /\$\.cycles\[0\]\.trigger: expected "heap" or "forced" or "periodic", found 7/,
      ],
      [
        'a negative size',
        (f: Record<string, unknown>) => ((f.samples as Record<string, unknown>[])[2]!.heapInUseBytes = -1),
        /\$\.samples\[2\]\.heapInUseBytes: expected a number ≥ 0, found -1/,
      ],
      [
        'cycles out of order',
        (f: Record<string, unknown>) => (cycles(f)[2]!.seq = 1),
        /\$\.cycles\[2\]\.seq: expected a number > 2 \(seq ascends, each once\), found 1/,
      ],
      [
        'a broken snapshot',
        (f: Record<string, unknown>) =>
          ((f.snapshots as { spans: Record<string, unknown> }[])[0]!.spans.spanData = 'not base64!'),
        /\$\.snapshots\[0\]\.spans\.spanData: expected base64 text, found "not base64!"/,
      ],
    ])('%s', async (_what, edit, message) => {
      const before = sessionCount();

      await expect(importText(await broken(edit))).rejects.toThrow(message);
      expect(sessionCount()).toBe(before);
    });

    it('pacer lines of a cycle the export does not have', async () => {
      const file = JSON.parse(await exportJson(ids.pacer)) as SessionExport;
      file.pacerLines![4]!.seq = 99;
      const before = sessionCount();

      await expect(importText(JSON.stringify(file))).rejects.toThrow(
        /\$\.pacerLines\[4\]\.seq: expected the seq of a cycle in \$\.cycles, found 99/,
      );
      expect(sessionCount()).toBe(before);
    });

    it('truncated', async () => {
      const text = await exportJson(ids.pool);
      const before = sessionCount();

      await expect(importText(text.slice(0, text.length / 2))).rejects.toThrow(
        /^not a readable Heapscope session export: \$: expected a complete JSON document, found it cut off after [\d,]+ characters \(truncated\?\)$/,
      );
      expect(sessionCount()).toBe(before);
    });

    it('not JSON after an export’s first key', async () => {
      await expect(importText('{\n  "format": "heapscope-session",\n  oops\n}')).rejects.toThrow(
        /\$: expected JSON, found "oops\\n}" at line 3, column 3/,
      );
      expect(sessionCount()).toBe(Object.keys(ids).length);
    });

    it('a failure while writing leaves nothing behind (one transaction)', async () => {
      const file = JSON.parse(await exportJson(ids.pool)) as SessionExport;
      // The store refuses the last sample, after the session and its cycles were written.
      app.db.exec(
        `CREATE TRIGGER refuse_samples BEFORE INSERT ON samples WHEN NEW.t_ns > ${file.samples.at(-1)!.tNs - 1}
       BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
      );
      const before = sessionCount();

      await expect(importText(JSON.stringify(file))).rejects.toThrow(/disk full/);
      expect(sessionCount()).toBe(before);
      expect((app.db.prepare('SELECT count(*) AS n FROM cycles').get() as { n: number }).n).toBe(
        Object.values(ids).reduce((n, id) => n + app.sessions.cycles(id).length, 0),
      );
    });
  },
);
