/**
 * The sessions repository: rows of `sessions` and reads of their cycles and samples.
 * Writes of cycles and samples go through the Recorder.
 */
import type {
  RunRequest,
  SessionSource,
  SessionStats,
  SessionStatus,
  SessionSummary,
  SourceReport,
} from '../api/types';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import {
  CYCLE_SELECT_LIST,
  SAMPLE_SELECT_LIST,
  decodeCycleRows,
  type CycleRecord,
  type HeapSample,
} from './cycle-columns';
import type { GctraceCycleExtras } from '../formats/gctrace';
import { PACER_LINE_COLUMNS, decodePacerRow } from './pacer-lines';
import { sessionSizeSql } from './size';
import {
  computeSummary,
  readStoredSummary,
  sessionStatsSql,
  summaryColumns,
  type StoredSummary,
} from './summary';

/**
 * A recording's heartbeat (sessions.heartbeat_at) older than this is orphaned even if a process
 * with its pid is alive: that pid was reused. Recorders beat at least every RECORDER_HEARTBEAT_MS
 * (recorder.ts); the margin covers a busy machine and a database briefly locked by other writers.
 */
export const ORPHAN_HEARTBEAT_MS = 60_000;

/** A page of cycles in seq order: `offset` and `limit` within the seq range (both ends inclusive). */
export interface CyclePage {
  offset?: number;
  limit?: number;
  fromSeq?: number;
  toSeq?: number;
}

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
  tags_json: string;
  size_bytes: number;
}

/** What the user may change about a session; absent fields stay as they are. */
export interface SessionEdit {
  name?: string;
  notes?: string;
  /** The full new set, already normalised (schemas.ts); replaces the old one. */
  tags?: readonly string[];
}

/** `list` narrowed the way `heapscope sessions --search/--tag` and `sessions.list` ask. */
export interface SessionFilter {
  /** Words that must each appear (case-insensitively) in the name, a tag, the scenario or the collector. */
  search?: string;
  /** A tag the session must carry exactly. */
  tag?: string;
}

// Every column but source_report_json and summary_json, which can be large and is read only for one session.
// Soft-deleted sessions are invisible to every reader: they exist only to be restored or purged.
const sessionSelect = (sizeSql: string): string => `
  SELECT s.id, s.name, s.source, s.status, s.scenario, s.collector, s.config_json, s.seed, s.engine_version,
         s.error, s.notes, s.created_at, s.finished_at, s.recorder_pid,
         coalesce(s.cycle_count, (SELECT count(*) FROM cycles c WHERE c.session_id = s.id)) AS cycle_count,
         coalesce(s.duration_ns, max(
           coalesce((SELECT max(c.start_ns + c.sweep_term_ns + c.mark_ns + c.mark_term_ns)
                       FROM cycles c WHERE c.session_id = s.id), 0),
           coalesce((SELECT max(t_ns) FROM samples p WHERE p.session_id = s.id), 0)
         )) AS duration_ns,
         (SELECT json_group_array(tag) FROM (SELECT tag FROM session_tags t WHERE t.session_id = s.id ORDER BY tag))
           AS tags_json,
         coalesce(s.size_bytes, ${sizeSql}) AS size_bytes
    FROM sessions s
   WHERE s.deleted_at IS NULL`;

/** `%`, `_` and `\` in a user's words match themselves in LIKE. */
function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

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
    tags: JSON.parse(raw.tags_json) as string[],
    sizeBytes: raw.size_bytes,
    finishedAt: raw.finished_at,
    recorderPid: raw.recorder_pid,
  };
}

/** Distinct statements a repository keeps prepared (list filters vary with the number of words). */
const PREPARED_MAX = 64;

