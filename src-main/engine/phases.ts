/**
 * A goroutine kind's rate schedule: the factor its allocBytesPerSec is multiplied by at each
 * virtual time, from the scenario's `phases`.
 *
 *  1. Phases play in order from t = 0, each for its `ms`. After the last one the schedule repeats
 *     (`repeatPhases`) or holds the factor the last phase ended on.
 *  2. constant: its factor. ramp: linear from `from` to `to`. step: `factors` in turn, each for
 *     ms / n. oscillate: min + (max − min)·(1 + sin(2π·t / periodMs)) / 2, from the midpoint going
 *     up. random: a factor drawn uniformly from [min, max] for every `intervalMs`, a pure function
 *     of (seed, kind, phase, repetition, interval): the draws do not depend on when, or how often,
 *     the schedule is asked.
 *  3. A factor of 0 is idle time: wakeNs says when a goroutine that found its rate at 0 should look
 *     again (the end of the idle constant, step level or random interval; a short poll inside a
 *     ramp or a sine that touches 0; never, once a held final factor is 0).
 *
 * The sine is a polynomial of +, −, × and ÷ only, so a session replays bit for bit on any
 * IEEE-754 machine (Math.sin is not specified to be identical across engines).
 */
import { assertNever } from './assert';
import type { Phase } from './scenario';

const NS_PER_MS = 1e6;
/** Inside a ramp or sine at 0, look again after this share of the phase (or period). */
const IDLE_POLL_FRACTION = 1 / 1000;

/** sin(2π·turns), accurate to ~1e-6: range reduction to [0, ¼] turn and a degree-11 Taylor polynomial. */
export function sineOfTurns(turns: number): number {
  let x = turns - Math.floor(turns);
  let sign = 1;
  if (x >= 0.5) {
    x -= 0.5;
    sign = -1;
  }
  if (x > 0.25) x = 0.5 - x;
  const theta = 2 * Math.PI * x;
  const t2 = theta * theta;
  const series = 1 - (t2 / 6) * (1 - (t2 / 20) * (1 - (t2 / 42) * (1 - (t2 / 72) * (1 - t2 / 110))));
  return sign * theta * series;
}

/** A uniform draw in [0, 1) from four integers (murmur3's finaliser over a running hash). */
export function hashUnit(a: number, b: number, c: number, d: number): number {
  const h = fmix(fmix(fmix(fmix(0x9e37_79b9 ^ a) ^ b) ^ c) ^ d);
  return h / 0x1_0000_0000;
}

function fmix(value: number): number {
  let h = Math.imul(value ^ (value >>> 16), 0x85eb_ca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class RateSchedule {
  private readonly phases: readonly Phase[];
  /** Start of each phase within one play of the schedule, ns. */
  private readonly startNs: Float64Array;
  readonly totalNs: number;
  private readonly repeat: boolean;
  private readonly seed: number;
  private readonly kind: number;

  constructor(phases: readonly Phase[], repeat: boolean, seed: number, kind: number) {
    this.phases = phases;
    this.startNs = new Float64Array(phases.length);
    let t = 0;
    phases.forEach((phase, i) => {
      this.startNs[i] = t;
      t += phase.ms * NS_PER_MS;
    });
    this.totalNs = t;
    this.repeat = repeat;
    this.seed = seed;
    this.kind = kind;
  }

  factorAt(tNs: number): number {
    if (tNs >= this.totalNs && !this.repeat) {
      const last = this.phases.length - 1;
      return this.factorIn(last, this.phases[last]!.ms * NS_PER_MS, 0);
    }
    const repetition = Math.floor(tNs / this.totalNs);
    const local = tNs - repetition * this.totalNs;
    const i = this.phaseAt(local);
    return this.factorIn(i, local - this.startNs[i]!, repetition);
  }

  /** When a goroutine whose factor is 0 at tNs should look again (> tNs); Infinity = never. */
  wakeNs(tNs: number): number {
    if (tNs >= this.totalNs && !this.repeat) return this.factorAt(tNs) > 0 ? tNs : Infinity;
    const repetition = Math.floor(tNs / this.totalNs);
    const base = repetition * this.totalNs;
    const local = tNs - base;
    const i = this.phaseAt(local);
    const phase = this.phases[i]!;
    const start = base + this.startNs[i]!;
    const end = start + phase.ms * NS_PER_MS;
    let wake: number;
    switch (phase.kind) {
      case 'constant':
        wake = end;
        break;
      case 'step': {
        const levelNs = (phase.ms * NS_PER_MS) / phase.factors.length;
        wake = start + (Math.floor((tNs - start) / levelNs) + 1) * levelNs;
        break;
      }
      case 'random': {
        const intervalNs = phase.intervalMs * NS_PER_MS;
        wake = Math.min(end, start + (Math.floor((tNs - start) / intervalNs) + 1) * intervalNs);
        break;
      }
      case 'ramp':
        wake = phase.to > phase.from ? tNs + phase.ms * NS_PER_MS * IDLE_POLL_FRACTION : end;
        break;
      case 'oscillate':
        wake = phase.max > 0 ? tNs + phase.periodMs * NS_PER_MS * IDLE_POLL_FRACTION : end;
        break;
      default:
        assertNever(phase, 'phase');
    }
    return Math.max(Math.ceil(wake), tNs + 1);
  }

  /** The last phase starting at or before `localNs` (binary search; phases are few but steps many). */
  private phaseAt(localNs: number): number {
    let lo = 0;
    let hi = this.phases.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.startNs[mid]! <= localNs) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private factorIn(i: number, intoNs: number, repetition: number): number {
    const phase = this.phases[i]!;
    const lengthNs = phase.ms * NS_PER_MS;
    switch (phase.kind) {
      case 'constant':
        return phase.factor;
      case 'ramp':
        return phase.from + ((phase.to - phase.from) * Math.min(intoNs, lengthNs)) / lengthNs;
      case 'step': {
        const n = phase.factors.length;
        return phase.factors[Math.min(n - 1, Math.floor((intoNs * n) / lengthNs))]!;
      }
      case 'oscillate':
        return (
          phase.min + ((phase.max - phase.min) * (1 + sineOfTurns(intoNs / (phase.periodMs * NS_PER_MS)))) / 2
        );
      case 'random': {
        const intervalNs = phase.intervalMs * NS_PER_MS;
        const last = Math.max(0, Math.ceil(lengthNs / intervalNs) - 1);
        const k = Math.min(last, Math.floor(intoNs / intervalNs));
        return phase.min + (phase.max - phase.min) * hashUnit(this.seed, this.kind * 1024 + i, repetition, k);
      }
      default:
        assertNever(phase, 'phase');
    }
  }
}
