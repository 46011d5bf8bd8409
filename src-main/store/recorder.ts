/**
 * The recorder: buffers a session's cycles, samples and heap snapshots and writes them in batches,
 * one transaction per batch, so a recording costs a few commits per second instead of one per row,
 * and a crash loses at most the unflushed tail (everything committed stays readable). Snapshots are
 * compressed as they arrive (snapshots.ts), so the buffer holds them small.
 *
 * Every flush also beats the session's heartbeat (sessions.heartbeat_at), and `keepAlive` beats it
 * while a source sends nothing (a program that does not collect for minutes), so a later start can
 * tell a recording whose process died from a live one even when the dead one's pid was reused.
 *
 * Each batch also adds the record bytes of its rows (size.ts, RecordSizer) to the session's
 * `size_bytes` in the same transaction, so the size is exact for whatever is committed, and finishing
 * a session of millions of rows need not read them back to size it. A Recorder writes a session
 * created for it: no rows came before the ones it counts.
 */
import type { Statement } from 'better-sqlite3';
import type { HeapSnapshot } from '../engine/snapshot';
import type { Db } from './database';
import {
  CYCLE_COLUMNS,
  CYCLE_FIELDS,
  encodePauses,
  type CycleRecord,
  type HeapSample,
} from './cycle-columns';
import type { GctraceCycleExtras } from '../formats/gctrace';
import { PACER_LINE_COLUMNS, pacerRowValues } from './pacer-lines';
import { SNAPSHOT_ENCODING, encodeSnapshot, type EncodedSnapshot } from './snapshots';
import { RecordSizer } from './size';

/** Rows buffered before a flush; large enough to amortise the commit, small enough to bound loss. */
const DEFAULT_BATCH_ROWS = 2_000;
/** Compressed snapshot bytes buffered before a flush: a few large graphs, not a session's worth. */
const BATCH_SNAPSHOT_BYTES = 8 << 20;
/** A recorder beats at least this often while alive: well inside ORPHAN_HEARTBEAT_MS (sessions.ts). */
export const RECORDER_HEARTBEAT_MS = 5_000;

/**
 * An INSERT of many rows per statement: a statement's fixed cost (a call into SQLite, a VM start)
 * is paid once per `rowsPerStatement` rows instead of per row, which halves writing an imported
 * log's samples. Rows are copied into one flat parameter array; a batch's tail that does not fill
 * a statement goes row by row.
 */
class RowInserter {
  private readonly many: Statement<unknown[]>;
  private readonly one: Statement<unknown[]>;
  private readonly pending: unknown[];
  private readonly row: unknown[];
  private rows = 0;

  constructor(
    db: Db,
    insertInto: string,
    private readonly columnCount: number,
    private readonly rowsPerStatement: number,
  ) {
    const tuple = `(${new Array<string>(columnCount).fill('?').join(', ')})`;
    this.many = db.prepare(
      `${insertInto} VALUES ${new Array<string>(rowsPerStatement).fill(tuple).join(', ')}`,
    );
    this.one = db.prepare(`${insertInto} VALUES ${tuple}`);
    this.pending = new Array<unknown>(columnCount * rowsPerStatement);
    this.row = new Array<unknown>(columnCount);
  }

  /** Starts a batch, forgetting rows a failed one left unwritten. */
  begin(): void {
    this.rows = 0;
  }

  add(values: readonly unknown[]): void {
    const at = this.rows * this.columnCount;
    for (let i = 0; i < this.columnCount; i++) this.pending[at + i] = values[i];
    if (++this.rows === this.rowsPerStatement) {
      this.many.run(this.pending);
      this.rows = 0;
    }
  }

  /** Writes the rows that did not fill a statement. */
  end(): void {
    for (let r = 0; r < this.rows; r++) {
      for (let i = 0; i < this.columnCount; i++) this.row[i] = this.pending[r * this.columnCount + i];
      this.one.run(this.row);
    }
    this.rows = 0;
  }
}

/** Rows per multi-row INSERT: well under SQLite's 32,766 parameters, past where the gain flattens. */
const CYCLES_PER_STATEMENT = 16;
const SAMPLES_PER_STATEMENT = 64;

