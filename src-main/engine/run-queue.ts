/**
 * The goroutines waiting for their next step, ordered by (virtual time, goroutine id): a binary
 * min-heap over typed arrays. The id breaks ties, so the order of events never depends on
 * insertion order and a session replays identically however it is advanced.
 *
 * pop() leaves the root empty (rootEmpty) instead of refilling it at once: the driver's usual
 * next call is push() of the goroutine it just popped, with its next step's time, and that entry
 * then drops into the empty root with a single sift down — half the work of a pop and a push.
 * Anything else that needs the heap whole (peekKey, pop, remapKeys) first refills the root the
 * way pop() would have. The keys with their ids are totally ordered, so the entries come out in
 * the same order whichever way the heap was arranged.
 */
export class RunQueue {
  private ids: Int32Array;
  private keys: Float64Array;
  size = 0;
  /**
   * The root is empty: the heap is entries [1, size] (the last of them still to be re-placed, as
   * pop() found it) — or nothing at all when size is 0.
   */
  private rootEmpty = false;

  constructor(capacity: number) {
    this.ids = new Int32Array(Math.max(1, capacity));
    this.keys = new Float64Array(Math.max(1, capacity));
  }

  /** Time of the earliest entry; Infinity when empty. */
  peekKey(): number {
    if (this.rootEmpty) this.fillRoot();
    return this.size === 0 ? Infinity : this.keys[0]!;
  }

  push(id: number, key: number): void {
    if (this.rootEmpty) {
      // The entry pop() left at index size keeps its place (it was a leaf there), and the new
      // entry goes into the empty root: heap order holds everywhere below the root already.
      this.rootEmpty = false;
      this.size++;
      this.siftDown(0, key, id);
      return;
    }
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
    if (this.rootEmpty) this.fillRoot();
    const top = this.ids[0]!;
    this.size--;
    this.rootEmpty = true;
    return top;
  }

  /** What pop() defers: the last entry moves to the root and sifts down. */
  private fillRoot(): void {
    this.rootEmpty = false;
    const last = this.size;
    if (last > 0) this.siftDown(0, this.keys[last]!, this.ids[last]!);
  }

  /**
   * Apply a non-decreasing map to every key (a stop-the-world delay) and restore heap order: the
   * map may turn distinct keys into ties, which the id order then decides.
   */
  remapKeys(map: (key: number) => number): void {
    if (this.rootEmpty) this.fillRoot();
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
