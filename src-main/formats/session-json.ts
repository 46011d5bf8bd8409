/**
 * The session export as JSON: everything `heapscope show` and the session view know about one
 * session, in one self-describing file (documented in docs/export-formats.md), and the schema that
 * reads such a file back (`heapscope import`, the library's import). The zod schemas below are the
 * format's one definition: each is checked at compile time to produce exactly the exporter's type
 * (CycleRecord, HeapSample, HeapSnapshot, SessionDetail), so the writer and the reader cannot drift.
 *
 * Versions (formatVersion):
 *  1: session (SessionDetail: config, seed, engine version, stats, source report), cycles
 *     (CycleRecord, version cycleRecordVersion), samples (HeapSample). No heap snapshots.
 *  2: `format: "heapscope-session"` first, so a reader knows the file at its first key; `snapshots`
 *     (every stored HeapSnapshot, decoded, in cycle order). Version 1 files still import (with no
 *     snapshots). Added within version 2: `pacerLines` (GctraceCycleExtras: what an imported log's
 *     pacer lines printed beyond each cycle's record), written only when the session has them.
 */
import { z } from 'zod';
import { CYCLE_RECORD_VERSION, type CycleRecord, type HeapSample } from '../engine/record';
import { SNAPSHOT_VERSION, type HeapSnapshot } from '../engine/snapshot';
import { runRequestSchema, sessionNameSchema, tagSchema } from '../api/schemas';
import { SESSION_EDIT_LIMITS } from '../api/limits';
import type { SessionDetail, SourceReport } from '../api/types';
import type { GctraceCycleExtras } from './gctrace';

export const SESSION_JSON_FORMAT = 'heapscope-session';
export const SESSION_JSON_FORMAT_VERSION = 2;
/** Versions this release reads. */
export const SESSION_JSON_READABLE_VERSIONS = [1, 2] as const;

export interface SessionExport {
  /** Names the file's kind; written first so that a reader can tell at the first key. */
  format: typeof SESSION_JSON_FORMAT;
  /** Bumped when a field changes meaning or is removed; fields are only added within a version. */
  formatVersion: typeof SESSION_JSON_FORMAT_VERSION;
  /** The CycleRecord version of `cycles` (engine/record.ts CYCLE_RECORD_VERSION). */
  cycleRecordVersion: number;
  session: SessionDetail;
  /** Every recorded cycle in seq order. */
  cycles: CycleRecord[];
  /** The heap in use between cycles, in time order. */
  samples: HeapSample[];
  /** Every stored heap snapshot, in cycle order (none for imported logs). */
  snapshots: HeapSnapshot[];
  /**
   * What the pacer lines of an imported log (GODEBUG=gcpacertrace=1) printed beyond the records,
   * by cycle seq in seq order; absent when the session has none.
   */
  pacerLines?: GctraceCycleExtras[];
}

export function sessionExport(
  session: SessionDetail,
  cycles: CycleRecord[],
  samples: HeapSample[],
  snapshots: HeapSnapshot[],
  pacerLines: GctraceCycleExtras[] = [],
): SessionExport {
  return {
    format: SESSION_JSON_FORMAT,
    formatVersion: SESSION_JSON_FORMAT_VERSION,
    cycleRecordVersion: CYCLE_RECORD_VERSION,
    session,
    cycles,
    samples,
    snapshots,
    ...(pacerLines.length > 0 ? { pacerLines } : {}),
  };
}

/** Two-space indented, ending in a newline, as the CLI prints JSON. */
export function sessionJson(
  session: SessionDetail,
  cycles: CycleRecord[],
  samples: HeapSample[],
  snapshots: HeapSnapshot[],
  pacerLines: GctraceCycleExtras[] = [],
): string {
  return `${JSON.stringify(sessionExport(session, cycles, samples, snapshots, pacerLines), null, 2)}\n`;
}

// ---- The schema -------------------------------------------------------------------------------

/** Non-negative finite numbers: sizes, times and counts (zod 4 refuses NaN and ±Infinity). */
const amount = z.number().nonnegative();
const count = z.number().int().nonnegative();
const fraction = z.number().min(0).max(1);
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 text');
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();

