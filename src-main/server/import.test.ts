/**
 * `sessions.import` over the browser-mode transport, as the library's "Import gctrace log…" sends it:
 * a log of 1.5 MiB (past the 1 MiB every other call is held to) imports; text that is not a log is
 * refused with the importer's message and writes nothing; a body past the import limit is a 413.
 * `imports.append` takes a piece at its character limit, escapes and all.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMPORT_CHUNK_MAX_CHARS, IMPORT_TEXT_MAX_BYTES } from '../api/limits';
import { createApp, type App } from '../services/app';
import { useTempDir } from '../test-support/temp';
import { startServer, type RunningServer } from './server';

const LOG = readFileSync(
  join(__dirname, '..', '..', 'fixtures', 'gctrace', 'go1.19.8_churn_gogc100.txt'),
  'utf8',
);
const LOG_CYCLES = LOG.split('\n').filter((line) => line.startsWith('gc ')).length;
const tempDir = useTempDir();
let app: App;
let server: RunningServer;

interface Reply {
  status: number;
  body: { result: { sessionId: number }; error: { message: string } };
}

async function call(method: string, args: unknown): Promise<Reply> {
  const reply = await fetch(`http://127.0.0.1:${server.port}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-heapscope-token': server.token },
    body: JSON.stringify(args),
  });
  return { status: reply.status, body: (await reply.json()) as Reply['body'] };
}

beforeEach(async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>');
  app = createApp({ dbPath: join(dir, 'test.db') });
  server = await startServer({ app, rendererDir: join(dir, 'renderer'), port: 0, token: 'test-token' });
});

afterEach(async () => {
  await server.close();
  await app.close();
});

describe('sessions.import over HTTP', () => {
  it('imports a log larger than an ordinary call may be as a session named after its file', async () => {
    const padding = `# program output ${'x'.repeat(100)}\n`.repeat(Math.ceil((1.5 * 2 ** 20) / 119));
    const text = padding + LOG;

    const reply = await call('sessions.import', { text, fileName: 'churn-gogc100.log' });
    const session = app.sessions.get(reply.body.result.sessionId);

    expect(reply.status).toBe(200);
    expect(session).toMatchObject({ name: 'churn-gogc100', source: 'gctrace', status: 'complete' });
    expect(session?.cycleCount).toBe(LOG_CYCLES);
    expect(app.sessions.sourceReport(session!.id)?.fileName).toBe('churn-gogc100.log');
  });

  it("refuses text that is not a gctrace log with the importer's message, writing nothing", async () => {
    const reply = await call('sessions.import', { text: 'hello\nworld\n', fileName: 'notes.txt' });

    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toMatch(/^notes\.txt: .*expected GODEBUG=gctrace=1 output/);
    expect(app.sessions.list()).toEqual([]);
  });

  it('refuses a log past the import limit with 413', async () => {
    const reply = await call('sessions.import', { text: 'x'.repeat(IMPORT_TEXT_MAX_BYTES * 1.3) });

    expect(reply.status).toBe(413);
    expect(app.sessions.list()).toEqual([]);
  });
});

describe('imports.append over HTTP', () => {
  it('takes a full piece of escaped text (past the 1 MiB other calls are held to) and imports in pieces', async () => {
    // Quotes and tabs double in JSON: a piece at the character limit is a body of 2 MiB.
    const piece = `# "quoted"\t\t${'"'.repeat(100)}\n`.repeat(Math.floor(IMPORT_CHUNK_MAX_CHARS / 114)) + LOG;
    const start = await call('imports.start', { fileName: 'piece.log' });
    const importId = (start.body.result as unknown as { importId: number }).importId;

    const appended = await call('imports.append', { importId, text: piece.slice(0, IMPORT_CHUNK_MAX_CHARS) });
    const rest = await call('imports.append', { importId, text: piece.slice(IMPORT_CHUNK_MAX_CHARS) });
    const finished = await call('imports.finish', { importId });

    expect([appended.status, rest.status, finished.status]).toEqual([200, 200, 200]);
    expect(app.sessions.get(finished.body.result.sessionId)?.cycleCount).toBe(LOG_CYCLES);
  });

  it('refuses a piece past its limit with a message saying so', async () => {
    const start = await call('imports.start', {});
    const importId = (start.body.result as unknown as { importId: number }).importId;

    const reply = await call('imports.append', { importId, text: 'x'.repeat(IMPORT_CHUNK_MAX_CHARS + 1) });

    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toMatch(
      /^imports\.append: text: a chunk has at most 1048576 characters/,
    );
  });
});
