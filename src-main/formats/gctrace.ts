/**
 * gctrace: what a Go program prints on stderr under `GODEBUG=gctrace=1` (and `scavtrace=1`), read
 * into CycleRecords — streaming, so a log of any size parses in constant memory. The writer, for
 * export, is `gctrace-format.ts`. Facts and sources: reference/go-runtime.md §4.
 *
 * Cycle lines, by format (the table CYCLE_FORMATS below drives the parser; Go ≤ 1.4 has its own
 * regex):
 *
 * | format       | Go             | line                                                                          |
 * | ------------ | -------------- | ----------------------------------------------------------------------------- |
 * | `go1.18+`    | 1.18 → tip     | `gc N @T s P%: a+b+c ms clock, a+b/c/d+e ms cpu, h0->h1->h2 MB, G MB goal,`    |
 * |              |                | `S MB stacks, B MB globals, N P[ (forced)]`                                   |
 * | `go1.6-1.17` | 1.6/1.7 → 1.17 | as 1.18+ without `S MB stacks, B MB globals, `                                |
 * | `go1.5`      | 1.5 (dev: `#`) | `gc [#]N @T s P%: a+b+c+d+e ms clock, a+b+c+d/e/f+g ms cpu, …, N P[ (forced)]` |
 * | `go1.4`      | 1.3 – 1.4      | `gcN(P): t1+t2+t3+t4 us, h0 -> h1 MB, O (M-F) objects, [G goroutines, ]…`     |
 *
 * Scavenger lines (parsed, counted and summarised in the report; no record field holds them):
 *
 * | format       | Go          | line                                                                            |
 * | ------------ | ----------- | ------------------------------------------------------------------------------- |
 * | `scav-1.20+` | ≥ 1.20      | `scav W KiB work (bg), E KiB work (eager), N KiB now, U% util[ suffix]`         |
 * | `scav-1.15`  | 1.15 – 1.19 | `scav W KiB work, T KiB total, U% util[ (forced)\| [controller reset]]`         |
 * | `scvg`       | ≤ 1.14      | `scvgN: M MB released` or `scvgN: inuse: I, idle: D, sys: S, released: R, …`   |
 *
 * Pacer lines (`GODEBUG=gcpacertrace=1`, reference/go-runtime.md §3.7–3.10; Go 1.19's mgcpacer.go
 * and mgcsweep.go), printed before the cycle's `gc N` line, which takes them. endCycle prints nothing
 * when the mark ended with heapLive still at the trigger (a forced cycle's can):
 *
 * | printed by | line                                                                                          |
 * | ---------- | --------------------------------------------------------------------------------------------- |
 * | startCycle | `pacer: assist ratio=R (scan S MB in L->G MB) workers=D+F`                                    |
 * | endCycle   | `pacer: U% CPU (E exp.) for H+S+G B work (X B exp.) in T B -> L B (∆goal Δ, cons/mark C)[ […]]` |
 * | sweeper    | `pacer: sweep done at heap size LMB; allocated AMB during sweep; swept N pages at R pages/byte` |
 *
 * The sweeper's line comes when the sweep after a cycle finishes, so after that cycle's gc line and
 * before the next cycle starts: the next cycle line takes it too (GctracePacer.sweepDone).
 *
 *  - R (assistWorkPerByte) is the record's assistRatio. T (`c.triggered`: the trigger the cycle
 *    started against: computed in Go 1.18–1.19, heapLive at the start in tip) is its
 *    heapTriggerBytes, exact, in place of h0.
 *  - S and G of the end line are the stack and globals bytes the mark scanned, exact to the byte:
 *    they become stacksBytes and globalsBytes, more exact than the gc line's `MB stacks` and
 *    `MB globals` (whole MiB) — and for Go 1.19 more than that, because its `MB stacks` is the
 *    allocated stack sizes (Σ hi − lo, §4.3.1), an upper bound of the scanned Σ hi − sp that the
 *    record's stacksBytes means; the end line's S is that scanned size in every version.
 *  - Everything else (utilization, expected work, cons/mark, workers, the MB numbers) has no record
 *    field: it rides beside the record (GctraceCycle.pacer), so an export prints the lines again.
 *  - A pacer line no gc line takes (the log ends, or another of the same kind comes first) is
 *    reported with its line number; a `pacer:` line that does not parse is malformed.
 *
 * Reading a log:
 *  1. Chunks are cut into lines at LF (a CR before it is dropped); the unterminated tail waits for
 *     the next chunk, so every way of splitting a text gives the same result.
 *  2. A line that starts like a trace line (`gc 1`, `gc #1`, `gc1(`, `scav `, `scvg1`, `pacer:`) must parse, or
 *     it is reported as malformed with its line number — as truncated if it is the unterminated last
 *     line. Any other line is program output, counted and skipped after a search for a trace line
 *     inside it: Go prints a trace line in several writes to the stderr it shares with the program,
 *     so program text can precede the line, or follow it before the newline.
 *  3. Cycle numbers increase within one program run. A number that does not increase (or a time that
 *     goes back) starts a new run: two logs appended. Each cycle carries its run; `firstRunOnly`
 *     drops the later runs, since one session is one run.
 *  4. At the end, input that held no cycle line is refused, saying what was expected and what was
 *     found: nothing, binary data, JSON, or text without trace lines.
 *
 * Mapping a cycle line to a CycleRecord (Go ≥ 1.5; §4.2):
 *  - heap numbers are printed as whole MiB, floored (`>> 20`), and stored as MiB × 2^20: exact to
 *    1 MiB, `precisionBytes` in the report. Times are decimal milliseconds stored as exact ns.
 *  - clock: sweep termination, mark (1.5: scan + install write barrier + mark), mark termination;
 *    pauseNs = sweep termination + mark termination, the two stop-the-world windows.
 *  - cpu: assist, background (dedicated + fractional) and idle mark workers map to their fields;
 *    the stop-the-world CPU terms (stwprocs × clock) have no record field and ride beside the record
 *    (GctraceCycle), so an export can print them again.
 *  - trigger: `forced` when the line says so, else `heap` (a periodic cycle is not marked).
 *  - `S MB stacks` changed meaning without changing format (§4.3.1): Go 1.18 prints the stack bytes
 *    its goal counts (allocated stacks), Go 1.19 prints allocated stacks (Σ hi − lo) while its goal
 *    counts the scanned part (Σ hi − sp, golang/go#54649), Go ≥ 1.20 prints the scanned part. So
 *    stacksBytes (what the goal counted) = S, exact except for Go 1.19 where it is an upper bound
 *    (a pacer end line, when there is one, gives the scanned bytes instead);
 *    stackInUseBytes (Σ hi − lo) = S only when the caller says the log is from Go 1.18 or 1.19
 *    (`goVersion`), else null. Before Go 1.18 the goal counted no stacks: stacksBytes = 0.
 *  - fields a simulation alone knows are null (assistRatio too, unless a pacer line gave it).
 *    Fields gctrace does not carry but a record requires get the most honest value the line
 *    supports, listed in the report's `substitutions`: heapTriggerBytes = h0 when no pacer line gave
 *    the trigger (it was at most h0); globals = 0 before Go 1.18 (not printed);
 *    a GOGC=off goal (printed as ~2^43 or 2^44 MiB) = 0.
 *
 * Go ≤ 1.4 collected with the world stopped, and its line says less: `t1+t2+t3+t4 us` are stopping
 * the world, finishing the sweep, marking and the rest (all stop-the-world: pauseNs is their sum);
 * h0 is Go's estimate of the live heap after the *previous* cycle and h1 the heap at this collection
 * (mgc0.c, `gc()`), so a record takes heapStart/End/Goal/Trigger = h1 and heapMarked = the next
 * line's h0; there is no time (cycles are laid end to end), no CPU fraction, and P counts the GC's
 * helper threads, not GOMAXPROCS.
 */
import { assertNever } from '../engine/assert';
import type { CycleRecord, HeapSample } from '../engine/record';

export const BYTES_PER_MIB = 1 << 20;
const BYTES_PER_KIB = 1 << 10;

export type GctraceFormat = 'go1.4' | 'go1.5' | 'go1.6-1.17' | 'go1.18+';
export type ScavtraceFormat = 'scvg' | 'scav-1.15' | 'scav-1.20+';

/** Text as char codes: the scanner compares separators code by code (see CycleLineScanner.literal). */
const codesOf = (s: string): readonly number[] => Array.from(s, (c) => c.charCodeAt(0));

/** How the values of one cycle line map to record fields (indices into the printed lists). */
interface CycleFormatSpec {
  format: Exclude<GctraceFormat, 'go1.4'>;
  /** `a+b+c` (3) or `a+b+c+d+e` (5) ms clock; the first is sweep termination, the last mark termination. */
  clockPhases: 3 | 5;
  /** The cpu values as Go prints them, and the separators between them as char codes. */
  cpuLayout: string;
  cpuSeparators: readonly number[];
  cpu: { sweepTerm: number; assist: number; background: number; idle: number; markTerm: number };
  /** Prints `S MB stacks, B MB globals, ` before `N P`. */
  roots: boolean;
}

