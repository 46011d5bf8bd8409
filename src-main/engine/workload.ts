/**
 * A scenario compiled for the event loop: goroutines, allocation sites, pools and rings as flat
 * arrays, and the seeded choices of which site allocates next and how big.
 *
 *  1. Goroutines are numbered kind by kind in scenario order; goroutine g runs on P g mod procs
 *     (goroutines do not migrate: the P decides which mcache serves them) and requests
 *     allocBytesPerSec / count of its kind, times the kind's rate schedule (phases.ts).
 *  2. pickSite: while a kind has a `prefill` ring that is not yet full, its goroutines allocate
 *     only into that ring (rings in site order); afterwards a site is drawn by weight.
 *  3. Sizes come from "size sources": sites [0, siteCount) and then pools (a pool's New). pickSize
 *     returns a fixed size, an integer drawn uniformly from [minBytes, maxBytes], or one of a
 *     weighted list of sizes (binary search over cumulative weights).
 *  4. Each ring site owns a ring: a heap object of `slots` pointer fields (`[]*T`, 8 B a slot)
 *     allocated before the first goroutine runs and referenced from a global root slot; ringCursor
 *     is the slot the next object replaces. A batch site's batches are per goroutine (batchIndex
 *     numbers the kind's batch sites).
 *  5. Per site, the escape split is counted as it happens: heap allocations and bytes, stack
 *     allocations and bytes (requested bytes; one per object, so a structure counts each node).
 */
import { assertNever } from './assert';
import { RateSchedule } from './phases';
import type { Prng } from './prng';
import type { Scenario, ScriptOp, SizeDistribution } from './scenario';
import { treeNodes } from './structure';

export const LIFETIME_YOUNG = 0;
export const LIFETIME_RING = 1;
export const LIFETIME_FOREVER = 2;
export const LIFETIME_HELD = 3;
export const LIFETIME_BATCH = 4;
/** Lifetime kinds as stored in siteLifetime. */
export type LifetimeCode =
  | typeof LIFETIME_YOUNG
  | typeof LIFETIME_RING
  | typeof LIFETIME_FOREVER
  | typeof LIFETIME_HELD
  | typeof LIFETIME_BATCH;

export const STRUCTURE_SINGLE = 0;
export const STRUCTURE_LIST = 1;
export const STRUCTURE_TREE = 2;
export const STRUCTURE_CYCLE = 3;

const SIZE_FIXED = 0;
const SIZE_UNIFORM = 1;
const SIZE_WEIGHTED = 2;

const NS_PER_MS = 1e6;

export class Workload {
  readonly goroutineCount: number;
  /** Per goroutine: its kind. */
  readonly goroutineKind: Int32Array;
  /** Per goroutine: request rate before phases, bytes per second of virtual time. */
  readonly goroutineRateBytesPerSec: Float64Array;
  /** Per goroutine: expected bytes per step of its kind (weighted mean over its sites). */
  readonly goroutineMeanSizeBytes: Float64Array;

  readonly kindCount: number;
  readonly kindNames: readonly string[];
  /** Per kind: its sites are [kindSiteStart, kindSiteEnd). */
  readonly kindSiteStart: Int32Array;
  readonly kindSiteEnd: Int32Array;
  readonly kindTotalWeight: Float64Array;
  /** Per kind: 1 = sites are taken in turn (sitePick inTurn); the site whose turn it is and its picks so far. */
  readonly kindInTurn: Uint8Array;
  private readonly kindTurnSite: Int32Array;
  private readonly kindTurnPicks: Float64Array;
  /** Per kind: the first site that may still need prefilling (an index ≥ kindSiteEnd = none left). */
  private readonly kindPrefillCursor: Int32Array;
  /** Per kind: its rate schedule, or null for a constant rate. */
  readonly kindSchedule: (RateSchedule | null)[];
  /** Per kind: stack bytes per frame and the call depth range of a step. */
  readonly kindFrameBytes: Int32Array;
  readonly kindMinFrames: Int32Array;
  readonly kindMaxFrames: Int32Array;
  /** Per kind: runtime.GC() every so many requested bytes / ns per goroutine (0 = never). */
  readonly kindGcEveryBytes: Float64Array;
  readonly kindGcEveryNs: Float64Array;
  /** Per kind: bytes after which it stops requesting (Infinity = never), and bytes so far. */
  readonly kindTotalBytes: Float64Array;
  readonly kindRequestedBytes: Float64Array;
  /** Per kind: its script, or null. */
  readonly kindScript: (readonly ScriptOp[] | null)[];
  /** Per kind: its number of batch sites (each goroutine has one batch per batch site). */
  readonly kindBatchSites: Int32Array;