const pauseWindowSchema = z.object({ startNs: amount, durationNs: amount });

const cycleRecordSchema = z.object({
  seq: z.number().int().positive(),
  startNs: amount,
  trigger: z.enum(['heap', 'forced', 'periodic']),
  heapStartBytes: amount,
  heapEndBytes: amount,
  heapMarkedBytes: amount,
  heapGoalBytes: amount,
  heapTriggerBytes: amount,
  stacksBytes: amount,
  globalsBytes: amount,
  procs: z.number().int().positive(),
  sweepTermNs: amount,
  markNs: amount,
  markTermNs: amount,
  pauseNs: amount,
  pauses: z.array(pauseWindowSchema),
  assistCpuNs: amount,
  backgroundCpuNs: amount,
  idleCpuNs: amount,
  gcCpuFraction: fraction,
  objectsFreed: nullable(amount),
  bytesFreed: nullable(amount),
  liveObjects: nullable(amount),
  fragmentationBytes: nullable(amount),
  stackInUseBytes: nullable(amount),
  heapInUseBytes: nullable(amount),
  heapIdleBytes: nullable(amount),
  heapReleasedBytes: nullable(amount),
  tailWasteBytes: nullable(amount),
  internalWasteBytes: nullable(amount),
  heapAllocations: nullable(amount),
  heapAllocatedBytes: nullable(amount),
  stackAllocations: nullable(amount),
  stackAllocatedBytes: nullable(amount),
  tinyAllocations: nullable(amount),
  stackGrowths: nullable(amount),
  stackShrinks: nullable(amount),
  stackCopiedBytes: nullable(amount),
  poolGets: nullable(amount),
  poolHitsPrivate: nullable(amount),
  poolHitsShared: nullable(amount),
  poolHitsStolen: nullable(amount),
  poolHitsVictim: nullable(amount),
  poolMisses: nullable(amount),
  poolPuts: nullable(amount),
  poolDropped: nullable(amount),
  assistRatio: nullable(amount),
  markUtilization: nullable(amount),
  writeBarrierHits: nullable(amount),
  writeBarrierShades: nullable(amount),
  leakedObjects: nullable(amount),
  leakedBytes: nullable(amount),
  refcountFrees: nullable(amount),
  cascadeMaxObjects: nullable(amount),
  cascadeMaxNs: nullable(amount),
});

const heapSampleSchema = z.object({ tNs: amount, heapAllocBytes: amount, heapInUseBytes: amount });

// Keys in the order takeSnapshot writes them: the store keeps a snapshot as its JSON text, so an
// imported one is stored (and sized) byte for byte as the original.
const heapSnapshotSchema = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  seq: count,
  tNs: amount,
  atCycleEnd: z.boolean(),
  heap: z.object({
    allocBytes: amount,
    requestedBytes: amount,
    inUseBytes: amount,
    idleBytes: amount,
    releasedBytes: amount,
    sysBytes: amount,
    objects: count,
    tailWasteBytes: amount,
    internalWasteBytes: amount,
    freeSlotBytes: amount,
    mallocs: count,
    frees: count,
    tinyAllocs: count,
  }),
  classes: z.array(
    z.object({
      spanClass: count,
      sizeClass: count,
      noscan: z.boolean(),
      objectBytes: amount,
      spans: count,
      spanBytes: amount,
      slots: count,
      objects: count,
      allocBytes: amount,
      requestedBytes: amount,
      tailWasteBytes: amount,
      internalWasteBytes: amount,
      freeSlotBytes: amount,
    }),
  ),
  spans: z.object({
    pagesTotal: count,
    pageBytes: count,
    spans: count,
    spanData: base64,
    releasedRuns: base64,
  }),
  stacks: z.object({
    goroutines: count,
    inUseBytes: amount,
    scanBytes: amount,
    sizes: z.array(z.object({ bytes: amount, goroutines: count })),
    growths: count,
    shrinks: count,
    copiedBytes: amount,
  }),
  globals: z.object({ bytes: amount, rootPointers: count }),
  pools: z.array(
    z.object({
      name: z.string(),
      objects: count,
      bytes: amount,
      privateObjects: count,
      sharedObjects: count,
      victimObjects: count,
      gets: count,
      hitsPrivate: count,
      hitsShared: count,
      hitsStolen: count,
      hitsVictim: count,
      misses: count,
      puts: count,
      dropped: count,
    }),
  ),
  sites: z.array(
    z.object({
      name: z.string(),
      goroutineKind: z.string(),
      heapAllocations: count,
      heapBytes: amount,
      stackAllocations: count,
      stackBytes: amount,
      liveObjects: count,
      liveBytes: amount,
    }),
  ),
  graph: z
    .object({
      objects: count,
      edges: count,
      roots: count,
      site: base64,
      slotBytes: base64,
      requestedBytes: base64,
      edgeStart: base64,
      edgeTarget: base64,
      rootObject: base64,
      rootKind: base64,
      rootOwner: base64,
    })
    .nullable(),
});

