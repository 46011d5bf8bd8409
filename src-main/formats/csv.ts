/**
 * Cycle records as CSV (RFC 4180: comma-separated, CRLF line ends, a field quoted when it holds a
 * comma, a quote or a line break, quotes doubled), for spreadsheets, pandas and R.
 *
 *  - `cycles`: one row per cycle, one column per CycleRecord field. Headers are the field names in
 *    snake_case with the unit as the last word (`_bytes`, `_ns`, `_count`, `_fraction`, `_ratio`),
 *    so a column read alone still says what it measures. An unknown value (a simulation-only field
 *    of an imported log) is an empty field, never 0.
 *  - The cycle's stop-the-world windows (`pauses`) do not fit one cell: the cycles table carries
 *    `pause_count` next to the total `pause_ns`, and the `pauses` table has one row per window
 *    (`seq`, `pause_index`, `start_ns`, `duration_ns`), joined to cycles on `seq`.
 *  - Nanoseconds, bytes and counts are whole numbers. The simulation keeps some as fractions (its
 *    background and idle CPU shares, the pacer's trigger), which would print as `54614.99999999999`:
 *    those columns are rounded to the nearest integer here, where they become text; fractions and
 *    ratios keep every digit.
 */
import type { CycleRecord } from '../engine/record';

export type CsvTable = 'cycles' | 'pauses';
export const CSV_TABLES: readonly CsvTable[] = ['cycles', 'pauses'];

type ScalarField = Exclude<keyof CycleRecord, 'pauses'>;

/**
 * Every scalar field's header, in CycleRecord order. A Record over the field names: a field added
 * to CycleRecord fails to compile here until it has a column.
 */
const CYCLE_HEADERS: Record<ScalarField, string> = {
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
  procs: 'procs_count',
  sweepTermNs: 'sweep_term_ns',
  markNs: 'mark_ns',
  markTermNs: 'mark_term_ns',
  pauseNs: 'pause_ns',
  assistCpuNs: 'assist_cpu_ns',
  backgroundCpuNs: 'background_cpu_ns',
  idleCpuNs: 'idle_cpu_ns',
  gcCpuFraction: 'gc_cpu_fraction',
  objectsFreed: 'objects_freed_count',
  bytesFreed: 'freed_bytes',
  liveObjects: 'live_objects_count',
  fragmentationBytes: 'fragmentation_bytes',
  stackInUseBytes: 'stack_in_use_bytes',
  heapInUseBytes: 'heap_in_use_bytes',
  heapIdleBytes: 'heap_idle_bytes',
  heapReleasedBytes: 'heap_released_bytes',
  tailWasteBytes: 'tail_waste_bytes',
  internalWasteBytes: 'internal_waste_bytes',
  heapAllocations: 'heap_allocations_count',
  heapAllocatedBytes: 'heap_allocated_bytes',
  stackAllocations: 'stack_allocations_count',
  stackAllocatedBytes: 'stack_allocated_bytes',
  tinyAllocations: 'tiny_allocations_count',
  stackGrowths: 'stack_growths_count',
  stackShrinks: 'stack_shrinks_count',
  stackCopiedBytes: 'stack_copied_bytes',
  poolGets: 'pool_gets_count',
  poolHitsPrivate: 'pool_hits_private_count',
  poolHitsShared: 'pool_hits_shared_count',
  poolHitsStolen: 'pool_hits_stolen_count',
  poolHitsVictim: 'pool_hits_victim_count',
  poolMisses: 'pool_misses_count',
  poolPuts: 'pool_puts_count',
  poolDropped: 'pool_dropped_count',
  assistRatio: 'assist_ratio',
  markUtilization: 'mark_utilization_fraction',
  writeBarrierHits: 'write_barrier_hits_count',
  writeBarrierShades: 'write_barrier_shades_count',
  leakedObjects: 'leaked_objects_count',
  leakedBytes: 'leaked_bytes',
  refcountFrees: 'refcount_frees_count',
  cascadeMaxObjects: 'cascade_max_objects_count',
  cascadeMaxNs: 'cascade_max_ns',
};

const CYCLE_FIELDS = Object.keys(CYCLE_HEADERS) as ScalarField[];

/** Whether a column holds whole units (nanoseconds, bytes, a count), by its header's last word. */
export function isIntegerColumn(header: string): boolean {
  return /_(ns|bytes|count)$/.test(header) || header === 'seq';
}

/** The cycle fields whose columns are whole units: rounded as they are written. */
const INTEGER_FIELDS: ReadonlySet<ScalarField> = new Set(
  CYCLE_FIELDS.filter((field) => isIntegerColumn(CYCLE_HEADERS[field])),
);

/** A whole-unit value as an integer (null stays unknown). */
const whole = (value: number | null): number | null => (value === null ? null : Math.round(value));

/** The cycles table's header row, in column order. */
export const CYCLE_CSV_COLUMNS: readonly string[] = [
  ...CYCLE_FIELDS.map((field) => CYCLE_HEADERS[field]),
  'pause_count',
];
export const PAUSE_CSV_COLUMNS: readonly string[] = ['seq', 'pause_index', 'start_ns', 'duration_ns'];

const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 field: null is empty; text with a comma, quote or line break is quoted. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const row = (values: readonly (string | number | null)[]): string => `${values.map(csvField).join(',')}\r\n`;

export function cyclesCsv(cycles: Iterable<CycleRecord>): string {
  let text = row(CYCLE_CSV_COLUMNS);
  for (const cycle of cycles)
    text += row([
      ...CYCLE_FIELDS.map((f) => (INTEGER_FIELDS.has(f) ? whole(cycle[f] as number | null) : cycle[f])),
      cycle.pauses.length,
    ]);
  return text;
}

export function pausesCsv(cycles: Iterable<CycleRecord>): string {
  let text = row(PAUSE_CSV_COLUMNS);
  for (const cycle of cycles)
    cycle.pauses.forEach(
      (pause, index) => (text += row([cycle.seq, index, whole(pause.startNs), whole(pause.durationNs)])),
    );
  return text;
}

export function cycleTableCsv(table: CsvTable, cycles: Iterable<CycleRecord>): string {
  return table === 'cycles' ? cyclesCsv(cycles) : pausesCsv(cycles);
}
