/**
 * Drives a simulation and records it: advance the engine a slice of virtual time at a time,
 * hand what it produced to the recorder, report progress, and give the event loop a turn between
 * slices so a cancel request is seen promptly. Ends the session as complete, interrupted
 * (cancelled) or failed — never left recording.
 */
import { createSimulation, type SimulationConfig, type SnapshotOptions } from '../engine';
import type { Db } from '../store/database';
import { Recorder } from '../store/recorder';
import { SessionRepository } from '../store/sessions';
import type { FromWorker } from './run-protocol';

/** Wall time spent simulating before yielding; short enough that cancel feels immediate. */
const SLICE_WALL_MS = 20;
/**
 * Longest wall time recorded rows may sit in memory: bounds what a crash can lose and how stale a
 * reader in another process (a live view) can be.
 */
const FLUSH_INTERVAL_MS = 250;
/**
 * Heap snapshots of a recorded run: every cycle's end for the first 256 cycles, then thinning by
 * powers of two (≈ 128 more per doubling of the cycle count), the object graph in every 8th — a
 * steady run of 33 cycles stores ≈ 0.6 MB of snapshots, an hour-long one a bounded number.
 */
export const RECORDED_SNAPSHOTS: SnapshotOptions = {
  everyCycles: 1,
  thinAfterCycles: 256,
  graph: true,
  graphEveryCycles: 8,
  graphMaxObjects: 1_000_000,
};

/** Virtual-time granularity of advance(); 1/2000 of the run keeps per-call overhead negligible. */
const SLICES_PER_RUN = 2_000;

export interface RecordRunHooks {
  isCancelled(): boolean;
  report(message: FromWorker): void;
  /** Lets pending messages (a cancel) through; the worker passes setImmediate. */
  yieldTurn(): Promise<void>;
  wallNowMs(): number;
}

export async function recordRun(
  db: Db,
  sessionId: number,
  config: SimulationConfig,
  hooks: RecordRunHooks,
): Promise<FromWorker & { type: 'done' }> {
  const sessions = new SessionRepository(db);
  const recorder = new Recorder(db, sessionId);
  let done: FromWorker & { type: 'done' };
  try {
    const simulation = createSimulation(config, { snapshots: RECORDED_SNAPSHOTS });
    const sliceNs = Math.max(1, Math.ceil(simulation.endNs / SLICES_PER_RUN));
    let flushedAtMs = hooks.wallNowMs();
    while (!simulation.done && !hooks.isCancelled()) {
      const turnStartMs = hooks.wallNowMs();
      while (!simulation.done && hooks.wallNowMs() - turnStartMs < SLICE_WALL_MS) {
        const output = simulation.advance(simulation.nowNs + sliceNs);
        recorder.add(output.cycles, output.samples, output.snapshots);
      }
      if (hooks.wallNowMs() - flushedAtMs >= FLUSH_INTERVAL_MS) {
        recorder.flush();
        flushedAtMs = hooks.wallNowMs();
      }
      hooks.report({
        type: 'progress',
        fraction: simulation.endNs === 0 ? 1 : Math.min(1, simulation.nowNs / simulation.endNs),
        cycles: simulation.cycleCount,
        virtualNs: simulation.nowNs,
      });
      await hooks.yieldTurn();
    }
    recorder.flush();
    done = {
      type: 'done',
      status: hooks.isCancelled() && !simulation.done ? 'interrupted' : 'complete',
      error: null,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    try {
      recorder.flush(); // keep what was simulated before the failure
    } catch {
      // The original failure is the one worth reporting.
    }
    done = { type: 'done', status: 'failed', error: message };
  }
  sessions.finish(sessionId, done.status, done.error);
  return done;
}
