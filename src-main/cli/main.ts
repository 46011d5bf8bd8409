/**
 * The `heapscope` command: every job headless, against the same database as the app.
 * Usage errors (a bad flag, an unknown scenario) exit 2 before anything is opened or written;
 * failures while working exit 1; both print one line on stderr.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { RUN_LIMITS } from '../api/limits';
import type { RunRequest, SessionDetail } from '../api/types';
import type { ApiMethod } from '../api/channels';
import { ApiError, type ArgsOf, type ResultOf } from '../api/contract';
import { describeZodError, runRequestSchema } from '../api/schemas';
import { GctraceInputError, goMinorVersion } from '../formats/gctrace';
import { createApp, type App } from '../services/app';
import { toSimulationConfig } from '../services/runs';
import { catalog, collectorNames, scenarioNames } from '../services/catalog';
import { ImportCancelledError, type ImportProgress } from '../services/import';
import { importFile } from '../services/import-session';
import { SessionJsonError } from '../formats/session-json';
import { startServer } from '../server/server';
import { StoreError } from '../store/database';
import { resolveDatabasePath } from '../store/location';
import { formatCompareStats, formatFidelityReport, formatSessionDetail, formatSessionList } from './format';
import { addExportCommand } from './export-command';
import { addEditCommand } from './edit-command';
import { addAttachCommand } from './attach-command';
import { MEMORY_LIMIT_FORMS, parseMemoryLimit } from './memory-limit';
import { verifySession, type VerifyResult } from '../services/verify';
import { compareWithTrace, type FidelityReport } from '../services/fidelity';
import {
  COMPARE_MAX_SESSIONS,
  COMPARE_MIN_SESSIONS,
  compareStats,
  type CompareStats,
} from '../services/compare';
import { addWhatIfCommand } from './whatif-command';

const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

class UsageError extends Error {}

function integerIn(name: string, min: number, max: number, extra?: (text: string) => number | null) {
  return (text: string): number => {
    const special = extra?.(text);
    if (special !== undefined && special !== null) return special;
    if (!/^-?\d+$/.test(text.trim()))
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`${name} must be from ${min} to ${max}`);
    }
    return value;
  };
}

/**
 * GOGC as Go reads it: a percentage or `off`. -1 is how the API spells off, and is still taken, but
 * the messages name `off`: a user typing GOGC has no reason to know the -1.
 */
function parseGogc(text: string): number {
  if (text.trim() === 'off') return -1;
  const expected = `a percentage from 1 to ${RUN_LIMITS.gogcMax}, or off`;
  if (!/^-?\d+$/.test(text.trim())) throw new InvalidArgumentError(`expected ${expected}`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < RUN_LIMITS.gogcMin || value > RUN_LIMITS.gogcMax)
    throw new InvalidArgumentError(`GOGC must be ${expected}`);
  return value;
}
/** A session ID; the message says where IDs come from rather than quoting 2^53 − 1. */
function parseSessionId(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1)
    throw new InvalidArgumentError(
      'expected a session ID, a whole number from 1 (heapscope sessions lists them)',
    );
  return value;
}

function databasePath(dbOption: string | undefined): string {
  if (dbOption !== undefined && dbOption.trim() === '') throw new UsageError('--db needs a file path');
  const path = resolveDatabasePath(dbOption);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(`--db ${path} is a directory; give a database file`);
  }
  return path;
}

function openApp(dbOption: string | undefined): App {
  return createApp({ dbPath: databasePath(dbOption), workerEntry: join(__dirname, 'run-worker.js') });
}

/**
 * For commands that only read: no database yet means no sessions yet, and nothing is created
 * (a mistyped --db must not leave a new file and folders behind).
 */
function openExistingApp(dbOption: string | undefined): App | null {
  return existsSync(databasePath(dbOption)) ? openApp(dbOption) : null;
}

/** A typed call through the same dispatch (and argument validation) the app and the server use. */
async function call<M extends ApiMethod>(app: App, method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
  return (await app.dispatch(method, args)) as ResultOf<M>;
}

