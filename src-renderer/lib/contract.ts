/**
 * The renderer's view of the API contract: everything it uses from src-main/api, re-exported from
 * one place. Values come only from the constants files (channels, http, limits); the rest is types.
 */
export { API_EVENTS, API_METHODS, isApiEvent, isApiMethod } from '../../src-main/api/channels';
export type { ApiEvent, ApiMethod } from '../../src-main/api/channels';
export type {
  ApiErrorBody,
  ApiErrorCode,
  ApiEvents,
  ApiMethods,
  ApiTransport,
  ArgsOf,
  PayloadOf,
  ResultOf,
} from '../../src-main/api/contract';
export { API_PATH_PREFIX, EVENTS_PATH, TOKEN_HEADER, TOKEN_QUERY } from '../../src-main/api/http';
export type { EventMessage, HttpReply } from '../../src-main/api/http';
export type { SaveFileKind, SaveFileRequest, SaveFileResult } from '../../src-main/api/desktop';
export {
  IMPORT_TEXT_MAX_BYTES,
  PROGRAM_LIMITS,
  RUN_LIMITS,
  SERIES_LIMITS,
  SESSION_EDIT_LIMITS,
  SESSION_RESTORE_WINDOW_MS,
} from '../../src-main/api/limits';
export type {
  CycleBucket as ReducedCycleBucket,
  CycleTimeline,
  ReducedSeries,
  SampleBucket,
  SessionTotals,
} from '../../src-main/api/types';
export type {
  ActiveRun,
  BarrierName,
  Catalog,
  CollectorInfo,
  CollectorOptionName,
  CycleRecord,
  CycleTrigger,
  ExportCsvTable,
  ExportFormat,
  ExportRequest,
  ExportResult,
  FidelityCycle,
  FidelityReport,
  FitResult,
  FittedPhase,
  FittedSettings,
  GctraceReport,
  HeapSample,
  ImportJobProgress,
  HeapSnapshot,
  PauseWindow,
  ProgramInfo,
  ProgramStartRequest,
  RunFinished,
  RunLimits,
  RunProgress,
  RunRequest,
  ScenarioInfo,
  SessionDetail,
  SessionSource,
  SessionStats,
  SessionStatus,
  SessionSummary,
  SnapshotSummary,
  SourceReport,
  WhatIfRequest,
  WhatIfResult,
} from '../../src-main/api/types';

import type { HeapSnapshot } from '../../src-main/api/types';
// The snapshot's parts are named here because src-main/api re-exports only the whole snapshot.
export type SizeClassRow = HeapSnapshot['classes'][number];
export type SpanMap = HeapSnapshot['spans'];
export type PoolContents = HeapSnapshot['pools'][number];
export type SiteRow = HeapSnapshot['sites'][number];
