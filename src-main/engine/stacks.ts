/**
 * Goroutine stacks (reference §2): each goroutine's stack size (hi − lo) and the bytes it uses
 * (hi − sp), with Go's growth and shrink rules.
 *
 *  1. A goroutine starts with STACK_MIN_BYTES (2 KiB, _FixedStack; Go ≥ 1.19 starts reused Gs at
 *     the adaptive average, new ones at 2 KiB, and goroutines here are never recycled).
 *  2. use(g, bytes): the goroutine's call chain now needs `bytes` (its base frames, its call depth
 *     × frame size, and its non-escaping locals). Go's prologue check faults when the frame would
 *     reach the guard: the stack must hold bytes + STACK_GUARD_BYTES. If it does not, newstack
 *     doubles it — once per overflow, as a call chain deepens frame by frame — and copystack
 *     copies the bytes in use to the new stack each time: the first copy moves what the goroutine
 *     used before, each later one a full stack up to its guard.
 *  3. shrinkForGc(): during the GC's stack scan, a stack whose use + STACK_LIMIT_BYTES is under a
 *     quarter of its size halves (never below 2 KiB), copying the bytes in use (shrinkstack).
 *  4. Totals are kept as they change: inUseBytes = Σ sizes (MemStats.StackInuse; what Go 1.19's
 *     gctrace prints as "MB stacks", maxStackScan), scanBytes = Σ bytes in use (what the GC scans
 *     and Go 1.19's goal counts, lastStackScan).
 *
 * Stack memory comes from its own spans in Go; here it is accounted apart from the page heap (it
 * never takes heap pages), which is how MemStats reports it too (StackInuse is not in HeapInuse).
 */

/** _FixedStack on Linux: every goroutine starts with a 2 KiB stack; shrinking stops there. */
export const STACK_MIN_BYTES = 2048;
/** _StackGuard: a call faults into morestack when it would come within 928 B of the stack's end. */
export const STACK_GUARD_BYTES = 928;
/** _StackLimit (_StackGuard − _StackSystem − _StackSmall): the slack shrinkstack adds to the use. */
export const STACK_LIMIT_BYTES = 800;
/**
 * What a goroutine uses with no call depth of its own: goexit, its entry function and one runtime
 * call (mallocgc) deep — about half a kilobyte in Go 1.19's frames.
 */
export const GOROUTINE_BASE_STACK_BYTES = 512;

export class Stacks {
  readonly goroutines: number;
  /** hi − lo per goroutine: a power of two ≥ STACK_MIN_BYTES. */
  readonly sizeBytes: Int32Array;
  /** hi − sp per goroutine: what its current call chain uses. */
  readonly usedBytes: Int32Array;
  /** Σ sizeBytes. */
  inUseBytes: number;
  /** Σ usedBytes. */
  scanBytes = 0;

  /** Cumulative: doublings, halvings, and bytes copied by both. */
  growths = 0;
  shrinks = 0;
  growCopiedBytes = 0;
  shrinkCopiedBytes = 0;

  /** Set by use(): bytes the last call copied (0 = it fitted). */
  lastCopiedBytes = 0;
  lastGrowths = 0;

  constructor(goroutines: number) {
    this.goroutines = goroutines;
    this.sizeBytes = new Int32Array(goroutines).fill(STACK_MIN_BYTES);
    this.usedBytes = new Int32Array(goroutines);
    this.inUseBytes = goroutines * STACK_MIN_BYTES;
  }

  /** The goroutine's call chain now needs `bytes`; grows its stack if needed (file comment, 2). */
  use(g: number, bytes: number): void {
    const before = this.usedBytes[g]!;
    if (bytes === before) {
      this.lastCopiedBytes = 0;
      this.lastGrowths = 0;
      return;
    }
    let size = this.sizeBytes[g]!;
    let copied = 0;
    let growths = 0;
    while (size < bytes + STACK_GUARD_BYTES) {
      copied += growths === 0 ? before : size - STACK_GUARD_BYTES;
      size *= 2;
      growths++;
    }
    if (growths > 0) {
      this.inUseBytes += size - this.sizeBytes[g]!;
      this.sizeBytes[g] = size;
      this.growths += growths;
      this.growCopiedBytes += copied;
    }
    this.scanBytes += bytes - before;
    this.usedBytes[g] = bytes;
    this.lastCopiedBytes = copied;
    this.lastGrowths = growths;
  }

  /** Every stack that may shrink, halves (file comment, 3); returns the bytes copied. */
  shrinkForGc(): number {
    let copied = 0;
    const size = this.sizeBytes;
    const used = this.usedBytes;
    for (let g = 0; g < this.goroutines; g++) {
      const s = size[g]!;
      const half = s >>> 1;
      if (half < STACK_MIN_BYTES || used[g]! + STACK_LIMIT_BYTES >= s >>> 2) continue;
      size[g] = half;
      this.inUseBytes -= half;
      this.shrinks++;
      copied += used[g]!;
    }
    this.shrinkCopiedBytes += copied;
    return copied;
  }
}
