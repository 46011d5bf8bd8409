import { describe, expect, it } from 'vitest';
import {
  initialPlayback,
  PlaybackController,
  playbackReducer,
  tickMs,
  type PlaybackInput,
  type PlaybackState,
  type PlaybackTimer,
  snapshotSeqFor,
} from './playback-machine';

function run(cycleCount: number, ...inputs: PlaybackInput[]): PlaybackState {
  return inputs.reduce(playbackReducer, initialPlayback(cycleCount));
}

/** A timer driven by hand: `advance(ms)` fires every tick that falls due. */
class FakeTimer implements PlaybackTimer {
  nowMs = 0;
  running: { everyMs: number; nextMs: number; tick: () => void } | null = null;
  starts: number[] = [];

  start(everyMs: number, tick: () => void): () => void {
    const entry = { everyMs, nextMs: this.nowMs + everyMs, tick };
    this.running = entry;
    this.starts.push(everyMs);
    return () => {
      if (this.running === entry) this.running = null;
    };
  }

  advance(ms: number): void {
    const until = this.nowMs + ms;
    while (this.running && this.running.nextMs <= until) {
      const entry = this.running;
      this.nowMs = entry.nextMs;
      entry.nextMs += entry.everyMs;
      entry.tick();
    }
    this.nowMs = until;
  }
}

describe('playbackReducer', () => {
  it('starts with the cursor hidden and paused', () => {
    expect(initialPlayback(10)).toEqual({ cycleCount: 10, index: null, playing: false, speed: 1 });
  });

  it('seeks to a cycle, clamped to the session', () => {
    expect(run(10, { kind: 'seek', index: 4 }).index).toBe(4);
    expect(run(10, { kind: 'seek', index: 40 }).index).toBe(9);
    expect(run(10, { kind: 'seek', index: -3 }).index).toBe(0);
  });

  it('steps one cycle either way and stops at the ends', () => {
    expect(run(10, { kind: 'seek', index: 4 }, { kind: 'step', by: 1 }).index).toBe(5);
    expect(run(10, { kind: 'seek', index: 4 }, { kind: 'step', by: -1 }).index).toBe(3);
    expect(run(10, { kind: 'end' }, { kind: 'step', by: 1 }).index).toBe(9);
    expect(run(10, { kind: 'home' }, { kind: 'step', by: -1 }).index).toBe(0);
  });

  it('steps from a hidden cursor onto the first or the last cycle', () => {
    expect(run(10, { kind: 'step', by: 1 }).index).toBe(0);
    expect(run(10, { kind: 'step', by: -1 }).index).toBe(9);
  });

  it('plays from the first cycle when the cursor is hidden or at the end', () => {
    expect(run(10, { kind: 'play' })).toMatchObject({ index: 0, playing: true });
    expect(run(10, { kind: 'end' }, { kind: 'play' })).toMatchObject({ index: 0, playing: true });
    expect(run(10, { kind: 'seek', index: 3 }, { kind: 'play' })).toMatchObject({ index: 3, playing: true });
  });

  it('advances one cycle per tick and stops on the last cycle', () => {
    const ticks: PlaybackInput[] = Array.from({ length: 5 }, () => ({ kind: 'tick' }));
    expect(run(4, { kind: 'play' }, ...ticks)).toMatchObject({ index: 3, playing: false });
    expect(run(4, { kind: 'play' }, { kind: 'tick' })).toMatchObject({ index: 1, playing: true });
  });

  it('ignores ticks while paused', () => {
    expect(run(10, { kind: 'seek', index: 2 }, { kind: 'tick' }).index).toBe(2);
  });

  it('pauses on a manual move', () => {
    expect(run(10, { kind: 'play' }, { kind: 'step', by: 1 }).playing).toBe(false);
    expect(run(10, { kind: 'play' }, { kind: 'seek', index: 5 }).playing).toBe(false);
  });

  it('toggles between playing and paused', () => {
    expect(run(10, { kind: 'toggle' }).playing).toBe(true);
    expect(run(10, { kind: 'toggle' }, { kind: 'toggle' })).toMatchObject({ index: 0, playing: false });
  });

  it('does not play a session of fewer than two cycles', () => {
    expect(run(1, { kind: 'play' })).toEqual(initialPlayback(1));
    expect(run(0, { kind: 'seek', index: 3 }).index).toBeNull();
  });

  it('keeps the cursor when the session grows and clamps it when it shrinks', () => {
    expect(run(10, { kind: 'seek', index: 5 }, { kind: 'cycles', count: 20 }).index).toBe(5);
    expect(run(10, { kind: 'seek', index: 5 }, { kind: 'cycles', count: 3 }).index).toBe(2);
    expect(run(10, { kind: 'cycles', count: 20 }).index).toBeNull();
  });

  it('hides the cursor and stops', () => {
    expect(run(10, { kind: 'play' }, { kind: 'hide' })).toMatchObject({ index: null, playing: false });
  });

  it('ticks faster at a higher speed', () => {
    expect(tickMs(1)).toBe(250);
    expect(tickMs(8)).toBe(31.25);
    expect(tickMs(0.5)).toBe(500);
  });
});

