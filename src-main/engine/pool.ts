/**
 * sync.Pool as Go ≥ 1.13 implements it (reference §5, sync/pool.go and poolqueue.go):
 *
 *  1. Each P has a private slot and a shared chain (a deque: the owning P pushes and pops at the
 *     head, other Ps steal from the tail).
 *  2. Put(x) on P p: into p's private slot if it is empty, else onto the head of p's shared chain.
 *  3. Get() on P p: take p's private slot; else pop the head of p's shared chain; else (getSlow)
 *     steal from the tail of the shared chains of p+1, p+2, … (mod GOMAXPROCS); else look in the
 *     victim cache: p's victim private slot, then the victim shared chains' tails from p on; if
 *     that finds nothing too, the victim cache is marked empty (victimSize = 0) and not searched
 *     again until the next GC. Nothing anywhere is a miss: the caller runs New.
 *  4. cleanup() is poolCleanup, run in every GC's stop-the-world sweep termination: the victim
 *     cache's objects are dropped, the primary cache becomes the victim cache, and the primary
 *     starts empty. An object Put before GC n therefore survives GC n in the victim cache and is
 *     dropped at GC n + 1 unless a Get took it first.
 *  5. Pooled objects are reachable (allPools / oldPools are globals): each one is held in a global
 *     root slot for as long as it sits in the pool (the RootStore the simulation passes in).
 *
 * Counters are cumulative: gets = hitsPrivate + hitsShared + hitsStolen + hitsVictim + misses.
 * The deques' own backing arrays (8 slots, doubling) are runtime metadata and not allocated here.
 * Go's race-detector behaviour (dropping a quarter of Puts) is not modelled.
 */
import { NIL } from './heap';

/** Where the pool keeps its objects: root slots that the collector marks from. */
export interface PoolRootStore {
  /** Keep `objectId` in a new global root slot; returns the slot. */
  hold(objectId: number): number;
  /** Clear and free a slot made by hold; returns the object it held. */
  release(slot: number): number;
}

/** A growable ring buffer of root slots: push/pop at the head, pop at the tail. */
export class SlotDeque {
  private buffer = new Int32Array(8);
  private tail = 0;
  length = 0;

  pushHead(slot: number): void {
    if (this.length === this.buffer.length) this.grow();
    this.buffer[(this.tail + this.length) % this.buffer.length] = slot;
    this.length++;
  }

  /** NIL when empty. */
  popHead(): number {
    if (this.length === 0) return NIL;
    this.length--;
    return this.buffer[(this.tail + this.length) % this.buffer.length]!;
  }

  /** NIL when empty. */
  popTail(): number {
    if (this.length === 0) return NIL;
    const slot = this.buffer[this.tail]!;
    this.tail = (this.tail + 1) % this.buffer.length;
    this.length--;
    return slot;
  }

  /** The i-th slot from the tail (0 = the oldest). */
  at(i: number): number {
    return this.buffer[(this.tail + i) % this.buffer.length]!;
  }

  private grow(): void {
    const grown = new Int32Array(this.buffer.length * 2);
    for (let i = 0; i < this.length; i++) grown[i] = this.at(i);
    this.buffer = grown;
    this.tail = 0;
  }
}

/** Which cache a Get was served from (lastSource). */
export const POOL_HIT_PRIVATE = 0;
export const POOL_HIT_SHARED = 1;
export const POOL_HIT_STOLEN = 2;
export const POOL_HIT_VICTIM = 3;
export const POOL_MISS = 4;
export type PoolSource =
  | typeof POOL_HIT_PRIVATE
  | typeof POOL_HIT_SHARED
  | typeof POOL_HIT_STOLEN
  | typeof POOL_HIT_VICTIM
  | typeof POOL_MISS;

/** One generation of the pool's per-P caches (the primary `local`, or the `victim`). */
interface PoolCaches {
  /** Per P: the root slot of its private object, or NIL. */
  privateSlot: Int32Array;
  shared: SlotDeque[];
}

function emptyCaches(procs: number): PoolCaches {
  return {
    privateSlot: new Int32Array(procs).fill(NIL),
    shared: Array.from({ length: procs }, () => new SlotDeque()),
  };
}

export class SyncPool {
  readonly name: string;
  readonly procs: number;
  private readonly store: PoolRootStore;
  private local: PoolCaches;
  private victim: PoolCaches;
  /** Go's victimSize != 0: the victim cache may still hold something. */
  private victimSearchable = false;

  gets = 0;
  hitsPrivate = 0;
  hitsShared = 0;
  hitsStolen = 0;
  hitsVictim = 0;
  misses = 0;
  puts = 0;
  /** Objects dropped with a victim cache at cleanup. */
  dropped = 0;
  /** Objects now in the pool (primary + victim). */
  objects = 0;

