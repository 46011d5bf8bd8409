/**
 * The run service: turns a RunRequest into a recording session executed on a worker thread, so
 * neither the desktop main thread nor the server's event loop ever runs the simulation. It owns
 * the session row's lifecycle on the main side: created as `recording` here, finished by the
 * worker, and marked `failed` here if the worker dies without finishing it.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../api/contract';
import type { ActiveRun, RunFinished, RunProgress, RunRequest, RunStartAttempt } from '../api/types';
import { DEFAULT_COLLECTOR_OPTIONS, ENGINE_VERSION, type Scenario, type SimulationConfig } from '../engine';
import type { Structure } from '../engine/scenario';
import { treeNodes } from '../engine/structure';
import { SessionRepository } from '../store/sessions';
import type { Db } from '../store/database';
import { ScenarioError, parseScenario } from '../formats/scenario';
import { collectorNames, presetScenarios, scenarioNames } from './catalog';
import { unknownNameMessage } from '../formats/suggest';
import type { EventHub } from './events';
import type { FromWorker, RunWorkerData, ToWorker } from './run-protocol';

/** How long a cancelled run may take to flush and finish when the app quits. */
const SHUTDOWN_GRACE_MS = 5_000;

export interface RunServiceOptions {
  db: Db;
  dbPath: string;
  nativeBinding?: string;
  events: EventHub;
  /** The built worker script; defaults to the one beside this bundle. */
  workerEntry?: string;
  /** Concurrent runs allowed; more would only share the same cores. */
  maxConcurrentRuns?: number;
}

interface ActiveWorker {
  worker: Worker;
  progress: RunProgress;
  finished: Promise<RunFinished>;
}

export function defaultRunName(request: RunRequest): string {
  const gogc = request.gogc === -1 ? 'off' : String(request.gogc);
  return `${request.scenario} · ${request.collector} · GOGC=${gogc}`;
}

/** The scenario a request names or carries; a custom one is validated here, before any run starts. */
export function requestedScenario(request: RunRequest): Scenario {
  if (request.customScenario !== null) {
    try {
      return parseScenario(request.customScenario);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      throw new ApiError('invalid-argument', `request.customScenario: ${error.message}`);
    }
  }
  const preset = presetScenarios().get(request.scenario);
  if (preset === undefined) {
    throw new ApiError('invalid-argument', unknownNameMessage('scenario', request.scenario, scenarioNames()));
  }
  return preset;
}

/** Checks what the argument schema cannot: that the scenario is valid and the collector exists. */
/**
 * The heap a scenario keeps live from its start whatever the collector: the rings it prefills
 * (their backing arrays and, at the smallest size the site allocates, every entry). A memory limit
 * below it can never be met — refused before the run rather than left to thrash.
 */
export function prefilledLiveBytes(scenario: Scenario): number {
  let bytes = 0;
  for (const kind of scenario.goroutines) {
    for (const site of kind.sites) {
      if (site.lifetime.kind !== 'ring' || !site.lifetime.prefill || !('size' in site) || !site.escapes)
        continue;
      const nodes = site.structure === undefined ? 1 : structureNodes(site.structure);
      const smallest =
        site.size.kind === 'fixed'
          ? site.size.bytes
          : site.size.kind === 'uniform'
            ? site.size.minBytes
            : Math.min(...site.size.sizes.map((s) => s.bytes));
      bytes += site.lifetime.slots * ((site.lifetime.slotBytes ?? 8) + nodes * smallest);
    }
  }
  return bytes;
}

function structureNodes(structure: Structure): number {
  if (structure.kind === 'single') return 1;
  return structure.kind === 'tree' ? treeNodes(structure.fanout, structure.depth) : structure.nodes;
}

export function toSimulationConfig(request: RunRequest): SimulationConfig {
  const scenario = requestedScenario(request);
  const limit = request.memoryLimitBytes ?? null;
  const liveBytes = prefilledLiveBytes(scenario);
  if (limit !== null && limit < liveBytes) {
    const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    throw new ApiError(
      'invalid-argument',
      `request.memoryLimitBytes: GOMEMLIMIT ${mib(limit)} is below the ${mib(liveBytes)} scenario ${scenario.name} keeps live from its start (its prefilled rings); the run could only thrash — raise the limit above that`,
    );
  }
  if (!collectorNames().includes(request.collector)) {
    throw new ApiError(
      'invalid-argument',
      unknownNameMessage('collector', request.collector, collectorNames()),
    );
  }
  return {
    scenario,
    collector: request.collector,
    gogc: request.gogc,
    procs: request.procs,
    seed: request.seed,
    durationNs: (request.durationMs ?? scenario.durationMs) * 1e6,
    collectorOptions: {
      barrier: request.barrier ?? DEFAULT_COLLECTOR_OPTIONS.barrier,
      cycleCollector: request.cycleCollector ?? DEFAULT_COLLECTOR_OPTIONS.cycleCollector,
    },
    memoryLimitBytes: request.memoryLimitBytes ?? Infinity,
    ...(typeof request.cpus === 'number' && { cpus: request.cpus }),
  };
}

