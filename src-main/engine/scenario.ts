/**
 * The scenario model: what a simulated Go program does, in the words a Go developer would use to
 * describe it. JSON-shaped (presets live in resources/scenarios/*.json, the reference is
 * docs/scenario-format.md); src-main/formats/scenario.ts validates untrusted JSON into this type.
 * The engine assumes a valid scenario.
 *
 * How the engine runs one (simulation.ts, workload.ts):
 *  1. Each goroutine kind starts `count` goroutines. A kind with a `script` first runs it, op by
 *     op, once per goroutine. Then (or straight away, without a script) its goroutines request
 *     `allocBytesPerSec` bytes per second of virtual time between them (escaping or not, from the
 *     heap, the stack or a pool), scaled over time by the kind's `phases`, until the kind has
 *     requested `totalBytes`. A kind with no rate (0) parks after its script: a blocked goroutine
 *     that still owns its stack.
 *  2. Each allocation picks a site by `weight`. An object site allocates one object, or a whole
 *     `structure` (a list, a tree, a cycle) of objects linked through their pointer fields, each
 *     of a size drawn from `size`. A pool site calls Get on its sync.Pool (New allocates on a miss)
 *     and Puts the object back when its lifetime ends.
 *  3. A non-escaping object lives in the goroutine's frame: it grows the stack the goroutine needs
 *     (with `stack`'s call depth) and costs the heap and the collector nothing. An escaping one is
 *     heap-allocated; the goroutine's frame points at it until its next heap allocation, then the
 *     lifetime decides who else keeps it: nobody (`young`), a timer for `ms` (`held`), a global
 *     ring of `slots` (`ring`), a global forever (`forever`), or a batch of `objects` that is
 *     dropped whole once full (`batch`).
 *  4. `runtimeGC` makes each goroutine of the kind call runtime.GC() every so many bytes or
 *     milliseconds; the script's `gc` op calls it once.
 *
 * Units are in the field names or stated here: bytes, milliseconds of virtual time, frames.
 */
export const SCENARIO_FORMAT_VERSION = 1;

export interface Scenario {
  formatVersion: 1;
  /** Identifier: lower-case, used in file names and on the command line. */
  name: string;
  title: string;
  description: string;
  /** Default virtual duration of a session. */
  durationMs: number;
  /** Scannable package-level data (data + bss), a GC root and part of the heap goal. */
  globalsBytes: number;
  /** The program's sync.Pools (package-level `var p = sync.Pool{New: …}`). */
  pools?: PoolSpec[];
  goroutines: GoroutineKind[];
}

/** A sync.Pool; New allocates one object of `size` with `pointerFields` pointers on every miss. */
export interface PoolSpec {
  name: string;
  size: SizeDistribution;
  pointerFields: number;
}

export interface GoroutineKind {
  name: string;
  count: number;
  /** This kind's total request rate in virtual time (before phases scale it); 0 = none. */
  allocBytesPerSec: number;
  sites: AllocationSite[];
  /** Call depth; without it a goroutine uses only its base frames (stacks.ts). */
  stack?: StackSpec;
  /** Rate multipliers over virtual time, played in order from t = 0 (then held, or repeated). */
  phases?: Phase[];
  /** Play `phases` again from the start after the last one (default: hold the last factor). */
  repeatPhases?: boolean;
  /** Call runtime.GC() every `everyBytes` requested, or every `everyMs`, per goroutine. */
  runtimeGC?: RuntimeGcSpec;
  /** Each goroutine stops requesting once the kind has requested this many bytes (the loop ends). */
  totalBytes?: number;
  /** Ops each goroutine runs once, in order, before its rate-driven allocation starts. */
  script?: ScriptOp[];
  /**
   * How each step picks a site: drawn at random by weight (`random`, the default), or `inTurn`:
   * the sites in order, each `weight` (a whole number) times in a row, then again from the first —
   * a loop like churn.go's, where every 8th allocation goes to the ring. The kind's goroutines
   * share one turn.
   */
  sitePick?: 'random' | 'inTurn';
}

export type AllocationSite = ObjectSite | PoolSite;

/** `x := make([]byte, n)`, `&T{…}`, or a structure built node by node. */
export interface ObjectSite {
  /** e.g. "main.handle: make([]byte, 1024)"; unique within its goroutine kind. */
  name: string;
  /** Relative share of the kind's allocations by count; 0 = only scripts use it. */
  weight: number;
  size: SizeDistribution;
  /** 0 = noscan. Each pointer field takes 8 bytes of the object. */
  pointerFields: number;
  /** false: stack-allocated, costs the heap nothing. */
  escapes: boolean;
  lifetime: Lifetime;
  /** Default: one object. */
  structure?: Structure;
  pool?: undefined;
}