  readonly siteCount: number;
  readonly siteNames: readonly string[];
  readonly siteKind: Int32Array;
  /** Cumulative weight within the kind, for the weighted draw. */
  private readonly siteCumulativeWeight: Float64Array;
  readonly sitePointerFields: Int32Array;
  readonly siteEscapes: Uint8Array;
  readonly siteLifetime: Uint8Array;
  readonly siteHeldNs: Float64Array;
  readonly siteBatchObjects: Int32Array;
  /** Index of a batch site among its kind's batch sites (−1 for other sites). */
  readonly siteBatchIndex: Int32Array;
  readonly siteStructure: Uint8Array;
  /** Objects one allocation of the site creates (1 unless it builds a structure). */
  readonly siteNodes: Int32Array;
  readonly siteTreeFanout: Int32Array;
  /** Pool index of a pool site, −1 for an object site. */
  readonly sitePool: Int32Array;
  readonly sitePutPercent: Float64Array;
  readonly siteRingSlots: Int32Array;
  /** Bytes per ring entry (8 unless the scenario says otherwise). */
  readonly siteRingSlotBytes: Int32Array;
  /** Entries a full ring's cursor advances per object (Lifetime ring's stride; 1 = the oldest). */
  readonly siteRingStride: Int32Array;
  readonly siteRingPrefill: Uint8Array;
  /** Ring state (ring sites only), set by the simulation: the ring object, and its next slot. */
  readonly siteRingObject: Int32Array;
  readonly siteRingCursor: Int32Array;
  /** Objects stored so far, saturating at slots (a ring is full once it has wrapped). */
  readonly siteRingFilled: Int32Array;
  /** Escape split, cumulative (file comment, 5). */
  readonly siteHeapAllocs: Float64Array;
  readonly siteHeapBytes: Float64Array;
  readonly siteStackAllocs: Float64Array;
  readonly siteStackBytes: Float64Array;

  readonly poolCount: number;
  readonly poolNames: readonly string[];
  readonly poolPointerFields: Int32Array;

  /** Size sources: sites, then pools (file comment, 3). */
  private readonly sizeKind: Uint8Array;
  private readonly sizeMinBytes: Int32Array;
  private readonly sizeMaxBytes: Int32Array;
  private readonly sizeWeightedStart: Int32Array;
  private readonly sizeWeightedEnd: Int32Array;
  private readonly weightedBytes: Int32Array;
  private readonly weightedCumulative: Float64Array;

