/**
 * The application API: one handler per contract method, over one database. The desktop IPC
 * wiring, the browser-mode server and the tests all call `dispatch`, which validates the
 * method name and arguments before any handler runs.
 */
import { isApiMethod, type ApiMethod } from '../api/channels';
import { ApiError, type ArgsOf, type ResultOf } from '../api/contract';
import { parseArgs } from '../api/schemas';
import { SESSION_RESTORE_WINDOW_MS } from '../api/limits';
import type { SessionDetail, SessionSummary } from '../api/types';
import { openDatabase, type Db } from '../store/database';
import { SessionRepository, type SessionRow } from '../store/sessions';
import { ScenarioError, parseScenario } from '../formats/scenario';
import { SnapshotRepository } from '../store/snapshots';
import { catalog, presetScenarios, scenarioNames } from './catalog';
import { EventHub } from './events';
import { exportSession } from './export';
import { ImportJobs } from './import-jobs';
import { importText } from './import-text';
import { ProgramService } from './programs';
import { RunService } from './runs';
import { reducedSeries } from './series';
import { unknownNameMessage } from '../formats/suggest';
import { compareWithTrace } from './fidelity';
import { fitSession, startWhatIf } from './whatif';

export type ApiHandlers = { [M in ApiMethod]: (args: ArgsOf<M>) => ResultOf<M> | Promise<ResultOf<M>> };