const gctraceFormatSchema = z.enum(['go1.4', 'go1.5', 'go1.6-1.17', 'go1.18+']);
const scavtraceFormatSchema = z.enum(['scvg', 'scav-1.15', 'scav-1.20+']);
const lineProblemSchema = z.object({ line: count, reason: z.string(), text: z.string() });
const cycleFieldNames = Object.keys(cycleRecordSchema.shape) as [keyof CycleRecord, ...(keyof CycleRecord)[]];

const sourceReportSchema = z.object({
  kind: z.literal('gctrace'),
  reportVersion: z.literal(1),
  format: gctraceFormatSchema,
  goVersion: z.string().nullable(),
  cyclesByFormat: z.record(gctraceFormatSchema, count),
  precisionBytes: amount,
  startPrecisionNs: nullable(amount),
  timePrecision: z.string(),
  fileName: z.string().nullable(),
  bytesRead: nullable(count),
  linesRead: count,
  cycles: count,
  forcedCycles: count,
  firstSeq: nullable(count),
  lastSeq: nullable(count),
  missingCycles: count,
  duplicateLines: count,
  runs: count,
  laterRuns: z.array(z.object({ line: count, seq: count })),
  cyclesNotImported: count,
  noGoalCycles: count,
  skippedLines: count,
  // Absent from exports written before pacer lines were read (they were skipped lines then).
  pacerLines: count.default(0),
  pacerCycles: count.default(0),
  unattachedPacerLines: count.default(0),
  unattachedPacer: z.array(lineProblemSchema).default([]),
  embeddedLines: count,
  malformedLines: count,
  malformed: z.array(lineProblemSchema),
  truncatedLastLine: lineProblemSchema.nullable(),
  scavenger: z
    .object({
      lines: count,
      format: scavtraceFormatSchema,
      forcedLines: count,
      workBytes: amount,
      lastReleasedBytes: nullable(amount),
      peakReleasedBytes: nullable(amount),
      minUtilPercent: nullable(z.number()),
      entries: z.array(
        z.object({
          line: count,
          afterSeq: count,
          format: scavtraceFormatSchema,
          workBytes: nullable(amount),
          eagerWorkBytes: nullable(amount),
          releasedBytes: nullable(amount),
          utilPercent: nullable(z.number()),
          forced: z.boolean(),
        }),
      ),
    })
    .nullable(),
  substitutions: z.array(z.object({ field: z.enum(cycleFieldNames), cycles: count, stored: z.string() })),
  attach: z
    .object({
      command: z.array(z.string()),
      exitCode: z.number().int().nullable(),
      signal: z.string().nullable(),
      interruptedBy: z.string().nullable(),
    })
    .optional(),
});

