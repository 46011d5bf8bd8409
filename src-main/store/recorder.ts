/**
 * The recorder: buffers a session's cycles and samples and writes them in batches, one
 * transaction per batch, so a recording costs a few commits per second instead of one per row,
 * and a crash loses at most the unflushed tail (everything committed stays readable).
 */
import type { Db } from './database';
import { CYCLE_COLUMNS, CYCLE_FIELDS, type CycleRecord, type HeapSample } from './cycle-columns';

/** Rows buffered before a flush; large enough to amortise the commit, small enough to bound loss. */
const DEFAULT_BATCH_ROWS = 2_000;

export class Recorder {
  private cycles: CycleRecord[] = [];
  private samples: HeapSample[] = [];
  private readonly insertCycle;
  private readonly insertSample;
  private readonly writeBatch;

  constructor(
    private readonly db: Db,
    readonly sessionId: number,
    private readonly batchRows = DEFAULT_BATCH_ROWS,
  ) {
    const columns = CYCLE_FIELDS.map((field) => CYCLE_COLUMNS[field]);
    // Positional parameters: binding by name costs more than twice as much per row.
    this.insertCycle = db.prepare(
      `INSERT INTO cycles (session_id, ${columns.join(', ')})
       VALUES (?, ${columns.map(() => '?').join(', ')})`,
    );
    this.insertSample = db.prepare(
      `INSERT INTO samples (session_id, t_ns, heap_alloc_bytes, heap_in_use_bytes)
       VALUES (?, ?, ?, ?)`,
    );
    this.writeBatch = db.transaction((cycles: CycleRecord[], samples: HeapSample[]) => {
      const values: unknown[] = new Array(CYCLE_FIELDS.length + 1);
      values[0] = this.sessionId;
      for (const cycle of cycles) {
        for (let i = 0; i < CYCLE_FIELDS.length; i++) values[i + 1] = cycle[CYCLE_FIELDS[i]!];
        this.insertCycle.run(values);
      }
      for (const s of samples)
        this.insertSample.run(this.sessionId, s.tNs, s.heapAllocBytes, s.heapInUseBytes);
    });
  }

  add(cycles: readonly CycleRecord[], samples: readonly HeapSample[]): void {
    for (const cycle of cycles) this.cycles.push(cycle);
    for (const sample of samples) this.samples.push(sample);
    if (this.cycles.length + this.samples.length >= this.batchRows) this.flush();
  }

  /** Commits what is buffered. If the commit fails (e.g. the database stays busy), nothing is lost: the rows stay buffered for the next flush. */
  flush(): void {
    if (this.cycles.length === 0 && this.samples.length === 0) return;
    this.writeBatch.immediate(this.cycles, this.samples);
    this.cycles = [];
    this.samples = [];
  }
}