const CYCLE_FORMATS: readonly CycleFormatSpec[] = [
  {
    format: 'go1.18+',
    clockPhases: 3,
    cpuLayout: 'a+b/c/d+e',
    cpuSeparators: codesOf('+//+'),
    cpu: { sweepTerm: 0, assist: 1, background: 2, idle: 3, markTerm: 4 },
    roots: true,
  },
  {
    format: 'go1.6-1.17',
    clockPhases: 3,
    cpuLayout: 'a+b/c/d+e',
    cpuSeparators: codesOf('+//+'),
    cpu: { sweepTerm: 0, assist: 1, background: 2, idle: 3, markTerm: 4 },
    roots: false,
  },
  {
    // Clock: sweep termination, scan, install write barrier (a ragged barrier, not stop-the-world),
    // mark, mark termination. CPU: the same three, then assist/background/idle, then mark termination.
    format: 'go1.5',
    clockPhases: 5,
    cpuLayout: 'a+b+c+d/e/f+g',
    cpuSeparators: codesOf('+++//+'),
    cpu: { sweepTerm: 0, assist: 3, background: 4, idle: 5, markTerm: 6 },
    roots: false,
  },
];

const [GO118, GO16, GO15] = CYCLE_FORMATS as [CycleFormatSpec, CycleFormatSpec, CycleFormatSpec];

const GO14_LINE =
  /^gc(\d+)\((\d+)\): (\d+)\+(\d+)\+(\d+)\+(\d+) us, (\d+) -> (\d+) MB, \d+ \(\d+-\d+\) objects, (?:\d+ goroutines, )?\d+\/\d+\/\d+ sweeps, \d+\(\d+\) handoff, \d+\(\d+\) steal, \d+\/\d+\/\d+ yields/;
// Scavenger lines are rare (about one per cycle), so regexes are fast enough and easiest to check
// against §4.6. The optional suffixes are the ones Go prints; anything after them is program output.
const SCAV_NEW_LINE =
  /^scav (\d+) KiB work \(bg\), (\d+) KiB work \(eager\), (\d+) KiB now, (\d+)% util( \(forced\)| \[controller reset\])?/;
const SCAV_OLD_LINE =
  /^scav (\d+) KiB work, (\d+) KiB total, (\d+)% util( \(forced\)| \[controller reset\])?/;
const SCVG_LINE =
  /^scvg(\d+): (?:(\d+) MB released|inuse: (\d+),? idle: (\d+),? sys: (\d+),? released: (\d+),? consumed: (\d+) \(MB\))/;
// Pacer lines: two a cycle at most, so regexes too. Go's print(float64) writes "+1.136800e+000"; any
// decimal is read, and "+Inf"/"NaN" are matched only to be refused by name.
const FLOAT = String.raw`([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|[-+]Inf|NaN)`;
const PACER_START_LINE = new RegExp(
  String.raw`^pacer: assist ratio=${FLOAT} \(scan (\d{1,15}) MB in (\d{1,15})->(\d{1,15}) MB\) workers=(\d{1,15})\+${FLOAT}`,
);
// Go 1.19 prints "[controller reset]" straight after the ")"; a space before it is read too.
const PACER_END_LINE = new RegExp(
  String.raw`^pacer: (\d{1,15})% CPU \((\d{1,15}) exp\.\) for (\d{1,15})\+(\d{1,15})\+(\d{1,15}) B work \((\d{1,15}) B exp\.\) in (\d{1,15}) B -> (\d{1,15}) B \([∆Δ]goal (-?\d{1,15}), cons/mark ${FLOAT}\)( ?\[controller reset\])?`,
);
const PACER_SWEEP_LINE = new RegExp(
  String.raw`^pacer: sweep done at heap size (\d{1,15})MB; allocated (\d{1,15})MB during sweep; swept (\d{1,15}) pages at ${FLOAT} pages/byte`,
);
const PACER_START_EXPECTED =
  'expected "pacer: assist ratio=<float> (scan <n> MB in <n>-><n> MB) workers=<n>+<float>"';
const PACER_END_EXPECTED =
  'expected "pacer: <n>% CPU (<n> exp.) for <heap>+<stack>+<globals> B work (<n> B exp.) in <trigger> B -> <heapLive> B (∆goal <n>, cons/mark <float>)" (Go ≥ 1.18)';

/**
 * Go prints heap sizes in MiB; above 2^33 MiB (8 PiB) bytes would leave the exact integers. A goal
 * of 2^42 MiB or more is not a heap size but GOGC=off's "no goal": ^uint64(0) >> 20 before Go 1.19,
 * about MaxInt64 >> 20 (the unset memory limit's goal) since.
 */
const MAX_HEAP_MIB = 2 ** 33 - 1;
const NO_GOAL_MIB = 2 ** 42;

/** Lines longer than this are program output (a trace line is ~200 characters); memory stays bounded. */
const MAX_LINE_CHARS = 64 * 1024;
/** Of an overlong line, the tail kept and searched for a trace line glued to its end. */
const OVERLONG_TAIL_CHARS = 1024;
/** Input inspected for binary data: the first 64 Ki characters. */
const SNIFF_CHARS = 64 * 1024;
/** Above this share of NUL, control characters and U+FFFD (undecodable bytes), the input is binary. */
const BINARY_SHARE = 0.1;
/** Problems kept in the report: the rest are counted, so the report stays small for any input. */
export const MAX_REPORTED_PROBLEMS = 1000;
export const MAX_REPORTED_SCAV_LINES = 1000;
const MAX_REPORTED_RUNS = 100;
/** A reported line is cut to this many characters. */
const MAX_QUOTED_CHARS = 200;

/**
 * What startCycle's pacer line prints beside the assist ratio (the record's assistRatio): sizes
 * as Go prints them, `>> 20`.
 */
export interface PacerStart {
  /** gcController.heapScan: scannable heap bytes expected, in whole MiB. */
  heapScanMiB: number;
  /** heapLive when the cycle started (work.initialHeapLive), whole MiB. */
  initialHeapLiveMiB: number;
  /** The heap goal the cycle marks against, whole MiB. */
  heapGoalMiB: number;
  /** Dedicated mark workers, and the fractional worker's share of one P (0 when none). */
  dedicatedWorkers: number;
  fractionalUtilizationGoal: number;
}

/**
 * What endCycle's pacer line prints beside the trigger, stack and globals scan work (the record's
 * heapTriggerBytes, stacksBytes and globalsBytes).
 */
export interface PacerEnd {
  /** int(utilization × 100): 25 % of background workers assumed, plus assists; idle not counted. */
  utilizationPercent: number;
  /** int(gcGoalUtilization × 100): what the pacer aims at (25 in Go 1.19). */
  expectedUtilizationPercent: number;
  /** Heap bytes the mark scanned (heapScanWork); stack and globals are the record's. */
  heapScanWorkBytes: number;
  /** Scan work the pacer expected: lastHeapScan + lastStackScan + globalsScan. */
  expectedScanWorkBytes: number;
  /** heapLive when the mark finished. */
  heapLiveBytes: number;
  /** heapLive − the cycle's heap goal; negative when the mark finished under the goal. */
  goalDeltaBytes: number;
  /** The cons/mark estimate the cycle was paced with, before this cycle updates it. */
  consMark: number;
  /** Go 1.19: the cons/mark controller's error ran away and it was reset (`[controller reset]`). */
  controllerReset: boolean;
}

/** What the sweeper's pacer line prints when the sweep of a cycle's heap is done (mgcsweep.go). */
export interface PacerSweepDone {
  /** heapLive when the sweep finished, whole MiB (printed "MB" without a space). */
  heapLiveMiB: number;
  /** Bytes allocated while sweeping (heapLive − the sweep's basis), whole MiB. */
  allocatedMiB: number;
  pagesSwept: number;
  /** The proportional sweep's pace: pages swept per byte allocated. */
  pagesPerByte: number;
}

/**
 * The gcpacertrace lines a cycle line took, minus what went into its record; any may be missing.
 * sweepDone is the line of the sweep that finished before this cycle started (the previous
 * cycle's sweep), printed between the two cycles.
 */
export interface GctracePacer {
  sweepDone: PacerSweepDone | null;
  start: PacerStart | null;
  end: PacerEnd | null;
}

/** One parsed cycle line: the record, and what the line says that the record has no field for. */
export interface GctraceCycle {
  record: CycleRecord;
  format: GctraceFormat;
  /** 1-based line number in the input. */
  line: number;
  /** 1-based program run within the log (a new run starts where the gc numbers restart). */
  run: number;
  /** Stop-the-world CPU of sweep and mark termination (stwprocs × their clock); null for Go ≤ 1.4. */
  sweepTermCpuNs: number | null;
  markTermCpuNs: number | null;
  /** The pacer lines printed before the cycle line (GODEBUG=gcpacertrace=1); null when none. */
  pacer: GctracePacer | null;
}

/**
 * What an imported cycle line and the pacer lines before it printed beyond its record, keyed by the
 * cycle's seq: kept with the session (store/pacer-lines.ts) and in its JSON export, so that a
 * gctrace export prints the pacer lines, and the cycle line's stop-the-world CPU, again as read.
 */
export interface GctraceCycleExtras extends Pick<GctraceCycle, 'sweepTermCpuNs' | 'markTermCpuNs'> {
  seq: number;
  pacer: GctracePacer;
}

/** The extras of a cycle that took pacer lines; null for one that did not (nothing to keep). */
export function cycleExtrasOf(cycle: GctraceCycle): GctraceCycleExtras | null {
  if (cycle.pacer === null) return null;
  return {
    seq: cycle.record.seq,
    sweepTermCpuNs: cycle.sweepTermCpuNs,
    markTermCpuNs: cycle.markTermCpuNs,
    pacer: cycle.pacer,
  };
}

