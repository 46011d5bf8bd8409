import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionDetail } from '../api/types';
import { GctraceInputError, heapSamplesOf, parseGctrace } from '../formats/gctrace';
import { openDatabase, type Db } from '../store/database';
import { SessionRepository } from '../store/sessions';
import { useTempDir } from '../test-support/temp';
import { createApp } from './app';
import {
  defaultImportName,
  ImportCancelledError,
  importGctrace,
  importGctraceFile,
  importWarnings,
  type ImportProgress,
} from './import';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'gctrace');
const CHURN = join(FIXTURES, 'go1.19.8_churn_gogc100.txt');
const tempDir = useTempDir();

/** The bytes of a text, delivered `size` bytes at a time, as a pipe might. */
async function* bytesOf(text: string | Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

function tempDb(): { db: Db; path: string } {
  const path = join(tempDir(), 'import.db');
  return { db: openDatabase(path), path };
}

function counts(db: Db): { sessions: number; cycles: number; samples: number } {
  const count = (table: string): number =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { sessions: count('sessions'), cycles: count('cycles'), samples: count('samples') };
}

describe('importGctraceFile', () => {
  it('records a fixture as a complete gctrace session named after the file, with its report', async () => {
    const { db } = tempDb();

    const result = await importGctraceFile(CHURN, { database: db, goVersion: '1.19.8' });

    const sessions = new SessionRepository(db);
    const row = sessions.get(result.sessionId)!;
    expect(row).toMatchObject({
      name: 'go1.19.8_churn_gogc100',
      source: 'gctrace',
      status: 'complete',
      scenario: null,
      config: null,
      cycleCount: 33,
    });
    expect(row.finishedAt).not.toBeNull();
    expect(sessions.sourceReport(result.sessionId)).toEqual(result.report);
    expect(result.report).toMatchObject({
      fileName: 'go1.19.8_churn_gogc100.txt',
      bytesRead: readFileSync(CHURN).length,
      goVersion: '1.19.8',
      cycles: 33,
      precisionBytes: 1048576,
    });
    expect(result.warnings).toEqual([]);
    db.close();
  });

  it('stores every cycle as parsed, and the three heap samples each implies', async () => {
    const { db } = tempDb();
    const expected = parseGctrace(readFileSync(CHURN, 'utf8')).cycles.map((c) => c.record);

    const { sessionId } = await importGctraceFile(CHURN, { database: db });

    const sessions = new SessionRepository(db);
    const cycles = sessions.cycles(sessionId);
    expect(cycles).toHaveLength(expected.length);
    cycles.forEach((cycle, i) => expect(expected[i]).toMatchObject(cycle));
    expect(sessions.samples(sessionId)).toEqual(expected.flatMap(heapSamplesOf));
    db.close();
  });

  it('keeps what the pacer lines printed beyond the records, and deletes it with the session', async () => {
    const { db } = tempDb();
    const path = join(FIXTURES, 'go1.19.8_churn_pacertrace.txt');
    const parsed = parseGctrace(readFileSync(path, 'utf8')).cycles;

    const { sessionId, report } = await importGctraceFile(path, { database: db });

    const sessions = new SessionRepository(db);
    const stored = sessions.pacerLines(sessionId);
    expect(report).toMatchObject({ pacerLines: 10, pacerCycles: 5, skippedLines: 1 });
    expect([...stored.values()]).toEqual(
      parsed.map((c) => ({
        seq: c.record.seq,
        sweepTermCpuNs: c.sweepTermCpuNs,
        markTermCpuNs: c.markTermCpuNs,
        pacer: c.pacer,
      })),
    );
    expect(sessions.cycles(sessionId).map((c) => [c.assistRatio, c.heapTriggerBytes])).toEqual(
      parsed.map((c) => [c.record.assistRatio, c.record.heapTriggerBytes]),
    );
    sessions.delete(sessionId);
    expect(db.prepare('SELECT count(*) FROM pacer_lines').pluck().get()).toBe(0);
    db.close();
  });

  it('writes no pacer rows for a log without pacer lines', async () => {
    const { db } = tempDb();

    const { sessionId } = await importGctraceFile(CHURN, { database: db });

    expect(new SessionRepository(db).pacerLines(sessionId).size).toBe(0);
    expect(db.prepare('SELECT count(*) FROM pacer_lines').pluck().get()).toBe(0);
    db.close();
  });

  it('takes --name over the file name', async () => {
    const { db } = tempDb();

    const { sessionId } = await importGctraceFile(CHURN, { database: db, name: 'prod api, Tuesday' });

    expect(new SessionRepository(db).get(sessionId)!.name).toBe('prod api, Tuesday');
    db.close();
  });
});

describe('importGctrace', () => {
  it('gives the same session whatever the chunk size, and reports progress up to the total', async () => {
    const text = readFileSync(join(FIXTURES, 'go1.19.8_scav.txt'));
    const whole = tempDb();
    const trickled = tempDb();
    const progress: ImportProgress[] = [];

    const a = await importGctrace(bytesOf(text, 1 << 20), { name: 'a', database: whole.db });
    const b = await importGctrace(bytesOf(text, 7), {
      name: 'b',
      database: trickled.db,
      totalBytes: text.length,
      onProgress: (p) => progress.push(p),
    });

    const read = (db: Db, id: number) => {
      const sessions = new SessionRepository(db);
      return { cycles: sessions.cycles(id), samples: sessions.samples(id) };
    };
    expect(read(trickled.db, b.sessionId)).toEqual(read(whole.db, a.sessionId));
    expect(b.report).toEqual(a.report);
    expect(progress.map((p) => p.bytesRead)).toEqual(
      [...progress.map((p) => p.bytesRead)].sort((x, y) => x - y),
    );
    expect(progress.at(-1)).toMatchObject({ bytesRead: text.length, totalBytes: text.length, cycles: 8 });
    whole.db.close();
    trickled.db.close();
  });

  it('decodes a UTF-16LE log with its byte order mark (PowerShell redirection)', async () => {
    const { db } = tempDb();
    const utf8 = readFileSync(CHURN, 'utf8').replaceAll('\n', '\r\n');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf8, 'utf16le')]);

    const { report } = await importGctrace(bytesOf(utf16, 1), { name: 'ps', database: db });

    expect(report.cycles).toBe(33);
    db.close();
  });

  it('opens nothing and writes nothing when the input is not a gctrace log', async () => {
    const path = join(tempDir(), 'never.db');
    let opened = false;

    const importing = importGctrace(bytesOf('listening on :8080\nGET / 200\n', 4), {
      name: 'x',
      database: () => {
        opened = true;
        return openDatabase(path);
      },
    });

    await expect(importing).rejects.toThrow(GctraceInputError);
    expect(opened).toBe(false);
    expect(existsSync(path)).toBe(false);
  });

  it('stops at binary input without reading it to the end', async () => {
    let chunksRead = 0;
    async function* endlessBinary(): AsyncGenerator<Uint8Array> {
      for (;;) {
        chunksRead++;
        yield new Uint8Array(64 * 1024);
      }
    }
    const { db } = tempDb();

    await expect(importGctrace(endlessBinary(), { name: 'x', database: db })).rejects.toMatchObject({
      problem: 'binary',
    });
    expect(chunksRead).toBe(1);
    expect(counts(db)).toEqual({ sessions: 0, cycles: 0, samples: 0 });
    db.close();
  });

  it('deletes the session it began when reading fails midway: all or nothing', async () => {
    const { db } = tempDb();
    const text = readFileSync(CHURN, 'utf8');
    async function* failing(): AsyncGenerator<string> {
      yield text.slice(0, 2000);
      throw new Error('EIO: i/o error, read');
    }

    await expect(importGctrace(failing(), { name: 'x', database: db })).rejects.toThrow('EIO');

    expect(counts(db)).toEqual({ sessions: 0, cycles: 0, samples: 0 });
    db.close();
  });

  it('deletes the session it began when cancelled', async () => {
    const { db } = tempDb();
    const controller = new AbortController();
    const text = readFileSync(CHURN, 'utf8');
    async function* slow(): AsyncGenerator<string> {
      yield text.slice(0, 2000);
      controller.abort();
      yield text.slice(2000);
    }

    await expect(
      importGctrace(slow(), { name: 'x', database: db, signal: controller.signal }),
    ).rejects.toThrow(ImportCancelledError);

    expect(counts(db)).toEqual({ sessions: 0, cycles: 0, samples: 0 });
    db.close();
  });

  it('shows a session as recording while it streams in, and records the importing process', async () => {
    const { db } = tempDb();
    const text = readFileSync(CHURN, 'utf8');
    const seen: unknown[] = [];
    async function* watched(): AsyncGenerator<string> {
      yield text.slice(0, 2000);
      seen.push(new SessionRepository(db).list()[0]);
      yield text.slice(2000);
    }

    await importGctrace(watched(), { name: 'x', database: db, recorderPid: 4242 });

    expect(seen).toEqual([expect.objectContaining({ status: 'recording', recorderPid: 4242 })]);
    db.close();
  });

  it('imports the first program run of a log with several, and says so', async () => {
    const { db } = tempDb();
    const run = readFileSync(join(FIXTURES, 'go1.19.8_churn_gomaxprocs4.txt'), 'utf8');

    const { sessionId, warnings } = await importGctrace(bytesOf(`${run}${run}`, 4096), {
      name: 'x',
      database: db,
    });

    expect(new SessionRepository(db).cycles(sessionId)).toHaveLength(11);
    expect(warnings).toEqual([
      'the log holds 2 program runs (gc numbers restart at line 13); imported the first, skipped 11 cycles: split the log to import the others',
    ]);
    db.close();
  });
});

