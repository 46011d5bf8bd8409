/**
 * Objects held for a time (lifetime `held`): a min-heap of (expiry, sequence) over typed arrays.
 * Each entry is a root slot keeping one object alive until its expiry; then the simulation drops
 * it, or Puts it back into its pool.
 *
 *  1. Entries are ordered by expiry time, ties by insertion sequence, so expiries happen in the same
 *     order however the run is advanced.
 *  2. The simulation drains every entry due at or before a time before it lets anything observe the
 *     heap at that time (a goroutine's step, a cycle start, a snapshot): an object is unreachable
 *     from its expiry on, even if nothing looked in between.
 */
import { growInt32 } from './growable';

export class HeldQueue {
  private expiryNs = new Float64Array(16);
  private sequence = new Float64Array(16);
  private slot = new Int32Array(16);
  /** Pool index to Put the object back into, or −1 to drop it. */
  private pool = new Int32Array(16);
  /** The P of the goroutine that held it (where a Put goes). */
  private p = new Int32Array(16);
  private nextSequence = 0;
  size = 0;

  /** Set by pop: the entry just removed. */
  poppedSlot = 0;
  poppedPool = -1;
  poppedP = 0;

  push(expiryNs: number, slot: number, pool: number, p: number): void {
    this.ensure(this.size + 1);
    const sequence = this.nextSequence++;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(expiryNs, sequence, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, expiryNs, sequence, slot, pool, p);
  }

  /** Expiry of the earliest entry; Infinity when empty. */
  peekNs(): number {
    return this.size === 0 ? Infinity : this.expiryNs[0]!;
  }

  /** Removes the earliest entry into popped*; the queue must not be empty. */
  pop(): void {
    this.poppedSlot = this.slot[0]!;
    this.poppedPool = this.pool[0]!;
    this.poppedP = this.p[0]!;
    const last = --this.size;
    if (last === 0) return;
    const expiryNs = this.expiryNs[last]!;
    const sequence = this.sequence[last]!;
    const slot = this.slot[last]!;
    const pool = this.pool[last]!;
    const p = this.p[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && this.lessAt(child + 1, child)) child++;
      if (!this.lessThan(child, expiryNs, sequence)) break;
      this.move(child, i);
      i = child;
    }
    this.set(i, expiryNs, sequence, slot, pool, p);
  }

  private before(expiryNs: number, sequence: number, i: number): boolean {
    const e = this.expiryNs[i]!;
    return expiryNs < e || (expiryNs === e && sequence < this.sequence[i]!);
  }

  private lessThan(i: number, expiryNs: number, sequence: number): boolean {
    const e = this.expiryNs[i]!;
    return e < expiryNs || (e === expiryNs && this.sequence[i]! < sequence);
  }

  private lessAt(a: number, b: number): boolean {
    return this.lessThan(a, this.expiryNs[b]!, this.sequence[b]!);
  }

  private move(from: number, to: number): void {
    this.expiryNs[to] = this.expiryNs[from]!;
    this.sequence[to] = this.sequence[from]!;
    this.slot[to] = this.slot[from]!;
    this.pool[to] = this.pool[from]!;
    this.p[to] = this.p[from]!;
  }

  private set(i: number, expiryNs: number, sequence: number, slot: number, pool: number, p: number): void {
    this.expiryNs[i] = expiryNs;
    this.sequence[i] = sequence;
    this.slot[i] = slot;
    this.pool[i] = pool;
    this.p[i] = p;
  }

  private ensure(n: number): void {
    if (n <= this.slot.length) return;
    const capacity = this.slot.length * 2;
    const expiry = new Float64Array(capacity);
    expiry.set(this.expiryNs);
    this.expiryNs = expiry;
    const sequence = new Float64Array(capacity);
    sequence.set(this.sequence);
    this.sequence = sequence;
    this.slot = growInt32(this.slot, capacity);
    this.pool = growInt32(this.pool, capacity);
    this.p = growInt32(this.p, capacity);
  }
}
