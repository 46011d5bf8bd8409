/**
 * The scenario model: what a simulated Go program does, in the words a Go developer would use to
 * describe it. JSON-shaped (presets live in resources/scenarios/*.json); src-main/formats/scenario.ts
 * validates untrusted JSON into this type. The engine assumes a valid scenario.
 *
 * How the engine runs one (simulation.ts, workload.ts):
 *  1. Each goroutine kind starts `count` goroutines; together they allocate `allocBytesPerSec`
 *     bytes per second of virtual time (requested bytes, escaping or not), each goroutine an equal
 *     share.
 *  2. Each allocation picks a site by `weight` and a size from the site's distribution. A
 *     non-escaping site allocates on the goroutine's stack: it takes the goroutine's time but
 *     costs the heap and the collector nothing.
 *  3. An escaping allocation goes to the heap; the goroutine's frame points at it until its next
 *     heap allocation, then the lifetime decides: `young` objects become garbage, `ring` objects
 *     replace the oldest slot of the site's ring (a global `[]*T` of `slots` pointers on the heap),
 *     `forever` objects are leaked into a global.
 *  4. A ring with `prefill` is filled by the kind's goroutines before they do anything else, like
 *     a program that builds its cache at start-up.
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
  goroutines: GoroutineKind[];
}

export interface GoroutineKind {
  name: string;
  count: number;
  /** This kind's total allocation rate in virtual time. */
  allocBytesPerSec: number;
  sites: AllocationSite[];
}

export interface AllocationSite {
  /** e.g. "main.handle: make([]byte, 1024)". */
  name: string;
  /** Relative share of the kind's allocations by count. */
  weight: number;
  size: SizeDistribution;
  /** 0 = noscan. Each pointer field takes 8 bytes of the object. */
  pointerFields: number;
  /** false: stack-allocated, costs the heap nothing. */
  escapes: boolean;
  lifetime: Lifetime;
}

export type SizeDistribution =
  { kind: 'fixed'; bytes: number } | { kind: 'uniform'; minBytes: number; maxBytes: number };

export type Lifetime =
  /** Garbage as soon as the next allocation happens. */
  | { kind: 'young' }
  /** Kept in a fixed-size ring referenced from a global; each new one replaces the oldest. */
  | { kind: 'ring'; slots: number; prefill: boolean }
  /** A leak. */
  | { kind: 'forever' };