describe('importWarnings', () => {
  it('quotes the first malformed lines with their numbers, and the cut-off last line', () => {
    const text = [
      'gc 1 @0.001s 5%: 0.1+0.2+0.3 ms clock, 0.1+0/0.1/0+0.3 ms cpu, 4->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P',
      'gc 2 @0.0',
      'gc 3 @0.003s 5%: 0.1+',
      'gc 4 @oops',
      'gc 5 @0.005s ',
      'gc 6 @0.006s 5%: 0.1+0.2+0.3 ms clock, 0.1+0/0.1/0+0.3 ms cpu, 4->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P',
      'gc 7 @0.007s 5%: 0.1+0.2+0.3 ms clock, 0.1+0/0.1/0+0',
    ].join('\n');

    const warnings = importWarnings(parseGctrace(text).report);

    expect(warnings).toEqual([
      '4 lines looked like trace lines but did not parse and were skipped (line 2: expected the start time as "@<seconds>s"; line 3: expected a clock time in ms; line 4: expected the start time as "@<seconds>s"; …)',
      'the last line (7) is cut off and was skipped: expected " ms cpu, "',
      '4 gc numbers missing between lines: lost from the log?',
    ]);
  });

  it('names the pacer lines no gc line took, with their line numbers', () => {
    const fixture = readFileSync(join(FIXTURES, 'go1.19.8_churn_pacertrace.txt'), 'utf8').split('\n');
    const text = [...fixture.slice(0, 15), fixture[0]].join('\n');

    expect(importWarnings(parseGctrace(text).report)).toEqual([
      '1 pacer line had no gc line after it and went into no cycle (line 16: the log ends before a gc line takes it)',
    ]);
  });

  it('notes a log that starts mid-run and cycles without a goal', () => {
    const line =
      'gc 12 @0.5s 1%: 0.1+0.2+0.3 ms clock, 0.1+0/0.1/0+0.3 ms cpu, 4->4->3 MB, 17592186044415 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)';

    expect(importWarnings(parseGctrace(line).report)).toEqual([
      'the log starts at gc 12: the cycles before it are not in it',
      '1 cycle ran with GOGC=off and no memory limit: no heap goal (stored as 0)',
    ]);
  });
});