export type GctraceProblemKind = 'malformed' | 'truncated' | 'duplicate' | 'new-run' | 'unattached-pacer';

export interface GctraceDiagnostic {
  kind: GctraceProblemKind;
  /** 1-based line number. */
  line: number;
  message: string;
  /** The line, cut to 200 characters. */
  text: string;
}

export interface GctraceBatch {
  cycles: GctraceCycle[];
  diagnostics: GctraceDiagnostic[];
}

export interface GctraceLineProblem {
  line: number;
  reason: string;
  text: string;
}

export interface ScavengerLine {
  line: number;
  /** The gc number of the last cycle line before it (0 before the first). */
  afterSeq: number;
  format: ScavtraceFormat;
  /** Bytes returned to the OS since the previous line: by the background scavenger (before 1.20: all). */
  workBytes: number | null;
  /** Bytes returned eagerly (on heap growth, the memory limit, FreeOSMemory); Go ≥ 1.20 only. */
  eagerWorkBytes: number | null;
  /** Heap memory released to the OS so far (`KiB total`, `KiB now`, scvg `released`). */
  releasedBytes: number | null;
  /** heapInUse / (heapInUse + heapFree), percent. */
  utilPercent: number | null;
  forced: boolean;
}

export interface ScavengerReport {
  lines: number;
  /** The format of the last scavenger line. */
  format: ScavtraceFormat;
  forcedLines: number;
  /** Sum of the lines' work (background + eager): bytes returned to the OS over the log. */
  workBytes: number;
  lastReleasedBytes: number | null;
  peakReleasedBytes: number | null;
  minUtilPercent: number | null;
  /** The first 1000 lines; `lines` counts them all. */
  entries: ScavengerLine[];
}

/** A field the log does not carry, and what was stored in it instead. */
export interface GctraceSubstitution {
  field: keyof CycleRecord;
  cycles: number;
  stored: string;
}

/**
 * What an import learned about its log, stored with the session (sessions.source_report_json)
 * and shown with it. JSON-safe; `reportVersion` changes when a field changes meaning.
 */
export interface GctraceReport {
  kind: 'gctrace';
  reportVersion: 1;
  /** The format of most cycle lines; the count per format beside it (a log may mix them). */
  format: GctraceFormat;
  /** The Go release the log came from, as the importer was told; null when unknown. */
  goVersion: string | null;
  cyclesByFormat: Record<GctraceFormat, number>;
  /** Heap numbers are whole MiB (Go prints bytes >> 20), so each is exact to this many bytes. */
  precisionBytes: number;
  /** `@T s` has millisecond resolution; null when no line carried a time (Go ≤ 1.4). */
  startPrecisionNs: number | null;
  /** How exact the phase and CPU times are. */
  timePrecision: string;
  /** Set by the importer: the file's name (null for stdin) and the bytes read. */
  fileName: string | null;
  bytesRead: number | null;
  linesRead: number;
  /** Cycle lines parsed, in every run. */
  cycles: number;
  forcedCycles: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** gc numbers missing inside runs: lines lost from the log. */
  missingCycles: number;
  duplicateLines: number;
  runs: number;
  /** Where the runs after the first start (the first 100). */
  laterRuns: { line: number; seq: number }[];
  /** Cycle lines of later runs that were not turned into records (`firstRunOnly`). */
  cyclesNotImported: number;
  /** Cycles whose goal Go printed as unreachable: GOGC=off without a memory limit. */
  noGoalCycles: number;
  /** Program output: lines neither trace lines nor malformed ones. */
  skippedLines: number;
  /** gcpacertrace lines read (both kinds, attached or not). */
  pacerLines: number;
  /** Cycles that took at least one pacer line. */
  pacerCycles: number;
  /** Pacer lines no cycle line took: the log ended, or another of the same kind came first. */
  unattachedPacerLines: number;
  /** The first 1000 of them, with their line numbers and why. */
  unattachedPacer: GctraceLineProblem[];
  /** Trace lines found after or before program output on the same line. */
  embeddedLines: number;
  malformedLines: number;
  /** The first 1000 malformed lines, with their line numbers. */
  malformed: GctraceLineProblem[];
  truncatedLastLine: GctraceLineProblem | null;
  scavenger: ScavengerReport | null;
  substitutions: GctraceSubstitution[];
}

export type GctraceInputProblem = 'empty' | 'binary' | 'json' | 'no-trace';

/** The input is not a gctrace log at all. */
export class GctraceInputError extends Error {
  constructor(
    readonly problem: GctraceInputProblem,
    message: string,
  ) {
    super(message);
    this.name = 'GctraceInputError';
  }
}

const EXPECTED =
  'expected GODEBUG=gctrace=1 output from a Go program (lines like "gc 1 @0.004s 2%: 0.010+1.2+0.003 ms clock, …")';

export interface GctraceParserOptions {
  /** Turn only the first program run into records; count the cycles of later runs. */
  firstRunOnly?: boolean;
  /**
   * The Go release that wrote the log ("1.19", "go1.21.3"), when known: it decides what `MB stacks`
   * means, which the line does not show. Null or absent: unknown.
   */
  goVersion?: string | null;
}

/** The minor release of a Go version string ("1.19.8", "go1.21" → 19, 21); null when it is not one. */
export function goMinorVersion(version: string): number | null {
  const match = /^(?:go)?1\.(\d{1,3})(?:\.\d+|rc\d+|beta\d+)?$/.exec(version.trim());
  return match === null ? null : Number(match[1]);
}

/** Every CycleRecord field only a simulation knows: null in an imported record. */
export const SIMULATION_ONLY = {
  objectsFreed: null,
  bytesFreed: null,
  liveObjects: null,
  fragmentationBytes: null,
  stackInUseBytes: null,
  heapInUseBytes: null,
  heapIdleBytes: null,
  heapReleasedBytes: null,
  tailWasteBytes: null,
  internalWasteBytes: null,
  heapAllocations: null,
  heapAllocatedBytes: null,
  stackAllocations: null,
  stackAllocatedBytes: null,
  tinyAllocations: null,
  stackGrowths: null,
  stackShrinks: null,
  stackCopiedBytes: null,
  poolGets: null,
  poolHitsPrivate: null,
  poolHitsShared: null,
  poolHitsStolen: null,
  poolHitsVictim: null,
  poolMisses: null,
  poolPuts: null,
  poolDropped: null,
  markUtilization: null,
  writeBarrierHits: null,
  writeBarrierShades: null,
  leakedObjects: null,
  leakedBytes: null,
  refcountFrees: null,
  cascadeMaxObjects: null,
  cascadeMaxNs: null,
} as const satisfies Partial<CycleRecord>;

/** What a gctrace line fills in (or stands in for); stackInUseBytes only for Go 1.18 and 1.19. */
type TraceFields = Omit<CycleRecord, keyof typeof SIMULATION_ONLY | 'pauses'> & {
  stackInUseBytes: number | null;
};

/**
 * A CycleRecord from what a line gave. Written out field by field rather than spread from
 * SIMULATION_ONLY: spreading two objects of ~25 properties per line made the whole parse about 20
 * times slower. The test "leaves every field only a simulation knows null" keeps the lists in step.
 */
export function importedRecord(f: TraceFields): CycleRecord {
  return {
    seq: f.seq,
    startNs: f.startNs,
    trigger: f.trigger,
    heapStartBytes: f.heapStartBytes,
    heapEndBytes: f.heapEndBytes,
    heapMarkedBytes: f.heapMarkedBytes,
    heapGoalBytes: f.heapGoalBytes,
    heapTriggerBytes: f.heapTriggerBytes,
    stacksBytes: f.stacksBytes,
    stackInUseBytes: f.stackInUseBytes,
    globalsBytes: f.globalsBytes,
    assistRatio: f.assistRatio,
    procs: f.procs,
    sweepTermNs: f.sweepTermNs,
    markNs: f.markNs,
    markTermNs: f.markTermNs,
    pauseNs: f.pauseNs,
    // The two stop-the-world windows gctrace's clocks bracket: sweep and mark termination.
    pauses: [
      { startNs: f.startNs, durationNs: f.sweepTermNs },
      { startNs: f.startNs + f.sweepTermNs + f.markNs, durationNs: f.markTermNs },
    ],
    assistCpuNs: f.assistCpuNs,
    backgroundCpuNs: f.backgroundCpuNs,
    idleCpuNs: f.idleCpuNs,
    gcCpuFraction: f.gcCpuFraction,
    objectsFreed: null,
    bytesFreed: null,
    liveObjects: null,
    fragmentationBytes: null,
    heapInUseBytes: null,
    heapIdleBytes: null,
    heapReleasedBytes: null,
    tailWasteBytes: null,
    internalWasteBytes: null,
    heapAllocations: null,
    heapAllocatedBytes: null,
    stackAllocations: null,
    stackAllocatedBytes: null,
    tinyAllocations: null,
    stackGrowths: null,
    stackShrinks: null,
    stackCopiedBytes: null,
    poolGets: null,
    poolHitsPrivate: null,
    poolHitsShared: null,
    poolHitsStolen: null,
    poolHitsVictim: null,
    poolMisses: null,
    poolPuts: null,
    poolDropped: null,
    markUtilization: null,
    writeBarrierHits: null,
    writeBarrierShades: null,
    leakedObjects: null,
    leakedBytes: null,
    refcountFrees: null,
    cascadeMaxObjects: null,
    cascadeMaxNs: null,
  };
}

