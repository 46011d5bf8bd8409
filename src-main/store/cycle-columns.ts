/**
 * The one mapping between CycleRecord fields and `cycles` columns. Inserts, reads and the
 * migration tests are generated from it, so a new field is added in exactly two places:
 * here and in a migration.
 */
import type { CycleRecord, HeapSample, PauseWindow } from '../engine/record';

export const CYCLE_COLUMNS = {
  seq: 'seq',
  startNs: 'start_ns',
  trigger: 'trigger',
  heapStartBytes: 'heap_start_bytes',
  heapEndBytes: 'heap_end_bytes',
  heapMarkedBytes: 'heap_marked_bytes',
  heapGoalBytes: 'heap_goal_bytes',
  heapTriggerBytes: 'heap_trigger_bytes',
  stacksBytes: 'stacks_bytes',
  globalsBytes: 'globals_bytes',
  procs: 'procs',
  sweepTermNs: 'sweep_term_ns',
  markNs: 'mark_ns',
  markTermNs: 'mark_term_ns',
  pauseNs: 'pause_ns',
  assistCpuNs: 'assist_cpu_ns',
  backgroundCpuNs: 'background_cpu_ns',
  idleCpuNs: 'idle_cpu_ns',
  gcCpuFraction: 'gc_cpu_fraction',
  objectsFreed: 'objects_freed',
  bytesFreed: 'bytes_freed',
  liveObjects: 'live_objects',
  fragmentationBytes: 'fragmentation_bytes',
  stackInUseBytes: 'stack_in_use_bytes',
  heapInUseBytes: 'heap_in_use_bytes',
  heapIdleBytes: 'heap_idle_bytes',
  heapReleasedBytes: 'heap_released_bytes',
  tailWasteBytes: 'tail_waste_bytes',
  internalWasteBytes: 'internal_waste_bytes',
  heapAllocations: 'heap_allocations',
  heapAllocatedBytes: 'heap_allocated_bytes',
  stackAllocations: 'stack_allocations',
  stackAllocatedBytes: 'stack_allocated_bytes',
  tinyAllocations: 'tiny_allocations',
  stackGrowths: 'stack_growths',
  stackShrinks: 'stack_shrinks',
  stackCopiedBytes: 'stack_copied_bytes',
  poolGets: 'pool_gets',
  poolHitsPrivate: 'pool_hits_private',
  poolHitsShared: 'pool_hits_shared',
  poolHitsStolen: 'pool_hits_stolen',
  poolHitsVictim: 'pool_hits_victim',
  poolMisses: 'pool_misses',
  poolPuts: 'pool_puts',
  poolDropped: 'pool_dropped',
  pauses: 'pauses',
  assistRatio: 'assist_ratio',
  markUtilization: 'mark_utilization',
  writeBarrierHits: 'write_barrier_hits',
  writeBarrierShades: 'write_barrier_shades',
  leakedObjects: 'leaked_objects',
  leakedBytes: 'leaked_bytes',
  refcountFrees: 'refcount_frees',
  cascadeMaxObjects: 'cascade_max_objects',
  cascadeMaxNs: 'cascade_max_ns',
} as const satisfies { [K in keyof CycleRecord]: string };

export const CYCLE_FIELDS = Object.keys(CYCLE_COLUMNS) as (keyof CycleRecord)[];

/** `SELECT` list that renames columns to record fields, so rows come back as CycleRecords. */
export const CYCLE_SELECT_LIST = CYCLE_FIELDS.map((field) => `${CYCLE_COLUMNS[field]} AS "${field}"`).join(
  ', ',
);

/**
 * `pauses` is the one field that is not a scalar: stored as a JSON array of flattened
 * [startNs, durationNs] pairs, which keeps a cycle with hundreds of incremental slices one row.
 */
export function encodePauses(pauses: readonly PauseWindow[]): string {
  const flat = new Array<number>(pauses.length * 2);
  for (let i = 0; i < pauses.length; i++) {
    flat[2 * i] = pauses[i]!.startNs;
    flat[2 * i + 1] = pauses[i]!.durationNs;
  }
  return JSON.stringify(flat);
}

export function decodePauses(text: string): PauseWindow[] {
  const flat = JSON.parse(text) as number[];
  const pauses: PauseWindow[] = new Array(flat.length >> 1);
  for (let i = 0; i < pauses.length; i++) pauses[i] = { startNs: flat[2 * i]!, durationNs: flat[2 * i + 1]! };
  return pauses;
}

/** Cycle rows as read through CYCLE_SELECT_LIST, with `pauses` still encoded. */
export function decodeCycleRows(rows: unknown[]): CycleRecord[] {
  const cycles = rows as (Omit<CycleRecord, 'pauses'> & { pauses: string | PauseWindow[] })[];
  for (const cycle of cycles) cycle.pauses = decodePauses(cycle.pauses as string);
  return cycles as CycleRecord[];
}

export const SAMPLE_SELECT_LIST =
  't_ns AS "tNs", heap_alloc_bytes AS "heapAllocBytes", heap_in_use_bytes AS "heapInUseBytes"';

export type { CycleRecord, HeapSample };