export interface App {
  readonly db: Db;
  readonly dbPath: string;
  readonly events: EventHub;
  readonly runs: RunService;
  readonly programs: ProgramService;
  readonly sessions: SessionRepository;
  dispatch(method: unknown, args: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export interface AppOptions {
  dbPath: string;
  workerEntry?: string;
  /** See OpenOptions.nativeBinding. */
  nativeBinding?: string;
  /** The desktop app's file dialog for a program to profile; absent in browser mode and the CLI. */
  pickProgram?: () => Promise<string | null>;
  /** Simulations recording at once; the machine's parallelism when absent. */
  maxConcurrentRuns?: number;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function toSummary(row: SessionRow): SessionSummary {
  const { id, name, source, status, scenario, collector, createdAt, cycleCount, durationNs } = row;
  const { notes, tags, sizeBytes } = row;
  return {
    id,
    name,
    source,
    status,
    scenario,
    collector,
    createdAt,
    cycleCount,
    durationNs,
    notes,
    tags,
    sizeBytes,
  };
}

function toDetail(row: SessionRow, sessions: SessionRepository): SessionDetail {
  const { finishedAt: _finishedAt, recorderPid: _recorderPid, ...detail } = row;
  return {
    ...detail,
    stats: sessions.stats(row.id),
    sourceReport: sessions.sourceReport(row.id),
  };
}

export function createApp(options: AppOptions): App {
  const db = openDatabase(options.dbPath, { nativeBinding: options.nativeBinding });
  const events = new EventHub();
  const sessions = new SessionRepository(db);
  const snapshots = new SnapshotRepository(db);
  // Recordings whose process died (a crash, a kill) are finished as interrupted, keeping their cycles.
  sessions.markOrphansInterrupted((pid) => pid !== process.pid && isProcessAlive(pid));
  sessions.backfillSizes();
  // Deleted sessions are kept for their restore window, through a crash; then they go for good.
  const purgeExpired = (): void =>
    void sessions.purgeDeleted(new Date(Date.now() - SESSION_RESTORE_WINDOW_MS));
  purgeExpired();
  const purgeTimer = setInterval(() => {
    // Another process holding a long write (a CLI import, a seeding script) past busy_timeout must
    // not take the app down from a timer: the purge simply waits for the next minute.
    try {
      purgeExpired();
    } catch {
      // Nothing is lost: the sessions stay deleted and are purged on a later tick.
    }
  }, 60_000);
  purgeTimer.unref();
  const runs = new RunService({
    db,
    dbPath: options.dbPath,
    nativeBinding: options.nativeBinding,
    events,
    workerEntry: options.workerEntry,
    maxConcurrentRuns: options.maxConcurrentRuns,
  });

  const imports = new ImportJobs(db, events);
  const programs = new ProgramService({ db, events });

  const requireSession = (id: number): SessionRow => {
    const row = sessions.get(id);
    if (row === null) throw new ApiError('not-found', `session ${id} does not exist`);
    return row;
  };

  const handlers: ApiHandlers = {
    'catalog.get': () => catalog(),
    'sessions.list': (filter) => sessions.list(filter).map(toSummary),
    'sessions.get': ({ id }) => toDetail(requireSession(id), sessions),
    'sessions.cycles': ({ id, ...page }) => (requireSession(id), sessions.cycles(id, page)),
    'sessions.samples': ({ id }) => (requireSession(id), sessions.samples(id)),
    'sessions.series': (request) => (requireSession(request.id), reducedSeries(db, sessions, request)),
    'sessions.timeline': ({ id }) => (requireSession(id), sessions.timeline(id)),
    'sessions.delete': ({ id }) => {
      const row = requireSession(id);
      // Recording here, or by another live process (a CLI run, the desktop app): its rows are still coming.
      const recorder = row.status === 'recording' ? row.recorderPid : null;
      const recordingNow =
        recorder !== null &&
        (recorder === process.pid
          ? runs.list().some((run) => run.sessionId === id) ||
            programs.list().some((program) => program.sessionId === id && program.state === 'running')
          : isProcessAlive(recorder));
      if (recordingNow) {
        throw new ApiError(
          'conflict',
          `session ${id} is still recording; cancel the run (or stop the program) first`,
        );
      }
      const deleted = sessions.softDelete(id);
      if (deleted) events.emit('sessions.changed', {});
      return { deleted };
    },
    'sessions.restore': ({ id }) => {
      if (!sessions.restore(id)) {
        throw new ApiError(
          'not-found',
          `session ${id} is not deleted, or was deleted too long ago to restore`,
        );
      }
      events.emit('sessions.changed', {});
      return { restored: true };
    },
    // Renaming, annotating or tagging a recording session is fine: the recorder never writes those.
    'sessions.update': ({ id, name, notes, tags }) => {
      requireSession(id);
      sessions.update(id, { name, notes, tags });
      events.emit('sessions.changed', {});
      return toSummary(requireSession(id));
    },
    'sessions.snapshots': ({ id }) => (requireSession(id), snapshots.list(id)),
    'sessions.snapshot': ({ id, seq }) => {
      requireSession(id);
      const snapshot = snapshots.get(id, seq);
      if (snapshot === null) {
        throw new ApiError('not-found', `session ${id} has no heap snapshot at the end of cycle ${seq}`);
      }
      return snapshot;
    },
    'sessions.export': (request) =>
      exportSession(request, {
        session: toDetail(requireSession(request.id), sessions),
        sessions,
        snapshots,
      }),
    'sessions.import': (request) => importText(request, db, events),
    'imports.start': (request) => imports.start(request),
    'imports.append': ({ importId, text }) => imports.append(importId, text),
    'imports.finish': ({ importId }) => imports.finish(importId),
    'imports.cancel': ({ importId }) => imports.cancel(importId),
    'sessions.fit': ({ id }) => fitSession(sessions, id),
    'sessions.whatif': (request) => startWhatIf(sessions, runs, request),
    'sessions.fidelity': ({ simulationId, traceId }) => {
      const simulation = requireSession(simulationId);
      const trace = requireSession(traceId);
      if (simulation.source !== 'simulation') {
        throw new ApiError(
          'invalid-argument',
          `simulationId: session ${simulationId} is a ${simulation.source} session; expected a simulation`,
        );
      }
      const report = trace.source === 'gctrace' ? sessions.sourceReport(traceId) : null;
      if (report?.kind !== 'gctrace') {
        throw new ApiError(
          'invalid-argument',
          `traceId: session ${traceId} is a ${trace.source} session; expected an imported gctrace trace`,
        );
      }
      // Errors are measured from the interval the trace printed (whole MiB for gctrace).
      return compareWithTrace(sessions.cycles(simulationId), sessions.cycles(traceId), report.precisionBytes);
    },
    'scenarios.get': ({ name }) => {
      const preset = presetScenarios().get(name);
      if (preset === undefined)
        throw new ApiError('not-found', unknownNameMessage('scenario', name, scenarioNames()));
      // A copy: callers in this process (the CLI) must not be able to edit the preset itself.
      return { scenario: structuredClone(preset) };
    },
    'scenarios.validate': ({ scenario }) => {
      try {
        return { valid: true, name: parseScenario(scenario).name, problems: [] };
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        return { valid: false, name: null, problems: [...error.problems] };
      }
    },
    'runs.start': ({ request }) => runs.start(request),
    'runs.startWhenFree': ({ request }) => runs.startWhenFree(request),
    'runs.cancel': ({ sessionId }) => ({ cancelled: runs.cancel(sessionId) }),
    'runs.active': () => runs.list(),
    'programs.start': (request) => programs.start(request),
    'programs.stop': ({ programId }) => programs.stop(programId),
    'programs.get': ({ programId }) => programs.get(programId),
    'programs.active': () => programs.list(),
    'programs.pick': async () =>
      options.pickProgram === undefined
        ? { available: false, path: null }
        : { available: true, path: await options.pickProgram() },
  };

  return {
    db,
    dbPath: options.dbPath,
    events,
    runs,
    programs,
    sessions,
    async dispatch(method, rawArgs) {
      if (!isApiMethod(method)) {
        throw new ApiError('invalid-argument', `unknown method ${JSON.stringify(method)}`);
      }
      const args = parseArgs(method, rawArgs);
      return (handlers[method] as (a: typeof args) => unknown)(args);
    },
    async close() {
      clearInterval(purgeTimer);
      await imports.shutdown();
      await Promise.all([runs.shutdown(), programs.shutdown()]);
      db.close();
    },
  };
}

/** Any thrown value as the error body both transports send. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError('internal', message);
}
