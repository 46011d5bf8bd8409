/**
 * What a session's time axis is called, the one place the charts, their labels and their notes
 * take the words from. A simulation's times are the simulator's clock, which advances only by what
 * the model says the work cost: "virtual time". An imported gctrace log or an attached program
 * carries the program's own times (gctrace's `@12.345s` is the cycle's start since the runtime
 * started, on the program's clock): "program time" — not "real time" or "wall time", which would
 * read as the time of day or as gctrace's "ms clock" phase durations. Sessions of both kinds
 * compared on one axis are each measured from their own start on their own clock, so that axis is
 * only "time since start".
 */
import type { SessionSource } from './contract';
import { assertNever } from './routes';

/** The clock one session's times are on. */
export type ClockName = 'virtual time' | 'program time';

/** What a time axis is called: one session's clock, or the neutral name for several clocks. */
export type TimeAxisName = ClockName | 'time since start';

export function timeAxisName(source: SessionSource): ClockName {
  switch (source) {
    case 'simulation':
      return 'virtual time';
    case 'gctrace':
    case 'attach':
      return 'program time';
    default:
      return assertNever(source);
  }
}

/** One axis for several sessions: their clock's name when they share one, else the neutral one. */
export function sharedTimeAxisName(sources: readonly SessionSource[]): TimeAxisName {
  const names = new Set(sources.map(timeAxisName));
  const [only] = names;
  return names.size === 1 && only !== undefined ? only : 'time since start';
}

/** Where a chart's points sit in their cycle, when not at a sample's own time. */
export type TimeAxisAnchor = 'cycle start' | 'cycle end';

/** An x-axis title: "program time (ms)", or "cycle end, virtual time (ms)". */
export function timeAxisTitle(name: TimeAxisName, anchor?: TimeAxisAnchor): string {
  return `${anchor === undefined ? '' : `${anchor}, `}${name} (ms)`;
}

const CLOCK_MEANING: Record<ClockName, string> = {
  'virtual time': "the simulator's clock",
  'program time': "the program's own clock, since it started",
};

export interface SessionClock {
  name: ClockName;
  /** Whose clock it is, in words. */
  meaning: string;
  /** The sessions on this clock, in the order given. */
  labels: string[];
}

/** Which sessions run on which clock, clocks in order of first appearance: the note under a mixed axis. */
export function sessionClocks(sessions: readonly { label: string; source: SessionSource }[]): SessionClock[] {
  const clocks: SessionClock[] = [];
  for (const session of sessions) {
    const name = timeAxisName(session.source);
    const clock = clocks.find((c) => c.name === name);
    if (clock) clock.labels.push(session.label);
    else clocks.push({ name, meaning: CLOCK_MEANING[name], labels: [session.label] });
  }
  return clocks;
}