export class Recorder {
  private cycles: CycleRecord[] = [];
  private samples: HeapSample[] = [];
  private snapshots: EncodedSnapshot[] = [];
  private pacerLines: GctraceCycleExtras[] = [];
  private snapshotBytes = 0;
  private readonly insertCycle: RowInserter;
  private readonly insertSample: RowInserter;
  private readonly insertSnapshot: Statement<[number, number, number, string, number, number, Buffer]>;
  private readonly insertPacerLines: Statement<unknown[]>;
  private readonly writeBatch;
  private readonly beat: Statement<[string, number]>;
  /** Beats and adds a batch's bytes to the session's size. */
  private readonly beatAndGrow: Statement<[string, number, number]>;
  private lastBeatMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Db,
    readonly sessionId: number,
    private readonly batchRows = DEFAULT_BATCH_ROWS,
    private readonly batchSnapshotBytes = BATCH_SNAPSHOT_BYTES,
    /** Wall clock of the heartbeat; injected by tests. */
    private readonly now: () => Date = () => new Date(),
  ) {
    this.beat = db.prepare(`UPDATE sessions SET heartbeat_at = ? WHERE id = ? AND status = 'recording'`);
    this.beatAndGrow = db.prepare(
      `UPDATE sessions SET heartbeat_at = ?, size_bytes = coalesce(size_bytes, 0) + ?
        WHERE id = ? AND status = 'recording'`,
    );
    const fields = CYCLE_FIELDS;
    const columns = fields.map((field) => CYCLE_COLUMNS[field]);
    const cycleSizer = new RecordSizer(db, 'cycles', ['session_id', ...columns]);
    const sampleSizer = new RecordSizer(db, 'samples', [
      'session_id',
      't_ns',
      'heap_alloc_bytes',
      'heap_in_use_bytes',
    ]);
    const snapshotSizer = new RecordSizer(db, 'snapshots', [
      'session_id',
      'seq',
      't_ns',
      'encoding',
      'json_bytes',
      'has_graph',
      'data',
    ]);
    const pacerSizer = new RecordSizer(db, 'pacer_lines', PACER_LINE_COLUMNS);
    // Positional parameters: binding by name costs more than twice as much per row.
    this.insertCycle = new RowInserter(
      db,
      `INSERT INTO cycles (session_id, ${columns.join(', ')})`,
      columns.length + 1,
      CYCLES_PER_STATEMENT,
    );
    this.insertSample = new RowInserter(
      db,
      'INSERT INTO samples (session_id, t_ns, heap_alloc_bytes, heap_in_use_bytes)',
      4,
      SAMPLES_PER_STATEMENT,
    );
    this.insertSnapshot = db.prepare(
      `INSERT INTO snapshots (session_id, seq, t_ns, encoding, json_bytes, has_graph, data)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    // Two rows a cycle at most, and only in logs with pacer lines: one INSERT per row is enough.
    this.insertPacerLines = db.prepare(
      `INSERT INTO pacer_lines (${PACER_LINE_COLUMNS.join(', ')})
       VALUES (${PACER_LINE_COLUMNS.map(() => '?').join(', ')})`,
    );
    this.writeBatch = db.transaction(
      (
        cycles: CycleRecord[],
        samples: HeapSample[],
        snapshots: EncodedSnapshot[],
        pacerLines: GctraceCycleExtras[],
      ) => {
        const values: unknown[] = new Array(fields.length + 1);
        values[0] = this.sessionId;
        const pausesAt = fields.indexOf('pauses') + 1;
        let bytes = 0;
        this.insertCycle.begin();
        for (const cycle of cycles) {
          for (let i = 0; i < fields.length; i++) values[i + 1] = cycle[fields[i]!];
          values[pausesAt] = encodePauses(cycle.pauses);
          this.insertCycle.add(values);
          bytes += cycleSizer.rowBytes(values);
        }
        this.insertCycle.end();
        const sample: unknown[] = [this.sessionId, 0, 0, 0];
        this.insertSample.begin();
        for (const s of samples) {
          sample[1] = s.tNs;
          sample[2] = s.heapAllocBytes;
          sample[3] = s.heapInUseBytes;
          this.insertSample.add(sample);
          bytes += sampleSizer.rowBytes(sample);
        }
        this.insertSample.end();
        for (const s of snapshots) {
          const row = [
            this.sessionId,
            s.seq,
            s.tNs,
            SNAPSHOT_ENCODING,
            s.jsonBytes,
            s.hasGraph ? 1 : 0,
            s.data,
          ] as const;
          this.insertSnapshot.run(...row);
          bytes += snapshotSizer.rowBytes(row);
        }
        for (const p of pacerLines) {
          const row = pacerRowValues(this.sessionId, p);
          this.insertPacerLines.run(row);
          bytes += pacerSizer.rowBytes(row);
        }
        const now = this.now();
        this.beatAndGrow.run(now.toISOString(), bytes, this.sessionId);
        this.lastBeatMs = now.getTime();
      },
    );
  }

  /** `pacerLines`: what imported cycles' pacer lines printed beyond their records (pacer-lines.ts). */
  add(
    cycles: readonly CycleRecord[],
    samples: readonly HeapSample[],
    snapshots: readonly HeapSnapshot[] = [],
    pacerLines: readonly GctraceCycleExtras[] = [],
  ): void {
    for (const cycle of cycles) this.cycles.push(cycle);
    for (const row of pacerLines) this.pacerLines.push(row);
    for (const sample of samples) this.samples.push(sample);
    for (const snapshot of snapshots) {
      const encoded = encodeSnapshot(snapshot);
      this.snapshots.push(encoded);
      this.snapshotBytes += encoded.data.length;
    }
    if (
      this.cycles.length + this.samples.length + this.snapshots.length + this.pacerLines.length >=
        this.batchRows ||
      this.snapshotBytes >= this.batchSnapshotBytes
    ) {
      this.flush();
    }
  }

  /** Commits what is buffered. If the commit fails (e.g. the database stays busy), nothing is lost: the rows stay buffered for the next flush. */
  flush(): void {
    if (
      this.cycles.length === 0 &&
      this.samples.length === 0 &&
      this.snapshots.length === 0 &&
      this.pacerLines.length === 0
    ) {
      const now = this.now();
      if (now.getTime() - this.lastBeatMs >= RECORDER_HEARTBEAT_MS) this.beatAt(now);
      return;
    }
    this.writeBatch.immediate(this.cycles, this.samples, this.snapshots, this.pacerLines);
    this.cycles = [];
    this.pacerLines = [];
    this.samples = [];
    this.snapshots = [];
    this.snapshotBytes = 0;
  }

  /**
   * Beats the heartbeat every RECORDER_HEARTBEAT_MS (committing anything buffered) until the returned
   * function is called; the timer does not keep the process alive. A busy database skips a beat.
   */
  keepAlive(): () => void {
    const timer = setInterval(() => {
      try {
        this.flush();
      } catch {
        // Locked by another writer: the rows stay buffered, and the next beat tries again.
      }
    }, RECORDER_HEARTBEAT_MS);
    timer.unref();
    return () => clearInterval(timer);
  }

  private beatAt(now: Date): void {
    this.beat.run(now.toISOString(), this.sessionId);
    this.lastBeatMs = now.getTime();
  }
}
