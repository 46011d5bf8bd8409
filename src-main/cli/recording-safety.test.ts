/**
 * Recording that never loses data, as a user would break it: a recording process killed with
 * SIGKILL, and several recordings writing one database while it is read.
 * Drives the built CLI (`npm run build` first; npm test does).
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionDetail, SessionSummary } from '../api/types';
import { assertBuildIsCurrent } from '../test-support/build';
import { useTempDir } from '../test-support/temp';

const BIN = join(__dirname, '..', '..', 'bin', 'heapscope.cjs');
const tempDir = useTempDir();

beforeAll(assertBuildIsCurrent);

function heapscope(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Committed cycles of a session, read the way another process would see them. */
function committedCycles(db: string): number {
  let reader: Database.Database | null = null;
  try {
    reader = new Database(db, { readonly: true, fileMustExist: true });
    return reader.prepare('SELECT count(*) FROM cycles').pluck().get() as number;
  } catch {
    return 0; // the recorder has not created the file or its tables yet
  } finally {
    reader?.close();
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a recording process killed with SIGKILL', () => {
  it('leaves every committed cycle readable, and the next start marks the session interrupted', async () => {
    const db = join(tempDir(), 'killed.db');
    const child = spawn(
      process.execPath,
      [
        BIN,
        'run',
        '--scenario',
        'steady',
        '--collector',
        'mark-sweep',
        '--duration-ms',
        '600000',
        '--db',
        db,
      ],
      {
        stdio: 'ignore',
      },
    );
    await waitUntil(() => committedCycles(db) >= 20, 30_000);

    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const survived = committedCycles(db);
    const [session] = JSON.parse(heapscope(['sessions', '--json', '--db', db]).stdout) as SessionSummary[];
    const shown = heapscope(['show', String(session!.id), '--json', '--db', db]);

    expect(survived).toBeGreaterThanOrEqual(20);
    expect(session).toMatchObject({ status: 'interrupted', cycleCount: survived });
    expect(shown.status).toBe(0);
    const detail = JSON.parse(shown.stdout) as SessionDetail;
    expect(detail.stats.cycles).toBe(survived);
    expect(detail.error).toMatch(/ended before the session was finished/);
  });
});

describe('concurrent recordings on one database', () => {
  it('all complete while the database is being read, without "database is locked"', async () => {
    const db = join(tempDir(), 'shared.db');
    heapscope(['sessions', '--db', db]); // nothing yet; must not create the file
    const runs = Array.from(
      { length: 3 },
      (_, i) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(
            process.execPath,
            [
              BIN,
              'run',
              '--scenario',
              'steady',
              '--collector',
              'mark-sweep',
              '--seed',
              String(i + 1),
              '--db',
              db,
            ],
            {
              stdio: ['ignore', 'ignore', 'pipe'],
            },
          );
          let stderr = '';
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          child.once('exit', (code) => resolve({ code, stderr }));
        }),
    );
    let reads = 0;
    let readError: unknown = null;
    let finished = false;
    const reading = (async () => {
      while (!finished) {
        const listed = heapscope(['sessions', '--json', '--db', db]);
        if (listed.status !== 0) readError = listed.stderr;
        reads++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    const outcomes = await Promise.all(runs);
    finished = true;
    await reading;

    expect(outcomes).toEqual([
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
    ]);
    expect(readError).toBeNull();
    expect(reads).toBeGreaterThan(0);
    const sessions = JSON.parse(heapscope(['sessions', '--json', '--db', db]).stdout) as SessionSummary[];
    expect(sessions.map((s) => s.status)).toEqual(['complete', 'complete', 'complete']);
  });
});