export class SessionRepository {
  private readonly select: string;
  private readonly sizeOfSql: string;
  /**
   * Statements that embed the size expression (size.ts: a quarter of a megabyte of SQL) take tens of
   * milliseconds to prepare: prepared once per repository, not at every read or finish.
   */
  private readonly prepared = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    // A Recorder keeps size_bytes as it commits (recorder.ts); only a session recorded before that (or
    // finished before migration 5, until backfillSizes) is sized from its rows, on read or at its finish.
    this.select = sessionSelect(sessionSizeSql(db, 's.id'));
    this.sizeOfSql = sessionSizeSql(db, '@id');
  }

  private statement(sql: string): Statement {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      if (this.prepared.size >= PREPARED_MAX) this.prepared.clear();
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  create(session: NewSession, now: Date = new Date()): number {
    const result = this.db
      .prepare(
        `INSERT INTO sessions (name, source, status, scenario, collector, config_json, seed, engine_version,
                               created_at, recorder_pid, heartbeat_at)
         VALUES (@name, @source, 'recording', @scenario, @collector, @configJson, @seed, @engineVersion,
                 @createdAt, @recorderPid, @createdAt)`,
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

  list(filter: SessionFilter = {}): SessionRow[] {
    const conditions: string[] = [];
    const params: Record<string, string> = {};
    if (filter.tag !== undefined) {
      conditions.push('EXISTS (SELECT 1 FROM session_tags t WHERE t.session_id = s.id AND t.tag = @tag)');
      params.tag = filter.tag;
    }
    (filter.search ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .forEach((word, i) => {
        const w = `@w${i}`;
        conditions.push(
          `(s.name LIKE ${w} ESCAPE '\\' OR s.scenario LIKE ${w} ESCAPE '\\' OR s.collector LIKE ${w} ESCAPE '\\'
            OR EXISTS (SELECT 1 FROM session_tags t WHERE t.session_id = s.id AND t.tag LIKE ${w} ESCAPE '\\'))`,
        );
        params[`w${i}`] = likePattern(word);
      });
    const where = conditions.map((c) => ` AND ${c}`).join('');
    const rows = this.statement(`${this.select}${where} ORDER BY s.id DESC`).all(params) as RawSessionRow[];
    return rows.map(toSessionRow);
  }

  get(id: number): SessionRow | null {
    const raw = this.statement(`${this.select} AND s.id = ?`).get(id) as RawSessionRow | undefined;
    return raw === undefined ? null : toSessionRow(raw);
  }

  /** Applies `edit` in one transaction; false when the session does not exist (or is deleted). */
  update(id: number, edit: SessionEdit): boolean {
    const apply = this.db.transaction((): boolean => {
      const exists = this.db.prepare('SELECT 1 FROM sessions WHERE id = ? AND deleted_at IS NULL').get(id);
      if (exists === undefined) return false;
      if (edit.name !== undefined)
        this.db.prepare('UPDATE sessions SET name = ? WHERE id = ?').run(edit.name, id);
      if (edit.notes !== undefined)
        this.db.prepare('UPDATE sessions SET notes = ? WHERE id = ?').run(edit.notes, id);
      if (edit.tags !== undefined) {
        this.db.prepare('DELETE FROM session_tags WHERE session_id = ?').run(id);
        const insert = this.db.prepare('INSERT OR IGNORE INTO session_tags (session_id, tag) VALUES (?, ?)');
        for (const tag of edit.tags) insert.run(id, tag);
      }
      return true;
    });
    return apply.immediate();
  }

  /** Every tag in use, with how many (visible) sessions carry it, most used first. */
  tagCounts(): { tag: string; sessions: number }[] {
    return this.db
      .prepare(
        `SELECT t.tag, count(*) AS sessions FROM session_tags t JOIN sessions s ON s.id = t.session_id
          WHERE s.deleted_at IS NULL GROUP BY t.tag ORDER BY sessions DESC, t.tag`,
      )
      .all() as { tag: string; sessions: number }[];
  }

  /**
   * Ends a recording. Only a session still recording can end, so a late writer cannot undo a cancel.
   * Its summary (summary.ts) is stored with it, so later reads need not walk its cycles. Its size is
   * the one its Recorder kept while committing; read from its rows only when none was kept.
   */
  finish(
    id: number,
    status: Exclude<SessionStatus, 'recording'>,
    error: string | null = null,
    now = new Date(),
  ): boolean {
    // Computed before the UPDATE, outside any write lock: a long session's summary takes a moment,
    // and a read that turns into a write inside one transaction fails (SQLITE_BUSY) when another
    // recorder commits in between. Nothing else writes this session's rows once its recorder stops.
    const summary = summaryColumns(this.db, id);
    const result = this.statement(
      `UPDATE sessions SET status = @status, error = @error, finished_at = @now, recorder_pid = NULL,
                             size_bytes = coalesce(size_bytes, ${this.sizeOfSql}), cycle_count = @cycleCount,
                             duration_ns = @durationNs, summary_json = @summaryJson
          WHERE id = @id AND status = 'recording'`,
    ).run({ status, error, now: now.toISOString(), id, ...summary });
    return result.changes === 1;
  }

  /** Records that the recorder of `id` is alive and writing (see ORPHAN_HEARTBEAT_MS). */
  beat(id: number, now = new Date()): void {
    this.db
      .prepare(`UPDATE sessions SET heartbeat_at = ? WHERE id = ? AND status = 'recording'`)
      .run(now.toISOString(), id);
  }

  /**
   * Marks recordings whose recorder process is gone as interrupted; everything they committed stays.
   * A recording is gone when its pid is not alive, or when its heartbeat is older than
   * `staleAfterMs` (the pid is alive but belongs to another process now). A recording with no
   * heartbeat (written before heartbeats were kept) is judged by its pid alone.
   * `isAlive` is injected so tests need not kill processes to exercise it.
   */
  markOrphansInterrupted(
    isAlive: (pid: number) => boolean,
    now = new Date(),
    staleAfterMs = ORPHAN_HEARTBEAT_MS,
  ): number[] {
    const recording = this.db
      .prepare(
        `SELECT id, recorder_pid AS pid, heartbeat_at AS heartbeatAt FROM sessions WHERE status = 'recording'`,
      )
      .all() as { id: number; pid: number | null; heartbeatAt: string | null }[];
    const staleBeforeMs = now.getTime() - staleAfterMs;
    const stale = (heartbeatAt: string | null): boolean =>
      heartbeatAt !== null && Date.parse(heartbeatAt) < staleBeforeMs;
    const orphans = recording
      .filter((row) => row.pid === null || stale(row.heartbeatAt) || !isAlive(row.pid))
      .map((row) => row.id);
    for (const id of orphans) {
      this.finish(id, 'interrupted', 'the recording process ended before the session was finished', now);
    }
    return orphans;
  }

  /** The session's stats: stored with it when it finished, else computed in SQL (summary.ts). */
  stats(id: number): SessionStats {
    const stored = readStoredSummary(this.db, id);
    if (stored !== null) return stored.stats;
    const status = this.db.prepare('SELECT status FROM sessions WHERE id = ?').pluck().get(id);
    if (status !== undefined && status !== 'recording') return this.summary(id)!.stats;
    return sessionStatsSql(this.db, id);
  }

  /**
   * The session's summary: the one stored when it finished, else computed now (and stored, for a
   * session finished before summaries were kept). Null when the session does not exist.
   */
  summary(id: number): StoredSummary | null {
    const stored = readStoredSummary(this.db, id);
    if (stored !== null) return stored;
    const status = this.db.prepare('SELECT status FROM sessions WHERE id = ?').pluck().get(id) as
      SessionStatus | undefined;
    if (status === undefined) return null;
    const summary = computeSummary(this.db, id);
    if (status !== 'recording') {
      try {
        this.db
          .prepare(
            `UPDATE sessions SET cycle_count = ?, duration_ns = ?, summary_json = ?
              WHERE id = ? AND status <> 'recording'`,
          )
          .run(summary.cycleCount, summary.durationNs, JSON.stringify(summary), id);
      } catch {
        // A busy database (another process recording): it is computed again on the next read.
      }
    }
    return summary;
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
      if (report.kind !== 'gctrace' || report.reportVersion !== 1) return null;
      // Reports stored before pacer lines were read have no pacer counts: none were read.
      return {
        pacerLines: 0,
        pacerCycles: 0,
        unattachedPacerLines: 0,
        unattachedPacer: [],
        ...report,
      } as SourceReport;
    } catch {
      return null;
    }
  }

  /** Sizes sessions finished before migration 5 (size_bytes NULL), once; returns how many. */
  backfillSizes(): number {
    return this.db
      .prepare(
        `UPDATE sessions SET size_bytes = ${sessionSizeSql(this.db, 'sessions.id')}
                 WHERE size_bytes IS NULL AND status <> 'recording'`,
      )
      .run().changes;
  }

  /** Removes a session and everything recorded for it, at once (a failed import; a purge). */
  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id).changes === 1;
  }

  /** Hides a session from every reader until `restore` or `purgeDeleted`; false if already hidden. */
  softDelete(id: number, now = new Date()): boolean {
    return (
      this.db
        .prepare('UPDATE sessions SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL')
        .run(now.toISOString(), id).changes === 1
    );
  }

  /** Undoes `softDelete`; false when the session was not deleted or has been purged. */
  restore(id: number): boolean {
    return (
      this.db.prepare('UPDATE sessions SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL').run(id)
        .changes === 1
    );
  }

  /** Deletes for good the sessions soft-deleted at or before `before`; returns their ids. */
  purgeDeleted(before: Date): number[] {
    return (
      this.db
        .prepare('DELETE FROM sessions WHERE deleted_at IS NOT NULL AND deleted_at <= ? RETURNING id')
        .all(before.toISOString()) as { id: number }[]
    ).map((row) => row.id);
  }

  /** The session's cycles in seq order; a page of them when `page` narrows it. */
  cycles(id: number, page: CyclePage = {}): CycleRecord[] {
    return decodeCycleRows(
      this.db
        .prepare(
          `SELECT ${CYCLE_SELECT_LIST} FROM cycles
            WHERE session_id = @id AND seq BETWEEN @fromSeq AND @toSeq
            ORDER BY seq LIMIT @limit OFFSET @offset`,
        )
        .all({
          id,
          fromSeq: page.fromSeq ?? Number.MIN_SAFE_INTEGER,
          toSeq: page.toSeq ?? Number.MAX_SAFE_INTEGER,
          limit: page.limit ?? -1,
          offset: page.offset ?? 0,
        }),
    );
  }

  /** What the session's imported cycles' pacer lines printed beyond their records, by seq; empty for most. */
  pacerLines(id: number): Map<number, GctraceCycleExtras> {
    const rows = this.db
      .prepare(
        `SELECT ${PACER_LINE_COLUMNS.slice(1).join(', ')} FROM pacer_lines WHERE session_id = ? ORDER BY seq`,
      )
      .raw()
      .all(id) as (number | null)[][];
    return new Map(rows.map((cells) => [cells[0]!, decodePacerRow(cells)]));
  }

  /** Every cycle's seq and start, as two columns: what the playback scrubber needs of a long session. */
  timeline(id: number): { seq: number[]; startNs: number[] } {
    const rows = this.db
      .prepare('SELECT seq, start_ns FROM cycles WHERE session_id = ? ORDER BY seq')
      .raw()
      .all(id) as [number, number][];
    const seq = new Array<number>(rows.length);
    const startNs = new Array<number>(rows.length);
    for (let i = 0; i < rows.length; i++) [seq[i], startNs[i]] = rows[i]!;
    return { seq, startNs };
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
