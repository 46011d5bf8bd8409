/**
 * `heapscope export` as a user meets it: the built command in a child process against a temporary
 * database. Needs `npx electron-vite build` first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionDetail } from '../api/types';
import type { ChromeTrace } from '../formats/chrome-trace';
import type { SessionExport } from '../formats/session-json';
import { useTempDir } from '../test-support/temp';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'heapscope.cjs');
const FIXTURE = join(ROOT, 'fixtures', 'gctrace', 'go1.19.8_stacks.txt');
const tempDir = useTempDir();

function heapscope(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, HEAPSCOPE_DB: '' },
    timeout: 120_000,
    // A JSON export holds every heap snapshot: megabytes, past spawnSync's 1 MiB default.
    maxBuffer: 256 << 20,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

const text = (args: string[]): string => heapscope(args).stdout.toString('utf8');

function recorded(db: string): SessionDetail {
  return JSON.parse(
    text(['run', '--scenario', 'steady', '--collector', 'go', '--json', '--db', db]),
  ) as SessionDetail;
}

/** A gctrace line without its stop-the-world CPU terms, which a CycleRecord does not store. */
const withoutStwCpu = (log: string): string[] =>
  log
    .trimEnd()
    .split('\n')
    .map((line) => line.replace(/, [\d.]+\+([\d./]+)\+[\d.]+ ms cpu/, ', _+$1+_ ms cpu'));

beforeAll(() => {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js')))
    throw new Error('The CLI is not built: run `npx electron-vite build` before these tests.');
});