const LF = 10;
const CR = 13;
const DOT = 46;
const HASH = 35;
const SPACE = 32;
const ZERO = 48;
const NINE = 57;
const BOM = '\uFEFF';

const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

const isDigit = (code: number): boolean => code >= ZERO && code <= NINE;

/** What a line that looks like a trace line starts with. */
type Lead = 'none' | 'cycle' | 'go1.4' | 'scav' | 'pacer';

function leadAt(text: string, at: number, end: number): Lead {
  if (end - at < 5) return 'none';
  if (text.charCodeAt(at) === 112 /* p */) {
    return end - at >= PACER.length && text.startsWith(PACER, at) ? 'pacer' : 'none';
  }
  // Char codes rather than startsWith: this runs on every line.
  if (text.charCodeAt(at) === 103 /* g */ && text.charCodeAt(at + 1) === 99 /* c */) {
    const third = text.charCodeAt(at + 2);
    if (third !== SPACE) return isDigit(third) ? 'go1.4' : 'none';
    const fourth = text.charCodeAt(at + 3);
    return isDigit(fourth) || fourth === HASH ? 'cycle' : 'none';
  }
  if (text.startsWith('scav ', at)) return 'scav';
  return text.startsWith('scvg', at) && isDigit(text.charCodeAt(at + 4)) ? 'scav' : 'none';
}

const PACER = 'pacer:';

/** The fixed text of a cycle line, as char codes. */
const GC_ = codesOf('gc ');
const AT = codesOf(' @');
const SECONDS = codesOf('s ');
const PERCENT = codesOf('%: ');
const MS_CLOCK = codesOf(' ms clock, ');
const MS_CPU = codesOf(' ms cpu, ');
const ARROW = codesOf('->');
const MB = codesOf(' MB, ');
const MB_GOAL = codesOf(' MB goal, ');
const MB_STACKS = codesOf(' MB stacks, ');
const MB_GLOBALS = codesOf(' MB globals, ');
const P = codesOf(' P');
const FORCED = codesOf(' (forced)');
const PLUS = 43;

/** The end of a line that ends before `newline`, without the CR of a CRLF. */
function withoutCr(text: string, start: number, newline: number): number {
  return newline > start && text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
}

function quote(text: string, start: number, end: number): string {
  return end - start > MAX_QUOTED_CHARS
    ? `${text.slice(start, start + MAX_QUOTED_CHARS)}…`
    : text.slice(start, end);
}

/** The numbers of one cycle line in the ≥ 1.5 formats, as printed (MiB, ns, percent). */
interface CycleFields {
  spec: CycleFormatSpec;
  seq: number;
  startNs: number;
  cpuPercent: number;
  clockNs: number[];
  cpuNs: number[];
  heap0MiB: number;
  heap1MiB: number;
  heap2MiB: number;
  goalMiB: number;
  stacksMiB: number;
  globalsMiB: number;
  procs: number;
  forced: boolean;
  /** Program output after the line, before its newline. */
  trailing: boolean;
}

/**
 * Reads one ≥ 1.5 cycle line from text[pos, end) without slicing it: a hand-written scanner, because
 * it runs once per line of logs with millions of lines, and it can say where a line went wrong.
 */
class CycleLineScanner {
  private text = '';
  private pos = 0;
  private end = 0;
  failure = '';
  readonly fields: CycleFields = {
    spec: CYCLE_FORMATS[0]!,
    seq: 0,
    startNs: 0,
    cpuPercent: 0,
    clockNs: [0, 0, 0, 0, 0],
    cpuNs: [0, 0, 0, 0, 0, 0, 0],
    heap0MiB: 0,
    heap1MiB: 0,
    heap2MiB: 0,
    goalMiB: 0,
    stacksMiB: 0,
    globalsMiB: 0,
    procs: 0,
    forced: false,
    trailing: false,
  };

  /** True when text[start, end) is a whole cycle line (trailing program output allowed). */
  scan(text: string, start: number, end: number): boolean {
    this.text = text;
    this.pos = start;
    this.end = end;
    const f = this.fields;

    if (!this.literal(GC_)) return this.fail('expected "gc "');
    if (this.pos < end && text.charCodeAt(this.pos) === HASH) this.pos++;
    f.seq = this.uint();
    if (f.seq < 0) return this.fail('expected the cycle number after "gc"');
    if (!this.literal(AT)) return this.fail('expected " @" and the start time');
    f.startNs = this.decimal(9);
    if (f.startNs < 0 || !this.literal(SECONDS)) return this.fail('expected the start time as "@<seconds>s"');
    f.cpuPercent = this.uint();
    if (f.cpuPercent < 0 || !this.literal(PERCENT)) return this.fail('expected the GC CPU as "<n>%: "');

    let clockPhases = 0;
    for (;;) {
      const ns = this.decimal(6);
      if (ns < 0) return this.fail('expected a clock time in ms');
      if (clockPhases === 5) return this.fail('expected 3 or 5 clock phases, found more');
      f.clockNs[clockPhases++] = ns;
      if (!this.char(PLUS)) break;
    }
    if (!this.literal(MS_CLOCK)) return this.fail('expected " ms clock, "');
    if (clockPhases !== 3 && clockPhases !== 5) {
      return this.fail(`expected 3 or 5 clock phases, found ${clockPhases}`);
    }

    // The cpu layout follows from the clock phases; stacks and globals, later, tell 1.18+ from 1.6–1.17.
    const { cpuSeparators, cpuLayout } = clockPhases === 5 ? GO15 : GO16;
    for (let i = 0; ; i++) {
      const ns = this.decimal(6);
      if (ns < 0) return this.fail('expected a cpu time in ms');
      f.cpuNs[i] = ns;
      if (i === cpuSeparators.length) break;
      if (!this.char(cpuSeparators[i]!)) return this.fail(`expected cpu times as ${cpuLayout}`);
    }
    if (!this.literal(MS_CPU)) return this.fail('expected " ms cpu, "');

    f.heap0MiB = this.uint();
    if (f.heap0MiB < 0 || !this.literal(ARROW)) return this.fail('expected the heap as "h0->h1->h2 MB"');
    f.heap1MiB = this.uint();
    if (f.heap1MiB < 0 || !this.literal(ARROW)) return this.fail('expected the heap as "h0->h1->h2 MB"');
    f.heap2MiB = this.uint();
    if (f.heap2MiB < 0 || !this.literal(MB)) return this.fail('expected the heap as "h0->h1->h2 MB"');
    f.goalMiB = this.uint();
    if (f.goalMiB < 0 || !this.literal(MB_GOAL)) return this.fail('expected "<n> MB goal, "');

    const afterGoal = this.uint();
    if (afterGoal < 0) return this.fail('expected "<n> P" or "<n> MB stacks"');
    let roots = false;
    if (this.literal(MB_STACKS)) {
      roots = true;
      f.stacksMiB = afterGoal;
      f.globalsMiB = this.uint();
      if (f.globalsMiB < 0 || !this.literal(MB_GLOBALS)) return this.fail('expected "<n> MB globals, "');
      f.procs = this.uint();
    } else {
      f.stacksMiB = 0;
      f.globalsMiB = 0;
      f.procs = afterGoal;
    }
    if (f.procs < 0 || !this.literal(P)) return this.fail('expected "<n> P"');

    f.forced = this.literal(FORCED);
    f.trailing = this.pos < end;
    // " (" starts a suffix Go prints; one other than "(forced)" is a cut-off or unknown line.
    if (!f.forced && f.trailing && text.startsWith(' (', this.pos)) {
      return this.fail('expected the line to end after "P" or " (forced)"');
    }

    if (clockPhases === 5 && roots)
      return this.fail('5 clock phases (Go 1.5) with stacks and globals (Go ≥ 1.18)');
    f.spec = clockPhases === 5 ? GO15 : roots ? GO118 : GO16;

    if (Math.max(f.heap0MiB, f.heap1MiB, f.heap2MiB, f.stacksMiB, f.globalsMiB) > MAX_HEAP_MIB) {
      return this.fail('a heap size beyond 8 PiB');
    }
    if (f.goalMiB > MAX_HEAP_MIB && f.goalMiB < NO_GOAL_MIB) return this.fail('a heap goal beyond 8 PiB');
    return true;
  }

  private fail(reason: string): false {
    this.failure = reason;
    return false;
  }

  /**
   * Consumes fixed text given as char codes; false (consuming nothing) when it is not next. A loop
   * over codes, because a startsWith call per separator (a dozen a line) was the scanner's largest
   * cost, and an array of codes spares reading the constant's characters.
   */
  private literal(codes: readonly number[]): boolean {
    const text = this.text;
    const pos = this.pos;
    const n = codes.length;
    if (pos + n > this.end) return false;
    for (let i = 0; i < n; i++) if (text.charCodeAt(pos + i) !== codes[i]) return false;
    this.pos = pos + n;
    return true;
  }

  private char(code: number): boolean {
    if (this.pos >= this.end || this.text.charCodeAt(this.pos) !== code) return false;
    this.pos++;
    return true;
  }

