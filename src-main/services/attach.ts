/**
 * Attaching to a Go program: run it with GODEBUG=gctrace=1 and record its trace live, as a session
 * with source 'attach'.
 *
 *  1. The program starts with `gctrace=1` added to the user's GODEBUG (their other settings kept; a
 *     gctrace setting of their own is replaced). stdin and stdout are the caller's; stderr is read
 *     here, a line at a time.
 *  2. Every complete stderr line goes to the streaming GctraceParser; lines that are not trace lines
 *     are the program's own output and pass through to `programOutput` (our stderr) at once.
 *  3. As for `import`, nothing is written before the first cycle line: a program that prints no
 *     gctrace line (not a Go program, or one that ends before its first GC) leaves the database
 *     untouched and the result says why. At the first cycle the session is created with status
 *     'recording'; cycles are committed at most FLUSH_DELAY_MS after they arrive, so a reader in
 *     another process (the UI) sees the session grow.
 *  4. When the program exits, the last cycles, the source report (with the command and its exit
 *     status) and the status are committed together: 'complete' for exit status 0, 'failed' with the
 *     status as the session's error otherwise (every cycle seen is kept), 'interrupted' when the
 *     caller stopped it (`interrupt()`: Ctrl-C, forwarded to the program as SIGINT).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { basename } from 'node:path';
import type { AttachReport, RunProgress, SessionStatus, SourceReport } from '../api/types';
import {
  cycleExtrasOf,
  GctraceInputError,
  GctraceParser,
  heapSamplesOf,
  type GctraceCycle,
} from '../formats/gctrace';
import type { Db } from '../store/database';
import { Recorder } from '../store/recorder';
import { SessionRepository } from '../store/sessions';
import type { EventHub } from './events';
import { ChunkDecoder } from './import';

/** Longest a cycle waits for its commit, as for runs and imports: the live view polls the database. */
const FLUSH_DELAY_MS = 250;
/** A Go trace line (gctrace, or the scavenger's with scavtrace): consumed, not passed through. */
const TRACE_LINE = /^(gc \d+ @|gc #\d+ |scvg|scav )/;

export interface AttachOptions {
  /** The program and its arguments. */
  command: readonly string[];
  name: string;
  /** The database, or a function that opens it, called only at the first cycle line. */
  database: Db | (() => Db);
  /** Called once the database is open, to emit the app's events; optional. */
  events?: () => EventHub | null;
  goVersion?: string | null;
  /** Defaults to process.env; GODEBUG gets gctrace=1 added. */
  env?: NodeJS.ProcessEnv;
  /** Where the program's standard output goes: 'inherit' (ours), 'ignore', or a writable of the caller's. */
  stdout?: 'inherit' | 'ignore' | NodeJS.WritableStream;
  /** The program's standard input: ours (the CLI), or none (the app: a server has no terminal to share). */
  stdin?: 'inherit' | 'ignore';
  /** Its working directory (default: ours). */
  cwd?: string;
  /** Receives the program's stderr lines that are not trace lines, each with its newline. */
  programOutput?: (text: string) => void;
  onCycles?: (cycles: number) => void;
  /** Called when the first cycle line has created the session. */
  onSession?: (sessionId: number) => void;
  recorderPid?: number | null;
  now?: () => Date;
}

export interface AttachResult {
  /** Null when the program printed no gctrace line: nothing was written. */
  sessionId: number | null;
  status: Exclude<SessionStatus, 'recording'>;
  /** The program's exit status, or null when a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  cycles: number;
  /** Why nothing was recorded, or why the session is not complete; null for a clean run. */
  error: string | null;
}

export interface AttachedProgram {
  readonly pid: number | undefined;
  /** Settles once the program has started, or rejects (AttachSpawnError) when it could not be. */
  readonly started: Promise<void>;
  /** Forwards `signal` (SIGINT by default) to the program; the session ends 'interrupted'. */
  interrupt(signal?: NodeJS.Signals): void;
  readonly done: Promise<AttachResult>;
}

export class AttachSpawnError extends Error {}

/** GODEBUG with gctrace=1, keeping the user's other settings in their order. */
export function withGctrace(godebug: string | undefined): string {
  const kept = (godebug ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('gctrace='));
  return [...kept, 'gctrace=1'].join(',');
}

/** "churn -total 64": the program's base name and its arguments, cut to a session name's length. */
export function defaultAttachName(command: readonly string[]): string {
  const [program = '', ...args] = command;
  const name = [basename(program), ...args].join(' ');
  return name.length > 120 ? `${name.slice(0, 119)}…` : name;
}

/** How a process ended, as a person reads it. */
export function describeExit(exitCode: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `was killed by ${signal}`;
  return `exited with status ${exitCode ?? '?'}`;
}

/** The shell's convention: 128 + the signal's number for a program a signal ended. */
export function exitStatusOf(result: Pick<AttachResult, 'exitCode' | 'signal'>): number {
  if (result.signal !== null) {
    const number = (osConstants.signals as Record<string, number>)[result.signal];
    return number === undefined ? 1 : 128 + number;
  }
  return result.exitCode ?? 1;
}

class AttachWriter {
  private session: { db: Db; sessions: SessionRepository; recorder: Recorder; id: number } | null = null;
  /** Stops the heartbeat that shows the session is alive while the program prints nothing. */
  private stopHeartbeat: () => void = () => {};
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private cycles = 0;

  constructor(private readonly options: AttachOptions) {}

  get sessionId(): number | null {
    return this.session?.id ?? null;
  }

  write(cycles: readonly GctraceCycle[]): void {
    if (cycles.length === 0) return;
    const session = this.session ?? this.create();
    for (const cycle of cycles) {
      // A program run with GODEBUG=gcpacertrace=1 as well prints pacer lines: kept as an import keeps them.
      const extras = cycleExtrasOf(cycle);
      session.recorder.add([cycle.record], heapSamplesOf(cycle.record), [], extras === null ? [] : [extras]);
    }
    this.cycles += cycles.length;
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
  }

  finish(report: SourceReport, status: AttachResult['status'], error: string | null): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.stopHeartbeat();
    const session = this.session;
    if (session === null) return;
    session.db.transaction(() => {
      session.recorder.flush();
      session.sessions.setSourceReport(session.id, report);
      session.sessions.finish(session.id, status, error, this.options.now?.() ?? new Date());
    })();
    const events = this.options.events?.();
    events?.emit('run.finished', { sessionId: session.id, status, error });
    events?.emit('sessions.changed', {});
  }

  private flush(): void {
    this.flushTimer = null;
    const session = this.session;
    if (session === null) return;
    try {
      session.recorder.flush();
    } catch {
      // A busy database: the rows stay buffered for the next flush (Recorder.flush).
      this.flushTimer = setTimeout(() => this.flush(), FLUSH_DELAY_MS);
      return;
    }
    const progress: RunProgress = { sessionId: session.id, fraction: 0, cycles: this.cycles, virtualNs: 0 };
    this.options.events?.()?.emit('run.progress', progress);
  }

  private create(): NonNullable<AttachWriter['session']> {
    const { database, name, recorderPid, now } = this.options;
    const db = typeof database === 'function' ? database() : database;
    const sessions = new SessionRepository(db);
    const id = sessions.create(
      {
        name,
        source: 'attach',
        scenario: null,
        collector: null,
        config: null,
        seed: null,
        engineVersion: null,
        recorderPid: recorderPid ?? null,
      },
      now?.() ?? new Date(),
    );
    this.session = { db, sessions, recorder: new Recorder(db, id), id };
    this.stopHeartbeat = this.session.recorder.keepAlive();
    this.options.events?.()?.emit('sessions.changed', {});
    this.options.onSession?.(id);
    return this.session;
  }
}

