import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportResult, ImportJobProgress, ImportTextResult } from '../api/types';
import { formatGctraceLine } from '../formats/gctrace-format';
import { cycleRecord } from '../test-support/records';
import { useTempDir } from '../test-support/temp';
import { createApp, type App } from './app';

const LOG = readFileSync(
  join(__dirname, '..', '..', 'fixtures', 'gctrace', 'go1.19.8_churn_gogc100.txt'),
  'utf8',
);
const tempDir = useTempDir();

/** A log of `cycles` Go 1.19 cycle lines with program output between them. */
function bigLog(cycles: number): string {
  const lines: string[] = [];
  for (let seq = 1; seq <= cycles; seq++) {
    lines.push(
      formatGctraceLine(cycleRecord({ seq, startNs: seq * 10_000_000, gcCpuFraction: 0.01 })),
      `worker ${seq}: done`,
    );
  }
  return `${lines.join('\n')}\n`;
}

let app: App;

beforeEach(() => {
  app = createApp({ dbPath: join(tempDir(), 'jobs.db') });
});

afterEach(async () => {
  await app.close();
});

const call = <T>(method: string, args: unknown): Promise<T> => app.dispatch(method, args) as Promise<T>;
const sessionCount = (): number =>
  (app.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;

async function send(
  text: string,
  pieceChars: number,
  fileName = 'big.log',
): Promise<{
  importId: number;
  progress: ImportJobProgress[];
}> {
  const { importId } = await call<{ importId: number }>('imports.start', {
    fileName,
    totalBytes: Buffer.byteLength(text),
  });
  const progress: ImportJobProgress[] = [];
  for (let i = 0; i < text.length; i += pieceChars) {
    progress.push(await call('imports.append', { importId, text: text.slice(i, i + pieceChars) }));
  }
  return { importId, progress };
}

describe('a chunked import', { timeout: 30_000 }, () => {
  it('parses a log as its pieces arrive, reporting bytes, lines and cycles, and opens as one session', async () => {
    const log = bigLog(3000);

    const { importId, progress } = await send(log, 64 * 1024);
    const result = await call<ImportTextResult>('imports.finish', { importId });

    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toMatchObject({
      bytesReceived: Buffer.byteLength(log),
      totalBytes: Buffer.byteLength(log),
    });
    const cycles = progress.map((p) => p.cycles);
    expect(cycles).toEqual([...cycles].sort((a, b) => a - b));
    expect(cycles[1]).toBeGreaterThan(0);
    expect(cycles.at(-1)).toBeGreaterThan(2900);
    expect(progress.at(-1)!.linesRead).toBeGreaterThan(5900);
    expect(app.sessions.get(result.sessionId)).toMatchObject({
      name: 'big',
      cycleCount: 3000,
      status: 'complete',
    });
  });

  it('gives the same session as a single sessions.import', async () => {
    const { importId } = await send(LOG, 500);
    const chunked = await call<ImportTextResult>('imports.finish', { importId });
    const whole = await call<ImportTextResult>('sessions.import', { text: LOG, fileName: 'big.log' });

    expect(app.sessions.cycles(chunked.sessionId)).toEqual(app.sessions.cycles(whole.sessionId));
    expect(app.sessions.samples(chunked.sessionId)).toEqual(app.sessions.samples(whole.sessionId));
  });

  it('reads a session export sent in pieces', async () => {
    const { sessionId } = await call<ImportTextResult>('sessions.import', {
      text: LOG,
      fileName: 'churn.log',
    });
    const exported = await call<ExportResult>('sessions.export', { id: sessionId, format: 'json' });

    const { importId } = await send(exported.content, 1000, `heapscope-${sessionId}.json`);
    const result = await call<ImportTextResult>('imports.finish', { importId });

    expect(app.sessions.get(result.sessionId)?.name).toBe('churn');
    expect(app.sessions.cycles(result.sessionId)).toEqual(app.sessions.cycles(sessionId));
  });

  it('cancelled halfway saves nothing, though cycles were already recorded', async () => {
    const log = bigLog(3000);
    const { importId, progress } = await send(log.slice(0, log.length / 2), 64 * 1024);

    const cancelled = await call('imports.cancel', { importId });

    expect(progress.at(-1)!.cycles).toBeGreaterThan(1000);
    expect(cancelled).toEqual({ cancelled: true });
    expect(sessionCount()).toBe(0);
    await expect(call('imports.append', { importId, text: 'gc 1' })).rejects.toMatchObject({
      code: 'not-found',
    });
  });

  it('refuses a file that is not a log at the call that finds out, and writes nothing', async () => {
    const { importId } = await send('shopping list\nmilk\n', 8, 'notes.txt');

    await expect(call('imports.finish', { importId })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/^notes\.txt: not a gctrace log: expected GODEBUG=gctrace=1 output/),
    });
    expect(sessionCount()).toBe(0);
  });

  it('refuses binary input at the append that carries it', async () => {
    const { importId } = await call<{ importId: number }>('imports.start', { fileName: 'a.out' });

    await expect(call('imports.append', { importId, text: '\u0000ELF'.repeat(200) })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/^a\.out: not a gctrace log: .*found binary data/),
    });
    await expect(call('imports.finish', { importId })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('validates its arguments', async () => {
    await expect(
      call('imports.append', { importId: 1, text: 'x'.repeat((1 << 20) + 1) }),
    ).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/^imports\.append: text: a chunk has at most 1048576 characters/),
    });
    await expect(call('imports.start', { totalBytes: -1 })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    await expect(call('imports.finish', { importId: 99 })).rejects.toMatchObject({
      code: 'not-found',
      message: 'import 99 does not exist (it finished, failed or was cancelled)',
    });
  });
});
