/**
 * The one mapping between CycleRecord fields and `cycles` columns. Inserts, reads and the
 * migration tests are generated from it, so a new field is added in exactly two places:
 * here and in a migration.
 */
import type { CycleRecord, HeapSample } from '../engine/record';

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
} as const satisfies { [K in keyof CycleRecord]: string };

export const CYCLE_FIELDS = Object.keys(CYCLE_COLUMNS) as (keyof CycleRecord)[];

/** `SELECT` list that renames columns to record fields, so rows come back as CycleRecords. */
export const CYCLE_SELECT_LIST = CYCLE_FIELDS.map((field) => `${CYCLE_COLUMNS[field]} AS "${field}"`).join(
  ', ',
);

export const SAMPLE_SELECT_LIST =
  't_ns AS "tNs", heap_alloc_bytes AS "heapAllocBytes", heap_in_use_bytes AS "heapInUseBytes"';

export type { CycleRecord, HeapSample };