describe('PlaybackController', () => {
  it('advances a cycle per tick while playing', () => {
    const timer = new FakeTimer();
    const controller = new PlaybackController(10, timer);

    controller.dispatch({ kind: 'play' });
    timer.advance(3 * tickMs(1));

    expect(controller.state).toMatchObject({ index: 3, playing: true });
  });

  it('stops its timer on pause, so time passing moves nothing', () => {
    const timer = new FakeTimer();
    const controller = new PlaybackController(10, timer);
    controller.dispatch({ kind: 'play' });
    timer.advance(tickMs(1));

    controller.dispatch({ kind: 'pause' });
    timer.advance(10 * tickMs(1));

    expect(controller.state).toMatchObject({ index: 1, playing: false });
    expect(timer.running).toBeNull();
  });

  it('restarts its timer at the new pace when the speed changes', () => {
    const timer = new FakeTimer();
    const controller = new PlaybackController(100, timer);
    controller.dispatch({ kind: 'play' });

    controller.dispatch({ kind: 'speed', speed: 4 });
    timer.advance(250);

    expect(timer.starts).toEqual([250, 62.5]);
    expect(controller.state.index).toBe(4);
  });

  it('stops its timer by itself on the last cycle', () => {
    const timer = new FakeTimer();
    const controller = new PlaybackController(3, timer);
    controller.dispatch({ kind: 'play' });

    timer.advance(10 * tickMs(1));

    expect(controller.state).toMatchObject({ index: 2, playing: false });
    expect(timer.running).toBeNull();
  });

  it('reports every new state and nothing for an input that changes nothing', () => {
    const seen: (number | null)[] = [];
    const controller = new PlaybackController(5, new FakeTimer(), (state) => seen.push(state.index));

    controller.dispatch({ kind: 'seek', index: 2 });
    controller.dispatch({ kind: 'pause' });
    controller.dispatch({ kind: 'step', by: 1 });

    expect(seen).toEqual([2, 3]);
  });

  it('stops its timer when disposed', () => {
    const timer = new FakeTimer();
    const controller = new PlaybackController(10, timer);
    controller.dispatch({ kind: 'play' });

    controller.dispatch({ kind: 'speed', speed: 2 });
    controller.dispose();

    expect(timer.running).toBeNull();
  });
});

describe('snapshotSeqFor', () => {
  it("picks the cursor's own cycle when it has a snapshot", () => {
    expect(snapshotSeqFor([1, 2, 3], 2)).toBe(2);
  });

  it('picks the nearest earlier snapshot when the cycle has none', () => {
    expect(snapshotSeqFor([1, 8, 16], 12)).toBe(8);
  });

  it('picks the first snapshot when the cursor is before all of them', () => {
    expect(snapshotSeqFor([5, 6], 2)).toBe(5);
  });

  it('picks nothing without snapshots', () => {
    expect(snapshotSeqFor([], 2)).toBeUndefined();
  });
});
