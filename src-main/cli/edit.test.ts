/**
 * `heapscope edit` and `heapscope sessions --search/--tag`: the built CLI in a child process against
 * a temporary database seeded through the store. Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionSummary } from '../api/types';
import { openDatabase } from '../store/database';
import { SessionRepository } from '../store/sessions';
import { useTempDir } from '../test-support/temp';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'heapscope.cjs');
const tempDir = useTempDir();

function heapscope(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HEAPSCOPE_DB: '' },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) {
    throw new Error('The CLI is not built: run `npm run build` before these tests (npm test does).');
  }
});

/** A database holding sessions named `names`, in that order (the last is the newest). */
function seeded(...names: string[]): { db: string; ids: number[] } {
  const db = join(tempDir(), 'edit.db');
  const store = openDatabase(db);
  const sessions = new SessionRepository(store);
  const ids = names.map((name) => {
    const id = sessions.create({
      name,
      source: 'simulation',
      scenario: 'steady',
      collector: name.includes('go') ? 'go' : 'mark-sweep',
      config: null,
      seed: 1,
      engineVersion: null,
      recorderPid: null,
    });
    sessions.finish(id, 'complete');
    return id;
  });
  store.close();
  return { db, ids };
}

function list(db: string, ...args: string[]): SessionSummary[] {
  const result = heapscope(['sessions', '--json', '--db', db, ...args]);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as SessionSummary[];
}

describe('heapscope edit', () => {
  it('renames, sets notes and adds tags, normalised to lower case', () => {
    const { db, ids } = seeded('first');

    const result = heapscope([
      'edit',
      String(ids[0]),
      '--name',
      'baseline',
      '--notes',
      'GOGC=100',
      '--tag',
      'Prod',
      '--tag',
      'v1.2',
      '--db',
      db,
    ]);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^session \d+: baseline \(tags prod, v1\.2; notes: GOGC=100; 0 B\)\n$/);
    expect(list(db)[0]).toMatchObject({ name: 'baseline', notes: 'GOGC=100', tags: ['prod', 'v1.2'] });
  });

  it('removes tags with --untag and keeps the others', () => {
    const { db, ids } = seeded('first');
    heapscope(['edit', String(ids[0]), '--tag', 'a', '--tag', 'b', '--db', db]);

    const result = heapscope(['edit', String(ids[0]), '--untag', 'a', '--tag', 'c', '--db', db]);

    expect(result.status).toBe(0);
    expect(list(db)[0]!.tags).toEqual(['b', 'c']);
  });

  it.each([
    [['--tag', 'has space'], /--tag has space: a tag may hold only letters a–z/],
    [['--name', '  '], /--name: a session name must not be empty/],
    [[], /nothing to change: give --name, --notes, --tag or --untag/],
  ])('exits 2 for %j, changing nothing', (args, message) => {
    const { db, ids } = seeded('kept');

    const result = heapscope(['edit', String(ids[0]), ...args, '--db', db]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(list(db)[0]).toMatchObject({ name: 'kept', tags: [] });
  });

  it('exits 2 when the merged tags would pass 20', () => {
    const { db, ids } = seeded('many');
    const twenty = Array.from({ length: 20 }, (_, i) => ['--tag', `t${i}`]).flat();
    expect(heapscope(['edit', String(ids[0]), ...twenty, '--db', db]).status).toBe(0);

    const result = heapscope(['edit', String(ids[0]), '--tag', 'one-more', '--db', db]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/tags: a session has at most 20 tags/);
  });

  it('exits 1 for a session that does not exist', () => {
    const { db } = seeded('only');

    const result = heapscope(['edit', '99', '--name', 'x', '--db', db]);

    expect(result.status).toBe(1);
    expect(result.stderr).toBe('heapscope: session 99 does not exist\n');
  });
});

describe('heapscope sessions --search / --tag', () => {
  it('lists only the sessions matching every word, or carrying the tag', () => {
    const { db, ids } = seeded('alpha on go', 'beta', 'gamma');
    heapscope(['edit', String(ids[1]), '--tag', 'nightly', '--db', db]);

    expect(list(db, '--search', 'ALPHA go').map((s) => s.id)).toEqual([ids[0]]);
    expect(list(db, '--search', 'night').map((s) => s.id)).toEqual([ids[1]]);
    expect(list(db, '--tag', 'nightly').map((s) => s.id)).toEqual([ids[1]]);
  });

  it('says when nothing matches, and shows tags and sizes in the table', () => {
    const { db, ids } = seeded('alpha');
    heapscope(['edit', String(ids[0]), '--tag', 'base', '--db', db]);

    expect(heapscope(['sessions', '--search', 'zzz', '--db', db]).stdout).toBe('No session matches.\n');
    const table = heapscope(['sessions', '--db', db]).stdout.split('\n');
    expect(table[0]).toMatch(/^ID\s+NAME\s+STATUS\s+SOURCE\s+CYCLES\s+DURATION\s+SIZE\s+CREATED\s+TAGS$/);
    expect(table[1]).toMatch(/alpha .* 0 B .* base$/);
  });

  it('exits 2 for a tag the library could not hold', () => {
    const { db } = seeded('alpha');

    const result = heapscope(['sessions', '--tag', 'no spaces allowed', '--db', db]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/tag: a tag may hold only letters/);
  });
});
