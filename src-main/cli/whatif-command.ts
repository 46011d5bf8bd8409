/**
 * `heapscope whatif ID [--gogc N|off] [--memory-limit L|off] [--collector C] [--barrier B]
 * [--cycle-collector] [--procs N] [--seed N] [--name TEXT] [--scenario-out FILE] [--db FILE] [--json]`:
 * fits a scenario to an imported or attached session (the API's `sessions.fit`), records a
 * simulation of it under the settings given — the trace's own where none are (`sessions.whatif`) —
 * and prints the two compared, the real session as the baseline.
 */
import { writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { RUN_LIMITS } from '../api/limits';
import type { FitResult, WhatIfRequest, WhatIfResult } from '../api/types';
import type { App } from '../services/app';
import { formatByteRate } from '../services/byte-rate';
import type { CompareStats } from '../services/compare';
import type { FidelityReport } from '../services/fidelity';
import { collectorNames } from '../services/catalog';
import { MEMORY_LIMIT_FORMS, parseMemoryLimit } from './memory-limit';

export interface WhatIfCommandDeps {
  openApp(db: string | undefined): App;
  dbOption(): Option;
  parseSessionId(text: string): number;
  parseGogc(text: string): number;
  comparison(
    app: App,
    ids: readonly number[],
    baselineId: number,
  ): Promise<{ stats: CompareStats; report: FidelityReport | null; text: string; statsText: string }>;
  usageError(message: string): Error;
  exitCodes: { failure: number; interrupted: number };
}

interface WhatIfOptions {
  gogc?: number;
  /** Boxed: commander turns a parser's null ("off") into an empty string. */
  memoryLimit?: { bytes: number | null };
  collector?: string;
  barrier?: 'dijkstra' | 'yuasa';
  cycleCollector?: boolean;
  procs?: number;
  seed?: number;
  name?: string;
  scenarioOut?: string;
  db?: string;
  json?: boolean;
}

const MiB = 2 ** 20;

/** What the fit read from the trace, a line per phase: what the simulation is a model of. */
export function formatFit(fit: FitResult): string {
  const { settings } = fit;
  const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
  const goalFit =
    settings.goalFitError === null
      ? ''
      : ` (goals within ${(settings.goalFitError * 100).toFixed(1)} % on average${settings.goalFitError > 0.1 ? ': a memory limit or a GOGC change may have paced them' : ''})`;
  const lines = [
    `Fitted to session ${fit.sessionId}: ${settings.procs} P, GOGC ${settings.gogc === -1 ? 'off' : settings.gogc}${goalFit}` +
      (settings.stackScanBytes > 0 ? `, ${mib(settings.stackScanBytes)} of stacks in the goal` : '') +
      (fit.forcedCycles > 0 ? `, ${fit.forcedCycles} forced cycles` : ''),
    ...fit.phases.map(
      (p, i) =>
        `  phase ${i + 1}: gc ${p.firstSeq}–${p.lastSeq} from ${p.startMs.toFixed(0)} ms, ` +
        (p.allocBytesPerSec === 0
          ? 'idle'
          : `${mib(p.allocatedBytes)} at ${formatByteRate(p.allocBytesPerSec)}, live ${mib(p.liveStartBytes)} → ${mib(p.liveEndBytes)}`),
    ),
  ];
  return lines.join('\n');
}

async function whatIfCommand(id: number, options: WhatIfOptions, deps: WhatIfCommandDeps): Promise<void> {
  const collector = options.collector;
  if (options.gogc === 0)
    throw deps.usageError('--gogc 0 (collect continuously) is not supported; use 1 or more, or off');
  if (options.barrier !== undefined && collector !== 'incremental')
    throw deps.usageError('--barrier is an option of the incremental collector (--collector incremental)');
  if (options.cycleCollector !== undefined && collector !== 'refcount')
    throw deps.usageError('--cycle-collector is an option of the refcount collector (--collector refcount)');
  if (options.scenarioOut !== undefined && options.scenarioOut.trim() === '')
    throw deps.usageError('--scenario-out needs a file path');
  const request: WhatIfRequest = {
    id,
    ...(options.gogc !== undefined && { gogc: options.gogc }),
    ...(options.memoryLimit !== undefined && { memoryLimitBytes: options.memoryLimit.bytes }),
    ...(collector !== undefined && { collector }),
    ...(options.barrier !== undefined && { barrier: options.barrier }),
    ...(options.cycleCollector !== undefined && { cycleCollector: options.cycleCollector }),
    ...(options.procs !== undefined && { procs: options.procs }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.name !== undefined && { name: options.name }),
  };
  const app = deps.openApp(options.db);
  try {
    const fit = (await app.dispatch('sessions.fit', { id })) as FitResult;
    if (options.scenarioOut !== undefined)
      writeFileSync(options.scenarioOut, `${JSON.stringify(fit.scenario, null, 2)}\n`);
    const started = (await app.dispatch('sessions.whatif', request)) as WhatIfResult;
    const finished = await follow(app, started.sessionId);
    if (finished?.status !== 'complete') {
      process.exitCode =
        finished?.status === 'interrupted' ? deps.exitCodes.interrupted : deps.exitCodes.failure;
      process.stderr.write(
        `heapscope: the simulation (session ${started.sessionId}) ended ${finished?.status ?? 'failed'}${finished?.error ? `: ${finished.error}` : ''}\n`,
      );
      return;
    }
    const { stats, report, text, statsText } = await deps.comparison(app, [id, started.sessionId], id);
    // Under the trace's own settings the comparison checks the fit itself, cycle by cycle; under
    // others the differences are the answer, not a misfit.
    const ownSettings =
      started.request.collector === 'go' &&
      started.request.gogc === fit.settings.gogc &&
      started.request.procs === fit.settings.procs &&
      started.request.memoryLimitBytes === null;
    if (options.json) {
      const { scenario: _scenario, ...fitted } = fit;
      const fidelity = ownSettings ? report : null;
      process.stdout.write(
        `${JSON.stringify({ fit: fitted, simulation: started.sessionId, request: started.request, stats, fidelity }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(`${formatFit(fit)}\n\n${ownSettings ? text : statsText}\n`);
    }
  } finally {
    await app.close();
  }
}

/** Waits for the run with a progress bar on a terminal; Ctrl-C cancels it (it ends interrupted). */
async function follow(app: App, sessionId: number) {
  const bar = process.stderr.isTTY
    ? new SingleBar({
        stream: process.stderr,
        format: 'simulating session {sessionId} [{bar}] {percentage}% | {cycles} cycles',
        hideCursor: true,
      })
    : null;
  bar?.start(100, 0, { sessionId, cycles: 0 });
  const unsubscribe = app.events.subscribe((event, payload) => {
    if (event !== 'run.progress' || bar === null) return;
    const progress = payload as { sessionId: number; fraction: number; cycles: number };
    if (progress.sessionId === sessionId)
      bar.update(Math.round(progress.fraction * 100), { cycles: progress.cycles });
  });
  const interrupt = (): void => void app.runs.cancel(sessionId);
  process.once('SIGINT', interrupt);
  try {
    return await app.runs.waitFor(sessionId);
  } finally {
    process.off('SIGINT', interrupt);
    unsubscribe();
    bar?.stop();
  }
}

function integer(name: string, min: number, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max)
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return value;
  };
}

export function addWhatIfCommand(program: Command, deps: WhatIfCommandDeps): void {
  program
    .command('whatif')
    .description(
      "re-run a real trace as a simulation: fit a scenario to an imported or attached session (its P count, GOGC, phases of allocation rate and live heap, stacks, forced cycles), simulate it under the settings given (the trace's own where none are: its GOGC, its P count, no memory limit, the go collector) and print the two compared, the trace as the baseline",
    )
    .argument('<id>', 'the imported or attached session', deps.parseSessionId)
    .addOption(
      new Option('--gogc <n|off>', "GOGC (default: the trace's, read from its goals)").argParser(
        deps.parseGogc,
      ),
    )
    .addOption(
      new Option('--memory-limit <size>', `GOMEMLIMIT: ${MEMORY_LIMIT_FORMS} (default: off)`).argParser(
        (text): { bytes: number | null } => {
          try {
            return { bytes: parseMemoryLimit(text) };
          } catch (error) {
            throw new InvalidArgumentError((error as Error).message);
          }
        },
      ),
    )
    .addOption(new Option('--collector <name>', 'collector (default: go)').choices(collectorNames()))
    .addOption(
      new Option('--barrier <name>', "the incremental collector's write barrier").choices([
        'dijkstra',
        'yuasa',
      ]),
    )
    .option('--cycle-collector', 'refcount: reclaim garbage cycles by trial deletion at every cycle')
    .addOption(
      new Option('--procs <n>', "GOMAXPROCS (default: the trace's)").argParser(
        integer('GOMAXPROCS', RUN_LIMITS.procsMin, RUN_LIMITS.procsMax),
      ),
    )
    .addOption(
      new Option('--seed <n>', 'PRNG seed (default: 1)').argParser(
        integer('the seed', 0, RUN_LIMITS.seedMax),
      ),
    )
    .option('--name <text>', 'name of the simulated session')
    .option(
      '--scenario-out <file>',
      'also write the fitted scenario (JSON, docs/scenario-format.md) to a file',
    )
    .addOption(deps.dbOption())
    .option('--json', 'print the fit, the simulation and the comparison as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  heapscope whatif 12 --gogc 200\n  heapscope whatif 12 --gogc off --memory-limit 64MiB\n  heapscope whatif 12 --collector incremental --barrier yuasa\n',
    )
    .action((id: number, options: WhatIfOptions) => whatIfCommand(id, options, deps));
}
