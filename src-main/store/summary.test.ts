import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sessionStats } from '../services/stats';
import { recordBigSession } from '../test-support/big-session';
import { openDatabase, type Db } from './database';
import { cycleRecord } from '../test-support/records';
import { RECORDER_HEARTBEAT_MS, Recorder } from './recorder';
import { SessionRepository } from './sessions';
import {
  OVERVIEW_POINTS,
  coarsen,
  computeSummary,
  readStoredSummary,
  reduceSeriesSql,
  sessionEndNs,
  sessionStatsSql,
  sessionTotalsSql,
} from './summary';

let db: Db;
let sessions: SessionRepository;

beforeEach(() => {
  db = openDatabase(':memory:');
  sessions = new SessionRepository(db);
});

describe('sessionStatsSql', () => {
  it('computes the same stats as the records do', () => {
    const id = recordBigSession(db, { cycles: 3_000, samplesPerCycle: 3, seed: 5 });

    expect(sessionStatsSql(db, id)).toEqual(sessionStats(sessions.cycles(id), sessions.samples(id)));
  });

  it('takes peak heap from the samples when the heap climbs above every cycle between cycles', () => {
    // A collector that frees late (refcount) lets the heap climb between rare cycles: the heap
    // chart draws the samples, so the peak must not stop at the cycles' h0/h1.
    const MiB = 1 << 20;
    const id = sessions.create({
      name: 'late frees',
      source: 'simulation',
      scenario: 'steady',
      collector: 'refcount',
      config: null,
      seed: 1,
      engineVersion: null,
      recorderPid: null,
    });
    const recorder = new Recorder(db, id);
    recorder.add(
      [cycleRecord({ seq: 1, heapStartBytes: 20 * MiB, heapEndBytes: 28 * MiB })],
      [
        { tNs: 500_000, heapAllocBytes: 10 * MiB, heapInUseBytes: 12 * MiB },
        { tNs: 5_000_000, heapAllocBytes: 51 * MiB, heapInUseBytes: 52 * MiB },
      ],
    );
    recorder.flush();

    expect(sessionStatsSql(db, id).peakHeapBytes).toBe(51 * MiB);
    sessions.finish(id, 'complete');
    expect(sessions.stats(id).peakHeapBytes).toBe(51 * MiB);
  });

  it('reports zeros for a session without cycles', () => {
    const id = recordBigSession(db, { cycles: 0, samplesPerCycle: 0 });

    expect(sessionStatsSql(db, id)).toMatchObject({
      cycles: 0,
      pauseP99Ns: 0,
      pauseMaxNs: 0,
      peakHeapBytes: 0,
    });
  });
});

describe('reduceSeriesSql', () => {
  it('keeps the lowest and highest sample of every bucket, at their own times', () => {
    const id = recordBigSession(db, { cycles: 2_000, samplesPerCycle: 4, seed: 2 });
    const endNs = sessionEndNs(db, id);
    const points = 37;

    const series = reduceSeriesSql(db, id, { startNs: 0, endNs }, points, endNs, sessionTotalsSql(db, id));

    const samples = sessions.samples(id);
    const bucketOf = (tNs: number): number => Math.min(points - 1, Math.floor((tNs * points) / endNs));
    for (const bucket of series.samples) {
      const inBucket = samples.filter((s) => bucketOf(s.tNs) === bucket.bucket);
      const lowest = Math.min(...inBucket.map((s) => s.heapAllocBytes));
      const highest = Math.max(...inBucket.map((s) => s.heapAllocBytes));
      expect(bucket.samples).toBe(inBucket.length);
      expect(bucket.minHeapAllocBytes).toBe(lowest);
      expect(bucket.maxHeapAllocBytes).toBe(highest);
      expect(inBucket.find((s) => s.tNs === bucket.minTNs)?.heapAllocBytes).toBe(lowest);
      expect(inBucket.find((s) => s.tNs === bucket.maxTNs)?.heapAllocBytes).toBe(highest);
    }
    expect(series.sampleCount).toBe(samples.length);
    expect(series.samples.length).toBeLessThanOrEqual(points);
  });

  it('names the cycle with the longest pause of every bucket, and counts every cycle once', () => {
    const id = recordBigSession(db, { cycles: 2_000, samplesPerCycle: 1, seed: 3 });
    const endNs = sessionEndNs(db, id);

    const series = reduceSeriesSql(db, id, { startNs: 0, endNs }, 50, endNs, sessionTotalsSql(db, id));

    const cycles = sessions.cycles(id);
    for (const bucket of series.cycles) {
      const inBucket = cycles.filter((c) => c.seq >= bucket.firstSeq && c.seq <= bucket.lastSeq);
      const longest = inBucket.reduce((a, b) => (b.pauseNs > a.pauseNs ? b : a));
      expect(bucket.cycles).toBe(inBucket.length);
      expect(bucket.maxPauseNs).toBe(longest.pauseNs);
      expect(cycles.find((c) => c.seq === bucket.maxPauseSeq)?.pauseNs).toBe(longest.pauseNs);
      expect(bucket.heapGoalMaxBytes).toBe(Math.max(...inBucket.map((c) => c.heapGoalBytes)));
    }
    expect(series.cycleCount).toBe(2_000);
  });

  it('reads only the range asked for', () => {
    const id = recordBigSession(db, { cycles: 1_000, samplesPerCycle: 2 });
    const [from, to] = [
      sessions.cycles(id, { fromSeq: 100, limit: 1 })[0]!,
      sessions.cycles(id, { fromSeq: 199, limit: 1 })[0]!,
    ];

    const series = reduceSeriesSql(
      db,
      id,
      { startNs: from.startNs, endNs: to.startNs },
      500,
      sessionEndNs(db, id),
      sessionTotalsSql(db, id),
    );

    expect(series.cycleCount).toBe(100);
    expect(series.cycles[0]!.firstSeq).toBe(100);
    expect(series.cycles.at(-1)!.lastSeq).toBe(199);
  });
});

