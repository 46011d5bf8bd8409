/**
 * `heapscope attach` on a real Go program (fixtures/gctrace/src/churn.go, built once here), as a user
 * meets it: the built command in a child process against a temporary database. Needs
 * `npx electron-vite build` first, and Go (`apt-get install golang-go`; .ci/run installs it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionDetail } from '../api/types';
import { withGctrace } from '../services/attach';
import { useTempDir } from '../test-support/temp';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'heapscope.cjs');
const CHURN_SOURCE = join(ROOT, 'fixtures', 'gctrace', 'src', 'churn.go');
const tempDir = useTempDir();
const hasGo = spawnSync('go', ['version']).status === 0;
let churnDir = '';
let churn = '';

interface Finished {
  status: number | null;
  stdout: string;
  stderr: string;
}

function heapscope(args: string[], env: NodeJS.ProcessEnv = {}): Finished {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, HEAPSCOPE_DB: '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function sessionRows(db: string): { status: string; cycles: number }[] {
  if (!existsSync(db)) return [];
  const conn = new Database(db, { readonly: true });
  try {
    return conn
      .prepare(
        `SELECT status, (SELECT count(*) FROM cycles c WHERE c.session_id = s.id) AS cycles FROM sessions s`,
      )
      .all() as { status: string; cycles: number }[];
  } finally {
    conn.close();
  }
}

const numGc = (stderr: string): number => Number(/# final: NumGC=(\d+)/.exec(stderr)?.[1] ?? NaN);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(() => {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js')))
    throw new Error('The CLI is not built: run `npx electron-vite build` before these tests.');
  if (!hasGo) return;
  churnDir = mkdtempSync(join(tmpdir(), 'heapscope-churn-'));
  churn = join(churnDir, 'churn');
  const built = spawnSync('go', ['build', '-o', churn, CHURN_SOURCE], { encoding: 'utf8', timeout: 120_000 });
  if (built.status !== 0) throw new Error(`go build churn.go failed: ${built.stderr}`);
}, 180_000);

afterAll(() => {
  if (churnDir !== '') rmSync(churnDir, { recursive: true, force: true });
});

describe('withGctrace', () => {
  it("adds gctrace=1 to the user's GODEBUG, keeping their other settings and replacing their gctrace", () => {
    expect(withGctrace(undefined)).toBe('gctrace=1');
    expect(withGctrace('madvdontneed=1,gctrace=2, invalidptr=0')).toBe(
      'madvdontneed=1,invalidptr=0,gctrace=1',
    );
  });
});

describe.skipIf(!hasGo)(
  'heapscope attach (needs go: apt-get install golang-go)',
  { timeout: 120_000 },
  () => {
    it('records as many cycles as the program says it ran, completes, and passes its output through', () => {
      const db = join(tempDir(), 'attach.db');

      const run = heapscope(['attach', '--json', '--db', db, '--', churn, '-total', '256'], {
        GODEBUG: 'madvdontneed=1',
      });
      const session = JSON.parse(run.stdout) as SessionDetail;

      expect(run.status).toBe(0);
      expect(run.stderr).toMatch(/^# final: NumGC=\d+/m);
      expect(run.stderr).not.toMatch(/^gc \d+ @/m);
      expect(session.source).toBe('attach');
      expect(session.status).toBe('complete');
      expect(session.cycleCount).toBe(numGc(run.stderr));
      expect(session.sourceReport?.attach).toEqual({
        command: [churn, '-total', '256'],
        exitCode: 0,
        signal: null,
        interruptedBy: null,
      });
    });

    it('is a recording session that grows while the program runs, and Ctrl-C ends it interrupted with its cycles', async () => {
      const db = join(tempDir(), 'live.db');
      const child = spawn(
        process.execPath,
        [BIN, 'attach', '--json', '--db', db, '--', churn, '-total', '1000000'],
        {
          env: { ...process.env, HEAPSCOPE_DB: '' },
        },
      );
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

      const seen: number[] = [];
      for (let i = 0; i < 100 && seen.filter((n) => n > 0).length < 3; i++) {
        await sleep(200);
        const [row] = sessionRows(db);
        if (row?.status === 'recording') seen.push(row.cycles);
      }
      child.kill('SIGINT');
      const code = await exited;
      const session = JSON.parse(stdout) as SessionDetail;

      expect(seen.filter((n) => n > 0).length).toBe(3);
      expect(seen.at(-1)).toBeGreaterThan(seen.find((n) => n > 0)!);
      expect(code).toBe(130);
      expect(session.status).toBe('interrupted');
      expect(session.cycleCount).toBeGreaterThanOrEqual(seen.at(-1)!);
      expect(session.error).toMatch(/stopped by SIGINT/);
      expect(session.sourceReport?.attach?.interruptedBy).toBe('SIGINT');
    });

    it('records nothing for a program that prints no gctrace line, and says so', () => {
      const db = join(tempDir(), 'none.db');

      const run = heapscope(['attach', '--db', db, '--', process.execPath, '-e', "console.error('hello')"]);

      expect(run.status).toBe(1);
      expect(run.stderr).toContain('hello\n');
      expect(run.stderr).toMatch(/printed no gctrace line .*nothing was recorded/);
      expect(existsSync(db)).toBe(false);
    });

    it("exits with the program's status when it fails", () => {
      const db = join(tempDir(), 'fail.db');

      const run = heapscope(['attach', '--db', db, '--', churn, '-no-such-flag']);

      expect(run.status).toBe(2);
      expect(run.stderr).toContain('flag provided but not defined');
    });

    it('says when the output held more than one Go runtime (go run: the go command first), and which it kept', () => {
      const db = join(tempDir(), 'go-run.db');

      const run = spawnSync(process.execPath, [BIN, 'attach', '--db', db, '--', 'go', 'run', CHURN_SOURCE], {
        env: { ...process.env, HEAPSCOPE_DB: '' },
        encoding: 'utf8',
        timeout: 120_000,
      });

      expect(run.status).toBe(0);
      const skipped = Number(/recorded the first, skipped (\d+) cycles/.exec(run.stderr)?.[1] ?? NaN);
      // At least the program's own cycles were skipped: its trace comes after the go command's.
      expect(skipped).toBeGreaterThanOrEqual(numGc(run.stderr));
      expect(run.stderr).toMatch(
        /^ {2}runs {8}\d+ Go runtimes wrote traces \(gc numbers restart at lines? \d+/m,
      );
      expect(run.stderr).toMatch(/under `go run` the first is the go command's own: go build the program/);
    });

    it('exits 127 for a program that does not exist', () => {
      const run = heapscope([
        'attach',
        '--db',
        join(tempDir(), 'x.db'),
        '--',
        join(tempDir(), 'no-such-program'),
      ]);

      expect(run.status).toBe(127);
      expect(run.stderr).toMatch(/no-such-program: command not found/);
    });
  },
);
