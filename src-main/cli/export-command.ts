/**
 * `heapscope export ID --format json|csv|gctrace|pprof|trace [--cycle N] [--table cycles|pauses] [--out FILE]`:
 * the API's `sessions.export` written to stdout or a file. A file is written whole or not at all
 * (a temporary file beside it, renamed into place), and binary pprof never goes to a terminal.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ApiError } from '../api/contract';
import type { ExportCsvTable, ExportFormat, ExportRequest, ExportResult } from '../api/types';
import type { App } from '../services/app';
import { exportBytes } from '../services/export';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'csv', 'gctrace', 'pprof', 'trace'];

interface ExportOptions {
  format: ExportFormat;
  cycle?: number;
  table?: ExportCsvTable;
  out?: string;
  db?: string;
}

export interface ExportCommandDeps {
  /** Opens the app when the database exists; null otherwise (nothing is created). */
  openExistingApp(db: string | undefined): App | null;
  dbOption(): Option;
  parseSessionId(text: string): number;
}

function usage(message: string): ApiError {
  return new ApiError('invalid-argument', message);
}

/** Refusals that need no database: they exit 2 before anything is opened. */
function checkDestination(options: ExportOptions): void {
  if (options.out === undefined) {
    if (options.format === 'pprof' && process.stdout.isTTY)
      throw usage(
        'pprof is binary (a gzipped protobuf) and stdout is a terminal: give --out FILE, or redirect stdout (> heap.pb.gz)',
      );
    return;
  }
  if (options.out.trim() === '') throw usage('--out needs a file path');
  let directory: boolean;
  try {
    directory = statSync(dirname(options.out)).isDirectory();
  } catch {
    directory = false;
  }
  if (!directory) throw usage(`--out ${options.out}: the folder ${dirname(options.out)} does not exist`);
  try {
    if (statSync(options.out).isDirectory())
      throw usage(`--out ${options.out} is a directory; give a file path`);
  } catch (error) {
    if (error instanceof ApiError) throw error;
  }
}

/** Writes `data` to `path` through a temporary file in the same folder, so a reader never sees half a file. */
export function writeFileAtomically(path: string, data: Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

async function exportCommand(id: number, options: ExportOptions, deps: ExportCommandDeps): Promise<void> {
  checkDestination(options);
  const app = deps.openExistingApp(options.db);
  try {
    if (app === null) throw new ApiError('not-found', `session ${id} does not exist`);
    const request: ExportRequest = {
      id,
      format: options.format,
      ...(options.cycle !== undefined && { cycle: options.cycle }),
      ...(options.table !== undefined && { table: options.table }),
    };
    const result = (await app.dispatch('sessions.export', request)) as ExportResult;
    const data = exportBytes(result);
    if (options.out === undefined) process.stdout.write(data);
    else {
      writeFileAtomically(options.out, data);
      process.stderr.write(
        `wrote ${options.out} (${data.length.toLocaleString('en-US')} bytes, ${result.format})\n`,
      );
    }
  } catch (error) {
    // The API speaks of arguments; the command line of flags.
    if (error instanceof ApiError && error.code === 'invalid-argument')
      throw new ApiError(
        error.code,
        error.message.replace(/^cycle picks/, '--cycle picks').replace(/^table picks/, '--table picks'),
      );
    throw error;
  } finally {
    await app?.close();
  }
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1)
    throw new InvalidArgumentError('expected a cycle number (1 or more)');
  return value;
}

export function addExportCommand(program: Command, deps: ExportCommandDeps): void {
  program
    .command('export')
    .description('write a session as JSON, CSV, gctrace text, a pprof heap profile or a Chrome trace')
    .argument('<id>', 'session ID', deps.parseSessionId)
    .addOption(
      new Option('--format <format>', 'json | csv | gctrace | pprof | trace')
        .choices(EXPORT_FORMATS as ExportFormat[])
        .makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--cycle <n>',
        'pprof: the cycle whose heap snapshot to export (default: the last)',
      ).argParser(positiveInteger),
    )
    .addOption(
      new Option('--table <table>', 'csv: one row per cycle (default) or per stop-the-world pause').choices([
        'cycles',
        'pauses',
      ]),
    )
    .option('--out <file>', 'write to FILE (whole or not at all) instead of stdout')
    .addOption(deps.dbOption())
    .addHelpText(
      'after',
      '\nFormats (docs/export-formats.md):\n  json     the session, every cycle and the heap samples ({formatVersion: 1, session, cycles, samples})\n  csv      RFC 4180; columns carry units (heap_goal_bytes, pause_ns); --table pauses: one row per pause\n  gctrace  Go >= 1.18 "gc N @..." lines; heapscope import reads them back\n  pprof    gzipped profile.proto heap profile of one snapshot: go tool pprof -top FILE\n  trace    Chrome trace-event JSON (phases, pauses, heap counters): open in ui.perfetto.dev or chrome://tracing',
    )
    .action((id: number, options: ExportOptions) => exportCommand(id, options, deps));
}
