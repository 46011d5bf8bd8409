/**
 * JSON-safe types of the application API, shared by the main side and the renderer.
 * No Date, Map, Set, typed arrays, BigInt or undefined inside arrays: the Electron transport uses
 * structured clone and the browser transport uses JSON, and both must deliver the same values.
 */
export type { CycleRecord, HeapSample, CycleTrigger, PauseWindow } from '../engine/record';
export type {
  GctraceFormat,
  GctraceLineProblem,
  GctraceReport,
  GctraceSubstitution,
  ScavengerLine,
  ScavengerReport,
  ScavtraceFormat,
} from '../formats/gctrace';
import type { GctraceReport } from '../formats/gctrace';
import type { CycleTrigger } from '../engine/record';

/** What `heapscope attach` adds to the report of the trace it read from the program. */
export interface AttachReport {
  /** The program and its arguments, as run. */
  command: string[];
  /** Null when a signal ended the program. */
  exitCode: number | null;
  signal: string | null;
  /** The signal the user stopped the recording with (Ctrl-C: SIGINT), forwarded to the program. */
  interruptedBy: string | null;
}

/** What an imported or attached session learned from its source; `attach` only for an attached one. */
export type SourceReport = GctraceReport & { attach?: AttachReport };

/** `sessions.import`: a gctrace log's text from the UI. */
export interface ImportRequest {
  text: string;
  name?: string;
  /** The file's name, kept in the source report and naming the session when `name` is absent. */
  fileName?: string;
  /** The Go release that wrote the log ("1.19"), when known. */
  goVersion?: string;
}

/** `imports.start`: a file the UI is about to send in chunks (`imports.append`). */
export interface ImportStartRequest {
  /** The file's name, kept in a log's report and naming its session when `name` is absent. */
  fileName?: string;
  name?: string;
  /** The Go release that wrote a log ("1.19"), when known. */
  goVersion?: string;
  /** The file's size in bytes, when known: progress is reported against it. */
  totalBytes?: number;
}

/** Where a chunked import stands after a chunk was taken in. */
export interface ImportJobProgress {
  importId: number;
  /** UTF-8 bytes of the text received so far. */
  bytesReceived: number;
  totalBytes: number | null;
  /** Lines and cycles of a gctrace log parsed so far (0 while a session export is read in). */
  linesRead: number;
  cycles: number;
}

export interface ImportTextResult {
  sessionId: number;
  /** What was skipped or substituted and why, one line each. */
  warnings: string[];
}

export type SessionSource = 'simulation' | 'gctrace' | 'attach';
export type SessionStatus = 'recording' | 'complete' | 'interrupted' | 'failed';

/** What the user asks for when starting a simulated run. */
export interface RunRequest {
  /** Preset scenario name (see `catalog.get`); with a custom scenario, that scenario's own name. */
  scenario: string;
  /**
   * A scenario written by the user (the JSON format of docs/scenario-format.md), run instead of a
   * preset; null runs the preset named by `scenario`. Recorded with the session, so it re-runs.
   */
  customScenario: unknown;
  /** Collector name (see `catalog.get`). */
  collector: string;
  /** GOGC percent; -1 means off. */
  gogc: number;
  /** GOMAXPROCS. */
  procs: number;
  /** PRNG seed (uint32); the same seed and config re-run bit for bit. */
  seed: number;
  /** Virtual duration override; null uses the scenario's own. */
  durationMs: number | null;
  /** Session name; null derives one from the scenario and collector. */
  name: string | null;
  /** The incremental collector's write barrier (default dijkstra); the others ignore it. */
  barrier?: BarrierName;
  /** Reference counting: run the trial-deletion cycle collector at every cycle (default off). */
  cycleCollector?: boolean;
  /** GOMEMLIMIT, bytes; null or absent = no limit. */
  memoryLimitBytes?: number | null;
  /**
   * The machine's CPUs the Ps run on; null or absent = as many as GOMAXPROCS. Fewer CPUs than Ps
   * make the Ps' threads time-share them (a trace recorded with GOMAXPROCS above the CPU count).
   */
  cpus?: number | null;
}

/** A write barrier the incremental collector can keep its invariant with. */
export type BarrierName = 'dijkstra' | 'yuasa';
/** Run options only some collectors read (CollectorInfo.options says which). */
export type CollectorOptionName = 'barrier' | 'cycleCollector';

/** Aggregates over a session's cycles, computed on read. */
export interface SessionStats {
  cycles: number;
  pauseTotalNs: number;
  /** Nearest-rank percentiles and maximum over every stop-the-world window of the session. */
  pauseP50Ns: number;
  pauseP95Ns: number;
  pauseP99Ns: number;
  pauseMaxNs: number;
  peakHeapBytes: number;
  /** GC CPU fraction at the end of the session (cumulative, as gctrace prints it). */
  gcCpuFraction: number;
  /**
   * The session ends with cycles back to back at a goal the live heap already fills: a memory
   * limit that cannot be met (services/stats.ts endsThrashing).
   */
  thrashing: boolean;
  /**
   * Reference counting: objects, and their slot bytes, still counted at the session's end though no
   * root reaches them (garbage cycles counting alone never frees); null for the other collectors.
   */
  leakedObjects: number | null;
  leakedBytes: number | null;
}