describe('heapscope export', { timeout: 60_000 }, () => {
  it('gctrace: importing the export gives back the same cycles to gctrace precision', () => {
    const dir = tempDir();
    const db = join(dir, 'cli.db');
    const session = recorded(db);
    const log = join(dir, 'steady.gctrace.txt');

    const exported = heapscope(['export', String(session.id), '--format', 'gctrace', '--db', db]);
    writeFileSync(log, exported.stdout);
    const imported = JSON.parse(text(['import', log, '--json', '--db', db])) as SessionDetail;
    const again = text(['export', String(imported.id), '--format', 'gctrace', '--db', db]);

    expect(exported.status).toBe(0);
    expect(imported.cycleCount).toBe(session.cycleCount);
    expect(withoutStwCpu(again)).toEqual(withoutStwCpu(exported.stdout.toString('utf8')));
  });

  it('json: import reads the export back as a new session that replays --verify cleanly', () => {
    const dir = tempDir();
    const db = join(dir, 'cli.db');
    const session = recorded(db);
    const file = join(dir, 'steady.json');
    expect(
      heapscope(['export', String(session.id), '--format', 'json', '--out', file, '--db', db]).status,
    ).toBe(0);

    const imported = JSON.parse(text(['import', file, '--json', '--db', db])) as SessionDetail;
    const verified = heapscope(['replay', String(imported.id), '--verify', '--db', db]);

    expect(imported).toEqual({ ...session, id: imported.id, sizeBytes: imported.sizeBytes });
    expect(imported.id).not.toBe(session.id);
    expect(verified.status).toBe(0);
    expect(verified.stdout.toString('utf8')).toMatch(/all \d+ recorded cycles reproduced exactly/);
  });

  it('json: a broken export is refused with its JSON path, and nothing is imported', () => {
    const dir = tempDir();
    const db = join(dir, 'cli.db');
    const session = recorded(db);
    const file = join(dir, 'broken.json');
    const json = JSON.parse(
      text(['export', String(session.id), '--format', 'json', '--db', db]),
    ) as SessionExport;
    (json.cycles[1] as unknown as Record<string, unknown>).procs = 'four';
    writeFileSync(file, JSON.stringify(json));

    const result = heapscope(['import', file, '--db', db]);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(
      /^heapscope: .*broken\.json: not a readable Heapscope session export: \$\.cycles\[1\]\.procs: expected a number, found "four"/,
    );
    expect(JSON.parse(text(['sessions', '--json', '--db', db]))).toHaveLength(1);
  });

  it('json and csv go to stdout: the session with every cycle, one CSV row per cycle', () => {
    const db = join(tempDir(), 'cli.db');
    const session = recorded(db);

    const json = JSON.parse(
      text(['export', String(session.id), '--format', 'json', '--db', db]),
    ) as SessionExport;
    const csv = text(['export', String(session.id), '--format', 'csv', '--db', db]).split('\r\n');
    const pauses = text(['export', String(session.id), '--format', 'csv', '--table', 'pauses', '--db', db]);

    expect(json).toMatchObject({
      format: 'heapscope-session',
      formatVersion: 2,
      session: { id: session.id, name: session.name },
    });
    expect(json.cycles).toHaveLength(session.cycleCount);
    expect(json.samples.length).toBeGreaterThan(session.cycleCount);
    expect(csv[0]).toMatch(/^seq,start_ns,trigger,heap_start_bytes,/);
    expect(csv).toHaveLength(session.cycleCount + 2);
    expect(pauses.split('\r\n')[0]).toBe('seq,pause_index,start_ns,duration_ns');
  });

  it("trace --out: Chrome trace JSON whose pauses total the session's pause time", () => {
    const dir = tempDir();
    const db = join(dir, 'cli.db');
    const session = recorded(db);
    const out = join(dir, 'gc.trace.json');

    const result = heapscope(['export', String(session.id), '--format', 'trace', '--out', out, '--db', db]);

    const trace = JSON.parse(readFileSync(out, 'utf8')) as ChromeTrace;
    const pauseUs = trace.traceEvents.reduce(
      (sum, e) => sum + (e.ph === 'X' && e.cat === 'stw' ? e.dur : 0),
      0,
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^wrote .*gc\.trace\.json \([\d,]+ bytes, trace\)/);
    expect(trace).toMatchObject({ displayTimeUnit: 'ms', otherData: { sessionId: session.id } });
    expect(trace.traceEvents[0]).toMatchObject({
      ph: 'M',
      name: 'process_name',
      args: { name: session.name },
    });
    expect(
      trace.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'gc' && / mark$/.test(e.name)),
    ).toHaveLength(session.cycleCount);
    expect(Math.round(pauseUs * 1000)).toBe(session.stats.pauseTotalNs);
  });

  it('pprof --out: writes a gzipped heap profile of the last snapshot, or of --cycle', () => {
    const dir = tempDir();
    const db = join(dir, 'cli.db');
    const session = recorded(db);
    const last = join(dir, 'last.pb.gz');
    const first = join(dir, 'first.pb.gz');

    const result = heapscope(['export', String(session.id), '--format', 'pprof', '--out', last, '--db', db]);
    heapscope([
      'export',
      String(session.id),
      '--format',
      'pprof',
      '--cycle',
      '1',
      '--out',
      first,
      '--db',
      db,
    ]);

    const decode = (path: string): Profile => Profile.decode(gunzipSync(readFileSync(path)));
    const inuse = (p: Profile): number => p.sample.reduce((sum, s) => sum + Number(s.value[3]), 0);
    const comments = (p: Profile): string[] => p.comment.map((i) => p.stringTable.strings[Number(i)]!);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^wrote .*last\.pb\.gz \([\d,]+ bytes, pprof\)\n$/);
    expect(comments(decode(last))).toContain(`heap snapshot at the end of gc ${session.cycleCount}`);
    expect(comments(decode(first))).toContain('heap snapshot at the end of gc 1');
    expect(inuse(decode(last))).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('refuses pprof of an imported log, naming why and what works, and writes nothing', () => {
    const dir = tempDir();
    const db = join(dir, 'cli.db');
    const imported = JSON.parse(text(['import', FIXTURE, '--json', '--db', db])) as SessionDetail;
    const out = join(dir, 'heap.pb.gz');

    const result = heapscope(['export', String(imported.id), '--format', 'pprof', '--out', out, '--db', db]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^heapscope: session \d+ is an imported gctrace session: a gctrace log carries no heap snapshots.*pprof needs a simulated session/,
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('refuses a cycle without a snapshot, listing the cycles that have one', () => {
    const dir = tempDir();
    const db = join(dir, 'cli.db');
    const session = recorded(db);
    const out = join(dir, 'heap.pb.gz');

    const result = heapscope([
      'export',
      String(session.id),
      '--format',
      'pprof',
      '--cycle',
      '9999',
      '--out',
      out,
      '--db',
      db,
    ]);

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /no heap snapshot at the end of cycle 9999; it has snapshots of cycles 1–\d+/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [['--format', 'xml'], /argument 'xml' is invalid. Allowed choices are json, csv, gctrace, pprof, trace/],
    [['--format', 'csv', '--cycle', '3'], /--cycle picks the heap snapshot of a pprof export; format csv/],
    [
      ['--format', 'json', '--out', '/no/such/dir/x.json'],
      /--out \/no\/such\/dir\/x.json: the folder \/no\/such\/dir does not exist/,
    ],
    [['--format', 'pprof', '--cycle', '0'], /expected a cycle number \(1 or more\)/],
  ])('exits 2 for %j', (args, message) => {
    const db = join(tempDir(), 'cli.db');
    recorded(db);

    const result = heapscope(['export', '1', ...args, '--db', db]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout.length).toBe(0);
  });

  it('says a missing session does not exist', () => {
    const db = join(tempDir(), 'cli.db');
    recorded(db);

    const result = heapscope(['export', '42', '--format', 'json', '--db', db]);

    expect(result.status).toBe(1);
    expect(result.stderr).toBe('heapscope: session 42 does not exist\n');
  });
});
