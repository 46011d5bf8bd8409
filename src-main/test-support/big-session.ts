/**
 * A long session written straight through the Recorder, as a run of the `go` collector would record
 * it but without simulating: a GC cycle every `cycleNs` of virtual time (some forced), a sawtooth of
 * heap samples between cycles, two stop-the-world windows per cycle with seeded jitter. For the
 * big-session benchmark, tests and e2e fixtures: 100,000 cycles take seconds, not an hour.
 */
import type { CycleRecord, HeapSample } from '../engine/record';
import type { Db } from '../store/database';
import { Recorder } from '../store/recorder';
import { SessionRepository } from '../store/sessions';
import { cycleRecord } from './records';

export interface BigSessionOptions {
  cycles: number;
  /** Heap samples between one cycle and the next (a run samples every 1 ms of virtual time). */
  samplesPerCycle: number;
  name?: string;
  seed?: number;
  /** Leave the session recording (its recorder "still running") instead of finishing it. */
  keepRecording?: boolean;
}

const CYCLE_NS = 4_000_000;
const MiB = 1 << 20;

/** Records the session and returns its id. Deterministic for a given seed. */
export function recordBigSession(db: Db, options: BigSessionOptions): number {
  const sessions = new SessionRepository(db);
  const id = sessions.create({
    name: options.name ?? `synthetic · ${options.cycles.toLocaleString('en-US')} cycles`,
    source: 'simulation',
    scenario: 'steady',
    collector: 'go',
    config: null,
    seed: options.seed ?? 1,
    engineVersion: null,
    recorderPid: null,
  });
  const recorder = new Recorder(db, id, 20_000);
  let state = (options.seed ?? 1) >>> 0 || 1;
  const random = (): number => {
    // xorshift32: the same session for the same seed, on every machine.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const cycles: CycleRecord[] = [];
  const samples: HeapSample[] = [];
  for (let seq = 1; seq <= options.cycles; seq++) {
    const startNs = seq * CYCLE_NS;
    // A slow oscillation of the live heap over the session, so the overview has a shape.
    const liveBytes = Math.round((24 + 8 * Math.sin(seq / 5_000) + random() * 2) * MiB);
    const goalBytes = liveBytes * 2;
    const pauseA = 10_000 + Math.round(random() * 40_000);
    const pauseB = 50_000 + Math.round(random() * random() * 900_000);
    const markNs = 1_500_000;
    for (let s = 0; s < options.samplesPerCycle; s++) {
      const tNs = startNs - CYCLE_NS + Math.round(((s + 1) * CYCLE_NS) / (options.samplesPerCycle + 1));
      const heapAllocBytes = Math.round(
        liveBytes + ((goalBytes - liveBytes) * (s + 1)) / options.samplesPerCycle,
      );
      samples.push({ tNs, heapAllocBytes, heapInUseBytes: heapAllocBytes + 2 * MiB });
    }
    cycles.push(
      cycleRecord({
        seq,
        startNs,
        trigger: seq % 97 === 0 ? 'forced' : 'heap',
        heapStartBytes: goalBytes,
        heapEndBytes: goalBytes + MiB,
        heapMarkedBytes: liveBytes,
        heapGoalBytes: goalBytes,
        heapTriggerBytes: Math.round(goalBytes * 0.95),
        sweepTermNs: pauseA,
        markNs,
        markTermNs: pauseB,
        pauseNs: pauseA + pauseB,
        pauses: [
          { startNs, durationNs: pauseA },
          { startNs: startNs + pauseA + markNs, durationNs: pauseB },
        ],
        gcCpuFraction: 0.02 + random() * 0.01,
      }),
    );
    if (cycles.length >= 5_000) {
      recorder.add(cycles, samples);
      cycles.length = 0;
      samples.length = 0;
    }
  }
  recorder.add(cycles, samples);
  recorder.flush();
  if (!options.keepRecording) sessions.finish(id, 'complete');
  return id;
}