export interface SessionSummary {
  id: number;
  name: string;
  source: SessionSource;
  status: SessionStatus;
  /** Scenario name for simulations, null otherwise. */
  scenario: string | null;
  collector: string | null;
  /** ISO-8601 creation time (wall clock of the machine that recorded it). */
  createdAt: string;
  cycleCount: number;
  /** Virtual (or real, for imports) duration covered by the recorded cycles and samples. */
  durationNs: number;
  notes: string;
  /** Lower case, [a-z0-9._-], sorted. */
  tags: string[];
  /** Record bytes of its cycles, samples and snapshots in the database (src-main/store/size.ts). */
  sizeBytes: number;
}

export interface SessionDetail extends SessionSummary {
  /** The full run configuration as recorded (a RunRequest for simulations). */
  config: RunRequest | null;
  seed: number | null;
  engineVersion: string | null;
  /** Why a failed session failed. */
  error: string | null;
  stats: SessionStats;
  /**
   * For an imported log: its format, the precision of its numbers, the lines read and skipped, the
   * malformed lines with their numbers, and the fields stored in place of what the log lacks. Null
   * for simulations.
   */
  sourceReport: SourceReport | null;
}

export interface ScenarioInfo {
  name: string;
  title: string;
  description: string;
  durationMs: number;
}

export interface CollectorInfo {
  name: string;
  title: string;
  description: string;
  /** The run options this collector reads. */
  options: CollectorOptionName[];
}

export interface Catalog {
  scenarios: ScenarioInfo[];
  collectors: CollectorInfo[];
  defaults: RunRequest;
  limits: RunLimits;
}

/** Valid ranges for RunRequest numbers; the form and the schema share them. */
export interface RunLimits {
  gogcMin: number;
  gogcMax: number;
  procsMin: number;
  procsMax: number;
  seedMax: number;
  durationMsMin: number;
  durationMsMax: number;
  /** GOMEMLIMIT bounds, bytes. */
  memoryLimitMinBytes: number;
  memoryLimitMaxBytes: number;
}

export interface RunProgress {
  sessionId: number;
  /** 0..1 of the virtual duration. */
  fraction: number;
  cycles: number;
  virtualNs: number;
}

export interface RunFinished {
  sessionId: number;
  status: SessionStatus;
  error: string | null;
}

/** `runs.startWhenFree`'s answer: the run started, or every slot is taken (try again when one finishes). */
export type RunStartAttempt =
  { started: true; sessionId: number } | { started: false; activeRuns: number; maxConcurrentRuns: number };

export interface ActiveRun {
  sessionId: number;
  progress: RunProgress;
}

export type { HeapSnapshot } from '../engine/snapshot';
export type {
  FidelityCycle,
  FidelityReport,
  FidelityRow,
  FidelityVerdict,
  WorstError,
} from '../services/fidelity';

/** A stored heap snapshot, without its contents. */
export interface SnapshotSummary {
  /** The cycle at whose end it was taken. */
  seq: number;
  tNs: number;
  /** Size of its JSON, and of the compressed row that stores it. */
  jsonBytes: number;
  storedBytes: number;
  /** Whether it includes the object graph (small heaps, every few cycles). */
  hasGraph: boolean;
}

/** What `scenarios.validate` found: every problem as `JSON path: expected …, found …`. */
export interface ScenarioCheck {
  valid: boolean;
  /** The scenario's name when it is valid. */
  name: string | null;
  problems: string[];
}

/** What `sessions.export` can write (docs/export-formats.md). */
export type ExportFormat = 'json' | 'csv' | 'gctrace' | 'pprof' | 'trace';
/** The CSV export's tables: one row per cycle, or one per stop-the-world window. */
export type ExportCsvTable = 'cycles' | 'pauses';

export interface ExportRequest {
  id: number;
  format: ExportFormat;
  /** pprof: the cycle whose heap snapshot to export (default: the last snapshot). */
  cycle?: number;
  /** csv: which table (default cycles). */
  table?: ExportCsvTable;
}

/** An exported file: text for json/csv/gctrace/trace, base64 of the gzipped protobuf for pprof. */
export interface ExportResult {
  format: ExportFormat;
  /** A suggested file name, e.g. heapscope-3-gc40.pb.gz. */
  fileName: string;
  mimeType: string;
  encoding: 'utf8' | 'base64';
  content: string;
  /** Size of the file once decoded. */
  bytes: number;
}

/**
 * `sessions.series`: a session's series reduced on the main side to at most `points` buckets over a
 * range, so a chart of a 100,000-cycle session costs its width, not its length. Give a time range
 * (`startNs`/`endNs`), a cycle range (`fromSeq`/`toSeq`) or neither (the whole session).
 */
