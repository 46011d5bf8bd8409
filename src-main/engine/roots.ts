/**
 * GC roots: the pointers the collector starts marking from, outside the heap.
 *
 *  1. Stacks: slot g (g < goroutineCount) is the pointer goroutine g's frame holds to the object it
 *     allocated last (a local such as `buf := make([]byte, n)`); its next heap allocation
 *     overwrites it, which is what makes a "young" object garbage. A goroutine may own more stack
 *     slots (its batches, the pool objects a script holds), made with addSlot(g). The stack's
 *     size and use live in `stacks` (stacks.ts): the collector scans the bytes in use.
 *  2. Globals: package-level pointers, made with addSlot(GLOBAL): one per ring's backing array,
 *     one per leaked object (as if appended to a global slice whose backing array is not itself
 *     modelled), one per object held for a time, one per object sitting in a sync.Pool (reachable
 *     through allPools), one per P for its mcache's tiny block (gcMarkTinyAllocs marks it at
 *     cycle start). globalsBytes is the scenario's scannable data+bss size: it is what the pacer
 *     and the scan cost see, however many slots are in use.
 *
 * Root slots live in one array; freed slots are reused last-freed-first, so a run is
 * deterministic. Writes go through the collector's writeRoot so that a reference-counting collector
 * can see them; Go itself puts no barrier on stack writes.
 */
import { growInt32 } from './growable';
import { NIL } from './heap';
import { STACK_MIN_BYTES, Stacks } from './stacks';

/** _FixedStack on Linux: every goroutine starts with a 2 KiB stack. */
export const STACK_START_BYTES = STACK_MIN_BYTES;
/** The owner of a global root slot. */
export const GLOBAL = -1;
/** The owner of a free slot. */
const FREE = -2;

export class Roots {
  /** Root slots: object id or NIL. */
  slots: Int32Array<ArrayBuffer>;
  /** Per slot: the goroutine whose stack holds it, GLOBAL, or FREE. */
  slotOwner: Int32Array<ArrayBuffer>;
  /** Slots ever made: [0, count). */
  count: number;
  readonly goroutineCount: number;
  /** Scannable globals (data + bss), bytes. */
  readonly globalsBytes: number;
  readonly stacks: Stacks;
  private freeSlots = new Int32Array(16);
  private freeCount = 0;

  constructor(goroutineCount: number, globalsBytes: number) {
    this.goroutineCount = goroutineCount;
    this.globalsBytes = globalsBytes;
    this.stacks = new Stacks(goroutineCount);
    const capacity = Math.max(16, goroutineCount);
    this.slots = new Int32Array(capacity).fill(NIL);
    this.slotOwner = new Int32Array(capacity).fill(FREE);
    for (let g = 0; g < goroutineCount; g++) this.slotOwner[g] = g;
    this.count = goroutineCount;
  }

  /** Σ goroutine stack sizes (MemStats.StackInuse). */
  get stacksBytes(): number {
    return this.stacks.inUseBytes;
  }

  /** A new global root slot (initially nil); returns its index. */
  addGlobal(): number {
    return this.addSlot(GLOBAL);
  }

  /** A new root slot (initially nil) owned by goroutine `owner` or GLOBAL. */
  addSlot(owner: number): number {
    let slot: number;
    if (this.freeCount > 0) {
      slot = this.freeSlots[--this.freeCount]!;
    } else {
      slot = this.count++;
      this.slots = growInt32(this.slots, this.count, NIL);
      this.slotOwner = growInt32(this.slotOwner, this.count, FREE);
    }
    this.slots[slot] = NIL;
    this.slotOwner[slot] = owner;
    return slot;
  }

  /** Returns a slot made by addSlot; the caller has already cleared it (through the collector). */
  freeSlot(slot: number): void {
    this.slots[slot] = NIL;
    this.slotOwner[slot] = FREE;
    this.freeSlots = growInt32(this.freeSlots, this.freeCount + 1);
    this.freeSlots[this.freeCount++] = slot;
  }

  isStack(slot: number): boolean {
    return this.slotOwner[slot]! >= 0;
  }

  /** Non-nil global slots (for snapshots). */
  countGlobalPointers(): number {
    let n = 0;
    for (let slot = 0; slot < this.count; slot++) {
      if (this.slotOwner[slot] === GLOBAL && this.slots[slot] !== NIL) n++;
    }
    return n;
  }
}
