/**
 * A scenario compiled for the event loop: goroutines, allocation sites and rings as flat arrays,
 * and the seeded choices of which site allocates next and how big.
 *
 *  1. Goroutines are numbered kind by kind in scenario order; goroutine g runs on P g mod procs
 *     (goroutines do not migrate: the P decides which mcache serves them) and allocates at
 *     allocBytesPerSec / count of its kind.
 *  2. pickSite: while a kind has a `prefill` ring that is not yet full, its goroutines allocate
 *     only into that ring (rings in site order); afterwards a site is drawn by weight.
 *  3. pickSize: a fixed size, or an integer drawn uniformly from [minBytes, maxBytes].
 *  4. Each ring site owns a ring: a heap object of `slots` pointer fields (`[]*T`, 8 B a slot)
 *     allocated before the first goroutine runs and referenced from a global root slot; ringCursor
 *     is the slot the next object replaces.
 */
import { assertNever } from './assert';
import type { Prng } from './prng';
import type { Scenario } from './scenario';

export const LIFETIME_YOUNG = 0;
export const LIFETIME_RING = 1;
export const LIFETIME_FOREVER = 2;
/** Lifetime kinds as stored in siteLifetime. */
export type LifetimeCode = typeof LIFETIME_YOUNG | typeof LIFETIME_RING | typeof LIFETIME_FOREVER;

export class Workload {
  readonly goroutineCount: number;
  /** Per goroutine: its kind. */
  readonly goroutineKind: Int32Array;
  /** Per goroutine: allocation rate, bytes per second of virtual time. */
  readonly goroutineRateBytesPerSec: Float64Array;
  /** Per goroutine: expected bytes per allocation of its kind (weighted mean over its sites). */
  readonly goroutineMeanSizeBytes: Float64Array;

  /** Per kind: its sites are [kindSiteStart, kindSiteEnd). */
  readonly kindSiteStart: Int32Array;
  readonly kindSiteEnd: Int32Array;
  readonly kindTotalWeight: Float64Array;
  /** Per kind: the first site that may still need prefilling (an index ≥ kindSiteEnd = none left). */
  private readonly kindPrefillCursor: Int32Array;

  readonly siteCount: number;
  /** Cumulative weight within the kind, for the weighted draw. */
  private readonly siteCumulativeWeight: Float64Array;
  readonly siteFixedSize: Uint8Array;
  readonly siteMinBytes: Int32Array;
  readonly siteMaxBytes: Int32Array;
  readonly sitePointerFields: Int32Array;
  readonly siteEscapes: Uint8Array;
  readonly siteLifetime: Uint8Array;
  readonly siteRingSlots: Int32Array;
  readonly siteRingPrefill: Uint8Array;
  /** Ring state (ring sites only), set by the simulation: the ring object, and its next slot. */
  readonly siteRingObject: Int32Array;
  readonly siteRingCursor: Int32Array;
  /** Objects stored so far, saturating at slots (a ring is full once it has wrapped). */
  readonly siteRingFilled: Int32Array;