/** `--scenario` takes a preset name or a scenario JSON file (docs/scenario-format.md). */
function scenarioRequest(value: string): Pick<RunRequest, 'scenario' | 'customScenario'> {
  const looksLikeFile = value.endsWith('.json') || value.includes('/') || value.includes('\\');
  if (!looksLikeFile) return { scenario: value, customScenario: null };
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `--scenario ${value}: no such file`
        : `--scenario ${value}: ${(error as Error).message}`,
    );
  }
  try {
    return { scenario: value, customScenario: JSON.parse(text) as unknown };
  } catch (error) {
    throw new UsageError(`--scenario ${value}: not JSON (${(error as Error).message})`);
  }
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * A parsed --memory-limit, boxed: commander replaces a parser's null ("off") with an empty string.
 */
interface MemoryLimitOption {
  bytes: number | null;
}

async function runCommand(options: {
  scenario: string;
  collector: string;
  gogc: number;
  procs: number;
  cpus?: number;
  seed: number;
  durationMs?: number;
  name?: string;
  barrier?: 'dijkstra' | 'yuasa';
  cycleCollector?: boolean;
  memoryLimit?: MemoryLimitOption;
  db?: string;
  json?: boolean;
}): Promise<void> {
  if (options.gogc === 0)
    throw new UsageError('--gogc 0 (collect continuously) is not supported; use 1 or more, or off');
  // An option its collector would ignore is a mistake in the command, not a no-op.
  if (options.barrier !== undefined && options.collector !== 'incremental')
    throw new UsageError('--barrier is an option of the incremental collector (--collector incremental)');
  if (options.cycleCollector !== undefined && options.collector !== 'refcount')
    throw new UsageError('--cycle-collector is an option of the refcount collector (--collector refcount)');
  const request: RunRequest = {
    ...scenarioRequest(options.scenario),
    collector: options.collector,
    gogc: options.gogc,
    procs: options.procs,
    seed: options.seed,
    durationMs: options.durationMs ?? null,
    name: options.name ?? null,
    ...(options.barrier !== undefined && { barrier: options.barrier }),
    ...(options.cycleCollector !== undefined && { cycleCollector: options.cycleCollector }),
    ...(options.memoryLimit !== undefined && { memoryLimitBytes: options.memoryLimit.bytes }),
    ...(options.cpus !== undefined && { cpus: options.cpus }),
  };
  // Everything about the request is checked before the database is opened: bad input writes nothing.
  const checked = runRequestSchema.safeParse(request);
  if (!checked.success) throw new UsageError(inFlagTerms(describeZodError(checked.error)));
  try {
    toSimulationConfig(checked.data);
  } catch (error) {
    if (error instanceof ApiError) throw new UsageError(inFlagTerms(error.message));
    throw error;
  }
  const app = openApp(options.db);
  try {
    await recordAndReport(app, checked.data, options.json === true);
  } finally {
    await app.close();
  }
}

/** The request fields `run` fills from its flags, by the flag a user typed. */
const FLAG_OF_FIELD: Record<string, string> = {
  'request.memoryLimitBytes': '--memory-limit',
  'request.gogc': '--gogc',
  'request.procs': '--procs',
  'request.seed': '--seed',
  'request.durationMs': '--duration-ms',
  'request.collector': '--collector',
  'request.barrier': '--barrier',
  'request.name': '--name',
};

/** A request's validation message, naming the flags rather than the API's field paths. */
function inFlagTerms(message: string): string {
  return message.replace(/\brequest\.[A-Za-z]+\b/g, (path) => FLAG_OF_FIELD[path] ?? path);
}

