/**
 * Re-running a recorded simulation to check it reproduces: the engine is deterministic, so the
 * stored config, seed and engine version must give back every recorded cycle exactly. The first
 * field of the first cycle that differs is reported; a session recorded by another engine version
 * is reported as such instead of as a mismatch (its numbers may rightly differ).
 */
import { ApiError } from '../api/contract';
import type { RunRequest } from '../api/types';
import { ENGINE_VERSION, createSimulation } from '../engine';
import type { CycleRecord } from '../engine/record';
import { toSimulationConfig } from './runs';

export interface CycleDifference {
  seq: number;
  field: keyof CycleRecord;
  recorded: unknown;
  replayed: unknown;
}

export interface VerifyResult {
  /** reproduced: every recorded cycle came back exactly; differs: see firstDifference. */
  outcome: 'reproduced' | 'differs';
  recordedEngineVersion: string;
  engineVersion: string;
  /** The session was recorded by another engine version: a difference is expected, not a bug. */
  engineChanged: boolean;
  cyclesCompared: number;
  firstDifference: CycleDifference | null;
}

export interface RecordedSimulation {
  id: number;
  status: string;
  source: string;
  config: RunRequest | null;
  engineVersion: string | null;
}

/**
 * Re-simulates `session` and compares its cycles with `recorded`. An interrupted session is
 * compared over the cycles it kept. `onProgress` gets 0..1 of the virtual duration.
 */
export function verifySession(
  session: RecordedSimulation,
  recorded: readonly CycleRecord[],
  onProgress: (fraction: number) => void = () => {},
): VerifyResult {
  if (session.source !== 'simulation' || session.config === null) {
    throw new ApiError(
      'invalid-argument',
      `session ${session.id} is ${session.source === 'simulation' ? 'missing its config' : `an imported ${session.source} session`}: only simulations can be re-run`,
    );
  }
  if (session.status === 'recording') {
    throw new ApiError(
      'conflict',
      `session ${session.id} is still recording; verify it once it has finished`,
    );
  }
  const config = toSimulationConfig(session.config);
  const simulation = createSimulation(config, { snapshots: { everyCycles: 0 } });
  const replayed: CycleRecord[] = [];
  const lastSeq = recorded.at(-1)?.seq ?? 0;
  const sliceNs = Math.max(1, Math.ceil(simulation.endNs / 100));
  while (!simulation.done && replayed.length < lastSeq) {
    replayed.push(...simulation.advance(simulation.nowNs + sliceNs).cycles);
    onProgress(simulation.endNs === 0 ? 1 : simulation.nowNs / simulation.endNs);
  }
  const recordedEngineVersion = session.engineVersion ?? 'unknown';
  const firstDifference = firstDifferenceOf(recorded, replayed);
  return {
    outcome: firstDifference === null ? 'reproduced' : 'differs',
    recordedEngineVersion,
    engineVersion: ENGINE_VERSION,
    engineChanged: recordedEngineVersion !== ENGINE_VERSION,
    cyclesCompared: Math.min(recorded.length, replayed.length),
    firstDifference,
  };
}

function firstDifferenceOf(
  recorded: readonly CycleRecord[],
  replayed: readonly CycleRecord[],
): CycleDifference | null {
  for (let i = 0; i < recorded.length; i++) {
    const r = recorded[i]!;
    const p = replayed[i];
    if (p === undefined) return { seq: r.seq, field: 'seq', recorded: r.seq, replayed: null };
    for (const field of Object.keys(r) as (keyof CycleRecord)[]) {
      if (!sameValue(r[field], p[field]))
        return { seq: r.seq, field, recorded: r[field], replayed: p[field] };
    }
  }
  return null;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return Object.is(a, b);
}
