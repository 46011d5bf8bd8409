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

export interface ActiveRun {
  sessionId: number;
  progress: RunProgress;
}

export type { HeapSnapshot } from '../engine/snapshot';

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
