/**
 * Playback over a recorded session: a cursor on one of its cycles that the user scrubs, steps or
 * plays. The cursor moves in whole cycles, so every chart, the cycle table and the snapshot panel
 * agree on which cycle is "now".
 *
 *  1. Until the user touches the scrubber the cursor is hidden (`index` null): the session view is
 *     exactly what it is without playback.
 *  2. Seek, step, Home and End show the cursor and pause playback: a manual move is a request to
 *     look at that cycle, not to keep going from it.
 *  3. Play advances one cycle per tick; a tick lasts `CYCLE_TICK_MS / speed`. Play at the last cycle
 *     starts again from the first; reaching the last cycle stops.
 *  4. A session that grows (a live recording) keeps the cursor where it is; one that shrinks clamps it.
 *
 * `playbackReducer` is the pure `(state, input) → state` step; `PlaybackController` runs it against
 * an injected timer so tests drive time by hand.
 */

export const PLAYBACK_SPEEDS = [0.5, 1, 2, 4, 8] as const;
export type PlaybackSpeed = (typeof PLAYBACK_SPEEDS)[number];

/**
 * One cycle per quarter second at 1×: slow enough to read a snapshot change, fast enough that a
 * 200-cycle session plays in under a minute at 1× (and under 7 s at 8×).
 */
export const CYCLE_TICK_MS = 250;

export interface PlaybackState {
  /** Cycles in the session; the cursor indexes them (not their `seq`). */
  cycleCount: number;
  /** The cursor's cycle index, 0 ≤ index < cycleCount; null while the cursor is hidden. */
  index: number | null;
  playing: boolean;
  speed: PlaybackSpeed;
}

export type PlaybackInput =
  | { kind: 'seek'; index: number }
  | { kind: 'step'; by: number }
  | { kind: 'home' }
  | { kind: 'end' }
  | { kind: 'play' }
  | { kind: 'pause' }
  | { kind: 'toggle' }
  | { kind: 'tick' }
  | { kind: 'speed'; speed: PlaybackSpeed }
  | { kind: 'cycles'; count: number }
  | { kind: 'hide' };

export function initialPlayback(cycleCount: number): PlaybackState {
  return { cycleCount, index: null, playing: false, speed: 1 };
}

export function tickMs(speed: PlaybackSpeed): number {
  return CYCLE_TICK_MS / speed;
}

function assertNever(value: never): never {
  throw new Error(`unhandled playback input ${JSON.stringify(value)}`);
}

function clampIndex(state: PlaybackState, index: number): number | null {
  if (state.cycleCount === 0) return null;
  return Math.min(state.cycleCount - 1, Math.max(0, Math.round(index)));
}

function moveTo(state: PlaybackState, index: number): PlaybackState {
  return { ...state, index: clampIndex(state, index), playing: false };
}

export function playbackReducer(state: PlaybackState, input: PlaybackInput): PlaybackState {
  const last = state.cycleCount - 1;
  switch (input.kind) {
    case 'seek':
      return moveTo(state, input.index);
    case 'step':
      return moveTo(state, (state.index ?? (input.by > 0 ? -1 : state.cycleCount)) + input.by);
    case 'home':
      return moveTo(state, 0);
    case 'end':
      return moveTo(state, last);
    case 'play': {
      if (state.cycleCount < 2) return state;
      const from = state.index === null || state.index >= last ? 0 : state.index;
      return { ...state, index: from, playing: true };
    }
    case 'pause':
      return state.playing ? { ...state, playing: false } : state;
    case 'toggle':
      return playbackReducer(state, { kind: state.playing ? 'pause' : 'play' });
    case 'tick': {
      if (!state.playing || state.index === null) return state;
      const index = Math.min(last, state.index + 1);
      return { ...state, index, playing: index < last };
    }
    case 'speed':
      return { ...state, speed: input.speed };
    case 'cycles': {
      const next = { ...state, cycleCount: Math.max(0, input.count) };
      const index = state.index === null ? null : clampIndex(next, state.index);
      return { ...next, index, playing: state.playing && index !== null && index < next.cycleCount - 1 };
    }
    case 'hide':
      return { ...state, index: null, playing: false };
    default:
      return assertNever(input);
  }
}

/** What the controller needs of `setInterval`; tests pass a hand-driven one. */
export interface PlaybackTimer {
  start(everyMs: number, tick: () => void): () => void;
}

export const browserTimer: PlaybackTimer = {
  start(everyMs, tick) {
    const handle = setInterval(tick, everyMs);
    return () => clearInterval(handle);
  },
};

/**
 * Holds the playback state and keeps one timer running exactly while it plays, restarted when the
 * speed changes. `onChange` hears every new state (the Svelte store mirrors it into `$state`).
 */
export class PlaybackController {
  #state: PlaybackState;
  #stopTimer: (() => void) | null = null;
  #timerSpeed: PlaybackSpeed | null = null;

  constructor(
    cycleCount: number,
    private readonly timer: PlaybackTimer,
    private readonly onChange: (state: PlaybackState) => void = () => {},
  ) {
    this.#state = initialPlayback(cycleCount);
  }

  get state(): PlaybackState {
    return this.#state;
  }

  dispatch(input: PlaybackInput): void {
    const next = playbackReducer(this.#state, input);
    if (next === this.#state) return;
    this.#state = next;
    this.#syncTimer();
    this.onChange(next);
  }

  /** Stops the timer for good (the session view is going away). */
  dispose(): void {
    this.#stopTimer?.();
    this.#stopTimer = null;
    this.#timerSpeed = null;
  }

  #syncTimer(): void {
    const { playing, speed } = this.#state;
    if (playing && this.#timerSpeed === speed) return;
    this.dispose();
    if (!playing) return;
    this.#timerSpeed = speed;
    this.#stopTimer = this.timer.start(tickMs(speed), () => this.dispatch({ kind: 'tick' }));
  }
}

/**
 * The snapshot to show for the cursor's cycle: its own, else the nearest earlier one, else (the
 * cursor is before every snapshot) the first. `seqs` ascending; undefined when there are none.
 */
export function snapshotSeqFor(seqs: readonly number[], cursorSeq: number): number | undefined {
  let best = seqs[0];
  for (const seq of seqs) {
    if (seq > cursorSeq) break;
    best = seq;
  }
  return best;
}
