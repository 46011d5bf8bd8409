import type { CycleRecord, PauseWindow } from '../../lib/contract';
import { cycleEndNs, sortedBy } from './heap';

/**
 * The phases of each cycle on session time: its stop-the-world windows (from `pauses`) and, where
 * the collector marks while the program runs, its concurrent mark — the span sweepTermNs after the
 * cycle's start, markNs long, less whatever the pauses already cover (a mark-sweep collector's one
 * pause covers its whole mark; an incremental collector's slices cover part of it).
 */

export type PausePhase = 'stop the world' | 'sweep termination' | 'mark slice' | 'mark termination';

export interface PhaseBar {
  seq: number;
  kind: 'pause' | 'mark';
  phase: PausePhase | 'concurrent mark';
  startNs: number;
  durationNs: number;
}

/** A whole cycle, from sweep termination's start to mark termination's end. */
export interface CycleBar {
  seq: number;
  startNs: number;
  endNs: number;
}

/** Below this, a mark the pauses leave uncovered is float noise from an imported log's decimals. */
const UNCOVERED_EPSILON_NS = 0.5;

/** How a collector's pause reads: one pause is the whole collection; else by where it sits in the cycle. */
export function pausePhase(cycle: CycleRecord, index: number): PausePhase {
  const count = cycle.pauses.length;
  if (count === 1) return 'stop the world';
  const pause = cycle.pauses[index] as PauseWindow;
  if (index === 0 && pause.startNs <= cycle.startNs && cycle.sweepTermNs > 0) return 'sweep termination';
  if (index === count - 1) return 'mark termination';
  return 'mark slice';
}

/** Nanoseconds of [fromNs, toNs) that some pause covers (pauses may touch, never double count). */
export function pauseCoverNs(pauses: readonly PauseWindow[], fromNs: number, toNs: number): number {
  let covered = 0;
  let reachedNs = fromNs;
  for (const pause of sortedBy(pauses, (p) => p.startNs)) {
    const start = Math.max(pause.startNs, reachedNs);
    const end = Math.min(pause.startNs + pause.durationNs, toNs);
    if (end > start) {
      covered += end - start;
      reachedNs = end;
    }
  }
  return covered;
}

/** The cycle's concurrent mark, or null when it had none (markNs 0) or its pauses cover it. */
export function concurrentMark(cycle: CycleRecord): PhaseBar | null {
  if (cycle.markNs <= 0) return null;
  const startNs = cycle.startNs + cycle.sweepTermNs;
  const covered = pauseCoverNs(cycle.pauses, startNs, startNs + cycle.markNs);
  if (cycle.markNs - covered <= UNCOVERED_EPSILON_NS) return null;
  return { seq: cycle.seq, kind: 'mark', phase: 'concurrent mark', startNs, durationNs: cycle.markNs };
}

export function cyclePauseBars(cycle: CycleRecord): PhaseBar[] {
  return cycle.pauses.map((pause, index) => ({
    seq: cycle.seq,
    kind: 'pause',
    phase: pausePhase(cycle, index),
    startNs: pause.startNs,
    durationNs: pause.durationNs,
  }));
}

/** How many cycles the timeline shows at once: enough to see a rhythm, few enough to see each pause. */
export const TIMELINE_CYCLES = 20;

export interface PhaseTimeline {
  /** Index (in start order) of the first cycle shown, and how many are shown. */
  firstIndex: number;
  count: number;
  totalCycles: number;
  firstSeq: number;
  lastSeq: number;
  /** The time axis: from the first cycle's start to the last one's end. */
  fromNs: number;
  toNs: number;
  cycles: CycleBar[];
  pauses: PhaseBar[];
  marks: PhaseBar[];
}

/** A first index that keeps a full window inside the session. */
export function clampTimelineStart(totalCycles: number, firstIndex: number, count = TIMELINE_CYCLES): number {
  return Math.max(0, Math.min(firstIndex, totalCycles - count));
}

/** The cycles [firstIndex, firstIndex + count) in start order, as bars on one time axis; null without cycles. */
export function phaseTimeline(
  cycles: readonly CycleRecord[],
  firstIndex: number,
  count = TIMELINE_CYCLES,
): PhaseTimeline | null {
  const ordered = sortedBy(cycles, (c) => c.startNs);
  const from = clampTimelineStart(ordered.length, firstIndex, count);
  const shown = ordered.slice(from, from + count);
  const first = shown[0];
  const last = shown.at(-1);
  if (!first || !last) return null;
  return {
    firstIndex: from,
    count: shown.length,
    totalCycles: ordered.length,
    firstSeq: first.seq,
    lastSeq: last.seq,
    fromNs: first.startNs,
    toNs: Math.max(
      ...shown.map((c) => Math.max(cycleEndNs(c), ...c.pauses.map((p) => p.startNs + p.durationNs))),
    ),
    cycles: shown.map((c) => ({ seq: c.seq, startNs: c.startNs, endNs: cycleEndNs(c) })),
    pauses: shown.flatMap(cyclePauseBars),
    marks: shown.map(concurrentMark).filter((bar): bar is PhaseBar => bar !== null),
  };
}