/** `b := pool.Get()`, used, then `pool.Put(b)` when its lifetime ends. */
export interface PoolSite {
  name: string;
  weight: number;
  /** The PoolSpec name. */
  pool: string;
  lifetime: PoolLifetime;
  /** Share of Gets that are Put back, 0–100 (default 100); the rest become garbage. */
  putPercent?: number;
}

export type SizeDistribution =
  | { kind: 'fixed'; bytes: number }
  | { kind: 'uniform'; minBytes: number; maxBytes: number }
  | { kind: 'weighted'; sizes: { bytes: number; weight: number }[] };

export type Lifetime =
  /** Garbage as soon as the goroutine's next heap allocation replaces it in its frame. */
  | { kind: 'young' }
  /** Kept for `ms` of virtual time (by a timer, a session map…), then dropped. */
  | { kind: 'held'; ms: number }
  /**
   * Kept in a fixed-size ring referenced from a global; each new one replaces the oldest. Each ring
   * entry takes slotBytes (8 for []*T, the default; 24 for [][]byte; 16 for []string). Once the
   * ring is full, the k-th object after goes to entry (k · stride) mod slots (stride 1, the
   * default, replaces the oldest; churn.go's `ring[i%n]` with i a multiple of 8 is stride 8, which
   * replaces only every 8th entry and leaves the others live for good).
   */
  | { kind: 'ring'; slots: number; prefill: boolean; slotBytes?: number; stride?: number }
  /** A leak. */
  | { kind: 'forever' }
  /** Appended to the goroutine's batch (`[]*T` of cap `objects`), dropped whole once full. */
  | { kind: 'batch'; objects: number };

/** A pooled object goes back to its pool (Put) where a heap object would be dropped. */
export type PoolLifetime = { kind: 'young' } | { kind: 'held'; ms: number };

export type Structure =
  | { kind: 'single' }
  /** n nodes, node i's pointer field 0 → node i + 1. */
  | { kind: 'list'; nodes: number }
  /** A complete tree: the root, then `fanout` children per node down to `depth` (root = depth 0). */
  | { kind: 'tree'; fanout: number; depth: number }
  /** A list whose last node points back to the first. */
  | { kind: 'cycle'; nodes: number };

export interface StackSpec {
  /** Stack bytes of one frame of the goroutine's call chain. */
  frameBytes: number;
  /** Call depth of each step (drawn again at every allocation). */
  depth: DepthDistribution;
}

export type DepthDistribution =
  { kind: 'fixed'; frames: number } | { kind: 'uniform'; minFrames: number; maxFrames: number };

export type RuntimeGcSpec =
  { everyBytes: number; everyMs?: undefined } | { everyMs: number; everyBytes?: undefined };

/** One span of the rate schedule; `factor`s multiply allocBytesPerSec (0 = idle). */
export type Phase =
  | { kind: 'constant'; ms: number; factor: number }
  /** Linear from `from` to `to`. */
  | { kind: 'ramp'; ms: number; from: number; to: number }
  /** `factors` in turn, each for ms / factors.length. */
  | { kind: 'step'; ms: number; factors: number[] }
  /** A sine between min and max with period `periodMs`, starting at the midpoint going up. */
  | { kind: 'oscillate'; ms: number; periodMs: number; min: number; max: number }
  /** A new factor drawn uniformly from [min, max] every `intervalMs`, from the session's seed. */
  | { kind: 'random'; ms: number; intervalMs: number; min: number; max: number };

export type ScriptOp =
  /** `count` allocations from the kind's site `site` (its lifetime applies). */
  | { op: 'alloc'; site: string; count: number }
  /** `count` Gets from pool `pool`; the goroutine holds them (a local slice). */
  | { op: 'get'; pool: string; count: number }
  /** Put back everything held from `pool`, in the order it was got. */
  | { op: 'put'; pool: string }
  /** Drop what the goroutine holds: its batches and its gotten pool objects (`x = nil`). */
  | { op: 'drop' }
  /** runtime.GC(). */
  | { op: 'gc' }
  /** debug.FreeOSMemory(): runtime.GC(), then every free page returned to the OS. */
  | { op: 'freeOSMemory' }
  | { op: 'sleep'; ms: number }
  /** Call down (or return up) to `frames` frames of the kind's frameBytes. */
  | { op: 'depth'; frames: number };