  constructor(scenario: Scenario, seed = 0) {
    const kinds = scenario.goroutines;
    const pools = scenario.pools ?? [];
    this.kindCount = kinds.length;
    this.kindNames = kinds.map((k) => k.name);
    this.goroutineCount = kinds.reduce((n, kind) => n + kind.count, 0);
    this.siteCount = kinds.reduce((n, kind) => n + kind.sites.length, 0);
    this.poolCount = pools.length;
    this.poolNames = pools.map((p) => p.name);
    this.poolPointerFields = Int32Array.from(pools, (p) => p.pointerFields);
    const poolIndex = new Map(pools.map((p, i) => [p.name, i]));

    this.goroutineKind = new Int32Array(this.goroutineCount);
    this.goroutineRateBytesPerSec = new Float64Array(this.goroutineCount);
    this.goroutineMeanSizeBytes = new Float64Array(this.goroutineCount);
    const k = kinds.length;
    this.kindSiteStart = new Int32Array(k);
    this.kindSiteEnd = new Int32Array(k);
    this.kindTotalWeight = new Float64Array(k);
    this.kindInTurn = Uint8Array.from(kinds, (kind) => (kind.sitePick === 'inTurn' ? 1 : 0));
    this.kindTurnSite = new Int32Array(k);
    this.kindTurnPicks = new Float64Array(k);
    this.kindPrefillCursor = new Int32Array(k);
    this.kindSchedule = kinds.map((kind, i) =>
      kind.phases === undefined ? null : new RateSchedule(kind.phases, kind.repeatPhases ?? false, seed, i),
    );
    this.kindFrameBytes = Int32Array.from(kinds, (kind) => kind.stack?.frameBytes ?? 0);
    this.kindMinFrames = Int32Array.from(kinds, (kind) => {
      const depth = kind.stack?.depth;
      return depth === undefined ? 0 : depth.kind === 'fixed' ? depth.frames : depth.minFrames;
    });
    this.kindMaxFrames = Int32Array.from(kinds, (kind) => {
      const depth = kind.stack?.depth;
      return depth === undefined ? 0 : depth.kind === 'fixed' ? depth.frames : depth.maxFrames;
    });
    this.kindGcEveryBytes = Float64Array.from(kinds, (kind) => kind.runtimeGC?.everyBytes ?? 0);
    this.kindGcEveryNs = Float64Array.from(kinds, (kind) => (kind.runtimeGC?.everyMs ?? 0) * NS_PER_MS);
    this.kindTotalBytes = Float64Array.from(kinds, (kind) => kind.totalBytes ?? Infinity);
    this.kindRequestedBytes = new Float64Array(k);
    this.kindScript = kinds.map((kind) => kind.script ?? null);
    this.kindBatchSites = new Int32Array(k);

    const n = this.siteCount;
    const sources = n + pools.length;
    this.siteNames = kinds.flatMap((kind) => kind.sites.map((s) => s.name));
    this.siteKind = new Int32Array(n);
    this.siteCumulativeWeight = new Float64Array(n);
    this.sitePointerFields = new Int32Array(n);
    this.siteEscapes = new Uint8Array(n);
    this.siteLifetime = new Uint8Array(n);
    this.siteHeldNs = new Float64Array(n);
    this.siteBatchObjects = new Int32Array(n);
    this.siteBatchIndex = new Int32Array(n).fill(-1);
    this.siteStructure = new Uint8Array(n);
    this.siteNodes = new Int32Array(n).fill(1);
    this.siteTreeFanout = new Int32Array(n);
    this.sitePool = new Int32Array(n).fill(-1);
    this.sitePutPercent = new Float64Array(n).fill(100);
    this.siteRingSlots = new Int32Array(n);
    this.siteRingSlotBytes = new Int32Array(n);
    this.siteRingStride = new Int32Array(n).fill(1);
    this.siteRingPrefill = new Uint8Array(n);
    this.siteRingObject = new Int32Array(n).fill(-1);
    this.siteRingCursor = new Int32Array(n);
    this.siteRingFilled = new Int32Array(n);
    this.siteHeapAllocs = new Float64Array(n);
    this.siteHeapBytes = new Float64Array(n);
    this.siteStackAllocs = new Float64Array(n);
    this.siteStackBytes = new Float64Array(n);

    this.sizeKind = new Uint8Array(sources);
    this.sizeMinBytes = new Int32Array(sources);
    this.sizeMaxBytes = new Int32Array(sources);
    this.sizeWeightedStart = new Int32Array(sources);
    this.sizeWeightedEnd = new Int32Array(sources);
    const weightedBytes: number[] = [];
    const weightedCumulative: number[] = [];
    const sizeMeans = new Float64Array(sources);
    const compileSize = (source: number, size: SizeDistribution): void => {
      switch (size.kind) {
        case 'fixed':
          this.sizeKind[source] = SIZE_FIXED;
          this.sizeMinBytes[source] = size.bytes;
          this.sizeMaxBytes[source] = size.bytes;
          sizeMeans[source] = size.bytes;
          break;
        case 'uniform':
          this.sizeKind[source] = SIZE_UNIFORM;
          this.sizeMinBytes[source] = size.minBytes;
          this.sizeMaxBytes[source] = size.maxBytes;
          sizeMeans[source] = (size.minBytes + size.maxBytes) / 2;
          break;
        case 'weighted': {
          this.sizeKind[source] = SIZE_WEIGHTED;
          this.sizeWeightedStart[source] = weightedBytes.length;
          let cumulative = 0;
          let weighted = 0;
          for (const s of size.sizes) {
            cumulative += s.weight;
            weighted += s.weight * s.bytes;
            weightedBytes.push(s.bytes);
            weightedCumulative.push(cumulative);
          }
          this.sizeWeightedEnd[source] = weightedBytes.length;
          sizeMeans[source] = cumulative > 0 ? weighted / cumulative : 0;
          break;
        }
        default:
          assertNever(size, 'size distribution');
      }
    };
    pools.forEach((pool, i) => compileSize(n + i, pool.size));

    let site = 0;
    let goroutine = 0;
    kinds.forEach((kind, kindIndex) => {
      this.kindSiteStart[kindIndex] = site;
      this.kindPrefillCursor[kindIndex] = site;
      this.kindTurnSite[kindIndex] = site;
      let cumulative = 0;
      let weightedSize = 0;
      let batchSites = 0;
      for (const s of kind.sites) {
        this.siteKind[site] = kindIndex;
        cumulative += s.weight;
        this.siteCumulativeWeight[site] = cumulative;
        let meanBytes: number;
        if (s.pool !== undefined) {
          const pool = poolIndex.get(s.pool)!;
          this.sitePool[site] = pool;
          this.sitePutPercent[site] = s.putPercent ?? 100;
          this.siteEscapes[site] = 1;
          meanBytes = sizeMeans[n + pool]!;
        } else {
          compileSize(site, s.size);
          this.sitePointerFields[site] = s.pointerFields;
          this.siteEscapes[site] = s.escapes ? 1 : 0;
          const structure = s.structure ?? { kind: 'single' };
          switch (structure.kind) {
            case 'single':
              break;
            case 'list':
              this.siteStructure[site] = STRUCTURE_LIST;
              this.siteNodes[site] = structure.nodes;
              break;
            case 'cycle':
              this.siteStructure[site] = STRUCTURE_CYCLE;
              this.siteNodes[site] = structure.nodes;
              break;
            case 'tree':
              this.siteStructure[site] = STRUCTURE_TREE;
              this.siteNodes[site] = treeNodes(structure.fanout, structure.depth);
              this.siteTreeFanout[site] = structure.fanout;
              break;
            default:
              assertNever(structure, 'structure');
          }
          meanBytes = sizeMeans[site]! * this.siteNodes[site]!;
        }
        weightedSize += s.weight * meanBytes;
        const lifetime = s.lifetime;
        switch (lifetime.kind) {
          case 'young':
            this.siteLifetime[site] = LIFETIME_YOUNG;
            break;
          case 'held':
            this.siteLifetime[site] = LIFETIME_HELD;
            this.siteHeldNs[site] = lifetime.ms * NS_PER_MS;
            break;
          case 'ring':
            this.siteLifetime[site] = LIFETIME_RING;
            this.siteRingSlots[site] = lifetime.slots;
            this.siteRingSlotBytes[site] = lifetime.slotBytes ?? 8;
            this.siteRingStride[site] = (lifetime.stride ?? 1) % lifetime.slots;
            this.siteRingPrefill[site] = lifetime.prefill && this.siteEscapes[site] === 1 ? 1 : 0;
            break;
          case 'forever':
            this.siteLifetime[site] = LIFETIME_FOREVER;
            break;
          case 'batch':
            this.siteLifetime[site] = LIFETIME_BATCH;
            this.siteBatchObjects[site] = lifetime.objects;
            this.siteBatchIndex[site] = batchSites++;
            break;
          default:
            assertNever(lifetime, 'lifetime');
        }
        site++;
      }
      this.kindSiteEnd[kindIndex] = site;
      this.kindTotalWeight[kindIndex] = cumulative;
      this.kindBatchSites[kindIndex] = batchSites;
      const meanSize = cumulative > 0 ? weightedSize / cumulative : 0;
      for (let i = 0; i < kind.count; i++) {
        this.goroutineKind[goroutine] = kindIndex;
        this.goroutineRateBytesPerSec[goroutine] = kind.allocBytesPerSec / kind.count;
        this.goroutineMeanSizeBytes[goroutine] = meanSize;
        goroutine++;
      }
    });
    this.weightedBytes = Int32Array.from(weightedBytes);
    this.weightedCumulative = Float64Array.from(weightedCumulative);
  }

