/**
 * The sessions repository: rows of `sessions` and reads of their cycles and samples.
 * Writes of cycles and samples go through the Recorder.
 */
import type { RunRequest, SessionSource, SessionStatus, SessionSummary, SourceReport } from '../api/types';
import type { Db } from './database';
import {
  CYCLE_SELECT_LIST,
  SAMPLE_SELECT_LIST,
  decodeCycleRows,
  type CycleRecord,
  type HeapSample,
} from './cycle-columns';

export interface NewSession {
  name: string;
  source: SessionSource;
  scenario: string | null;
  collector: string | null;
  config: RunRequest | null;
  seed: number | null;
  engineVersion: string | null;
  recorderPid: number | null;
}

export interface SessionRow extends SessionSummary {
  config: RunRequest | null;
  seed: number | null;
  engineVersion: string | null;
  error: string | null;
  notes: string;
  finishedAt: string | null;
  recorderPid: number | null;
}

interface RawSessionRow {
  id: number;
  name: string;
  source: SessionSource;
  status: SessionStatus;
  scenario: string | null;
  collector: string | null;
  config_json: string | null;
  seed: number | null;
  engine_version: string | null;
  error: string | null;
  notes: string;
  created_at: string;
  finished_at: string | null;
  recorder_pid: number | null;
  cycle_count: number;
  duration_ns: number | null;
}

// Every column but source_report_json, which can be large and is read only for one session.
const SESSION_SELECT = `
  SELECT s.id, s.name, s.source, s.status, s.scenario, s.collector, s.config_json, s.seed, s.engine_version,
         s.error, s.notes, s.created_at, s.finished_at, s.recorder_pid,
         (SELECT count(*) FROM cycles c WHERE c.session_id = s.id) AS cycle_count,
         max(
           coalesce((SELECT max(c.start_ns + c.sweep_term_ns + c.mark_ns + c.mark_term_ns)
                       FROM cycles c WHERE c.session_id = s.id), 0),
           coalesce((SELECT max(t_ns) FROM samples p WHERE p.session_id = s.id), 0)
         ) AS duration_ns
    FROM sessions s`;

function toSessionRow(raw: RawSessionRow): SessionRow {
  return {
    id: raw.id,
    name: raw.name,
    source: raw.source,
    status: raw.status,
    scenario: raw.scenario,
    collector: raw.collector,
    createdAt: raw.created_at,
    cycleCount: raw.cycle_count,
    durationNs: raw.duration_ns ?? 0,
    config: raw.config_json === null ? null : (JSON.parse(raw.config_json) as RunRequest),
    seed: raw.seed,
    engineVersion: raw.engine_version,
    error: raw.error,
    notes: raw.notes,
    finishedAt: raw.finished_at,
    recorderPid: raw.recorder_pid,
  };
}

export class SessionRepository {
  constructor(private readonly db: Db) {}

  create(session: NewSession, now: Date = new Date()): number {
    const result = this.db
      .prepare(
        `INSERT INTO sessions (name, source, status, scenario, collector, config_json, seed, engine_version,
                               created_at, recorder_pid)
         VALUES (@name, @source, 'recording', @scenario, @collector, @configJson, @seed, @engineVersion,
                 @createdAt, @recorderPid)`,
      )
      .run({
        name: session.name,
        source: session.source,
        scenario: session.scenario,
        collector: session.collector,
        configJson: session.config === null ? null : JSON.stringify(session.config),
        seed: session.seed,
        engineVersion: session.engineVersion,
        createdAt: now.toISOString(),
        recorderPid: session.recorderPid,
      });
    return Number(result.lastInsertRowid);
  }

  list(): SessionRow[] {
    const rows = this.db.prepare(`${SESSION_SELECT} ORDER BY s.id DESC`).all() as RawSessionRow[];
    return rows.map(toSessionRow);
  }

  get(id: number): SessionRow | null {
    const raw = this.db.prepare(`${SESSION_SELECT} WHERE s.id = ?`).get(id) as RawSessionRow | undefined;
    return raw === undefined ? null : toSessionRow(raw);
  }

  /** Ends a recording. Only a session still recording can end, so a late writer cannot undo a cancel. */
  finish(
    id: number,
    status: Exclude<SessionStatus, 'recording'>,
    error: string | null = null,
    now = new Date(),
  ): boolean {
    const result = this.db
      .prepare(
        `UPDATE sessions SET status = ?, error = ?, finished_at = ?, recorder_pid = NULL
          WHERE id = ? AND status = 'recording'`,
      )
      .run(status, error, now.toISOString(), id);
    return result.changes === 1;
  }

  /**
   * Marks recordings whose recorder process is gone as interrupted; everything they committed stays.
   * `isAlive` is injected so tests need not kill processes to exercise it.
   */
  markOrphansInterrupted(isAlive: (pid: number) => boolean, now = new Date()): number[] {
    const recording = this.db
      .prepare(`SELECT id, recorder_pid AS pid FROM sessions WHERE status = 'recording'`)
      .all() as { id: number; pid: number | null }[];
    const orphans = recording.filter((row) => row.pid === null || !isAlive(row.pid)).map((row) => row.id);
    for (const id of orphans) {
      this.finish(id, 'interrupted', 'the recording process ended before the session was finished', now);
    }
    return orphans;
  }

  /** Stores what an import or attach learned from its source (replacing any earlier report). */
  setSourceReport(id: number, report: SourceReport): boolean {
    return (
      this.db
        .prepare('UPDATE sessions SET source_report_json = ? WHERE id = ?')
        .run(JSON.stringify(report), id).changes === 1
    );
  }

  /** The source report; null for simulations, and for a report this version cannot read. */
  sourceReport(id: number): SourceReport | null {
    const row = this.db.prepare('SELECT source_report_json AS json FROM sessions WHERE id = ?').get(id) as
      { json: string | null } | undefined;
    if (row === undefined || row.json === null) return null;
    try {
      const report = JSON.parse(row.json) as Partial<SourceReport>;
      return report.kind === 'gctrace' && report.reportVersion === 1 ? (report as SourceReport) : null;
    } catch {
      return null;
    }
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id).changes === 1;
  }

  cycles(id: number): CycleRecord[] {
    return decodeCycleRows(
      this.db.prepare(`SELECT ${CYCLE_SELECT_LIST} FROM cycles WHERE session_id = ? ORDER BY seq`).all(id),
    );
  }

  samples(id: number): HeapSample[] {
    return (
      this.db
        // rowid breaks ties in insertion order: an imported cycle writes two samples at its end (h1, then h2).
        .prepare(`SELECT ${SAMPLE_SELECT_LIST} FROM samples WHERE session_id = ? ORDER BY t_ns, rowid`)
        .all(id) as HeapSample[]
    );
  }
}
