import type { CycleRecord } from '../../lib/contract';
import { cycleEndNs } from './heap';
import { concurrentMark } from './phases';

/**
 * Minimum mutator utilization (Cheng and Blelloch's MMU): for a window size w, the lowest share of
 * the machine the program had over any window of w in the session.
 *
 * 1. Mutator utilization u(t) is piecewise constant: 0 inside a stop-the-world window; 1 −
 *    markUtilization during a concurrent mark the pauses do not cover (when the collector reports
 *    markUtilization; an imported gctrace log does not, so its marks cost nothing here); 1 elsewhere.
 * 2. F(t) = ∫₀ᵗ u is piecewise linear, so the windowed mean (F(t + w) − F(t)) / w is piecewise
 *    linear in t, bending only where either edge meets a change of u: its minimum is at a window
 *    whose left or right edge sits on a breakpoint (or at a session end). Checking those 2m windows
 *    with two cursors is O(m) per window size — exact, not sampled in t.
 * 3. The exact minimum over windows of one size can fall as the size grows (pauses every 2 ms: any
 *    2 ms window holds one, a 3 ms window can hold two), so the curve drawn is its lower envelope
 *    from the right — the worst window of at least w among the sizes computed, Sachindran's
 *    "bounded" MMU — which never falls, and reads as the guarantee a program with that latency
 *    budget gets. `exact` keeps the per-size value.
 */

/** u(t) as m segments: segment i is [boundsNs[i], boundsNs[i+1]) at util[i]; prefix[i] = F(boundsNs[i]). */
export interface Utilization {
  boundsNs: Float64Array;
  util: Float64Array;
  prefix: Float64Array;
  totalNs: number;
}

/** Event kinds, in the order they apply at one instant (ends before starts; kinds apart). */
const PAUSE = 0;
const MARK = 1;

/**
 * u(t) over [0, endNs] (endNs grown to cover every pause and mark). A mark's cost is its
 * markUtilization clamped to [0, 1]; overlapping marks add, and a pause takes everything.
 */
export function mutatorUtilization(cycles: readonly CycleRecord[], endNs: number): Utilization {
  const times: number[] = [];
  const deltas: number[] = [];
  const kinds: number[] = [];
  const push = (t: number, kind: number, delta: number) => {
    times.push(t);
    kinds.push(kind);
    deltas.push(delta);
  };
  let totalNs = Math.max(0, endNs);
  for (const cycle of cycles) {
    totalNs = Math.max(totalNs, cycleEndNs(cycle));
    for (const pause of cycle.pauses) {
      if (pause.durationNs <= 0) continue;
      push(pause.startNs, PAUSE, 1);
      push(pause.startNs + pause.durationNs, PAUSE, -1);
      totalNs = Math.max(totalNs, pause.startNs + pause.durationNs);
    }
    const loss = Math.min(1, Math.max(0, cycle.markUtilization ?? 0));
    const mark = loss > 0 ? concurrentMark(cycle) : null;
    if (mark) {
      push(mark.startNs, MARK, loss);
      push(mark.startNs + mark.durationNs, MARK, -loss);
    }
  }
  const order = Array.from(times.keys()).sort((a, b) => (times[a] as number) - (times[b] as number));

  const bounds: number[] = [0];
  const utils: number[] = [];
  let pauseDepth = 0;
  let marks = 0;
  let markLoss = 0;
  const current = () => (pauseDepth > 0 ? 0 : Math.max(0, 1 - markLoss));
  const close = (t: number) => {
    const at = Math.min(Math.max(t, 0), totalNs);
    const value = current();
    if (at <= (bounds.at(-1) as number)) return;
    if (utils.length > 0 && utils.at(-1) === value) bounds[bounds.length - 1] = at;
    else {
      utils.push(value);
      bounds.push(at);
    }
  };
  for (const i of order) {
    close(times[i] as number);
    if (kinds[i] === PAUSE) pauseDepth += deltas[i] as number;
    else {
      marks += Math.sign(deltas[i] as number);
      markLoss = marks === 0 ? 0 : markLoss + (deltas[i] as number);
    }
  }
  close(totalNs);

  const prefix = new Float64Array(bounds.length);
  for (let i = 0; i < utils.length; i++)
    prefix[i + 1] =
      (prefix[i] as number) + (utils[i] as number) * ((bounds[i + 1] as number) - (bounds[i] as number));
  return { boundsNs: Float64Array.from(bounds), util: Float64Array.from(utils), prefix, totalNs };
}

/** The lowest mean utilization over every window of exactly `windowNs` (the whole session's mean past its length). */
export function mmuAt(u: Utilization, windowNs: number): number {
  const { boundsNs: x, util, prefix, totalNs } = u;
  const m = util.length;
  if (m === 0 || totalNs <= 0) return 1;
  if (windowNs >= totalNs) return (prefix[m] as number) / totalNs;
  if (windowNs <= 0) return util.reduce((low, value) => Math.min(low, value), 1);
  // F(t) from the segment the cursor is on.
  const integral = (segment: number, t: number) =>
    segment >= m
      ? (prefix[m] as number)
      : (prefix[segment] as number) + (util[segment] as number) * (t - (x[segment] as number));

  let lowest = 1;
  // Windows whose left edge sits on a breakpoint.
  let right = 0;
  for (let i = 0; i <= m && (x[i] as number) + windowNs <= totalNs; i++) {
    const edge = (x[i] as number) + windowNs;
    while (right < m && (x[right + 1] as number) <= edge) right++;
    lowest = Math.min(lowest, (integral(right, edge) - (prefix[i] as number)) / windowNs);
  }
  // Windows whose right edge sits on a breakpoint.
  let left = 0;
  for (let j = 0; j <= m; j++) {
    const edge = (x[j] as number) - windowNs;
    if (edge < 0) continue;
    while (left < m && (x[left + 1] as number) <= edge) left++;
    lowest = Math.min(lowest, ((prefix[j] as number) - integral(left, edge)) / windowNs);
  }
  return Math.min(1, Math.max(0, lowest));
}

export interface MmuPoint {
  windowNs: number;
  /** The minimum over windows of exactly windowNs. */
  exact: number;
  /** The curve drawn: the lowest `exact` at this size or any larger one computed (never falls as w grows). */
  mmu: number;
}

export const MMU_MIN_WINDOW_NS = 10_000;
const POINTS_PER_DECADE = 20;

/** Window sizes log-spaced from `minWindowNs` (10 µs) to the session's length, both included. */
export function mmuWindowsNs(totalNs: number, minWindowNs = MMU_MIN_WINDOW_NS): number[] {
  if (totalNs <= 0) return [];
  if (totalNs <= minWindowNs) return [totalNs];
  const steps = Math.max(1, Math.ceil(Math.log10(totalNs / minWindowNs) * POINTS_PER_DECADE));
  const sizes: number[] = [];
  for (let k = 0; k < steps; k++) sizes.push(minWindowNs * (totalNs / minWindowNs) ** (k / steps));
  sizes.push(totalNs);
  return sizes;
}

export function mmuCurve(u: Utilization, windowsNs: readonly number[] = mmuWindowsNs(u.totalNs)): MmuPoint[] {
  const points = windowsNs.map((windowNs) => {
    const exact = mmuAt(u, windowNs);
    return { windowNs, exact, mmu: exact };
  });
  for (let i = points.length - 2; i >= 0; i--) {
    const point = points[i] as MmuPoint;
    point.mmu = Math.min(point.exact, (points[i + 1] as MmuPoint).mmu);
  }
  return points;
}