function spawnError(program: string, error: NodeJS.ErrnoException): AttachSpawnError {
  if (error.code === 'ENOENT') return new AttachSpawnError(`${program}: command not found`);
  if (error.code === 'EACCES')
    return new AttachSpawnError(`${program}: permission denied (is it an executable file?)`);
  return new AttachSpawnError(`${program}: ${error.message}`);
}

/** Starts the program; `done` settles when it has exited and the session is finished. */
export function attachProgram(options: AttachOptions): AttachedProgram {
  const [program, ...args] = options.command;
  if (program === undefined) throw new AttachSpawnError('no program to run');
  const env = { ...(options.env ?? process.env) };
  env.GODEBUG = withGctrace(env.GODEBUG);
  const stdout = options.stdout ?? 'inherit';
  const child: ChildProcess = spawn(program, args, {
    env,
    cwd: options.cwd,
    stdio: [options.stdin ?? 'inherit', typeof stdout === 'string' ? stdout : 'pipe', 'pipe'],
  });
  if (typeof stdout !== 'string') child.stdout?.pipe(stdout);
  const started = new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error) => reject(spawnError(program, error)));
  });
  // `done` reports a failure to start as well; a caller that awaits only `done` must not see this one unhandled.
  started.catch(() => undefined);

  let interrupted: NodeJS.Signals | null = null;
  const done = new Promise<AttachResult>((resolve, reject) => {
    const parser = new GctraceParser({ firstRunOnly: true, goVersion: options.goVersion ?? null });
    const writer = new AttachWriter(options);
    const decoder = new ChunkDecoder();
    const passThrough = options.programOutput ?? ((text: string) => void process.stderr.write(text));
    let pending = '';
    let failure: Error | null = null;

    const lines = (text: string, final: boolean): void => {
      pending += text;
      let start = 0;
      for (;;) {
        const newline = pending.indexOf('\n', start);
        if (newline < 0) break;
        line(pending.slice(start, newline + 1));
        start = newline + 1;
      }
      pending = pending.slice(start);
      if (final && pending !== '') {
        line(pending);
        pending = '';
      }
    };
    const line = (text: string): void => {
      if (!TRACE_LINE.test(text)) passThrough(text);
      if (failure !== null) return;
      try {
        writer.write(parser.push(text).cycles);
        options.onCycles?.(parser.cyclesRead);
      } catch (error) {
        // A database failure stops the recording, never the program: its output keeps flowing.
        failure = error as Error;
      }
    };

    child.stderr!.on('data', (chunk: Buffer) => lines(decoder.decode(chunk), false));
    child.once('error', (error: NodeJS.ErrnoException) => reject(spawnError(program, error)));
    // 'close' comes after the program has exited and its stderr has ended.
    child.once('close', (exitCode: number | null, signal: NodeJS.Signals | null) => {
      try {
        lines(decoder.end(), true);
        if (failure !== null) throw failure;
        let noTrace: string | null = null;
        try {
          writer.write(parser.end().cycles);
        } catch (error) {
          if (!(error instanceof GctraceInputError)) throw error;
          noTrace = `${program} printed no gctrace line (is it a Go program that ran a GC?): nothing was recorded`;
        }
        const cycles = parser.cyclesRead;
        const exitText = `${program} ${describeExit(exitCode, signal)}`;
        let status: AttachResult['status'] = 'complete';
        let error: string | null = null;
        if (interrupted !== null) {
          status = 'interrupted';
          error = `stopped by ${interrupted} (forwarded to the program, which then ${describeExit(exitCode, signal)})`;
        } else if (exitCode !== 0) {
          status = 'failed';
          error = exitText;
        }
        const attach: AttachReport = {
          command: [...options.command],
          exitCode,
          signal,
          interruptedBy: interrupted,
        };
        if (writer.sessionId !== null) {
          writer.finish({ ...parser.report(), fileName: null, bytesRead: null, attach }, status, error);
        }
        resolve({
          sessionId: writer.sessionId,
          status: noTrace !== null && interrupted === null ? 'failed' : status,
          exitCode,
          signal,
          cycles,
          error: noTrace ?? error,
        });
      } catch (error) {
        reject(error as Error);
      }
    });
  });

  return {
    pid: child.pid,
    started,
    interrupt(signal: NodeJS.Signals = 'SIGINT') {
      interrupted ??= signal;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    done,
  };
}