/** Records `request` as a new session with a progress bar on a terminal, then prints it. */
async function recordAndReport(app: App, request: RunRequest, json: boolean): Promise<void> {
  const { sessionId } = app.runs.start(request);
  const bar = process.stderr.isTTY
    ? new SingleBar({
        stream: process.stderr,
        format: 'recording session {sessionId} [{bar}] {percentage}% | {cycles} cycles',
        hideCursor: true,
      })
    : null;
  bar?.start(100, 0, { sessionId, cycles: 0 });
  const unsubscribe = app.events.subscribe((event, payload) => {
    if (event === 'run.progress' && bar !== null) {
      const progress = payload as { fraction: number; cycles: number };
      bar.update(Math.round(progress.fraction * 100), { cycles: progress.cycles });
    }
  });
  const interrupt = (): void => void app.runs.cancel(sessionId);
  process.once('SIGINT', interrupt);
  const finished = await app.runs.waitFor(sessionId);
  process.off('SIGINT', interrupt);
  unsubscribe();
  bar?.stop();
  const detail = await call(app, 'sessions.get', { id: sessionId });
  if (json) printJson(detail);
  else process.stdout.write(`${formatSessionDetail(detail)}\n`);
  if (finished?.status !== 'complete') {
    process.exitCode = finished?.status === 'interrupted' ? EXIT_INTERRUPTED : EXIT_FAILURE;
    if (finished?.error) process.stderr.write(`heapscope: ${finished.error}\n`);
  }
}

/**
 * `replay ID`: record the session's stored run again as a new session; `--verify`: re-simulate it
 * without recording and check every recorded cycle comes back exactly.
 */
async function replayCommand(
  id: number,
  options: { verify?: boolean; db?: string; json?: boolean },
): Promise<void> {
  const app = openExistingApp(options.db);
  try {
    if (app === null) throw new ApiError('not-found', `session ${id} does not exist`);
    const session = await call(app, 'sessions.get', { id });
    if (!options.verify) {
      if (session.source !== 'simulation' || session.config === null)
        throw new ApiError(
          'invalid-argument',
          `session ${id} is an imported ${session.source} session: only simulations can be re-run`,
        );
      await recordAndReport(
        app,
        { ...session.config, name: `replay of #${id} ${session.name}` },
        options.json === true,
      );
      return;
    }
    const result = verifySession(session, await call(app, 'sessions.cycles', { id }));
    if (options.json) printJson(result);
    else process.stdout.write(`${formatVerifyResult(id, result)}\n`);
    if (result.outcome !== 'reproduced') process.exitCode = EXIT_FAILURE;
  } finally {
    await app?.close();
  }
}

function formatVerifyResult(id: number, r: VerifyResult): string {
  const engine = r.engineChanged
    ? `recorded by engine ${r.recordedEngineVersion}, re-run by ${r.engineVersion}: differences are expected`
    : `engine ${r.engineVersion}`;
  if (r.firstDifference === null)
    return `session ${id}: all ${r.cyclesCompared} recorded cycles reproduced exactly (${engine})`;
  const d = r.firstDifference;
  return [
    `session ${id}: differs at gc ${d.seq}, field ${d.field}: recorded ${JSON.stringify(d.recorded)}, re-run ${JSON.stringify(d.replayed)}`,
    `  ${r.cyclesCompared} cycles compared (${engine})`,
  ].join('\n');
}

function parseGoVersion(text: string): string {
  if (goMinorVersion(text) === null)
    throw new InvalidArgumentError('expected a Go release such as 1.19 or go1.21.3');
  return text;
}

