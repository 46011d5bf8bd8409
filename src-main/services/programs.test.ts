/**
 * "Profile a Go program…" through `dispatch`: argument checks, programs that cannot start, a
 * shell standing in for a Go program (it prints gctrace lines), and the real churn.go built with
 * Go when it is installed (`apt-get install golang-go`), against a temporary database.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/contract';
import type { ProgramInfo, SessionDetail } from '../api/types';
import { useTempDir } from '../test-support/temp';
import { createApp, type App } from './app';

const CHURN_SOURCE = join(__dirname, '..', '..', 'fixtures', 'gctrace', 'src', 'churn.go');
const GC_LINE =
  'gc 1 @0.001s 13%: 0.034+0.52+0.062 ms clock, 0.069+0.11/0.16/0.18+0.12 ms cpu, 3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P';
const hasGo = spawnSync('go', ['version']).status === 0;
const tempDir = useTempDir();
const open: App[] = [];
let churnDir = '';
let churn = '';

beforeAll(() => {
  if (!hasGo) return;
  churnDir = mkdtempSync(join(tmpdir(), 'heapscope-churn-'));
  churn = join(churnDir, 'churn');
  const built = spawnSync('go', ['build', '-o', churn, CHURN_SOURCE], { encoding: 'utf8', timeout: 120_000 });
  if (built.status !== 0) throw new Error(`go build churn.go failed: ${built.stderr}`);
}, 180_000);

afterAll(() => {
  if (churnDir !== '') rmSync(churnDir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const app of open.splice(0)) await app.close();
});

function newApp(): App {
  const app = createApp({ dbPath: join(tempDir(), 'programs.db') });
  open.push(app);
  return app;
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

async function start(app: App, args: unknown): Promise<ProgramInfo> {
  return (await app.dispatch('programs.start', args)) as ProgramInfo;
}

describe('programs.start refuses', () => {
  it.each([
    [{ command: '', args: [] }, /command: expected the program to run .*it is empty/],
    [{ command: 'go', args: 'run x' }, /args: expected the arguments as an array of strings/],
    [{ command: 'go', args: [1] }, /args\.0: expected each argument as a string/],
    [{ command: 'go', args: Array(257).fill('x') }, /args: at most 256 arguments/],
    [{ command: 'x'.repeat(4097), args: [] }, /command: a command has at most 4096 characters/],
    [{ command: 'go', args: [], cwd: '' }, /cwd: expected a working directory path; it is empty/],
    [{ command: 'go', args: [], shell: true }, /Unrecognized key: "shell"/],
  ])('%j, saying what was expected', async (args, message) => {
    const app = newApp();
    const error = await rejection(app.dispatch('programs.start', args));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toMatch(message);
  });

  it('a working directory that does not exist', async () => {
    const app = newApp();
    const missing = join(tempDir(), 'no-such-dir');
    const error = await rejection(start(app, { command: 'sh', args: [], cwd: missing }));
    expect(error.message).toBe(`cwd: expected an existing directory, found no directory at ${missing}`);
  });

  it('a command that cannot be started, saying why, and records nothing', async () => {
    const app = newApp();
    const dir = tempDir();
    const notExecutable = join(dir, 'prog');
    writeFileSync(notExecutable, 'not a program');
    chmodSync(notExecutable, 0o644);

    const missing = await rejection(start(app, { command: 'no-such-program-here', args: [] }));
    const denied = await rejection(start(app, { command: notExecutable, args: [], cwd: dir }));

    expect(missing.message).toBe('command: cannot start no-such-program-here: command not found');
    expect(denied.message).toMatch(/command: cannot start .*prog: permission denied/);
    expect(app.sessions.list({})).toEqual([]);
  });
});

describe('a program started from the app', () => {
  it('records its gctrace lines as an attach session that fails with the exit status', async () => {
    const app = newApp();
    const script = `echo '${GC_LINE}' >&2; echo 'program output' >&2; exit 3`;

    const started = await start(app, {
      command: 'sh',
      args: ['-c', script],
      name: 'fake go',
      cwd: tempDir(),
    });
    const ended = await app.programs.waitFor(started.programId);
    const session = (await app.dispatch('sessions.get', { id: ended.sessionId })) as SessionDetail;

    expect(started).toMatchObject({ state: 'running', sessionId: null, command: ['sh', '-c', script] });
    expect(ended).toMatchObject({ state: 'ended', status: 'failed', exitCode: 3, cycles: 1 });
    expect(session).toMatchObject({ name: 'fake go', source: 'attach', status: 'failed', cycleCount: 1 });
    expect(session.sourceReport?.attach).toMatchObject({ exitCode: 3, command: ['sh', '-c', script] });
  });

  it('records nothing for a program that prints no gctrace line, and says so', async () => {
    const app = newApp();
    const started = await start(app, { command: 'sh', args: ['-c', 'exit 0'] });
    const ended = (await app.programs.waitFor(started.programId)) as ProgramInfo;
    expect(ended).toMatchObject({ sessionId: null, status: 'failed', exitCode: 0 });
    expect(ended.error).toMatch(/printed no gctrace line/);
    expect(app.sessions.list({})).toEqual([]);
  });

  it('answers not-found for a program it did not start', async () => {
    const app = newApp();
    expect((await rejection(app.dispatch('programs.stop', { programId: 7 }))).code).toBe('not-found');
  });
});

describe.skipIf(!hasGo)('the churn program built with Go (needs go: apt-get install golang-go)', () => {
  it('records every cycle live and ends complete', async () => {
    const app = newApp();
    const started = await start(app, { command: churn, args: ['-total', '256'], cwd: churnDir });
    const ended = await app.programs.waitFor(started.programId);
    const session = (await app.dispatch('sessions.get', { id: ended.sessionId })) as SessionDetail;

    expect(ended).toMatchObject({ status: 'complete', exitCode: 0, error: null });
    expect(session).toMatchObject({ source: 'attach', status: 'complete', name: 'churn -total 256' });
    expect(session.cycleCount).toBeGreaterThan(5);
    expect(session.cycleCount).toBe(ended.cycles);
  }, 60_000);

  it('stops a long run: the session ends interrupted with what it recorded', async () => {
    const app = newApp();
    const started = await start(app, { command: churn, args: ['-total', '1000000'], cwd: churnDir });
    for (let i = 0; i < 200 && app.programs.get(started.programId).cycles < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const stopping = (await app.dispatch('programs.stop', { programId: started.programId })) as ProgramInfo;
    const ended = await app.programs.waitFor(started.programId);
    const session = (await app.dispatch('sessions.get', { id: ended.sessionId })) as SessionDetail;

    expect(stopping.state).toBe('running');
    expect(ended).toMatchObject({ state: 'ended', status: 'interrupted', signal: 'SIGINT' });
    expect(session.status).toBe('interrupted');
    expect(session.cycleCount).toBeGreaterThanOrEqual(3);
    expect(session.error).toMatch(/stopped by SIGINT/);
  }, 60_000);
});
