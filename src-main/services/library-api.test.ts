/** The library's API: editing, searching, deleting and restoring sessions through `dispatch`. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/contract';
import { SESSION_RESTORE_WINDOW_MS } from '../api/limits';
import type { SessionSummary } from '../api/types';
import { Recorder } from '../store/recorder';
import { cycleRecord } from '../test-support/records';
import { useTempDir } from '../test-support/temp';
import { createApp, type App } from './app';

const tempDir = useTempDir();
const open: App[] = [];

function newApp(path = join(tempDir(), 'library.db')): App {
  const app = createApp({ dbPath: path });
  open.push(app);
  return app;
}

afterEach(async () => {
  for (const app of open.splice(0)) await app.close();
});

function addSession(app: App, name: string, status: 'complete' | 'recording' = 'complete'): number {
  const id = app.sessions.create({
    name,
    source: 'simulation',
    scenario: 'steady',
    collector: 'go',
    config: null,
    seed: 1,
    engineVersion: null,
    recorderPid: process.pid,
  });
  const recorder = new Recorder(app.db, id);
  recorder.add([cycleRecord({ seq: 1 })], []);
  recorder.flush();
  if (status === 'complete') app.sessions.finish(id, 'complete');
  return id;
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('sessions.update', () => {
  it('renames, annotates and tags, normalising tags, and announces the change', async () => {
    const app = newApp();
    const id = addSession(app, 'first');
    const changes: string[] = [];
    app.events.subscribe((event) => changes.push(event));

    const summary = (await app.dispatch('sessions.update', {
      id,
      name: '  baseline  ',
      notes: 'GOGC=100',
      tags: ['Prod', 'go-1.19', 'prod'],
    })) as SessionSummary;

    expect(summary).toMatchObject({ id, name: 'baseline', notes: 'GOGC=100', tags: ['go-1.19', 'prod'] });
    expect(summary.sizeBytes).toBeGreaterThan(0);
    expect(changes).toEqual(['sessions.changed']);
  });

  it('renames a session that is still recording', async () => {
    const app = newApp();
    const id = addSession(app, 'live', 'recording');

    await app.dispatch('sessions.update', { id, name: 'renamed while recording' });

    expect(app.sessions.get(id)).toMatchObject({ name: 'renamed while recording', status: 'recording' });
  });

  it.each([
    [{ name: '   ' }, /name: a session name must not be empty/],
    [{ name: 'x'.repeat(201) }, /name: a session name has at most 200 characters/],
    [{ notes: 'x'.repeat(10_001) }, /notes: notes have at most 10000 characters/],
    [{ tags: ['ok', 'has space'] }, /tags\.1: a tag may hold only letters a–z, digits/],
    [{ tags: ['x'.repeat(41)] }, /tags\.0: a tag has at most 40 characters/],
    [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, /tags: a session has at most 20 tags/],
    [{}, /nothing to change: give a name, notes or tags/],
    [{ colour: 'red' }, /Unrecognized key/],
  ])('refuses %j with a message naming the field', async (fields, message) => {
    const app = newApp();
    const id = addSession(app, 'kept');

    const error = await rejection(app.dispatch('sessions.update', { id, ...fields }));

    expect(error.code).toBe('invalid-argument');
    expect(error.message).toMatch(message);
    expect(app.sessions.get(id)).toMatchObject({ name: 'kept', notes: '', tags: [] });
  });

  it('says a missing session does not exist', async () => {
    const app = newApp();

    const error = await rejection(app.dispatch('sessions.update', { id: 99, name: 'x' }));

    expect(error).toMatchObject({ code: 'not-found', message: 'session 99 does not exist' });
  });
});

describe('sessions.list', () => {
  it('filters by search words and by tag', async () => {
    const app = newApp();
    const a = addSession(app, 'alpha');
    const b = addSession(app, 'beta');
    await app.dispatch('sessions.update', { id: b, tags: ['nightly'] });

    const ids = async (args: object) =>
      ((await app.dispatch('sessions.list', args)) as SessionSummary[]).map((s) => s.id);

    expect(await ids({})).toEqual([b, a]);
    expect(await ids({ search: 'NIGHT' })).toEqual([b]);
    expect(await ids({ tag: 'Nightly' })).toEqual([b]);
    expect(await ids({ search: 'alpha go' })).toEqual([a]);
  });
});

describe('sessions.delete and sessions.restore', () => {
  it('hides a deleted session from every reader until it is restored', async () => {
    const app = newApp();
    const id = addSession(app, 'doomed');

    expect(await app.dispatch('sessions.delete', { id })).toEqual({ deleted: true });
    expect(await app.dispatch('sessions.list', {})).toEqual([]);
    for (const method of ['sessions.get', 'sessions.cycles', 'sessions.samples', 'sessions.snapshots'])
      expect((await rejection(app.dispatch(method, { id }))).code).toBe('not-found');

    expect(await app.dispatch('sessions.restore', { id })).toEqual({ restored: true });
    expect(((await app.dispatch('sessions.list', {})) as SessionSummary[]).map((s) => s.id)).toEqual([id]);
  });

  it('refuses to restore a session that was not deleted', async () => {
    const app = newApp();
    const id = addSession(app, 'alive');

    const error = await rejection(app.dispatch('sessions.restore', { id }));

    expect(error).toMatchObject({ code: 'not-found' });
    expect(error.message).toMatch(/is not deleted, or was deleted too long ago/);
  });

  it('survives a restart within the restore window, and is purged at a start after it', async () => {
    const path = join(tempDir(), 'restart.db');
    const first = newApp(path);
    const kept = addSession(first, 'deleted just now');
    const gone = addSession(first, 'deleted long ago');
    await first.dispatch('sessions.delete', { id: kept });
    await first.dispatch('sessions.delete', { id: gone });
    const longAgo = new Date(Date.now() - SESSION_RESTORE_WINDOW_MS - 1000).toISOString();
    first.db.prepare('UPDATE sessions SET deleted_at = ? WHERE id = ?').run(longAgo, gone);
    await first.close();

    const second = newApp(path);

    expect(await second.dispatch('sessions.restore', { id: kept })).toEqual({ restored: true });
    expect((await rejection(second.dispatch('sessions.restore', { id: gone }))).code).toBe('not-found');
    expect(second.db.prepare('SELECT count(*) FROM cycles WHERE session_id = ?').pluck().get(gone)).toBe(0);
  });
});