  /** A decimal integer of at most 15 digits (exact in a double); -1 when there is none. */
  private uint(): number {
    // Locals, not fields, in the per-character loops: they run ~100 times a line.
    const text = this.text;
    const end = this.end;
    const start = this.pos;
    let pos = start;
    let value = 0;
    while (pos < end) {
      const digit = text.charCodeAt(pos) - ZERO;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
      pos++;
    }
    this.pos = pos;
    return pos === start || pos - start > 15 ? -1 : value;
  }

  /**
   * A decimal number scaled by 10^exponent into an integer (ms → ns: 6; s → ns: 9), exact for up
   * to `exponent` decimals; -1 when there is none. Go prints at most 3 decimals.
   */
  private decimal(exponent: number): number {
    const whole = this.uint();
    if (whole < 0) return -1;
    const text = this.text;
    const end = this.end;
    let pos = this.pos;
    let value = whole * POW10[exponent]!;
    if (pos < end && text.charCodeAt(pos) === DOT) {
      pos++;
      const first = pos;
      let unit = POW10[exponent]!;
      while (pos < end) {
        const digit = text.charCodeAt(pos) - ZERO;
        if (digit < 0 || digit > 9) break;
        unit /= 10;
        if (unit >= 1) value += digit * unit;
        pos++;
      }
      if (pos === first) return -1;
    }
    this.pos = pos;
    return value;
  }
}

/** Fields a pacer line may have set: a repeated cycle line without pacer lines is still a repeat. */
const PACER_FIELDS: ReadonlySet<keyof CycleRecord> = new Set([
  'assistRatio',
  'heapTriggerBytes',
  'stacksBytes',
  'globalsBytes',
]);

/** Two records with the same value in every field the cycle line gave: a line logged twice. */
function sameRecord(a: CycleRecord, b: CycleRecord): boolean {
  for (const field of Object.keys(a) as (keyof CycleRecord)[]) {
    if (field === 'pauses') continue; // derived from the clocks and startNs, compared already
    if (PACER_FIELDS.has(field)) continue;
    if (a[field] !== b[field]) return false;
  }
  return true;
}

/** A pacer line waiting for the cycle line after it. */
interface PendingPacer<T> {
  line: number;
  text: string;
  values: T;
}

interface PacerStartValues {
  assistRatio: number;
  start: PacerStart;
}

interface PacerSweepValues {
  sweepDone: PacerSweepDone;
}

interface PacerEndValues {
  triggeredBytes: number;
  stackScanWorkBytes: number;
  globalsScanWorkBytes: number;
  end: PacerEnd;
}

/**
 * The streaming parser: push chunks of text, get the cycles and diagnostics of the lines they
 * completed; end() finishes the last line and refuses input that held no cycle. Memory is bounded
 * by the longest line kept (64 Ki characters) and the report's caps, whatever the input's size.
 */
export class GctraceParser {
  private readonly firstRunOnly: boolean;
  private readonly goVersion: string | null;
  private readonly goMinor: number | null;
  /** Go 1.18 and 1.19 print Σ stack sizes as "MB stacks" (stackInUseBytes). */
  private readonly stacksAreInUse: boolean;
  private readonly scanner = new CycleLineScanner();
  private partial = '';
  /** Start of the line being carried when it grew past MAX_LINE_CHARS; null otherwise. */
  private overlongHead: string | null = null;
  private started = false;
  private ended = false;
  private sniffedChars = 0;
  private suspiciousChars = 0;
  private sawNul = false;
  /** The first non-blank characters of the input, to name what non-gctrace input was. */
  private opening = '';

  private lineNumber = 0;
  private cycleCount = 0;
  private forcedCount = 0;
  private readonly cyclesByFormat: Record<GctraceFormat, number> = {
    'go1.4': 0,
    'go1.5': 0,
    'go1.6-1.17': 0,
    'go1.18+': 0,
  };
  private firstSeq: number | null = null;
  private lastSeq: number | null = null;
  private lastStartNs = -1;
  private lastRecord: CycleRecord | null = null;
  private missingCycles = 0;
  private duplicateLines = 0;
  private run = 0;
  private readonly laterRuns: { line: number; seq: number }[] = [];
  private cyclesNotImported = 0;
  private noGoalCycles = 0;
  private skippedLines = 0;
  private embeddedLines = 0;
  private malformedLines = 0;
  private readonly malformed: GctraceLineProblem[] = [];
  private truncatedLastLine: GctraceLineProblem | null = null;
  private firstFailure: GctraceLineProblem | null = null;
  private scavenger: ScavengerReport | null = null;
  /** Go ≤ 1.4 has no time: its cycles are laid end to end, each starting where the last ended. */
  private go14ClockNs = 0;
  private go14MarkedFromNextLine = 0;
  /** A Go ≤ 1.4 cycle held back until the next line's h0 gives its live heap. */
  private pendingGo14: GctraceCycle | null = null;
  private batch: GctraceBatch = { cycles: [], diagnostics: [] };
  /** Cycles whose line printed stacks and globals (Go ≥ 1.18). */
  private rootsCycles = 0;
  private pacerLines = 0;
  private pacerCycles = 0;
  /** Cycles that took an end line (exact trigger, stacks and globals), and those of them with roots. */
  private pacerEndCycles = 0;
  private pacerEndRootsCycles = 0;
  private unattachedPacerLines = 0;
  private readonly unattachedPacer: GctraceLineProblem[] = [];
  private pendingPacerStart: PendingPacer<PacerStartValues> | null = null;
  private pendingPacerEnd: PendingPacer<PacerEndValues> | null = null;
  private pendingPacerSweep: PendingPacer<PacerSweepValues> | null = null;

  constructor(options: GctraceParserOptions = {}) {
    this.firstRunOnly = options.firstRunOnly ?? false;
    this.goVersion = options.goVersion ?? null;
    this.goMinor = this.goVersion === null ? null : goMinorVersion(this.goVersion);
    if (this.goVersion !== null && this.goMinor === null) {
      throw new Error(`"${this.goVersion}" is not a Go version (expected e.g. 1.19 or go1.21.3)`);
    }
    this.stacksAreInUse = this.goMinor === 18 || this.goMinor === 19;
  }

  /** Lines completed so far. */
  get linesRead(): number {
    return this.lineNumber;
  }

  /** Cycle lines parsed so far (every run). */
  get cyclesRead(): number {
    return this.cycleCount;
  }