  /** Whether a ring site's objects go to the heap (a non-escaping ring site keeps nothing). */
  hasHeapRing(site: number): boolean {
    return this.siteLifetime[site] === LIFETIME_RING && this.siteEscapes[site] === 1;
  }

  /** Whether the kind draws sites by weight once its script (if any) is done. */
  drawsSites(kind: number): boolean {
    return this.kindTotalWeight[kind]! > 0;
  }

  /** The site of `kind` called `name` (script ops name sites), or −1. */
  siteNamed(kind: number, name: string): number {
    for (let s = this.kindSiteStart[kind]!; s < this.kindSiteEnd[kind]!; s++) {
      if (this.siteNames[s] === name) return s;
    }
    return -1;
  }

  poolNamed(name: string): number {
    return this.poolNames.indexOf(name);
  }

  /** Rate factor of `kind` at tNs (1 without phases). */
  rateFactor(kind: number, tNs: number): number {
    const schedule = this.kindSchedule[kind]!;
    return schedule === null ? 1 : schedule.factorAt(tNs);
  }

  /** Set by pickSite: the site was picked to prefill its ring (the program's warm-up). */
  lastPickPrefill = false;

  pickSite(kind: number, prng: Prng): number {
    const end = this.kindSiteEnd[kind]!;
    let cursor = this.kindPrefillCursor[kind]!;
    if (cursor < end) {
      while (cursor < end) {
        if (
          this.siteRingPrefill[cursor] === 1 &&
          this.siteRingFilled[cursor]! < this.siteRingSlots[cursor]!
        ) {
          this.kindPrefillCursor[kind] = cursor;
          this.lastPickPrefill = true;
          return cursor;
        }
        cursor++;
      }
      this.kindPrefillCursor[kind] = end;
    }
    this.lastPickPrefill = false;
    if (this.kindInTurn[kind] === 1) return this.siteInTurn(kind);
    const start = this.kindSiteStart[kind]!;
    const draw = prng.nextFloat() * this.kindTotalWeight[kind]!;
    return upperBound(this.siteCumulativeWeight, start, end - 1, draw);
  }