const sessionDetailSchema = z.object({
  id: z.number().int().positive(),
  name: sessionNameSchema,
  source: z.enum(['simulation', 'gctrace', 'attach']),
  status: z.enum(['recording', 'complete', 'interrupted', 'failed']),
  scenario: z.string().nullable(),
  collector: z.string().nullable(),
  createdAt: z.iso.datetime({ message: 'an ISO-8601 time such as "2026-11-25T10:00:00.000Z"' }),
  cycleCount: count,
  durationNs: amount,
  notes: z.string().max(SESSION_EDIT_LIMITS.notesMax),
  tags: z.array(tagSchema).max(SESSION_EDIT_LIMITS.tagsMax),
  sizeBytes: count,
  config: runRequestSchema.nullable(),
  seed: nullable(count),
  engineVersion: z.string().nullable(),
  error: z.string().nullable(),
  stats: z.object({
    cycles: count,
    pauseTotalNs: amount,
    pauseP50Ns: amount,
    pauseP95Ns: amount,
    pauseP99Ns: amount,
    pauseMaxNs: amount,
    peakHeapBytes: amount,
    gcCpuFraction: fraction,
    thrashing: z.boolean(),
    // Absent from exports written before reference counting's leaks were summed up: null, as for
    // the collectors that never leak.
    leakedObjects: nullable(count).default(null),
    leakedBytes: nullable(count).default(null),
  }),
  sourceReport: sourceReportSchema.nullable(),
});

const cycleExtrasSchema = z.object({
  seq: z.number().int().positive(),
  sweepTermCpuNs: nullable(amount),
  markTermCpuNs: nullable(amount),
  pacer: z.object({
    sweepDone: z
      .object({ heapLiveMiB: count, allocatedMiB: count, pagesSwept: count, pagesPerByte: z.number() })
      .nullable(),
    start: z
      .object({
        heapScanMiB: count,
        initialHeapLiveMiB: count,
        heapGoalMiB: count,
        dedicatedWorkers: count,
        fractionalUtilizationGoal: z.number(),
      })
      .nullable(),
    end: z
      .object({
        utilizationPercent: count,
        expectedUtilizationPercent: count,
        heapScanWorkBytes: count,
        expectedScanWorkBytes: count,
        heapLiveBytes: count,
        goalDeltaBytes: z.number().int(),
        consMark: z.number(),
        controllerReset: z.boolean(),
      })
      .nullable(),
  }),
});

const sessionExportSchema = z.object({
  format: z.literal(SESSION_JSON_FORMAT).optional(),
  formatVersion: z.union(
    SESSION_JSON_READABLE_VERSIONS.map((v) => z.literal(v)),
    {
      message: `a format version this release reads: ${SESSION_JSON_READABLE_VERSIONS.join(' or ')}`,
    },
  ),
  cycleRecordVersion: z.literal(CYCLE_RECORD_VERSION, {
    message: `cycle record version ${CYCLE_RECORD_VERSION} (written by this release of Heapscope)`,
  }),
  session: sessionDetailSchema,
  cycles: z.array(cycleRecordSchema),
  samples: z.array(heapSampleSchema),
  snapshots: z.array(heapSnapshotSchema).optional(),
  pacerLines: z.array(cycleExtrasSchema).optional(),
});

// The schemas produce exactly the exporter's types: a field added to one and not the other fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemasMatchTypes: [
  Same<z.output<typeof cycleRecordSchema>, CycleRecord>,
  Same<z.output<typeof heapSampleSchema>, HeapSample>,
  Same<z.output<typeof heapSnapshotSchema>, HeapSnapshot>,
  Same<z.output<typeof sourceReportSchema>, SourceReport>,
  Same<z.output<typeof sessionDetailSchema>, SessionDetail>,
  Same<z.output<typeof cycleExtrasSchema>, GctraceCycleExtras>,
] = [true, true, true, true, true, true];
void schemasMatchTypes;

/** A session export as read back: any readable version, snapshots always present. */
export interface ParsedSessionExport {
  formatVersion: (typeof SESSION_JSON_READABLE_VERSIONS)[number];
  session: SessionDetail;
  cycles: CycleRecord[];
  samples: HeapSample[];
  snapshots: HeapSnapshot[];
  pacerLines: GctraceCycleExtras[];
}

/** Problems quoted in the message; a file broken throughout needs only the first few to be fixed. */
const QUOTED_PROBLEMS = 5;

/** A session export that cannot be read: every problem as `JSON path: expected …, found …`. */
export class SessionJsonError extends Error {
  constructor(readonly problems: readonly string[]) {
    const more = problems.length > QUOTED_PROBLEMS ? `; and ${problems.length - QUOTED_PROBLEMS} more` : '';
    super(`not a readable Heapscope session export: ${problems.slice(0, QUOTED_PROBLEMS).join('; ')}${more}`);
    this.name = 'SessionJsonError';
  }
}

