/**
 * What-ifs from a real trace: fit a scenario to an imported or attached session's cycles
 * (fit-scenario.ts), then record a simulation of it under the settings the user chose — the
 * trace's own where they chose none — beside the real session, to compare the two.
 *
 *  1. Only a trace is fitted (a simulation already has its scenario), and only once it has ended:
 *     a recording trace is still growing.
 *  2. The run request carries the fitted scenario as a custom scenario: the simulation's stored
 *     config holds it, so the session re-runs (`heapscope replay`) and opens in the scenario editor
 *     like any scenario a user wrote.
 *  3. The simulation runs on the run service's worker like any run; the caller compares it with
 *     the real session once it has finished (the compare view waits for it by itself).
 */
import { ApiError } from '../api/contract';
import type { FitResult, RunRequest, WhatIfRequest, WhatIfResult } from '../api/types';
import type { SessionRepository, SessionRow } from '../store/sessions';
import { FitError, fitScenario } from './fit-scenario';
import type { RunService } from './runs';

/** The seed of a what-if run: any fixed value replays it; the fitted scenario draws little at random. */
const WHATIF_SEED = 1;

function fittableSession(sessions: SessionRepository, id: number): SessionRow {
  const row = sessions.get(id);
  if (row === null) throw new ApiError('not-found', `session ${id} does not exist`);
  if (row.source === 'simulation') {
    throw new ApiError(
      'invalid-argument',
      `session ${id} is a simulation: a scenario is fitted to a real trace (an imported log or an attached program); re-run a simulation with heapscope replay or the New run form`,
    );
  }
  if (row.status === 'recording') {
    throw new ApiError('conflict', `session ${id} is still recording: fit it once the program has ended`);
  }
  return row;
}

export function fitSession(sessions: SessionRepository, id: number): FitResult {
  const row = fittableSession(sessions, id);
  const precisionBytes = sessions.sourceReport(id)?.precisionBytes;
  try {
    const fit = fitScenario(sessions.cycles(id), { sessionId: id, sessionName: row.name, precisionBytes });
    return { sessionId: id, ...fit };
  } catch (error) {
    if (error instanceof FitError) throw new ApiError('invalid-argument', `session ${id}: ${error.message}`);
    throw error;
  }
}

/** The run request of a what-if: the fitted scenario under the chosen settings, else the trace's. */
export function whatIfRunRequest(fit: FitResult, request: WhatIfRequest, traceName: string): RunRequest {
  const collector = request.collector ?? 'go';
  const gogc = request.gogc ?? fit.settings.gogc;
  const memoryLimitBytes = request.memoryLimitBytes ?? null;
  const limitText =
    memoryLimitBytes === null ? '' : ` · GOMEMLIMIT=${Math.round(memoryLimitBytes / 2 ** 20)}MiB`;
  const scenario = fit.scenario as { name: string };
  return {
    scenario: scenario.name,
    customScenario: fit.scenario,
    collector,
    gogc,
    procs: request.procs ?? fit.settings.procs,
    seed: request.seed ?? WHATIF_SEED,
    durationMs: null,
    name:
      request.name ??
      `${traceName} · what-if · ${collector} · GOGC=${gogc === -1 ? 'off' : gogc}${limitText}`.slice(0, 200),
    ...(request.barrier !== undefined && { barrier: request.barrier }),
    ...(request.cycleCollector !== undefined && { cycleCollector: request.cycleCollector }),
    memoryLimitBytes,
  };
}

export function startWhatIf(
  sessions: SessionRepository,
  runs: RunService,
  request: WhatIfRequest,
): WhatIfResult {
  const fit = fitSession(sessions, request.id);
  const row = sessions.get(request.id)!;
  const runRequest = whatIfRunRequest(fit, request, row.name);
  const { sessionId } = runs.start(runRequest);
  return { sessionId, baselineId: request.id, request: runRequest };
}
