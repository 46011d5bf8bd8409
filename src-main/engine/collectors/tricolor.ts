/**
 * Tri-color marking that can stop and resume: the mark state shared by the collectors that mark
 * while the program runs (Go's concurrent collector, the incremental one).
 *
 *  - White: objectMark = 0. Grey: marked and on the grey stack, its fields not scanned yet. Black:
 *    marked and scanned (or noscan: greyobject marks those black at once, never queueing them).
 *  - Root jobs, as Go's markroot splits them: one per goroutine stack (scanning its bytes in use and
 *    shading what its slots hold) and one for the globals (data + bss, every global slot). prepare
 *    indexes the root slots by owner once per cycle; a stack job reads its slots as they are when
 *    the job runs, as Go scans a stack when it gets to it. Stacks that may shrink do so with the
 *    first stack job (shrinkstack during scanstack), its copy charged to the marking.
 *  - Objects over 128 KiB are scanned in oblets of at most 128 KiB (maxObletBytes), each a unit
 *    of work on the grey stack (object, first field), as scanobject splits them in Go: an assist or
 *    a worker never has to take on a whole large array at once.
 *  - drain does mark work up to a budget in nanoseconds of virtual time and in bytes of scan work
 *    (Go paces assists in scan work, background workers in time), root jobs first, then grey
 *    objects, and reports what it used; work is charged by the cost model as it goes, so a drain
 *    that stops part-way costs exactly the part it did.
 *  - shade greys a white object (a write barrier, a rescanned root); allocateBlack marks a new
 *    object black (gcmarknewobject), which counts toward the bytes marked as in Go.
 *
 * Scan work (Go's unit for pacing) is heap object bytes scanned + stack bytes scanned + global
 * bytes scanned.
 */
import type { CostModel } from '../cost-model';
import { growInt32 as GROW_INT32 } from '../growable';
import { NIL as HEAP_NIL } from '../heap';
import type { CollectorContext } from './collector';

// Hot-path copies of imported bindings: a module-local const is read directly, while an imported
// binding may cost a getter call per read when the engine runs unbundled (tsx, vitest).
const NIL = HEAP_NIL;
const growInt32 = GROW_INT32;

/** maxObletBytes: larger objects are scanned 128 KiB at a time. */
export const MAX_OBLET_BYTES = 128 << 10;

export class TriColorMarker {
  private readonly context: CollectorContext;
  private readonly cost: CostModel;
  /** Grey stack: object ids, and the first pointer field left to scan of each entry. */
  private grey = new Int32Array(1024);
  private greyField = new Int32Array(1024);
  private greyTop = 0;

  /** Root slots by owner (CSR): stack jobs 0..goroutines−1, then the globals job. */
  private rootSlotIndex = new Int32Array(0);
  private rootJobStart = new Int32Array(0);
  private nextRootJob = 0;
  private rootJobs = 0;
  private shrinkPending = false;

  // What this cycle's marking did (reset by prepare).
  objectsMarked = 0;
  heapMarkedBytes = 0;
  heapScanBytes = 0;
  stackScanBytes = 0;
  globalsScanBytes = 0;
  pointersFollowed = 0;
  rootJobsDone = 0;
  stackShrinks = 0;
  stackShrinkCopiedBytes = 0;
  /** Σ virtual ns drain charged. */
  markWorkNs = 0;

  /** Set by drain: what the last call used. */
  lastDrainNs = 0;
  lastDrainScanBytes = 0;

  constructor(context: CollectorContext) {
    this.context = context;
    this.cost = context.cost;
  }

  /** True once every root job is done and the grey stack is empty. */
  get done(): boolean {
    return this.nextRootJob >= this.rootJobs && this.greyTop === 0;
  }

  get rootsDone(): boolean {
    return this.nextRootJob >= this.rootJobs;
  }

  /** Objects waiting to be scanned. */
  get greyCount(): number {
    return this.greyTop;
  }

  /** Start a cycle's marking: counters reset, root jobs queued (every mark bit must be clear). */
  prepare(): void {
    this.objectsMarked = 0;
    this.heapMarkedBytes = 0;
    this.heapScanBytes = 0;
    this.stackScanBytes = 0;
    this.globalsScanBytes = 0;
    this.pointersFollowed = 0;
    this.rootJobsDone = 0;
    this.stackShrinks = 0;
    this.stackShrinkCopiedBytes = 0;
    this.markWorkNs = 0;
    this.greyTop = 0;
    this.indexRootSlots();
    this.nextRootJob = 0;
    this.shrinkPending = true;
  }

  /** Queue every root job again (a Dijkstra collector's rescan at termination). */
  requeueRoots(): void {
    this.indexRootSlots();
    this.nextRootJob = 0;
  }

  /** Grey a white object; true if it was white. */
  shade(object: number): boolean {
    const heap = this.context.heap;
    if (object === NIL || heap.objectMark[object] === 1) return false;
    heap.objectMark[object] = 1;
    this.objectsMarked++;
    this.heapMarkedBytes += heap.elemBytes(object);
    if (heap.objectPointerCount[object] !== 0) this.pushGrey(object, 0);
    return true;
  }

  private pushGrey(object: number, field: number): void {
    if (this.greyTop >= this.grey.length) {
      this.grey = growInt32(this.grey, this.greyTop + 1);
      this.greyField = growInt32(this.greyField, this.greyTop + 1);
    }
    this.grey[this.greyTop] = object;
    this.greyField[this.greyTop++] = field;
  }

