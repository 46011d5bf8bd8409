/**
 * `heapscope attach [--name TEXT] [--go-version V] [--db FILE] [--json] -- PROGRAM [ARGS…]`: runs a Go
 * program with GODEBUG=gctrace=1 and records its trace live as a session (services/attach.ts).
 *
 * The program's stdout stays on stdout (with --json, stdout carries only the session's JSON and the
 * program's stdout goes to stderr); its stderr, less the trace lines, goes to stderr. Ctrl-C is
 * forwarded to the program as SIGINT (a second one kills it) and the session ends interrupted with
 * what was recorded. Exit status: the program's (128 + N for signal N), 130 when interrupted, 1 when
 * it printed no gctrace line (nothing is recorded then, as `import` writes nothing for a file that is
 * not a gctrace log), 127 when the program cannot be started.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ApiError } from '../api/contract';
import type { SessionDetail } from '../api/types';
import { goMinorVersion } from '../formats/gctrace';
import type { App } from '../services/app';
import { AttachSpawnError, attachProgram, defaultAttachName, exitStatusOf } from '../services/attach';

export { defaultAttachName };
import { formatSessionDetail } from './format';

const EXIT_FAILURE = 1;
const EXIT_INTERRUPTED = 130;
const EXIT_NOT_FOUND = 127;

interface AttachCommandOptions {
  name?: string;
  goVersion?: string;
  db?: string;
  json?: boolean;
}

export interface AttachCommandDeps {
  /** Opens (creating if need be) the app over the database. */
  openApp(db: string | undefined): App;
  dbOption(): Option;
}

async function attachCommand(
  command: string[],
  options: AttachCommandOptions,
  deps: AttachCommandDeps,
): Promise<void> {
  const name = options.name?.trim();
  if (options.name !== undefined && !name) throw new ApiError('invalid-argument', '--name must not be empty');
  const opened: { app: App | null } = { app: null };
  const json = options.json === true;
  let attached;
  try {
    attached = attachProgram({
      command,
      name: name ?? defaultAttachName(command),
      goVersion: options.goVersion ?? null,
      database: () => (opened.app = deps.openApp(options.db)).db,
      events: () => opened.app?.events ?? null,
      stdout: json ? process.stderr : 'inherit',
      recorderPid: process.pid,
      // Which session the UI can follow while the program runs.
      onSession: (id) => void process.stderr.write(`heapscope: recording session ${id}\n`),
    });
  } catch (error) {
    if (error instanceof AttachSpawnError) throw new ApiError('invalid-argument', error.message);
    throw error;
  }
  let signals = 0;
  const interrupt = (signal: NodeJS.Signals) => (): void => {
    signals += 1;
    // A program that ignores the first Ctrl-C is killed by the second.
    attached.interrupt(signals > 1 ? 'SIGKILL' : signal);
  };
  const onInt = interrupt('SIGINT');
  const onTerm = interrupt('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const result = await attached.done;
    if (result.sessionId === null) {
      process.stderr.write(`heapscope: ${result.error}\n`);
      process.exitCode =
        result.status === 'interrupted'
          ? EXIT_INTERRUPTED
          : result.exitCode === 0
            ? EXIT_FAILURE
            : exitStatusOf(result);
      return;
    }
    const detail = (await opened.app!.dispatch('sessions.get', { id: result.sessionId })) as SessionDetail;
    if (json) process.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
    else process.stderr.write(`${formatSessionDetail(detail)}\n`);
    if (result.error !== null) process.stderr.write(`heapscope: ${result.error}\n`);
    process.exitCode = result.status === 'interrupted' ? EXIT_INTERRUPTED : exitStatusOf(result);
  } catch (error) {
    if (error instanceof AttachSpawnError) {
      process.stderr.write(`heapscope: ${error.message}\n`);
      process.exitCode = EXIT_NOT_FOUND;
      return;
    }
    throw error;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    await opened.app?.close();
  }
}

export function addAttachCommand(program: Command, deps: AttachCommandDeps): void {
  program
    .command('attach')
    .description(
      'run a Go program with GODEBUG=gctrace=1 and record its GC cycles live as a session (put -- before the program)',
    )
    .argument('<program...>', 'the program and its arguments, after --')
    .option('--name <text>', 'session name (default: the program and its arguments)')
    .addOption(
      new Option('--go-version <version>', 'the Go release the program was built with, e.g. 1.19').argParser(
        (text: string) => {
          if (goMinorVersion(text) === null)
            throw new InvalidArgumentError('expected a Go release such as 1.19 or go1.21.3');
          return text;
        },
      ),
    )
    .addOption(deps.dbOption())
    .option('--json', "print the recorded session as JSON on stdout (the program's stdout goes to stderr)")
    .addHelpText(
      'after',
      '\nExample: heapscope attach --name api -- ./server -port 8080\n' +
        "Ctrl-C stops the program (SIGINT) and keeps what was recorded. Exit status: the program's; 130 when\n" +
        'interrupted; 1 when it printed no gctrace line (nothing is recorded); 127 when it cannot be started.',
    )
    .action((command: string[], options: AttachCommandOptions) => attachCommand(command, options, deps));
}