/** Whether parsed JSON claims to be a session export (its kind or version field), right or wrong. */
export function looksLikeSessionExport(json: unknown): boolean {
  return (
    typeof json === 'object' &&
    json !== null &&
    !Array.isArray(json) &&
    ('formatVersion' in json || (json as { format?: unknown }).format === SESSION_JSON_FORMAT)
  );
}

/** Parses a session export's text; throws SessionJsonError naming what is wrong and where. */
export function parseSessionJson(text: string): ParsedSessionExport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SessionJsonError([describeSyntaxError(text, error as Error)]);
  }
  return parseSessionExport(json);
}

/** Validates parsed JSON as a session export of a readable version. */
export function parseSessionExport(json: unknown): ParsedSessionExport {
  const result = sessionExportSchema.safeParse(json, { reportInput: true });
  if (!result.success) throw new SessionJsonError(result.error.issues.map(describeIssue));
  const { formatVersion, session, cycles, samples, snapshots, pacerLines } = result.data;
  const parsed = {
    formatVersion,
    session,
    cycles,
    samples,
    snapshots: snapshots ?? [],
    pacerLines: pacerLines ?? [],
  };
  checkOrder(parsed);
  return parsed;
}

/** Seq numbers must ascend (they are the records' keys); the schema checks each record alone. */
function checkOrder(parsed: ParsedSessionExport): void {
  const problems: string[] = [];
  const ascending = (items: readonly { seq: number }[], field: string): void => {
    for (let i = 1; i < items.length; i++) {
      if (items[i]!.seq <= items[i - 1]!.seq) {
        problems.push(
          `$.${field}[${i}].seq: expected a number > ${items[i - 1]!.seq} (seq ascends, each once), found ${items[i]!.seq}`,
        );
        return;
      }
    }
  };
  ascending(parsed.cycles, 'cycles');
  ascending(parsed.snapshots, 'snapshots');
  ascending(parsed.pacerLines, 'pacerLines');
  const seqs = new Set(parsed.cycles.map((c) => c.seq));
  const stray = parsed.pacerLines.findIndex((p) => !seqs.has(p.seq));
  if (stray >= 0) {
    problems.push(
      `$.pacerLines[${stray}].seq: expected the seq of a cycle in $.cycles, found ${parsed.pacerLines[stray]!.seq}`,
    );
  }
  if (problems.length > 0) throw new SessionJsonError(problems);
}

function describeSyntaxError(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message);
  const at = position === null ? text.length : Number(position[1]);
  if (at >= text.trimEnd().length || /end of (JSON )?input/i.test(error.message)) {
    return `$: expected a complete JSON document, found it cut off after ${text.length.toLocaleString('en-US')} characters (truncated?)`;
  }
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return `$: expected JSON, found ${JSON.stringify(text.slice(at, at + 20))} at line ${line}, column ${column}`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  return `${path}: expected ${expectation(issue)}, found ${describeValue(issue.input)}`;
}

/** What the schema wanted, in words: the schema's own message, or one built from zod's issue. */
function expectation(issue: z.core.$ZodIssue): string {
  // zod's own (English) messages start like these; a message written in a schema reads as it is.
  if (!/^(Invalid|Too (small|big)|Unrecognized)/.test(issue.message))
    return issue.message.replace(/^expected /, '');
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int'
        ? 'an integer'
        : `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `at least ${String(issue.minimum)} ${issue.origin === 'array' ? 'items' : 'characters'}`
        : `a number ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `at most ${String(issue.maximum)} ${issue.origin === 'array' ? 'items' : 'characters'}`
        : `a number ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    case 'invalid_value':
      return issue.values.map((v) => JSON.stringify(v)).join(' or ');
    case 'unrecognized_keys':
      return `no fields ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    default:
      return issue.message;
  }
}

/** `$.cycles[3].heapGoalBytes`: a JSON path, as jq and JSONPath spell it. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return 'an object';
}