describe('defaultImportName', () => {
  it.each([
    ['/var/log/api-server.log', 'api-server'],
    ['trace.TXT', 'trace'],
    ['go1.19.8_churn.txt', 'go1.19.8_churn'],
    ['run.v1.2', 'run.v1.2'],
    ['gctrace', 'gctrace'],
  ])('%s → %s', (path, name) => {
    expect(defaultImportName(path)).toBe(name);
  });
});

describe('an imported session through the API', () => {
  it('serves its detail with the source report, its cycles and its derived samples', async () => {
    const dbPath = join(tempDir(), 'api.db');
    const seed = openDatabase(dbPath);
    const { sessionId } = await importGctraceFile(join(FIXTURES, 'go1.19.8_stacks.txt'), { database: seed });
    seed.close();
    const app = createApp({ dbPath });

    const detail = (await app.dispatch('sessions.get', { id: sessionId })) as SessionDetail;
    const cycles = (await app.dispatch('sessions.cycles', { id: sessionId })) as unknown[];
    const samples = (await app.dispatch('sessions.samples', { id: sessionId })) as unknown[];

    expect(detail).toMatchObject({
      source: 'gctrace',
      status: 'complete',
      cycleCount: 8,
      stats: { cycles: 8, peakHeapBytes: 48 * 2 ** 20 },
      sourceReport: { kind: 'gctrace', format: 'go1.18+', cycles: 8, fileName: 'go1.19.8_stacks.txt' },
    });
    expect(JSON.parse(JSON.stringify(detail))).toEqual(detail);
    expect(cycles).toHaveLength(8);
    expect(samples).toHaveLength(24);
    await app.close();
  });

  it('gives a simulated session no source report', async () => {
    const dbPath = join(tempDir(), 'sim.db');
    const db = openDatabase(dbPath);
    const id = new SessionRepository(db).create({
      name: 'sim',
      source: 'simulation',
      scenario: 'steady',
      collector: 'mark-sweep',
      config: null,
      seed: 1,
      engineVersion: '0.1.0',
      recorderPid: null,
    });
    db.close();
    const app = createApp({ dbPath });

    const detail = (await app.dispatch('sessions.get', { id })) as SessionDetail;

    expect(detail.sourceReport).toBeNull();
    await app.close();
  });
});

describe('a file that is not a trace', () => {
  it('is refused by importGctraceFile with nothing written', async () => {
    const { db } = tempDb();
    const path = join(tempDir(), 'notes.json');
    writeFileSync(path, '{"not": "a trace"}\n');

    await expect(importGctraceFile(path, { database: db })).rejects.toMatchObject({ problem: 'json' });
    expect(counts(db)).toEqual({ sessions: 0, cycles: 0, samples: 0 });
    db.close();
  });
});