  /** Set by get: where it found the object, and how many other caches it probed (getSlow). */
  lastSource: PoolSource = POOL_MISS;
  lastProbes = 0;

  constructor(name: string, procs: number, store: PoolRootStore) {
    this.name = name;
    this.procs = procs;
    this.store = store;
    this.local = emptyCaches(procs);
    this.victim = emptyCaches(procs);
  }

  put(p: number, objectId: number): void {
    this.puts++;
    this.objects++;
    const slot = this.store.hold(objectId);
    if (this.local.privateSlot[p] === NIL) this.local.privateSlot[p] = slot;
    else this.local.shared[p]!.pushHead(slot);
  }

  /** The object got, or NIL for a miss (the caller runs New). */
  get(p: number): number {
    this.gets++;
    this.lastProbes = 0;
    let slot = this.local.privateSlot[p]!;
    if (slot !== NIL) {
      this.local.privateSlot[p] = NIL;
      return this.take(slot, POOL_HIT_PRIVATE);
    }
    slot = this.local.shared[p]!.popHead();
    if (slot !== NIL) return this.take(slot, POOL_HIT_SHARED);
    return this.getSlow(p);
  }

  /** poolCleanup (file comment, 4); returns the number of objects dropped. */
  cleanup(): number {
    let dropped = 0;
    const victim = this.victim;
    for (let p = 0; p < this.procs; p++) {
      const slot = victim.privateSlot[p]!;
      if (slot !== NIL) {
        this.store.release(slot);
        victim.privateSlot[p] = NIL;
        dropped++;
      }
      const shared = victim.shared[p]!;
      for (let s = shared.popTail(); s !== NIL; s = shared.popTail()) {
        this.store.release(s);
        dropped++;
      }
    }
    this.victim = this.local;
    this.local = victim;
    this.victimSearchable = true;
    this.dropped += dropped;
    this.objects -= dropped;
    return dropped;
  }

  /** Object counts by cache, for snapshots. */
  counts(): { privateObjects: number; sharedObjects: number; victimObjects: number } {
    const count = (caches: PoolCaches): [number, number] => {
      let privateObjects = 0;
      let sharedObjects = 0;
      for (let p = 0; p < this.procs; p++) {
        if (caches.privateSlot[p] !== NIL) privateObjects++;
        sharedObjects += caches.shared[p]!.length;
      }
      return [privateObjects, sharedObjects];
    };
    const [privateObjects, sharedObjects] = count(this.local);
    const [victimPrivate, victimShared] = count(this.victim);
    return { privateObjects, sharedObjects, victimObjects: victimPrivate + victimShared };
  }

  /** Root slots of every pooled object (primary, then victim), in a stable order. */
  slots(): number[] {
    const out: number[] = [];
    for (const caches of [this.local, this.victim]) {
      for (let p = 0; p < this.procs; p++) {
        if (caches.privateSlot[p] !== NIL) out.push(caches.privateSlot[p]!);
        const shared = caches.shared[p]!;
        for (let i = 0; i < shared.length; i++) out.push(shared.at(i));
      }
    }
    return out;
  }

  private getSlow(p: number): number {
    const procs = this.procs;
    for (let i = 0; i < procs; i++) {
      const owner = (p + i + 1) % procs;
      this.lastProbes++;
      const slot = this.local.shared[owner]!.popTail();
      if (slot !== NIL) return this.take(slot, owner === p ? POOL_HIT_SHARED : POOL_HIT_STOLEN);
    }
    if (this.victimSearchable) {
      this.lastProbes++;
      const privateSlot = this.victim.privateSlot[p]!;
      if (privateSlot !== NIL) {
        this.victim.privateSlot[p] = NIL;
        return this.take(privateSlot, POOL_HIT_VICTIM);
      }
      for (let i = 0; i < procs; i++) {
        this.lastProbes++;
        const slot = this.victim.shared[(p + i) % procs]!.popTail();
        if (slot !== NIL) return this.take(slot, POOL_HIT_VICTIM);
      }
      this.victimSearchable = false;
    }
    this.misses++;
    this.lastSource = POOL_MISS;
    return NIL;
  }

  private take(slot: number, source: PoolSource): number {
    switch (source) {
      case POOL_HIT_PRIVATE:
        this.hitsPrivate++;
        break;
      case POOL_HIT_SHARED:
        this.hitsShared++;
        break;
      case POOL_HIT_STOLEN:
        this.hitsStolen++;
        break;
      default:
        this.hitsVictim++;
    }
    this.lastSource = source;
    this.objects--;
    return this.store.release(slot);
  }
}
