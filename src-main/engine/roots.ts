/**
 * GC roots: the pointers the collector starts marking from, outside the heap.
 *
 *  1. Stacks: each goroutine has one root slot, the pointer its current frame holds to the object
 *     it allocated last (a local such as `buf := make([]byte, n)`). It is overwritten by the
 *     goroutine's next heap allocation, which is what makes a "young" object garbage. Every
 *     goroutine stack is STACK_START_BYTES (2 KiB, _FixedStack) and is scanned whole; stack growth
 *     and Go 1.19's "scan only hi − sp" come with a later model of call depth.
 *  2. Globals: package-level pointers. One slot per ring site holds its ring's backing array;
 *     every leaked object gets a slot of its own (as if appended to a global slice whose backing
 *     array is not itself modelled). globalsBytes is the scenario's scannable data+bss size; it is
 *     what the pacer and the scan cost see, however many slots are in use.
 *
 * Root slots live in one array: [0, goroutines) are stacks, the rest are globals. Writes go through
 * the collector's writeRoot so that a reference-counting collector can see them; Go itself puts no
 * barrier on stack writes.
 */
import { growInt32 } from './growable';
import { NIL } from './heap';

/** _FixedStack on Linux: every goroutine starts with a 2 KiB stack. */
export const STACK_START_BYTES = 2048;

export class Roots {
  /** Root slots: object id or NIL. */
  slots: Int32Array<ArrayBuffer>;
  /** Slots in use: [0, goroutineCount) stacks, [goroutineCount, count) globals. */
  count: number;
  readonly goroutineCount: number;
  /** Scannable globals (data + bss), bytes. */
  readonly globalsBytes: number;
  /** Stack size of each goroutine, bytes. */
  readonly stackBytes: Int32Array;

  constructor(goroutineCount: number, globalsBytes: number) {
    this.goroutineCount = goroutineCount;
    this.globalsBytes = globalsBytes;
    this.stackBytes = new Int32Array(goroutineCount).fill(STACK_START_BYTES);
    this.slots = new Int32Array(Math.max(16, goroutineCount)).fill(NIL);
    this.count = goroutineCount;
  }

  /** Σ goroutine stack sizes (what gctrace prints as "MB stacks"). */
  get stacksBytes(): number {
    let total = 0;
    for (let g = 0; g < this.goroutineCount; g++) total += this.stackBytes[g]!;
    return total;
  }

  /** A new global root slot (initially nil); returns its index. */
  addGlobal(): number {
    this.slots = growInt32(this.slots, this.count + 1, NIL);
    this.slots[this.count] = NIL;
    return this.count++;
  }

  isStack(slot: number): boolean {
    return slot < this.goroutineCount;
  }
}
