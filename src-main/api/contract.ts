/**
 * The API contract: every method's argument and result type, every push event's payload.
 * Both transports (Electron IPC and the browser-mode server) and the renderer's client are typed
 * against these maps; `schemas.ts` holds the runtime validation of the arguments.
 */
import type { ApiEvent, ApiMethod } from './channels';
import type {
  ActiveRun,
  Catalog,
  CycleRecord,
  CycleTimeline,
  ExportRequest,
  ExportResult,
  FidelityReport,
  FitResult,
  HeapSample,
  HeapSnapshot,
  ImportJobProgress,
  ImportRequest,
  ImportStartRequest,
  ImportTextResult,
  ProgramInfo,
  ProgramStartRequest,
  ReducedSeries,
  RunFinished,
  RunProgress,
  RunRequest,
  RunStartAttempt,
  ScenarioCheck,
  SeriesRequest,
  SessionDetail,
  SessionSummary,
  SnapshotSummary,
  WhatIfRequest,
  WhatIfResult,
} from './types';

export interface ApiMethods {
  'catalog.get': { args: Record<string, never>; result: Catalog };
  /** `search`: words each found in the name, a tag, the scenario or the collector; `tag`: exact. */
  'sessions.list': { args: { search?: string; tag?: string }; result: SessionSummary[] };
  'sessions.get': { args: { id: number }; result: SessionDetail };
  /**
   * The session's cycles in seq order; a page of them with `offset`/`limit` (at most
   * CYCLE_PAGE_MAX), within `fromSeq`..`toSeq` (both inclusive) when given.
   */
  'sessions.cycles': {
    args: { id: number; offset?: number; limit?: number; fromSeq?: number; toSeq?: number };
    result: CycleRecord[];
  };
  'sessions.samples': { args: { id: number }; result: HeapSample[] };
  /** The series reduced to `points` buckets over a range, for a chart `points` pixels wide. */
  'sessions.series': { args: SeriesRequest; result: ReducedSeries };
  /** Every cycle's seq and start time, as columns. */
  'sessions.timeline': { args: { id: number }; result: CycleTimeline };
  /**
   * Hides the session at once; it is purged for good `SESSION_RESTORE_WINDOW_MS` later (or at a start
   * after that), and `sessions.restore` brings it back until then.
   */
  'sessions.delete': { args: { id: number }; result: { deleted: boolean } };
  'sessions.restore': { args: { id: number }; result: { restored: boolean } };
  /** Absent fields stay as they are; `tags` replaces the set. Allowed while recording. */
  'sessions.update': {
    args: { id: number; name?: string; notes?: string; tags?: string[] };
    result: SessionSummary;
  };
  'sessions.snapshots': { args: { id: number }; result: SnapshotSummary[] };
  'sessions.snapshot': { args: { id: number; seq: number }; result: HeapSnapshot };
  'sessions.export': { args: ExportRequest; result: ExportResult };
  /**
   * A gctrace log's or a session export's text (at most IMPORT_TEXT_MAX_BYTES) as a new session; a
   * log is named after `fileName` unless `name` is given, an export keeps its own name unless `name`
   * is given. Text that is neither is refused (invalid-argument) and writes nothing.
   */
  'sessions.import': { args: ImportRequest; result: ImportTextResult };
  /**
   * A file of any size, in chunks, with progress: `imports.start`, then `imports.append` with each
   * piece of its text in order (each answers once the importer has taken the piece in, so a log is
   * parsed as it arrives, in constant memory), then `imports.finish` for the new session — or
   * `imports.cancel`, which saves nothing. A refusal ends the import at the call that meets it.
   */
  'imports.start': { args: ImportStartRequest; result: { importId: number } };
  'imports.append': { args: { importId: number; text: string }; result: ImportJobProgress };
  'imports.finish': { args: { importId: number }; result: ImportTextResult };
  'imports.cancel': { args: { importId: number }; result: { cancelled: boolean } };
  /**
   * The scenario fitted to an imported or attached session's cycles (services/fit-scenario.ts),
   * and the settings, phases and forced cycles read from them. A recording session is refused.
   */
  'sessions.fit': { args: { id: number }; result: FitResult };
  /**
   * Records a simulation of the fitted scenario under the settings given (the trace's own where
   * absent); the simulation's config carries the scenario, so it re-runs and opens in the editor.
   */
  'sessions.whatif': { args: WhatIfRequest; result: WhatIfResult };
  /**
   * How closely a simulation matches an imported gctrace trace, cycle by cycle, by the rule
   * `heapscope compare --check` applies (services/fidelity.ts).
   */
  'sessions.fidelity': { args: { simulationId: number; traceId: number }; result: FidelityReport };
  /** A preset's JSON, to start a custom scenario from. */
  'scenarios.get': { args: { name: string }; result: { scenario: unknown } };
  'scenarios.validate': { args: { scenario: unknown }; result: ScenarioCheck };
  'runs.start': { args: { request: RunRequest }; result: { sessionId: number } };
  /**
   * `runs.start` for a client that waits its turn ("Run all collectors"): when as many runs are
   * recording as the machine allows, the answer is `started: false` (a normal answer, not an error:
   * the client retries when a run finishes) where `runs.start` refuses with `conflict`.
   */
  'runs.startWhenFree': { args: { request: RunRequest }; result: RunStartAttempt };
  'runs.cancel': { args: { sessionId: number }; result: { cancelled: boolean } };
  'runs.active': { args: Record<string, never>; result: ActiveRun[] };
  /**
   * Starts a Go program with GODEBUG=gctrace=1 as `heapscope attach` does; its session appears at
   * its first gctrace line (`programs.get` then names it). A command that cannot start is refused.
   */
  'programs.start': { args: ProgramStartRequest; result: ProgramInfo };
  /** Interrupts the program (SIGINT); its session ends `interrupted`. */
  'programs.stop': { args: { programId: number }; result: ProgramInfo };
  'programs.get': { args: { programId: number }; result: ProgramInfo };
  /** Programs started here that are running, and those that ended in the last minutes. */
  'programs.active': { args: Record<string, never>; result: ProgramInfo[] };
  /** The desktop app's file dialog for a program; `available: false` in browser mode. */
  'programs.pick': { args: Record<string, never>; result: { available: boolean; path: string | null } };
}

export interface ApiEvents {
  'run.progress': RunProgress;
  'run.finished': RunFinished;
  'sessions.changed': Record<string, never>;
  /** A hash route such as `#/new`. */
  'ui.navigate': { route: string };
}

export type ArgsOf<M extends ApiMethod> = ApiMethods[M]['args'];
export type ResultOf<M extends ApiMethod> = ApiMethods[M]['result'];
export type PayloadOf<E extends ApiEvent> = ApiEvents[E];

/** A failed call, as both transports deliver it. `code` lets the UI tell bad input from bugs. */
export type ApiErrorCode = 'invalid-argument' | 'unauthorized' | 'not-found' | 'conflict' | 'internal';

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** What the renderer sees of either transport. */
export interface ApiTransport {
  call<M extends ApiMethod>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  subscribe<E extends ApiEvent>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
}
