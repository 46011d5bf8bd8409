/**
 * The goroutines waiting for their next step, ordered by (virtual time, goroutine id): a binary
 * min-heap over typed arrays. The id breaks ties, so the order of events never depends on
 * insertion order and a session replays identically however it is advanced.
 */
export class RunQueue {
  private ids: Int32Array;
  private keys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.ids = new Int32Array(Math.max(1, capacity));
    this.keys = new Float64Array(Math.max(1, capacity));
  }

  /** Time of the earliest entry; Infinity when empty. */
  peekKey(): number {
    return this.size === 0 ? Infinity : this.keys[0]!;
  }

  push(id: number, key: number): void {
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(key, id, this.keys[parent]!, this.ids[parent]!)) break;
      this.keys[i] = this.keys[parent]!;
      this.ids[i] = this.ids[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.ids[i] = id;
  }

  /** Removes and returns the id of the earliest entry; the queue must not be empty. */
  pop(): number {
    const top = this.ids[0]!;
    const last = --this.size;
    if (last > 0) this.siftDown(0, this.keys[last]!, this.ids[last]!);
    return top;
  }

  /**
   * Apply a non-decreasing map to every key (a stop-the-world delay) and restore heap order: the
   * map may turn distinct keys into ties, which the id order then decides.
   */
  remapKeys(map: (key: number) => number): void {
    for (let i = 0; i < this.size; i++) this.keys[i] = map(this.keys[i]!);
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i, this.keys[i]!, this.ids[i]!);
  }

  private siftDown(start: number, key: number, id: number): void {
    const n = this.size;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (
        right < n &&
        this.before(this.keys[right]!, this.ids[right]!, this.keys[child]!, this.ids[child]!)
      ) {
        child = right;
      }
      if (!this.before(this.keys[child]!, this.ids[child]!, key, id)) break;
      this.keys[i] = this.keys[child]!;
      this.ids[i] = this.ids[child]!;
      i = child;
    }
    this.keys[i] = key;
    this.ids[i] = id;
  }

  private before(keyA: number, idA: number, keyB: number, idB: number): boolean {
    return keyA < keyB || (keyA === keyB && idA < idB);
  }
}