export class RunService {
  private readonly sessions: SessionRepository;
  private readonly active = new Map<number, ActiveWorker>();
  /** Per active run: end it at once, without the worker's cooperation. */
  private readonly stopNow = new Map<number, (reason: string) => void>();
  private readonly workerEntry: string;
  private readonly maxConcurrentRuns: number;

  constructor(private readonly options: RunServiceOptions) {
    this.sessions = new SessionRepository(options.db);
    this.workerEntry = options.workerEntry ?? join(__dirname, 'run-worker.js');
    this.maxConcurrentRuns = options.maxConcurrentRuns ?? availableParallelism();
  }

  start(request: RunRequest): { sessionId: number } {
    const attempt = this.startWhenFree(request);
    if (!attempt.started) {
      throw new ApiError(
        'conflict',
        `${attempt.activeRuns} runs are already recording (the limit is ${attempt.maxConcurrentRuns}); wait for one to finish`,
      );
    }
    return { sessionId: attempt.sessionId };
  }

  /**
   * Starts the run if a slot is free; else says so, as an answer rather than an error: a client
   * that queues its runs (Run all collectors) waits for a slot by design, and an HTTP error status
   * for each wait would be logged by the browser as a failed request.
   */
  startWhenFree(request: RunRequest): RunStartAttempt {
    // A bad request is refused first, whether or not a slot is free.
    const config = toSimulationConfig(request);
    if (this.active.size >= this.maxConcurrentRuns) {
      return { started: false, activeRuns: this.active.size, maxConcurrentRuns: this.maxConcurrentRuns };
    }
    // A custom scenario is recorded under its own name, whatever `scenario` said.
    const recorded: RunRequest = { ...request, scenario: config.scenario.name };
    const sessionId = this.sessions.create({
      name: request.name ?? defaultRunName(recorded),
      source: 'simulation',
      scenario: recorded.scenario,
      collector: request.collector,
      config: recorded,
      seed: request.seed,
      engineVersion: ENGINE_VERSION,
      recorderPid: process.pid,
    });
    const workerData: RunWorkerData = {
      dbPath: this.options.dbPath,
      nativeBinding: this.options.nativeBinding,
      sessionId,
      config,
    };
    const worker = new Worker(this.workerEntry, { workerData });
    const progress: RunProgress = { sessionId, fraction: 0, cycles: 0, virtualNs: 0 };
    const finished = new Promise<RunFinished>((resolve) => {
      let settled = false;
      const settle = (outcome: RunFinished): void => {
        if (settled) return;
        settled = true;
        this.active.delete(sessionId);
        this.stopNow.delete(sessionId);
        this.options.events.emit('run.finished', outcome);
        this.options.events.emit('sessions.changed', {});
        resolve(outcome);
      };
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'progress') {
          Object.assign(progress, {
            fraction: message.fraction,
            cycles: message.cycles,
            virtualNs: message.virtualNs,
          });
          this.options.events.emit('run.progress', { ...progress });
        } else {
          settle({ sessionId, status: message.status, error: message.error });
        }
      });
      const failUnfinished = (status: 'failed' | 'interrupted', reason: string): void => {
        if (settled) return;
        // The worker could not finish the row itself; do it here so nothing stays `recording`.
        // If even that fails (the database is busy), the next start finds the orphan; the run
        // must still be reported as over.
        try {
          this.sessions.finish(sessionId, status, reason);
        } catch {
          // reported through run.finished below
        }
        settle({ sessionId, status, error: reason });
      };
      this.stopNow.set(sessionId, (reason) => {
        failUnfinished('interrupted', reason);
        void worker.terminate();
      });
      worker.on('error', (error) => failUnfinished('failed', `the run failed: ${error.message}`));
      worker.on('exit', (code) =>
        failUnfinished('failed', `the run's worker exited (code ${code}) before finishing`),
      );
    });
    this.active.set(sessionId, { worker, progress, finished });
    this.options.events.emit('sessions.changed', {});
    return { started: true, sessionId };
  }

  cancel(sessionId: number): boolean {
    const run = this.active.get(sessionId);
    if (run === undefined) return false;
    run.worker.postMessage({ type: 'cancel' } satisfies ToWorker);
    return true;
  }

  list(): ActiveRun[] {
    return [...this.active.entries()].map(([sessionId, run]) => ({
      sessionId,
      progress: { ...run.progress },
    }));
  }

  /** Resolves when the run ends; resolves at once with null for a session that is not running here. */
  waitFor(sessionId: number): Promise<RunFinished | null> {
    return this.active.get(sessionId)?.finished ?? Promise.resolve(null);
  }

  /** Cancels every run and waits for each to record what it has (used on quit). */
  /**
   * Cancels every run and waits for each to record what it has (used on quit). A worker that does
   * not stop within `graceMs` is terminated and its session ended as interrupted: quitting never hangs.
   */
  async shutdown(graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    const runs = [...this.active.keys()];
    for (const id of runs) this.cancel(id);
    const deadline = setTimeout(() => {
      for (const id of runs) this.stopNow.get(id)?.(`the run did not stop within ${graceMs} ms of quitting`);
    }, graceMs);
    await Promise.all(runs.map((id) => this.waitFor(id)));
    clearTimeout(deadline);
  }
}
