import type { CycleRecord, CycleTrigger } from '../../lib/contract';
import { durationScale, NS_PER_MS, type DurationScale } from './format';

export interface PausePoint {
  /** Cycle start, milliseconds since the session's start. */
  x: number;
  /** Stop-the-world pause in `scale.unit`. */
  y: number;
  seq: number;
  pauseNs: number;
  trigger: CycleTrigger;
}

export interface PauseSeries {
  points: PausePoint[];
  scale: DurationScale;
  maxPauseNs: number;
}

/** One point per cycle, in the unit that makes the longest pause read as a number ≥ 1. */
export function pauseSeries(cycles: readonly CycleRecord[]): PauseSeries {
  const maxPauseNs = cycles.reduce((max, c) => Math.max(max, c.pauseNs), 0);
  const scale = durationScale(maxPauseNs);
  const points = cycles
    .map((c) => ({
      x: c.startNs / NS_PER_MS,
      y: c.pauseNs / scale.nsPerUnit,
      seq: c.seq,
      pauseNs: c.pauseNs,
      trigger: c.trigger,
    }))
    .sort((a, b) => a.x - b.x);
  return { points, scale, maxPauseNs };
}
