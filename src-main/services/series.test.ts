/** Reading big sessions in pieces through `dispatch`: reduced series, cycle pages and the timeline. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/contract';
import type { CycleRecord, CycleTimeline, ReducedSeries, SessionDetail } from '../api/types';
import { recordBigSession } from '../test-support/big-session';
import { useTempDir } from '../test-support/temp';
import { createApp, type App } from './app';

const tempDir = useTempDir();
const open: App[] = [];

function newApp(): App {
  const app = createApp({ dbPath: join(tempDir(), 'series.db') });
  open.push(app);
  return app;
}

afterEach(async () => {
  for (const app of open.splice(0)) await app.close();
});

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('sessions.series', () => {
  it('reduces a whole session to at most the points asked for, counting every cycle and sample', async () => {
    const app = newApp();
    const id = recordBigSession(app.db, { cycles: 4_000, samplesPerCycle: 3 });

    const series = (await app.dispatch('sessions.series', { id, points: 300 })) as ReducedSeries;

    expect(series.cycles.length).toBeLessThanOrEqual(300);
    expect(series.samples.length).toBeLessThanOrEqual(300);
    expect(series).toMatchObject({ cycleCount: 4_000, sampleCount: 12_000, startNs: 0 });
    expect(series.endNs).toBe(series.sessionEndNs);
    const longest = Math.max(...series.cycles.map((b) => b.maxPauseNs));
    const detail = (await app.dispatch('sessions.get', { id })) as SessionDetail;
    expect(longest).toBe(
      Math.max(...((await app.dispatch('sessions.cycles', { id })) as CycleRecord[]).map((c) => c.pauseNs)),
    );
    expect(detail.stats.cycles).toBe(4_000);
  });

  it('refines a cycle range and a time range to the cycles inside them', async () => {
    const app = newApp();
    const id = recordBigSession(app.db, { cycles: 2_000, samplesPerCycle: 2 });

    const byCycle = (await app.dispatch('sessions.series', {
      id,
      points: 1_000,
      fromSeq: 501,
      toSeq: 600,
    })) as ReducedSeries;
    const byTime = (await app.dispatch('sessions.series', {
      id,
      points: 1_000,
      startNs: byCycle.startNs,
      endNs: byCycle.endNs,
    })) as ReducedSeries;

    expect(byCycle.cycleCount).toBe(100);
    expect(byCycle.cycles.every((b) => b.cycles === 1)).toBe(true);
    expect(byCycle.cycles.map((b) => b.firstSeq)).toEqual(Array.from({ length: 100 }, (_, i) => 501 + i));
    expect(byTime.cycles).toEqual(byCycle.cycles);
  });

  it.each([
    [{ points: 1 }, /points: points must be at least 2/],
    [{ points: 100_000 }, /points: points must be at most 4096/],
    [{ points: 100, startNs: 5 }, /a time range needs both startNs and endNs/],
    [{ points: 100, startNs: 9, endNs: 3 }, /startNs must be before endNs/],
    [{ points: 100, startNs: 0, endNs: 3, fromSeq: 1, toSeq: 2 }, /not both/],
    [{ points: 100, fromSeq: 1 }, /a cycle range needs both fromSeq and toSeq/],
    [{ points: 100, zoom: 2 }, /Unrecognized key/],
  ])('refuses %j, naming what was wrong', async (args, message) => {
    const app = newApp();
    const id = recordBigSession(app.db, { cycles: 10, samplesPerCycle: 1 });

    const error = await rejection(app.dispatch('sessions.series', { id, ...args }));

    expect(error.code).toBe('invalid-argument');
    expect(error.message).toMatch(message);
  });

  it('says which session or cycles do not exist', async () => {
    const app = newApp();
    const id = recordBigSession(app.db, { cycles: 10, samplesPerCycle: 1 });

    expect((await rejection(app.dispatch('sessions.series', { id: 999, points: 10 }))).message).toMatch(
      /session 999 does not exist/,
    );
    expect(
      (await rejection(app.dispatch('sessions.series', { id, points: 10, fromSeq: 50, toSeq: 60 }))).message,
    ).toMatch(/no cycles numbered 50 to 60/);
  });
});

describe('sessions.cycles pages and sessions.timeline', () => {
  it('pages through the cycles in seq order', async () => {
    const app = newApp();
    const id = recordBigSession(app.db, { cycles: 300, samplesPerCycle: 1 });

    const page = (await app.dispatch('sessions.cycles', { id, offset: 250, limit: 100 })) as CycleRecord[];
    const timeline = (await app.dispatch('sessions.timeline', { id })) as CycleTimeline;

    expect(page.map((c) => c.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 251 + i));
    expect(timeline.seq).toHaveLength(300);
    expect(timeline.startNs[250]).toBe(page[0]!.startNs);
  });

  it('refuses a page larger than the limit', async () => {
    const app = newApp();
    const id = recordBigSession(app.db, { cycles: 3, samplesPerCycle: 1 });

    const error = await rejection(app.dispatch('sessions.cycles', { id, limit: 50_000 }));

    expect(error.message).toMatch(/limit: a page holds at most 10000 cycles/);
  });
});