  constructor(scenario: Scenario) {
    const kinds = scenario.goroutines;
    this.goroutineCount = kinds.reduce((n, kind) => n + kind.count, 0);
    this.siteCount = kinds.reduce((n, kind) => n + kind.sites.length, 0);
    this.goroutineKind = new Int32Array(this.goroutineCount);
    this.goroutineRateBytesPerSec = new Float64Array(this.goroutineCount);
    this.goroutineMeanSizeBytes = new Float64Array(this.goroutineCount);
    this.kindSiteStart = new Int32Array(kinds.length);
    this.kindSiteEnd = new Int32Array(kinds.length);
    this.kindTotalWeight = new Float64Array(kinds.length);
    this.kindPrefillCursor = new Int32Array(kinds.length);
    const n = this.siteCount;
    this.siteCumulativeWeight = new Float64Array(n);
    this.siteFixedSize = new Uint8Array(n);
    this.siteMinBytes = new Int32Array(n);
    this.siteMaxBytes = new Int32Array(n);
    this.sitePointerFields = new Int32Array(n);
    this.siteEscapes = new Uint8Array(n);
    this.siteLifetime = new Uint8Array(n);
    this.siteRingSlots = new Int32Array(n);
    this.siteRingPrefill = new Uint8Array(n);
    this.siteRingObject = new Int32Array(n).fill(-1);
    this.siteRingCursor = new Int32Array(n);
    this.siteRingFilled = new Int32Array(n);

    let site = 0;
    let goroutine = 0;
    kinds.forEach((kind, k) => {
      this.kindSiteStart[k] = site;
      this.kindPrefillCursor[k] = site;
      let cumulative = 0;
      let weightedSize = 0;
      for (const s of kind.sites) {
        cumulative += s.weight;
        this.siteCumulativeWeight[site] = cumulative;
        switch (s.size.kind) {
          case 'fixed':
            this.siteFixedSize[site] = 1;
            this.siteMinBytes[site] = s.size.bytes;
            this.siteMaxBytes[site] = s.size.bytes;
            break;
          case 'uniform':
            this.siteMinBytes[site] = s.size.minBytes;
            this.siteMaxBytes[site] = s.size.maxBytes;
            break;
          default:
            assertNever(s.size, 'size distribution');
        }
        weightedSize += (s.weight * (this.siteMinBytes[site]! + this.siteMaxBytes[site]!)) / 2;
        this.sitePointerFields[site] = s.pointerFields;
        this.siteEscapes[site] = s.escapes ? 1 : 0;
        switch (s.lifetime.kind) {
          case 'young':
            this.siteLifetime[site] = LIFETIME_YOUNG;
            break;
          case 'ring':
            this.siteLifetime[site] = LIFETIME_RING;
            this.siteRingSlots[site] = s.lifetime.slots;
            this.siteRingPrefill[site] = s.lifetime.prefill && s.escapes ? 1 : 0;
            break;
          case 'forever':
            this.siteLifetime[site] = LIFETIME_FOREVER;
            break;
          default:
            assertNever(s.lifetime, 'lifetime');
        }
        site++;
      }
      this.kindSiteEnd[k] = site;
      this.kindTotalWeight[k] = cumulative;
      const meanSize = cumulative > 0 ? weightedSize / cumulative : 0;
      for (let i = 0; i < kind.count; i++) {
        this.goroutineKind[goroutine] = k;
        this.goroutineRateBytesPerSec[goroutine] = kind.allocBytesPerSec / kind.count;
        this.goroutineMeanSizeBytes[goroutine] = meanSize;
        goroutine++;
      }
    });
  }

  /** Whether a ring site's objects go to the heap (a non-escaping ring site keeps nothing). */
  hasHeapRing(site: number): boolean {
    return this.siteLifetime[site] === LIFETIME_RING && this.siteEscapes[site] === 1;
  }

  pickSite(kind: number, prng: Prng): number {
    const end = this.kindSiteEnd[kind]!;
    let cursor = this.kindPrefillCursor[kind]!;
    while (cursor < end) {
      if (this.siteRingPrefill[cursor] === 1 && this.siteRingFilled[cursor]! < this.siteRingSlots[cursor]!) {
        this.kindPrefillCursor[kind] = cursor;
        return cursor;
      }
      cursor++;
    }
    this.kindPrefillCursor[kind] = end;
    const start = this.kindSiteStart[kind]!;
    const draw = prng.nextFloat() * this.kindTotalWeight[kind]!;
    const cumulative = this.siteCumulativeWeight;
    let lo = start;
    let hi = end - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! <= draw) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  lifetimeOf(site: number): LifetimeCode {
    return this.siteLifetime[site] as LifetimeCode;
  }

  pickSize(site: number, prng: Prng): number {
    const min = this.siteMinBytes[site]!;
    return this.siteFixedSize[site] === 1 ? min : prng.nextInt(min, this.siteMaxBytes[site]!);
  }
}