  /**
   * Parses the lines `chunk` completes. Throws GctraceInputError as soon as the input's start shows
   * binary data, so a large binary file is not read to the end.
   */
  push(chunk: string): GctraceBatch {
    if (this.ended) throw new Error('GctraceParser.push after end()');
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.startsWith(BOM)) chunk = chunk.slice(1);
    }
    this.sniff(chunk);
    let start = 0;
    if (this.partial.length > 0 || this.overlongHead !== null) {
      // The carried line is completed on its own, so the chunk is scanned as the flat string it is
      // (the concatenation of the whole chunk would be a slower cons string).
      const newline = chunk.indexOf('\n');
      if (newline < 0) {
        this.partial += chunk;
      } else {
        const carried = this.partial + chunk.slice(0, newline);
        this.partial = '';
        this.line(carried, 0, withoutCr(carried, 0, carried.length), true);
        start = newline + 1;
      }
    }
    if (this.partial.length === 0 && this.overlongHead === null) {
      for (;;) {
        const newline = chunk.indexOf('\n', start);
        if (newline < 0) break;
        this.line(chunk, start, withoutCr(chunk, start, newline), true);
        start = newline + 1;
      }
      this.partial = start === 0 ? chunk : chunk.slice(start);
    }
    if (this.partial.length > MAX_LINE_CHARS) {
      this.overlongHead ??= this.partial.slice(0, MAX_QUOTED_CHARS);
      this.partial = this.partial.slice(-OVERLONG_TAIL_CHARS);
    }
    return this.takeBatch();
  }

  /** Parses the unterminated last line, then checks that the input was a gctrace log. */
  end(): GctraceBatch {
    if (this.ended) throw new Error('GctraceParser.end() called twice');
    this.ended = true;
    if (this.partial.length > 0 || this.overlongHead !== null) {
      let end = this.partial.length;
      while (end > 0 && this.partial.charCodeAt(end - 1) === CR) end--;
      this.line(this.partial, 0, end, false);
      this.partial = '';
    }
    this.flushGo14();
    if (this.cycleCount === 0) throw this.notGctrace();
    const ended = 'the log ends before a gc line takes it';
    this.unattach(this.pendingPacerSweep, ended);
    this.unattach(this.pendingPacerStart, ended);
    this.unattach(this.pendingPacerEnd, ended);
    this.pendingPacerSweep = this.pendingPacerStart = this.pendingPacerEnd = null;
    return this.takeBatch();
  }

  /** What was learned so far (a fresh object each call). */
  report(): GctraceReport {
    const formats = Object.keys(this.cyclesByFormat) as GctraceFormat[];
    const format = formats.reduce((best, f) =>
      this.cyclesByFormat[f] >= this.cyclesByFormat[best] ? f : best,
    );
    const timed = this.cycleCount - this.cyclesByFormat['go1.4'];
    return {
      kind: 'gctrace',
      reportVersion: 1,
      format,
      goVersion: this.goVersion,
      cyclesByFormat: { ...this.cyclesByFormat },
      precisionBytes: BYTES_PER_MIB,
      startPrecisionNs: timed > 0 ? 1_000_000 : null,
      timePrecision:
        this.cyclesByFormat['go1.4'] === this.cycleCount && this.cycleCount > 0
          ? 'whole microseconds'
          : 'two significant digits below 10 ms (at most 3 decimals of a millisecond), whole milliseconds from 10 ms',
      fileName: null,
      bytesRead: null,
      linesRead: this.lineNumber,
      cycles: this.cycleCount,
      forcedCycles: this.forcedCount,
      firstSeq: this.firstSeq,
      lastSeq: this.lastSeq,
      missingCycles: this.missingCycles,
      duplicateLines: this.duplicateLines,
      runs: this.run,
      laterRuns: this.laterRuns.map((r) => ({ ...r })),
      cyclesNotImported: this.cyclesNotImported,
      noGoalCycles: this.noGoalCycles,
      skippedLines: this.skippedLines,
      pacerLines: this.pacerLines,
      pacerCycles: this.pacerCycles,
      unattachedPacerLines: this.unattachedPacerLines,
      unattachedPacer: this.unattachedPacer.map((u) => ({ ...u })),
      embeddedLines: this.embeddedLines,
      malformedLines: this.malformedLines,
      malformed: this.malformed.map((m) => ({ ...m })),
      truncatedLastLine: this.truncatedLastLine === null ? null : { ...this.truncatedLastLine },
      scavenger:
        this.scavenger === null
          ? null
          : { ...this.scavenger, entries: this.scavenger.entries.map((e) => ({ ...e })) },
      substitutions: this.substitutions(),
    };
  }

  private takeBatch(): GctraceBatch {
    const batch = this.batch;
    this.batch = { cycles: [], diagnostics: [] };
    return batch;
  }

  /** Counts what binary input is made of, over the first SNIFF_CHARS characters. */
  private sniff(chunk: string): void {
    if (this.opening.length < 16) {
      const trimmed = (this.opening + chunk).trimStart();
      this.opening = trimmed.slice(0, 16);
    }
    if (this.sniffedChars >= SNIFF_CHARS) return;
    const limit = Math.min(chunk.length, SNIFF_CHARS - this.sniffedChars);
    for (let i = 0; i < limit; i++) {
      const code = chunk.charCodeAt(i);
      if (code === 0) this.sawNul = true;
      // Control characters other than tab, LF, VT, FF, CR, backspace and ESC (colours), and U+FFFD,
      // which stands for bytes that were not UTF-8.
      if (
        (code < 32 &&
          code !== 9 &&
          code !== LF &&
          code !== 11 &&
          code !== 12 &&
          code !== CR &&
          code !== 8 &&
          code !== 27) ||
        code === 0xfffd
      ) {
        this.suspiciousChars++;
      }
    }
    this.sniffedChars += limit;
    if (
      this.sawNul ||
      (this.sniffedChars >= 512 && this.suspiciousChars > this.sniffedChars * BINARY_SHARE)
    ) {
      throw this.binary();
    }
  }

  private binary(): GctraceInputError {
    return new GctraceInputError(
      'binary',
      `not a gctrace log: ${EXPECTED}, found binary data${this.sawNul ? ' (NUL bytes)' : ' (bytes that are not UTF-8 text)'}`,
    );
  }

  private notGctrace(): GctraceInputError {
    if (
      this.sniffedChars > 0 &&
      this.sniffedChars < 512 &&
      this.suspiciousChars > this.sniffedChars * BINARY_SHARE
    ) {
      return this.binary();
    }
    if (this.opening.length === 0) {
      return new GctraceInputError(
        'empty',
        `not a gctrace log: ${EXPECTED}, found ${this.lineNumber === 0 ? 'an empty input' : 'only blank lines'}`,
      );
    }
    // An object, an array of objects, arrays or strings, or an empty one; not "[]byte …" or "[INFO] …".
    if (/^(\{\s*("|\}\s*$)|\[\s*([[{"]|\]\s*$))/.test(this.opening) || /^[[{]$/.test(this.opening)) {
      return new GctraceInputError('json', `not a gctrace log: ${EXPECTED}, found JSON without gc lines`);
    }
    const lines = `${this.lineNumber} line${this.lineNumber === 1 ? '' : 's'}`;
    if (this.firstFailure !== null) {
      const f = this.firstFailure;
      return new GctraceInputError(
        'no-trace',
        `not a gctrace log: ${EXPECTED}, found ${lines} and no cycle line that parses ` +
          `(line ${f.line}: ${f.reason}: "${f.text}")`,
      );
    }
    const scav = this.scavenger === null ? '' : ` (${this.scavenger.lines} scavenger lines, but no cycles)`;
    return new GctraceInputError(
      'no-trace',
      `not a gctrace log: ${EXPECTED}, found ${lines} of text without a gc line${scav}; was GODEBUG=gctrace=1 set, and stderr captured (2>file)?`,
    );
  }

  private line(text: string, start: number, end: number, terminated: boolean): void {
    this.lineNumber++;
    const overlongHead = this.overlongHead;
    this.overlongHead = null;
    if (overlongHead !== null) {
      // Far too long for a trace line: program output, unless it starts like a trace line.
      if (leadAt(overlongHead, 0, overlongHead.length) !== 'none') {
        this.problem(
          'malformed',
          `a line longer than ${MAX_LINE_CHARS} characters`,
          overlongHead,
          0,
          overlongHead.length,
        );
      } else if (this.searchEmbedded(text.slice(start, end), 0)) {
        this.embeddedLines++;
      } else {
        this.skippedLines++;
      }
      return;
    }

    const lead = leadAt(text, start, end);
    if (lead !== 'none') {
      const failure = this.parseAt(lead, text, start, end);
      if (failure === null) return;
      if (terminated) this.problem('malformed', failure, text, start, end);
      else this.problem('truncated', failure, text, start, end);
      return;
    }
    // Sliced so that the search stops at the end of this line, not of the chunk.
    if (this.searchEmbedded(text.slice(start, end), 1)) {
      this.embeddedLines++;
      return;
    }
    this.skippedLines++;
  }

  /** Looks for a trace line inside a line of program output; true when one parsed. */
  private searchEmbedded(line: string, from: number): boolean {
    for (const needle of ['gc', 'sc', PACER]) {
      for (let at = line.indexOf(needle, from); at >= 0; at = line.indexOf(needle, at + 2)) {
        const lead = leadAt(line, at, line.length);
        if (lead !== 'none' && this.parseAt(lead, line, at, line.length) === null) return true;
      }
    }
    return false;
  }

  /** Parses the trace line at text[at, end); null when it parsed, else why not. */
  private parseAt(lead: Lead, text: string, at: number, end: number): string | null {
    switch (lead) {
      case 'cycle':
        return this.scanner.scan(text, at, end) ? this.acceptCycleLine(text, at, end) : this.scanner.failure;
      case 'go1.4':
        return this.parseGo14(text.slice(at, end));
      case 'scav':
        return this.parseScav(text.slice(at, end));
      case 'pacer':
        return this.parsePacer(text.slice(at, end));
      case 'none':
        return 'not a trace line';
      default:
        return assertNever(lead);
    }
  }

  private problem(
    kind: 'malformed' | 'truncated',
    reason: string,
    text: string,
    start: number,
    end: number,
  ): void {
    const entry: GctraceLineProblem = { line: this.lineNumber, reason, text: quote(text, start, end) };
    this.firstFailure ??= entry;
    if (kind === 'truncated') {
      this.truncatedLastLine = entry;
      this.batch.diagnostics.push({
        kind,
        line: entry.line,
        message: `line ${entry.line} is cut off (the log ends inside a trace line): ${reason}`,
        text: entry.text,
      });
      return;
    }
    this.malformedLines++;
    if (this.malformed.length < MAX_REPORTED_PROBLEMS) this.malformed.push(entry);
    this.batch.diagnostics.push({
      kind,
      line: entry.line,
      message: `line ${entry.line} looks like a trace line but does not parse: ${reason}`,
      text: entry.text,
    });
  }

  private acceptCycleLine(text: string, start: number, end: number): string | null {
    const f = this.scanner.fields;
    const spec = f.spec;
    const noGoal = f.goalMiB >= NO_GOAL_MIB;
    const sweepTermNs = f.clockNs[0]!;
    const markTermNs = f.clockNs[spec.clockPhases - 1]!;
    let markNs = 0;
    for (let i = 1; i < spec.clockPhases - 1; i++) markNs += f.clockNs[i]!;
    const heapStartBytes = f.heap0MiB * BYTES_PER_MIB;
    const stacksBytes = f.stacksMiB * BYTES_PER_MIB;
    const record = importedRecord({
      seq: f.seq,
      startNs: f.startNs,
      trigger: f.forced ? 'forced' : 'heap',
      heapStartBytes,
      heapEndBytes: f.heap1MiB * BYTES_PER_MIB,
      heapMarkedBytes: f.heap2MiB * BYTES_PER_MIB,
      // GOGC=off: Go printed an unreachable goal; 0 stands for "none" until the field may be null.
      heapGoalBytes: noGoal ? 0 : f.goalMiB * BYTES_PER_MIB,
      // gctrace does not print the trigger. A heap-triggered cycle starts at the first allocation
      // that takes heapLive past it, so h0 is the closest value the line supports (an upper bound).
      heapTriggerBytes: heapStartBytes,
      // Before Go 1.18 neither is printed (0), and the heap goal did not count them.
      stacksBytes,
      stackInUseBytes: spec.roots && this.stacksAreInUse ? stacksBytes : null,
      globalsBytes: f.globalsMiB * BYTES_PER_MIB,
      // Set from a pacer line by takePacer, once the line is known not to repeat the one before.
      assistRatio: null,
      procs: f.procs,
      sweepTermNs,
      markNs,
      markTermNs,
      pauseNs: sweepTermNs + markTermNs,
      assistCpuNs: f.cpuNs[spec.cpu.assist]!,
      backgroundCpuNs: f.cpuNs[spec.cpu.background]!,
      idleCpuNs: f.cpuNs[spec.cpu.idle]!,
      gcCpuFraction: f.cpuPercent / 100,
    });
    const cycle: GctraceCycle = {
      record,
      format: spec.format,
      line: this.lineNumber,
      run: 0,
      sweepTermCpuNs: f.cpuNs[spec.cpu.sweepTerm]!,
      markTermCpuNs: f.cpuNs[spec.cpu.markTerm]!,
      pacer: null,
    };
    this.flushGo14();
    if (!this.sequence(record, true, text, start, end)) return null;
    if (noGoal) this.noGoalCycles++;
    if (spec.roots) this.rootsCycles++;
    this.takePacer(cycle, spec.roots);
    this.count(cycle);
    return null;
  }

  private parseGo14(line: string): string | null {
    const m = GO14_LINE.exec(line);
    if (m === null) return 'expected a Go ≤ 1.4 line "gcN(P): t1+t2+t3+t4 us, h0 -> h1 MB, … yields"';
    const [seq, procs, stopNs, sweepNs, markNs, restNs] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
    const heap0MiB = Number(m[7]);
    const heap1MiB = Number(m[8]);
    if (heap0MiB > MAX_HEAP_MIB || heap1MiB > MAX_HEAP_MIB) return 'a heap size beyond 8 PiB';
    const us = 1000;
    const sweepTermNs = (stopNs! + sweepNs!) * us;
    const pauseNs = (stopNs! + sweepNs! + markNs! + restNs!) * us;
    const heapBytes = heap1MiB * BYTES_PER_MIB;
    const record = importedRecord({
      seq: seq!,
      startNs: 0,
      trigger: 'heap',
      // The world is stopped for the whole cycle: the heap at the collection is h1 throughout.
      heapStartBytes: heapBytes,
      heapEndBytes: heapBytes,
      // Replaced by the next line's h0 (the live heap after this cycle's sweep) when it follows.
      heapMarkedBytes: heapBytes,
      // Go 1.4 collects when the heap reaches next_gc: the goal and the trigger, which it does not print.
      heapGoalBytes: heapBytes,
      heapTriggerBytes: heapBytes,
      stacksBytes: 0,
      stackInUseBytes: null,
      globalsBytes: 0,
      assistRatio: null,
      procs: procs!,
      sweepTermNs,
      markNs: markNs! * us,
      markTermNs: restNs! * us,
      pauseNs,
      assistCpuNs: 0,
      backgroundCpuNs: 0,
      idleCpuNs: 0,
      gcCpuFraction: 0,
    });
    const cycle: GctraceCycle = {
      record,
      format: 'go1.4',
      line: this.lineNumber,
      run: 0,
      sweepTermCpuNs: null,
      markTermCpuNs: null,
      pacer: null,
    };
    const pending = this.pendingGo14;
    const runBefore = this.run;
    if (!this.sequence(record, false, line, 0, line.length)) return null;
    if (pending !== null) {
      if (this.run === runBefore && record.seq === pending.record.seq + 1) {
        pending.record.heapMarkedBytes = heap0MiB * BYTES_PER_MIB;
        this.go14MarkedFromNextLine++;
      }
      this.flushGo14();
    }
    if (this.run !== runBefore) this.go14ClockNs = 0;
    record.startNs = this.go14ClockNs;
    this.go14ClockNs += pauseNs;
    this.pendingGo14 = cycle;
    this.count(cycle, false);
    return null;
  }

  private flushGo14(): void {
    const pending = this.pendingGo14;
    if (pending === null) return;
    this.pendingGo14 = null;
    this.emit(pending);
  }

  /**
   * Places a cycle in its run: false when it is a duplicate of the previous cycle line (dropped).
   * A gc number that does not increase, or a start time that goes back, begins a new run.
   */
  private sequence(record: CycleRecord, timed: boolean, text: string, start: number, end: number): boolean {
    const last = this.lastRecord;
    if (last !== null && record.seq === last.seq && sameRecord(record, last)) {
      this.duplicateLines++;
      this.batch.diagnostics.push({
        kind: 'duplicate',
        line: this.lineNumber,
        message: `line ${this.lineNumber} repeats the previous gc ${record.seq} line; skipped`,
        text: quote(text, start, end),
      });
      return false;
    }
    this.lastRecord = record;
    const restart =
      this.lastSeq === null ||
      record.seq <= this.lastSeq ||
      (timed && this.lastStartNs >= 0 && record.startNs < this.lastStartNs);
    if (restart) {
      this.run++;
      if (this.run > 1) {
        if (this.laterRuns.length < MAX_REPORTED_RUNS)
          this.laterRuns.push({ line: this.lineNumber, seq: record.seq });
        this.batch.diagnostics.push({
          kind: 'new-run',
          line: this.lineNumber,
          message: `line ${this.lineNumber} starts another program run (gc ${record.seq} after gc ${this.lastSeq})`,
          text: quote(text, start, end),
        });
      }
    } else {
      this.missingCycles += record.seq - this.lastSeq! - 1;
    }
    this.firstSeq ??= record.seq;
    this.lastSeq = record.seq;
    this.lastStartNs = timed ? record.startNs : -1;
    return true;
  }

  private count(cycle: GctraceCycle, emitNow = true): void {
    cycle.run = this.run;
    this.cycleCount++;
    this.cyclesByFormat[cycle.format]++;
    if (cycle.record.trigger === 'forced') this.forcedCount++;
    if (emitNow) this.emit(cycle);
  }

  private emit(cycle: GctraceCycle): void {
    if (this.firstRunOnly && cycle.run > 1) {
      this.cyclesNotImported++;
      return;
    }
    this.batch.cycles.push(cycle);
  }

  /** Reads a pacer line and holds it for the next cycle line; null when it parsed, else why not. */
  private parsePacer(line: string): string | null {
    const start = PACER_START_LINE.exec(line);
    if (start !== null) {
      const assistRatio = Number(start[1]);
      const fractional = Number(start[6]);
      if (!Number.isFinite(assistRatio)) return `an assist ratio of ${start[1]!}`;
      if (!Number.isFinite(fractional)) return `a fractional worker goal of ${start[6]!}`;
      if (/^ [([]/.test(line.slice(start[0].length))) return 'expected the line to end after the workers';
      const values: PacerStartValues = {
        assistRatio,
        start: {
          heapScanMiB: Number(start[2]),
          initialHeapLiveMiB: Number(start[3]),
          heapGoalMiB: Number(start[4]),
          dedicatedWorkers: Number(start[5]),
          fractionalUtilizationGoal: fractional,
        },
      };
      // A start line before the last one's cycle line: the earlier cycle's gc line is missing.
      const next = 'another pacer line came before a gc line took it';
      this.unattach(this.pendingPacerStart, next);
      this.unattach(this.pendingPacerEnd, next);
      this.pendingPacerEnd = null;
      this.pendingPacerStart = { line: this.lineNumber, text: quote(line, 0, line.length), values };
      this.pacerLines++;
      return null;
    }
    const end = PACER_END_LINE.exec(line);
    if (end !== null) {
      const consMark = Number(end[10]);
      if (!Number.isFinite(consMark)) return `a cons/mark of ${end[10]!}`;
      if (/^ [([]/.test(line.slice(end[0].length))) return 'expected the line to end after ")"';
      const [heapScanWorkBytes, stackScanWorkBytes, globalsScanWorkBytes] = [3, 4, 5].map((i) =>
        Number(end[i]),
      );
      const values: PacerEndValues = {
        triggeredBytes: Number(end[7]),
        stackScanWorkBytes: stackScanWorkBytes!,
        globalsScanWorkBytes: globalsScanWorkBytes!,
        end: {
          utilizationPercent: Number(end[1]),
          expectedUtilizationPercent: Number(end[2]),
          heapScanWorkBytes: heapScanWorkBytes!,
          expectedScanWorkBytes: Number(end[6]),
          heapLiveBytes: Number(end[8]),
          goalDeltaBytes: Number(end[9]),
          consMark,
          controllerReset: end[11] !== undefined,
        },
      };
      this.unattach(this.pendingPacerEnd, 'another pacer line came before a gc line took it');
      this.pendingPacerEnd = { line: this.lineNumber, text: quote(line, 0, line.length), values };
      this.pacerLines++;
      return null;
    }
    const sweep = PACER_SWEEP_LINE.exec(line);
    if (sweep !== null) {
      const pagesPerByte = Number(sweep[4]);
      if (!Number.isFinite(pagesPerByte)) return `a sweep pace of ${sweep[4]!} pages/byte`;
      if (/^ [([]/.test(line.slice(sweep[0].length))) return 'expected the line to end after "pages/byte"';
      const values: PacerSweepValues = {
        sweepDone: {
          heapLiveMiB: Number(sweep[1]),
          allocatedMiB: Number(sweep[2]),
          pagesSwept: Number(sweep[3]),
          pagesPerByte,
        },
      };
      // One sweep ends between two cycles; a second one means a cycle line in between is missing.
      const next = 'another pacer line came before a gc line took it';
      this.unattach(this.pendingPacerSweep, next);
      this.pendingPacerSweep = { line: this.lineNumber, text: quote(line, 0, line.length), values };
      this.pacerLines++;
      return null;
    }
    if (line.startsWith('pacer: assist ratio=')) return PACER_START_EXPECTED;
    if (line.startsWith('pacer: sweep done')) {
      return 'expected "pacer: sweep done at heap size <n>MB; allocated <n>MB during sweep; swept <n> pages at <float> pages/byte"';
    }
    if (/^pacer: \d+% CPU/.test(line)) return PACER_END_EXPECTED;
    return `expected a pacer line of Go ≥ 1.18: "pacer: assist ratio=…", "pacer: <n>% CPU …" or "pacer: sweep done …"`;
  }

  /** Gives a cycle the pacer lines held for it: its assist ratio, exact trigger, stacks and globals. */
  private takePacer(cycle: GctraceCycle, roots: boolean): void {
    const sweep = this.pendingPacerSweep;
    const start = this.pendingPacerStart;
    const end = this.pendingPacerEnd;
    if (sweep === null && start === null && end === null) return;
    this.pendingPacerSweep = this.pendingPacerStart = this.pendingPacerEnd = null;
    const record = cycle.record;
    if (start !== null) record.assistRatio = start.values.assistRatio;
    if (end !== null) {
      record.heapTriggerBytes = end.values.triggeredBytes;
      record.stacksBytes = end.values.stackScanWorkBytes;
      record.globalsBytes = end.values.globalsScanWorkBytes;
      this.pacerEndCycles++;
      if (roots) this.pacerEndRootsCycles++;
    }
    cycle.pacer = {
      sweepDone: sweep?.values.sweepDone ?? null,
      start: start?.values.start ?? null,
      end: end?.values.end ?? null,
    };
    this.pacerCycles++;
  }

  /** Reports a pacer line no cycle line took. */
  private unattach(pending: PendingPacer<unknown> | null, reason: string): void {
    if (pending === null) return;
    this.unattachedPacerLines++;
    const entry: GctraceLineProblem = { line: pending.line, reason, text: pending.text };
    if (this.unattachedPacer.length < MAX_REPORTED_PROBLEMS) this.unattachedPacer.push(entry);
    this.batch.diagnostics.push({
      kind: 'unattached-pacer',
      line: pending.line,
      message: `line ${pending.line} is a pacer line no gc line took (${reason}); its numbers are in no cycle`,
      text: pending.text,
    });
  }

  private parseScav(line: string): string | null {
    let entry: ScavengerLine;
    let m: RegExpExecArray | null;
    const afterSeq = this.lastSeq ?? 0;
    if ((m = SCAV_NEW_LINE.exec(line)) !== null) {
      entry = {
        line: this.lineNumber,
        afterSeq,
        format: 'scav-1.20+',
        workBytes: Number(m[1]) * BYTES_PER_KIB,
        eagerWorkBytes: Number(m[2]) * BYTES_PER_KIB,
        releasedBytes: Number(m[3]) * BYTES_PER_KIB,
        utilPercent: Number(m[4]),
        forced: m[5] === ' (forced)',
      };
    } else if ((m = SCAV_OLD_LINE.exec(line)) !== null) {
      entry = {
        line: this.lineNumber,
        afterSeq,
        format: 'scav-1.15',
        workBytes: Number(m[1]) * BYTES_PER_KIB,
        eagerWorkBytes: null,
        releasedBytes: Number(m[2]) * BYTES_PER_KIB,
        utilPercent: Number(m[3]),
        forced: m[4] === ' (forced)',
      };
    } else if ((m = SCVG_LINE.exec(line)) !== null) {
      entry = {
        line: this.lineNumber,
        afterSeq,
        format: 'scvg',
        workBytes: m[2] === undefined ? null : Number(m[2]) * BYTES_PER_MIB,
        eagerWorkBytes: null,
        releasedBytes: m[6] === undefined ? null : Number(m[6]) * BYTES_PER_MIB,
        utilPercent: null,
        forced: false,
      };
    } else {
      return line.startsWith('scvg')
        ? 'expected "scvgN: <n> MB released" or "scvgN: inuse: …, released: …, consumed: … (MB)"'
        : 'expected "scav <n> KiB work, …, <n>% util"';
    }
    // As for cycle lines: a bracketed suffix Go does not print means a cut-off or unknown line.
    const rest = line.slice(m[0].length);
    if (rest.startsWith(' (') || rest.startsWith(' [')) return 'expected the line to end after "util"';
    const s = (this.scavenger ??= {
      lines: 0,
      format: entry.format,
      forcedLines: 0,
      workBytes: 0,
      lastReleasedBytes: null,
      peakReleasedBytes: null,
      minUtilPercent: null,
      entries: [],
    });
    s.lines++;
    s.format = entry.format;
    if (entry.forced) s.forcedLines++;
    s.workBytes += (entry.workBytes ?? 0) + (entry.eagerWorkBytes ?? 0);
    if (entry.releasedBytes !== null) {
      s.lastReleasedBytes = entry.releasedBytes;
      s.peakReleasedBytes = Math.max(s.peakReleasedBytes ?? 0, entry.releasedBytes);
    }
    if (entry.utilPercent !== null) s.minUtilPercent = Math.min(s.minUtilPercent ?? 100, entry.utilPercent);
    if (s.entries.length < MAX_REPORTED_SCAV_LINES) s.entries.push(entry);
    return null;
  }

  private substitutions(): GctraceSubstitution[] {
    const n = this.cyclesByFormat;
    const untimed = n['go1.4'];
    const noRoots = this.cycleCount - this.rootsCycles - (this.pacerEndCycles - this.pacerEndRootsCycles);
    const list: GctraceSubstitution[] = [];
    const add = (field: keyof CycleRecord, cycles: number, stored: string): void => {
      if (cycles > 0) list.push({ field, cycles, stored });
    };
    add(
      'heapTriggerBytes',
      this.cycleCount - this.pacerEndCycles,
      'h0, the heap when the cycle started: gctrace does not print the trigger, and a heap-triggered cycle starts at the first allocation past it, so the trigger was at most h0',
    );
    add(
      'heapGoalBytes',
      this.noGoalCycles,
      '0: Go printed an unreachable goal (GOGC=off without a memory limit)',
    );
    const rootsWithoutPacer = this.rootsCycles - this.pacerEndRootsCycles;
    if (this.goMinor === 19) {
      add(
        'stacksBytes',
        rootsWithoutPacer,
        'the printed MB stacks: Go 1.19 prints the stack sizes (Σ hi − lo), an upper bound of the scanned stack bytes its goal counted (golang/go#54649)',
      );
    } else if (this.goMinor === null) {
      add(
        'stacksBytes',
        rootsWithoutPacer,
        'the printed MB stacks: what the goal counted in Go 1.18 and ≥ 1.20; Go 1.19 printed the stack sizes, an upper bound of it (the Go version was not given)',
      );
    }
    add('globalsBytes', noRoots, '0: not printed before Go 1.18, whose heap goal first counted globals');
    add(
      'startNs',
      untimed,
      'cycles laid end to end (the sum of the earlier pauses): Go ≤ 1.4 prints no time',
    );
    add(
      'heapGoalBytes',
      untimed,
      'h1, the heap at the collection: Go ≤ 1.4 collects when the heap reaches its goal, which it does not print',
    );
    add(
      'heapMarkedBytes',
      untimed - this.go14MarkedFromNextLine,
      'h1, the heap at the collection (an upper bound): no next Go ≤ 1.4 line gives the live heap after the sweep',
    );
    add('gcCpuFraction', untimed, '0: Go ≤ 1.4 does not print it');
    add('procs', untimed, "P of gcN(P): the GC's helper threads in Go ≤ 1.4, not GOMAXPROCS");
    return list;
  }
}

/** Parses a whole log held in memory (tests, small inputs); the parser streams the same way. */
export function parseGctrace(
  text: string,
  options: GctraceParserOptions = {},
): GctraceBatch & { report: GctraceReport } {
  const parser = new GctraceParser(options);
  const first = parser.push(text);
  const last = parser.end();
  return {
    cycles: [...first.cycles, ...last.cycles],
    diagnostics: [...first.diagnostics, ...last.diagnostics],
    report: parser.report(),
  };
}

/**
 * The heap sawtooth a cycle line implies, as heapLive (what gctrace prints, and what the trigger and
 * goal are compared with): h0 when the cycle starts, h1 when mark termination ends, and h2 at that
 * same instant, because Go resets heapLive to the marked heap there. MemStats.HeapAlloc would fall to
 * h2 gradually, over the concurrent sweep. HeapInuse is not printed; in-use spans hold at least
 * heapLive, so that lower bound stands in for it.
 */
export function heapSamplesOf(record: CycleRecord): HeapSample[] {
  const endNs = record.startNs + record.sweepTermNs + record.markNs + record.markTermNs;
  const sample = (tNs: number, bytes: number): HeapSample => ({
    tNs,
    heapAllocBytes: bytes,
    heapInUseBytes: bytes,
  });
  return [
    sample(record.startNs, record.heapStartBytes),
    sample(endNs, record.heapEndBytes),
    sample(endNs, record.heapMarkedBytes),
  ];
}