  /** gcmarknewobject: a new object is black from birth. */
  allocateBlack(object: number): void {
    const heap = this.context.heap;
    if (heap.objectMark[object] === 1) return; // a tiny block allocated into again
    heap.objectMark[object] = 1;
    this.objectsMarked++;
    this.heapMarkedBytes += heap.elemBytes(object);
  }

  /**
   * Mark work until either budget is spent or nothing is left; sets lastDrainNs and
   * lastDrainScanBytes. A unit of work (a root job, an object) is never split, so a drain may
   * overrun its budget by one unit, as Go's do.
   */
  drain(budgetNs: number, budgetScanBytes: number): void {
    const cost = this.cost;
    let ns = 0;
    let scan = 0;
    if (this.shrinkPending && this.nextRootJob < this.rootJobs) {
      this.shrinkPending = false;
      const stacks = this.context.roots.stacks;
      const shrinksBefore = stacks.shrinks;
      const copied = stacks.shrinkForGc();
      this.stackShrinks += stacks.shrinks - shrinksBefore;
      this.stackShrinkCopiedBytes += copied;
      ns += (stacks.shrinks - shrinksBefore) * cost.stackGrowNs + copied * cost.stackCopyByteNs;
    }
    while (ns < budgetNs && scan < budgetScanBytes) {
      if (this.nextRootJob < this.rootJobs) {
        const before = this.pointersFollowed;
        const objectsBefore = this.objectsMarked;
        const job = this.nextRootJob++;
        const bytes = this.rootJob(job);
        scan += bytes;
        ns +=
          cost.rootJobNs +
          bytes * (job < this.context.roots.goroutineCount ? cost.stackScanByteNs : cost.globalsScanByteNs) +
          (this.pointersFollowed - before) * cost.pointerFollowNs +
          (this.objectsMarked - objectsBefore) * cost.markObjectNs;
        continue;
      }
      if (this.greyTop === 0) break;
      const before = this.pointersFollowed;
      const objectsBefore = this.objectsMarked;
      this.greyTop--;
      const bytes = this.scanObject(this.grey[this.greyTop]!, this.greyField[this.greyTop]!);
      scan += bytes;
      ns +=
        bytes * cost.scanByteNs +
        (this.pointersFollowed - before) * cost.pointerFollowNs +
        (this.objectsMarked - objectsBefore) * cost.markObjectNs;
    }
    ns = Math.round(ns);
    this.markWorkNs += ns;
    this.lastDrainNs = ns;
    this.lastDrainScanBytes = scan;
  }

  /**
   * Scan a grey object's pointer fields from `firstField`, one oblet's worth (the rest goes back on
   * the grey stack); returns the scan work: the requested bytes the fields scanned stand for.
   */
  private scanObject(object: number, firstField: number): number {
    const heap = this.context.heap;
    const count = heap.objectPointerCount[object]!;
    const sizeBytes = heap.sizeOf(object);
    let fields = count - firstField;
    let bytes = sizeBytes;
    if (sizeBytes > MAX_OBLET_BYTES) {
      const obletFields = Math.max(1, Math.floor((count * MAX_OBLET_BYTES) / sizeBytes));
      if (fields > obletFields) {
        this.pushGrey(object, firstField + obletFields);
        fields = obletFields;
      }
      bytes = Math.round((sizeBytes * fields) / count);
    }
    const pointers = heap.pointers;
    const base = heap.objectPointerBase[object]! + firstField;
    const end = base + fields;
    for (let i = base; i < end; i++) {
      const target = pointers[i]!;
      if (target === NIL) continue;
      this.pointersFollowed++;
      this.shade(target);
    }
    this.heapScanBytes += bytes;
    return bytes;
  }

  /** Root job `job`: a goroutine's stack, or (the last job) the globals; returns its scan work. */
  private rootJob(job: number): number {
    const roots = this.context.roots;
    const slots = roots.slots;
    const owner = job < roots.goroutineCount ? job : -1;
    for (let i = this.rootJobStart[job]!; i < this.rootJobStart[job + 1]!; i++) {
      const slot = this.rootSlotIndex[i]!;
      if (roots.slotOwner[slot] !== owner) continue; // freed (or reused) since prepare
      const target = slots[slot]!;
      if (target === NIL) continue;
      this.pointersFollowed++;
      this.shade(target);
    }
    this.rootJobsDone++;
    let bytes: number;
    if (owner >= 0) {
      bytes = roots.stacks.usedBytes[owner]!;
      this.stackScanBytes += bytes;
    } else {
      bytes = roots.globalsBytes;
      this.globalsScanBytes += bytes;
    }
    return bytes;
  }

  /** Buckets the root slots by owner: a goroutine's stack job, or the globals job. */
  private indexRootSlots(): void {
    const roots = this.context.roots;
    const goroutines = roots.goroutineCount;
    const jobs = goroutines + 1;
    this.rootJobs = jobs;
    const start = new Int32Array(jobs + 1);
    const owners = roots.slotOwner;
    const jobOf = (slot: number): number => {
      const owner = owners[slot]!;
      return owner >= 0 ? owner : owner === -1 ? goroutines : -1;
    };
    for (let slot = 0; slot < roots.count; slot++) {
      const job = jobOf(slot);
      if (job >= 0) start[job + 1] = start[job + 1]! + 1;
    }
    for (let job = 0; job < jobs; job++) start[job + 1] = start[job + 1]! + start[job]!;
    const index = new Int32Array(start[jobs]!);
    const fill = start.slice(0, jobs);
    for (let slot = 0; slot < roots.count; slot++) {
      const job = jobOf(slot);
      if (job >= 0) index[fill[job]!++] = slot;
    }
    this.rootJobStart = start;
    this.rootSlotIndex = index;
  }
}