/** The file to import, checked before anything is opened: a missing file is a usage error. */
function checkImportSource(file: string): void {
  if (file === '-') return;
  let isDirectory: boolean;
  try {
    isDirectory = statSync(file).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${file}: no such file` : `${file}: ${(error as Error).message}`,
    );
  }
  if (isDirectory) throw new UsageError(`${file} is a directory, not a gctrace log or a session export`);
}

function importProgressBar(file: string): { update(p: ImportProgress): void; stop(): void } | null {
  if (!process.stderr.isTTY) return null;
  const label = file === '-' ? 'stdin' : basename(file);
  const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
  let bar: SingleBar | null = null;
  return {
    update(p) {
      // A pipe has no size: show what was read instead of a bar.
      const known = p.totalBytes !== null && p.totalBytes > 0;
      bar ??= new SingleBar({
        stream: process.stderr,
        format: known
          ? `importing ${label} [{bar}] {percentage}% | {read}/{total_mib} MiB | {cycles} cycles`
          : `importing ${label} | {read} MiB read | {cycles} cycles`,
        hideCursor: true,
      });
      const payload = { read: mib(p.bytesRead), cycles: p.cycles.toLocaleString('en-US') };
      if (!bar.isActive)
        bar.start(known ? p.totalBytes! : 1, 0, { ...payload, total_mib: mib(p.totalBytes ?? 0) });
      bar.update(known ? p.bytesRead : 0, payload);
    },
    stop() {
      bar?.stop();
    },
  };
}

async function importCommand(
  file: string,
  options: { name?: string; goVersion?: string; db?: string; json?: boolean },
): Promise<void> {
  const name = options.name?.trim();
  if (options.name !== undefined && !name) throw new UsageError('--name must not be empty');
  checkImportSource(file);
  // The database is opened at the first cycle line, so input that is not a gctrace log writes nothing.
  const opened: { app: App | null } = { app: null };
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  const bar = importProgressBar(file);
  process.once('SIGINT', interrupt);
  try {
    const result = await importFile(file, {
      name: name ?? null,
      goVersion: options.goVersion ?? null,
      database: () => (opened.app = openApp(options.db)).db,
      recorderPid: process.pid,
      signal: controller.signal,
      onProgress: (p) => bar?.update(p),
    });
    bar?.stop();
    for (const warning of result.warnings) process.stderr.write(`heapscope: warning: ${warning}\n`);
    const detail = (await opened.app!.dispatch('sessions.get', { id: result.sessionId })) as SessionDetail;
    if (options.json) printJson(detail);
    else process.stdout.write(`${formatSessionDetail(detail)}\n`);
  } catch (error) {
    bar?.stop();
    if (error instanceof GctraceInputError || error instanceof SessionJsonError)
      throw new ImportInputError(`${file === '-' ? 'stdin' : file}: ${error.message}`);
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
    await opened.app?.close();
  }
}

/** The IDs `compare` was given, checked before anything is opened. */
function compareIds(
  texts: readonly string[],
  baselineText: string | undefined,
): { ids: number[]; baselineId: number } {
  if (texts.length < COMPARE_MIN_SESSIONS)
    throw new UsageError(
      `compare needs ${COMPARE_MIN_SESSIONS} to ${COMPARE_MAX_SESSIONS} session IDs, got ${texts.length}`,
    );
  if (texts.length > COMPARE_MAX_SESSIONS)
    throw new UsageError(
      `compare takes at most ${COMPARE_MAX_SESSIONS} sessions side by side, got ${texts.length}`,
    );
  const asId = (text: string, what: string): number => {
    try {
      return parseSessionId(text);
    } catch (error) {
      throw new UsageError(`${what} ${JSON.stringify(text)}: ${(error as Error).message}`);
    }
  };
  const ids = texts.map((text) => asId(text, 'session ID'));
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined) throw new UsageError(`session ${repeated} is given twice`);
  const baselineId = baselineText === undefined ? ids[0]! : asId(baselineText, '--baseline');
  if (!ids.includes(baselineId))
    throw new UsageError(`--baseline ${baselineId} is not one of the compared sessions (${ids.join(', ')})`);
  return { ids, baselineId };
}

/**
 * `heapscope compare ID ID…`: the stats table of 2–8 sessions with deltas against a baseline; for a
 * simulation and an imported gctrace trace, also the fidelity table and verdict (the trace is the
 * "real" side whichever order they are given in; of two traces, the second).
 */
async function compareCommand(
  texts: string[],
  options: { baseline?: string; db?: string; json?: boolean; check?: boolean },
): Promise<void> {
  const { ids, baselineId } = compareIds(texts, options.baseline);
  const app = openExistingApp(options.db);
  try {
    if (app === null) throw new ApiError('not-found', `session ${ids[0]} does not exist`);
    const { stats, report, text } = await comparison(app, ids, baselineId, options.check === true);
    if (options.json) printJson({ stats, fidelity: report });
    else process.stdout.write(`${text}\n`);
    if (options.check && report !== null && !report.verdict.pass) process.exitCode = EXIT_FAILURE;
  } finally {
    await app?.close();
  }
}

/** `compare`'s figures for finished sessions: the stats table, and the fidelity report for a simulation and a trace. */
async function comparison(
  app: App,
  ids: readonly number[],
  baselineId: number,
  needFidelity = false,
): Promise<{ stats: CompareStats; report: FidelityReport | null; text: string; statsText: string }> {
  const details: SessionDetail[] = [];
  for (const id of ids) details.push(await call(app, 'sessions.get', { id }));
  const recording = details.find((d) => d.status === 'recording');
  if (recording)
    throw new ApiError(
      'conflict',
      `session ${recording.id} is still recording: compare it once its run has finished`,
    );
  const cycles = await Promise.all(ids.map((id) => call(app, 'sessions.cycles', { id })));
  // Peak heap counts the samples between cycles too, as the session's stats do.
  const samples = await Promise.all(ids.map((id) => call(app, 'sessions.samples', { id })));
  const stats = compareStats(
    details.map((d, i) => ({
      session: { id: d.id, name: d.name, source: d.source, status: d.status, collector: d.collector },
      cycles: cycles[i]!,
      samples: samples[i]!,
    })),
    baselineId,
  );
  const pair = fidelityPair(details);
  if (needFidelity && pair === null)
    throw new UsageError(
      '--check holds a simulation to an imported gctrace trace: give exactly those two sessions',
    );
  const report =
    pair === null
      ? null
      : compareWithTrace(
          cycles[pair.sim]!,
          cycles[pair.real]!,
          details[pair.real]!.sourceReport?.precisionBytes ?? 1,
        );
  const statsText = formatCompareStats(stats);
  const fidelityText =
    report !== null && pair !== null
      ? formatFidelityReport(report, details[pair.sim]!, details[pair.real]!)
      : null;
  return {
    stats,
    report,
    text: fidelityText === null ? statsText : `${statsText}\n\n${fidelityText}`,
    statsText,
  };
}

/** Which of two sessions is held to which: a simulation (or a trace) to an imported gctrace trace. */
function fidelityPair(details: readonly SessionDetail[]): { sim: number; real: number } | null {
  if (details.length !== 2) return null;
  const isTrace = (d: SessionDetail | undefined) =>
    d?.source === 'gctrace' && d.sourceReport?.kind === 'gctrace';
  const comparable = (d: SessionDetail | undefined) => d?.source === 'simulation' || isTrace(d);
  if (!comparable(details[0]) || !comparable(details[1])) return null;
  if (isTrace(details[1])) return { sim: 0, real: 1 };
  return isTrace(details[0]) ? { sim: 1, real: 0 } : null;
}

/** Input that is not a gctrace log: a failure (exit 1), reported in one line naming the file. */
class ImportInputError extends Error {}

export function buildProgram(): Command {
  const program = new Command()
    .name('heapscope')
    .description('Simulate, record and inspect Go-style garbage collection sessions.')
    .version('0.1.0')
    .exitOverride()
    // Commander's own usage errors (an unknown option, a bad choice) carry the same prefix as the
    // command's, so every failure reads as one kind of line; subcommands inherit this.
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'heapscope: ')) });

  const dbOption = () =>
    new Option('--db <file>', 'database file (default: $HEAPSCOPE_DB, else the per-user data directory)');

  program
    .command('run')
    .description('simulate a scenario under a collector and record it as a session')
    .addOption(
      new Option(
        '--scenario <name|file>',
        `a preset (${scenarioNames().join(', ')}) or a scenario JSON file`,
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option('--collector <name>', 'garbage collector').choices(collectorNames()).makeOptionMandatory(),
    )
    .addOption(new Option('--gogc <percent>', 'GOGC percent, or "off"').argParser(parseGogc).default(100))
    .addOption(
      new Option('--procs <n>', 'GOMAXPROCS')
        .argParser(integerIn('GOMAXPROCS', RUN_LIMITS.procsMin, RUN_LIMITS.procsMax))
        .default(4),
    )
    .addOption(
      new Option('--cpus <n>', "the machine's CPUs the Ps share (default: as many as GOMAXPROCS)").argParser(
        integerIn('the CPU count', RUN_LIMITS.procsMin, RUN_LIMITS.procsMax),
      ),
    )
    .addOption(
      new Option('--seed <n>', 'PRNG seed (uint32)')
        .argParser(integerIn('the seed', 0, RUN_LIMITS.seedMax))
        .default(1),
    )
    .addOption(
      new Option('--duration-ms <ms>', "virtual duration (default: the scenario's)").argParser(
        integerIn('the duration', RUN_LIMITS.durationMsMin, RUN_LIMITS.durationMsMax),
      ),
    )
    .addOption(
      new Option('--barrier <name>', "the incremental collector's write barrier").choices([
        'dijkstra',
        'yuasa',
      ]),
    )
    .option('--cycle-collector', 'refcount: reclaim garbage cycles by trial deletion at every cycle')
    .addOption(
      new Option('--memory-limit <size>', `GOMEMLIMIT: ${MEMORY_LIMIT_FORMS}`).argParser(
        (text): MemoryLimitOption => {
          try {
            return { bytes: parseMemoryLimit(text) };
          } catch (error) {
            throw new InvalidArgumentError((error as Error).message);
          }
        },
      ),
    )
    .option('--name <text>', 'session name')
    .addOption(dbOption())
    .option('--json', 'print the recorded session as JSON')
    .action(runCommand);

  program
    .command('compare')
    .description(
      'compare 2–8 sessions: cycles, pauses (total, p50/p95/p99/max), GC CPU, peak and mean heap, pool hit rate and leaks, with deltas against a baseline; a simulation and an imported gctrace trace are also held to each other cycle by cycle (cycles within ±15 %, heap goal and marked bytes within ±10 % after gc 3, forced cycles in place)',
    )
    .argument('<ids...>', `${COMPARE_MIN_SESSIONS} to ${COMPARE_MAX_SESSIONS} session IDs`)
    .option('--baseline <id>', 'the session the others are measured against (default: the first)')
    .addOption(dbOption())
    .option(
      '--check',
      'for a simulation and a gctrace trace: exit 1 when the verdict is FAIL (without it, exit 0 whatever the verdict)',
    )
    .option(
      '--json',
      'print JSON: {stats: {baselineId, sessions, rows}, fidelity: {precisionBytes, rows, verdict} | null}',
    )
    .addHelpText(
      'after',
      '\nFidelity errors are measured from the interval the trace printed: gctrace floors heap sizes to whole MB,\nso a real "34 MB" is any size in [34, 35) MiB. Cycles are aligned by number; the first three are\nshown but not judged. Exit status: 0 when the comparison ran (1 with --check and a FAIL verdict),\n1 for a session that does not exist or is still recording, 2 for bad arguments.',
    )
    .action(compareCommand);

  program
    .command('import')
    .description(
      'import a GODEBUG=gctrace=1 log of a real Go program, or a session exported with export --format json, as a new session',
    )
    .argument(
      '<file>',
      'the log (what the program wrote to stderr) or the session export, or - to read stdin',
    )
    .option('--name <text>', 'session name (default: the file name; for a session export, its own name)')
    .addOption(
      new Option(
        '--go-version <version>',
        'the Go release that wrote the log, e.g. 1.19: "MB stacks" means stack sizes in 1.18/1.19',
      ).argParser(parseGoVersion),
    )
    .addOption(dbOption())
    .option('--json', 'print the imported session as JSON')
    .addHelpText(
      'after',
      '\nA session export (JSON whose first key is "format": "heapscope-session", or any with "formatVersion")\nimports as the session it was: config, seed, engine version, status, every cycle, sample and heap\nsnapshot, source report, name, notes and tags, under a new ID; a simulation still replays with\nheapscope replay ID --verify. A file that fails the schema is refused with the JSON path of each\nproblem, and nothing is written. See docs/export-formats.md.',
    )
    .action(importCommand);

  program
    .command('sessions')
    .description('list recorded sessions')
    .option('--search <text>', 'only sessions whose name, tags, scenario or collector hold every word')
    .option('--tag <tag>', 'only sessions carrying this tag')
    .addOption(dbOption())
    .option('--json', 'print JSON')
    .action(async (options: { search?: string; tag?: string; db?: string; json?: boolean }) => {
      const app = openExistingApp(options.db);
      try {
        const filter = {
          ...(options.search !== undefined && { search: options.search }),
          ...(options.tag !== undefined && { tag: options.tag }),
        };
        const list = app === null ? [] : await call(app, 'sessions.list', filter);
        if (options.json) printJson(list);
        else process.stdout.write(`${formatSessionList(list, Object.keys(filter).length > 0)}\n`);
      } finally {
        await app?.close();
      }
    });

  program
    .command('show')
    .description(
      'show a session: cycles, pause percentiles, peak heap, GC CPU, whether it ends thrashing, what refcount leaked',
    )
    .argument('<id>', 'session ID', parseSessionId)
    .addOption(dbOption())
    .option('--json', 'print JSON (the session with its stats)')
    .action(async (id: number, options: { db?: string; json?: boolean }) => {
      const app = openExistingApp(options.db);
      try {
        if (app === null) throw new ApiError('not-found', `session ${id} does not exist`);
        const detail = await call(app, 'sessions.get', { id });
        if (options.json) printJson(detail);
        else process.stdout.write(`${formatSessionDetail(detail)}\n`);
      } finally {
        await app?.close();
      }
    });

  program
    .command('replay')
    .description(
      'record a simulated session again from its stored config and seed; --verify re-simulates it and checks every recorded cycle is reproduced exactly (exit 1 if not)',
    )
    .argument('<id>', 'session ID', parseSessionId)
    .option('--verify', 'compare instead of recording: report the first cycle and field that differ')
    .addOption(dbOption())
    .option('--json', 'print JSON')
    .action(replayCommand);

  addExportCommand(program, { openExistingApp, dbOption, parseSessionId });
  addEditCommand(program, { openExistingApp, dbOption, parseSessionId });
  addAttachCommand(program, { openApp, dbOption });
  addWhatIfCommand(program, {
    openApp,
    dbOption,
    parseSessionId,
    parseGogc,
    comparison,
    usageError: (message) => new UsageError(message),
    exitCodes: { failure: EXIT_FAILURE, interrupted: EXIT_INTERRUPTED },
  });

  program
    .command('scenarios')
    .description('list the preset scenarios')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const { scenarios } = catalog();
      if (options.json) printJson(scenarios);
      else
        for (const s of scenarios)
          process.stdout.write(`${s.name.padEnd(16)} ${s.title}: ${s.description}\n`);
    });

  program
    .command('serve')
    .description('serve the app in a browser at a 127.0.0.1 address (browser mode)')
    .addOption(
      new Option('--port <n>', 'port (0 picks a free one)')
        .argParser(integerIn('the port', 0, 65535))
        .default(0),
    )
    .addOption(dbOption())
    .action(async (options: { port: number; db?: string }) => {
      const app = openApp(options.db);
      const server = await startServer({
        app,
        rendererDir: join(__dirname, '..', 'renderer'),
        port: options.port,
      });
      process.stdout.write(
        `Heapscope is serving at ${server.url}\nDatabase: ${app.dbPath}\nPress Ctrl-C to stop.\n`,
      );
      const stop = async (): Promise<void> => {
        await server.close();
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  // `heapscope scenarios | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed what was asked.
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
    } else if (error instanceof UsageError) {
      process.stderr.write(`heapscope: ${error.message}\n`);
      process.exitCode = EXIT_USAGE;
    } else if (error instanceof ImportInputError) {
      process.stderr.write(`heapscope: ${error.message}\n`);
      process.exitCode = EXIT_FAILURE;
    } else if (error instanceof ImportCancelledError) {
      process.stderr.write(`heapscope: ${error.message}\n`);
      process.exitCode = EXIT_INTERRUPTED;
    } else if (error instanceof ApiError || error instanceof StoreError) {
      process.stderr.write(`heapscope: ${error.message}\n`);
      process.exitCode =
        error instanceof ApiError && error.code === 'invalid-argument' ? EXIT_USAGE : EXIT_FAILURE;
    } else {
      process.stderr.write(`heapscope: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT_FAILURE;
    }
  }
}

void main(process.argv);
