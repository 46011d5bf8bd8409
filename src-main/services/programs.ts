/**
 * "Profile a Go program…" in the app: programs started from the UI and recorded live, with the
 * same code as `heapscope attach` (attach.ts).
 *
 *  1. `start` checks the working directory, starts the program with gctrace=1 and answers once it
 *     is running, or with why it could not start (not found, not executable). The program's
 *     stdin is closed and its own output discarded: the app has no terminal to give it.
 *  2. Its session appears at its first gctrace line, as for attach; until then (and for a program
 *     that never prints one) the program is known here only, by its programId.
 *  3. `stop` forwards SIGINT, as Ctrl-C does for attach: the session ends `interrupted`. The program
 *     ending by itself ends it `complete` (status 0) or `failed` with its exit status.
 *  4. An ended program is kept ENDED_RETENTION_MS so the UI that started it can read how it ended;
 *     quitting the app interrupts every program still running and waits for its session to finish.
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { ApiError } from '../api/contract';
import type { ProgramInfo, ProgramStartRequest } from '../api/types';
import type { Db } from '../store/database';
import { AttachSpawnError, attachProgram, defaultAttachName, type AttachedProgram } from './attach';
import type { EventHub } from './events';

/** Long enough for a UI that polls to see the end; short enough that the list stays small. */
const ENDED_RETENTION_MS = 10 * 60 * 1000;
/** A program still running this long after SIGINT at quit is killed: quitting never hangs. */
const SHUTDOWN_GRACE_MS = 5_000;

export interface ProgramServiceOptions {
  db: Db;
  events: EventHub;
  /** The programs' environment before gctrace=1 is added (default: this process's). */
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

interface Entry {
  info: ProgramInfo;
  attached: AttachedProgram;
  endedAtMs: number | null;
  finished: Promise<void>;
}

export class ProgramService {
  private nextId = 1;
  private readonly programs = new Map<number, Entry>();

  constructor(private readonly options: ProgramServiceOptions) {}

  async start(request: ProgramStartRequest): Promise<ProgramInfo> {
    const cwd = resolve(request.cwd ?? homedir());
    if (statSync(cwd, { throwIfNoEntry: false })?.isDirectory() !== true) {
      throw new ApiError(
        'invalid-argument',
        `cwd: expected an existing directory, found no directory at ${cwd}`,
      );
    }
    const command = [request.command, ...request.args];
    const programId = this.nextId++;
    const info: ProgramInfo = {
      programId,
      pid: null,
      command,
      cwd,
      sessionId: null,
      cycles: 0,
      state: 'running',
      status: null,
      exitCode: null,
      signal: null,
      error: null,
    };
    const attached = attachProgram({
      command,
      name: request.name ?? defaultAttachName(command),
      database: this.options.db,
      events: () => this.options.events,
      env: this.options.env,
      cwd,
      stdin: 'ignore',
      stdout: 'ignore',
      programOutput: () => undefined,
      recorderPid: process.pid,
      onSession: (sessionId) => (info.sessionId = sessionId),
      onCycles: (cycles) => (info.cycles = cycles),
    });
    try {
      await attached.started;
    } catch (error) {
      attached.done.catch(() => undefined);
      if (error instanceof AttachSpawnError) {
        throw new ApiError('invalid-argument', `command: cannot start ${error.message}`);
      }
      throw error;
    }
    info.pid = attached.pid ?? null;
    const entry: Entry = { info, attached, endedAtMs: null, finished: Promise.resolve() };
    entry.finished = attached.done.then(
      (result) => {
        Object.assign(info, {
          state: 'ended',
          status: result.status,
          exitCode: result.exitCode,
          signal: result.signal,
          error: result.error,
          cycles: result.cycles,
          sessionId: result.sessionId,
        });
        entry.endedAtMs = this.now();
      },
      (error: unknown) => {
        Object.assign(info, { state: 'ended', status: 'failed', error: (error as Error).message });
        entry.endedAtMs = this.now();
      },
    );
    this.programs.set(programId, entry);
    this.forgetEnded();
    return { ...info };
  }

  stop(programId: number): ProgramInfo {
    const entry = this.require(programId);
    if (entry.info.state === 'running') entry.attached.interrupt('SIGINT');
    return { ...entry.info };
  }

  get(programId: number): ProgramInfo {
    return { ...this.require(programId).info };
  }

  list(): ProgramInfo[] {
    this.forgetEnded();
    return [...this.programs.values()].map((e) => ({ ...e.info }));
  }

  /** Resolves once the program has ended and its session is finished (tests, quit). */
  async waitFor(programId: number): Promise<ProgramInfo> {
    const entry = this.require(programId);
    await entry.finished;
    return { ...entry.info };
  }

  /** Interrupts every running program and waits for its session to finish (used on quit). */
  async shutdown(graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    const running = [...this.programs.values()].filter((e) => e.info.state === 'running');
    for (const entry of running) entry.attached.interrupt('SIGINT');
    const kill = setTimeout(() => {
      for (const entry of running) if (entry.info.state === 'running') entry.attached.interrupt('SIGKILL');
    }, graceMs);
    await Promise.all(running.map((e) => e.finished));
    clearTimeout(kill);
  }

  private require(programId: number): Entry {
    const entry = this.programs.get(programId);
    if (entry === undefined) {
      throw new ApiError('not-found', `program ${programId} was not started by this app, or ended long ago`);
    }
    return entry;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private forgetEnded(): void {
    const now = this.now();
    for (const [id, entry] of this.programs) {
      if (entry.endedAtMs !== null && now - entry.endedAtMs > ENDED_RETENTION_MS) this.programs.delete(id);
    }
  }
}