  /** sitePick inTurn: the current site until it has had `weight` picks, then the next with a weight. */
  private siteInTurn(kind: number): number {
    const start = this.kindSiteStart[kind]!;
    const end = this.kindSiteEnd[kind]!;
    const cumulative = this.siteCumulativeWeight;
    let site = this.kindTurnSite[kind]!;
    let picks = this.kindTurnPicks[kind]!;
    // At most one pass over the sites: a kind that picks has a site of weight ≥ 1 (validated).
    for (let tried = 0; tried <= end - start; tried++) {
      const weight = cumulative[site]! - (site > start ? cumulative[site - 1]! : 0);
      if (picks < weight) break;
      site = site + 1 === end ? start : site + 1;
      picks = 0;
    }
    this.kindTurnSite[kind] = site;
    this.kindTurnPicks[kind] = picks + 1;
    return site;
  }

  lifetimeOf(site: number): LifetimeCode {
    return this.siteLifetime[site] as LifetimeCode;
  }

  /** A size from site `site`'s distribution. */
  pickSize(site: number, prng: Prng): number {
    return this.drawSize(site, prng);
  }

  /** A size for an object pool `pool`'s New allocates. */
  pickPoolSize(pool: number, prng: Prng): number {
    return this.drawSize(this.siteCount + pool, prng);
  }

  private drawSize(source: number, prng: Prng): number {
    switch (this.sizeKind[source]) {
      case SIZE_FIXED:
        return this.sizeMinBytes[source]!;
      case SIZE_UNIFORM:
        return prng.nextInt(this.sizeMinBytes[source]!, this.sizeMaxBytes[source]!);
      default: {
        const start = this.sizeWeightedStart[source]!;
        const end = this.sizeWeightedEnd[source]! - 1;
        const draw = prng.nextFloat() * this.weightedCumulative[end]!;
        return this.weightedBytes[upperBound(this.weightedCumulative, start, end, draw)]!;
      }
    }
  }
}

/**
 * The ring entry the next object goes to, after one was stored at `cursor` with `filled` entries
 * stored before it: while the ring fills, the next entry (wrapping to 0 as it becomes full); once
 * full, `stride` entries on (stride < slots), so the k-th object after goes to (k · stride) mod slots.
 */
export function nextRingEntry(cursor: number, filled: number, slots: number, stride: number): number {
  if (filled < slots) return cursor + 1 === slots ? 0 : cursor + 1;
  const next = cursor + stride;
  return next >= slots ? next - slots : next;
}

/** The first index in [lo, hi] whose cumulative weight exceeds `draw` (hi if none). */
function upperBound(cumulative: Float64Array, lo: number, hi: number, draw: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! <= draw) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