describe('coarsen', () => {
  it('merges the stored overview into the same buckets SQL makes at a coarser width', () => {
    const id = recordBigSession(db, { cycles: 5_000, samplesPerCycle: 3, seed: 9 });
    const endNs = sessionEndNs(db, id);
    const totals = sessionTotalsSql(db, id);
    const overview = reduceSeriesSql(db, id, { startNs: 0, endNs }, OVERVIEW_POINTS, endNs, totals);

    const coarse = coarsen(overview, OVERVIEW_POINTS / 4);

    const direct = reduceSeriesSql(db, id, { startNs: 0, endNs }, OVERVIEW_POINTS / 4, endNs, totals);
    expect(coarse.samples).toEqual(direct.samples);
    expect(coarse.cycles).toEqual(direct.cycles);
    expect(coarse.bucketNs).toBeCloseTo(direct.bucketNs, 3);
  });
});

describe('the summary stored with a finished session', () => {
  it('is written when the recording ends and agrees with the rows', () => {
    const id = recordBigSession(db, { cycles: 1_500, samplesPerCycle: 2, keepRecording: true });
    expect(readStoredSummary(db, id)).toBeNull();

    sessions.finish(id, 'complete');

    const stored = readStoredSummary(db, id);
    expect(stored).toEqual(computeSummary(db, id));
    expect(stored?.stats).toEqual(sessionStats(sessions.cycles(id), sessions.samples(id)));
    expect(sessions.get(id)).toMatchObject({ cycleCount: 1_500, durationNs: sessionEndNs(db, id) });
  });

  it('is computed and kept for a session finished before summaries were stored', () => {
    const id = recordBigSession(db, { cycles: 200, samplesPerCycle: 2 });
    db.prepare('UPDATE sessions SET summary_json = NULL, cycle_count = NULL, duration_ns = NULL').run();

    const summary = sessions.summary(id);

    expect(summary?.cycleCount).toBe(200);
    expect(readStoredSummary(db, id)).toEqual(summary);
  });

  it('is not kept for a session still recording: it would be stale at the next flush', () => {
    const id = recordBigSession(db, { cycles: 100, samplesPerCycle: 1, keepRecording: true });

    expect(sessions.summary(id)?.cycleCount).toBe(100);
    expect(readStoredSummary(db, id)).toBeNull();
    expect(sessions.stats(id).cycles).toBe(100);
  });
});

describe('the recorder heartbeat', () => {
  it('beats on every commit and, while idle, at most every few seconds', () => {
    const id = recordBigSession(db, { cycles: 0, samplesPerCycle: 0, keepRecording: true });
    let nowMs = Date.parse('2026-01-01T00:00:00.000Z');
    const recorder = new Recorder(db, id, 2_000, 8 << 20, () => new Date(nowMs));
    const heartbeat = (): unknown =>
      db.prepare('SELECT heartbeat_at FROM sessions WHERE id = ?').pluck().get(id);

    recorder.flush();
    expect(heartbeat()).toBe('2026-01-01T00:00:00.000Z');
    nowMs += 1_000;
    recorder.flush();
    expect(heartbeat()).toBe('2026-01-01T00:00:00.000Z');
    nowMs += 5_000;
    recorder.flush();
    expect(heartbeat()).toBe('2026-01-01T00:00:06.000Z');
    nowMs += 10;
    recorder.add([], [{ tNs: 1, heapAllocBytes: 1, heapInUseBytes: 1 }]);
    recorder.flush();
    expect(heartbeat()).toBe('2026-01-01T00:00:06.010Z');
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps beating while the source is quiet, until stopped', () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00.000Z') });
    const id = recordBigSession(db, { cycles: 0, samplesPerCycle: 0, keepRecording: true });
    const heartbeat = (): unknown =>
      db.prepare('SELECT heartbeat_at FROM sessions WHERE id = ?').pluck().get(id);
    const stop = new Recorder(db, id).keepAlive();

    vi.advanceTimersByTime(RECORDER_HEARTBEAT_MS * 3);
    const beaten = heartbeat();
    stop();
    vi.advanceTimersByTime(RECORDER_HEARTBEAT_MS * 3);

    expect(beaten).toBe(
      new Date(Date.parse('2026-01-01T00:00:00.000Z') + RECORDER_HEARTBEAT_MS * 3).toISOString(),
    );
    expect(heartbeat()).toBe(beaten);
  });
});