export interface SeriesRequest {
  id: number;
  /** Buckets wanted: about one per pixel of the chart's width. */
  points: number;
  startNs?: number;
  endNs?: number;
  fromSeq?: number;
  toSeq?: number;
}

/** The heap samples of one bucket: their lowest and highest heap allocated, each at its time. */
export interface SampleBucket {
  bucket: number;
  samples: number;
  minTNs: number;
  minHeapAllocBytes: number;
  maxTNs: number;
  maxHeapAllocBytes: number;
}

/** The cycles starting in one bucket: their span, their longest pause and the highest heap marks. */
export interface CycleBucket {
  bucket: number;
  cycles: number;
  firstSeq: number;
  lastSeq: number;
  /** Start of the first cycle; end of the last one. */
  startNs: number;
  endNs: number;
  /** Cycles started by something other than the heap trigger (forced, periodic). */
  nonHeapTriggers: number;
  maxPauseNs: number;
  /** The cycle with the longest pause, and what triggered it. */
  maxPauseSeq: number;
  maxPauseStartNs: number;
  maxPauseTrigger: CycleTrigger;
  heapMarkedMaxBytes: number;
  heapGoalMaxBytes: number;
  heapTriggerMaxBytes: number;
}

/** Whole-session sums of the counters the stats strip shows; null when no cycle recorded them. */
export interface SessionTotals {
  poolGets: number | null;
  poolHits: number | null;
  poolHitsVictim: number | null;
  poolMisses: number | null;
  heapAllocations: number | null;
  heapAllocatedBytes: number | null;
  stackAllocations: number | null;
  stackAllocatedBytes: number | null;
  peakStackInUseBytes: number | null;
}

export interface ReducedSeries {
  sessionId: number;
  /** The range covered, and the whole session's end (where a reset zooms back to). */
  startNs: number;
  endNs: number;
  sessionEndNs: number;
  /** Width of one bucket; the buckets are [startNs + i × bucketNs, startNs + (i + 1) × bucketNs). */
  bucketNs: number;
  /** Cycles and samples in the range, before reduction. */
  cycleCount: number;
  sampleCount: number;
  samples: SampleBucket[];
  cycles: CycleBucket[];
  totals: SessionTotals;
}

/** `sessions.timeline`: every cycle's number and start, in order, as two columns (the playback scrubber). */
export interface CycleTimeline {
  seq: number[];
  startNs: number[];
}

/** One phase of a workload fitted to a trace (`sessions.fit`). */
export interface FittedPhase {
  /** Cycles of the trace the phase covers, by sequence number. */
  firstSeq: number;
  lastSeq: number;
  startMs: number;
  durationMs: number;
  allocatedBytes: number;
  /** 0: the program was idle (it allocated under 1 MiB). */
  allocBytesPerSec: number;
  /** The live heap at the phase's start and the level it hands on to the next phase. */
  liveStartBytes: number;
  liveEndBytes: number;
}

/** What an imported or attached trace's cycles tell of the settings it ran with. */
export interface FittedSettings {
  /** GOGC read from the goals; -1: off (the trace printed no goal). */
  gogc: number;
  procs: number;
  /** Mean relative error of the goals under `gogc`; large when a memory limit (or a GOGC change) paced them. */
  goalFitError: number | null;
  /** Stack bytes the goals counted (Go 1.19 prints the larger Σ stack sizes). */
  stackScanBytes: number;
}

/** `sessions.fit`: the scenario fitted to an imported or attached session, and what it was read from. */
export interface FitResult {
  sessionId: number;
  /** A scenario in the JSON format of docs/scenario-format.md (it passes `scenarios.validate`). */
  scenario: unknown;
  settings: FittedSettings;
  phases: FittedPhase[];
  forcedCycles: number;
}

/**
 * `sessions.whatif`: simulate the scenario fitted to an imported or attached session. Absent
 * fields take the trace's own settings (`FittedSettings`), the go collector, no memory limit.
 */
export interface WhatIfRequest {
  id: number;
  gogc?: number;
  memoryLimitBytes?: number | null;
  collector?: string;
  barrier?: BarrierName;
  cycleCollector?: boolean;
  procs?: number;
  seed?: number;
  name?: string;
}

export interface WhatIfResult {
  /** The simulation, recording; compare it with `baselineId` once it has finished. */
  sessionId: number;
  /** The real session. */
  baselineId: number;
  request: RunRequest;
}

/** `programs.start`: a Go program to profile as `heapscope attach` does. */
export interface ProgramStartRequest {
  command: string;
  args: string[];
  name?: string;
  /** The working directory (default: the user's home directory). */
  cwd?: string;
}

/** A program started from the app, while it runs and for a while after it ended. */
export interface ProgramInfo {
  programId: number;
  pid: number | null;
  command: string[];
  cwd: string;
  /** Null until the program's first gctrace line created the session. */
  sessionId: number | null;
  cycles: number;
  state: 'running' | 'ended';
  /** Once ended: how, and why nothing (or not everything) was recorded. */
  status: Exclude<SessionStatus, 'recording'> | null;
  exitCode: number | null;
  signal: string | null;
  error: string | null;
}
