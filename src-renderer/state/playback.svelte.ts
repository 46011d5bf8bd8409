import { getContext, setContext } from 'svelte';
import type { CycleRecord } from '../lib/contract';
import {
  browserTimer,
  PlaybackController,
  type PlaybackInput,
  type PlaybackState,
  type PlaybackTimer,
} from './playback-machine';

/** The cycle under the playback cursor. */
export interface PlaybackCursor {
  index: number;
  seq: number;
  startNs: number;
}

/**
 * The session view's playback cursor as Svelte state: one per open session, handed to the charts,
 * the cycle table and the snapshot panel through context. The logic is `playback-machine.ts`.
 */
export class Playback {
  state = $state.raw<PlaybackState>({ cycleCount: 0, index: null, playing: false, speed: 1 });
  #cycles = $state.raw<readonly Pick<CycleRecord, 'seq' | 'startNs'>[]>([]);
  readonly #controller: PlaybackController;

  constructor(timer: PlaybackTimer = browserTimer) {
    this.#controller = new PlaybackController(0, timer, (next) => (this.state = next));
  }

  readonly cursor: PlaybackCursor | null = $derived.by(() => {
    const { index } = this.state;
    const cycle = index === null ? undefined : this.#cycles[index];
    return index === null || cycle === undefined ? null : { index, seq: cycle.seq, startNs: cycle.startNs };
  });

  get cycles(): readonly Pick<CycleRecord, 'seq' | 'startNs'>[] {
    return this.#cycles;
  }

  /** The session's cycles, again whenever a live recording adds some. */
  setCycles(cycles: readonly Pick<CycleRecord, 'seq' | 'startNs'>[]): void {
    this.#cycles = cycles;
    this.#controller.dispatch({ kind: 'cycles', count: cycles.length });
  }

  dispatch(input: PlaybackInput): void {
    this.#controller.dispatch(input);
  }

  /** Moves the cursor to the cycle numbered `seq`, or the nearest one recorded before it. */
  seekSeq(seq: number): void {
    let index = 0;
    for (let i = 0; i < this.#cycles.length && this.#cycles[i]!.seq <= seq; i++) index = i;
    this.dispatch({ kind: 'seek', index });
  }

  dispose(): void {
    this.#controller.dispose();
  }
}

const KEY = Symbol('playback');

export function providePlayback(playback: Playback): void {
  setContext(KEY, playback);
}

/** The enclosing session view's playback, if any (a chart outside a session view has none). */
export function usePlayback(): Playback | undefined {
  return getContext<Playback | undefined>(KEY);
}
