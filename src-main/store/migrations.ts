/**
 * Ordered, append-only schema migrations. Migration i (1-based) takes a database from
 * `PRAGMA user_version = i - 1` to `i`. Never edit a migration that has shipped: add a new one.
 */

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sessions, their GC cycles and heap samples',
    sql: `
      CREATE TABLE sessions (
        id             INTEGER PRIMARY KEY,
        name           TEXT    NOT NULL,
        source         TEXT    NOT NULL CHECK (source IN ('simulation', 'gctrace', 'attach')),
        status         TEXT    NOT NULL CHECK (status IN ('recording', 'complete', 'interrupted', 'failed')),
        scenario       TEXT,
        collector      TEXT,
        config_json    TEXT,
        seed           INTEGER,
        engine_version TEXT,
        error          TEXT,
        notes          TEXT    NOT NULL DEFAULT '',
        created_at     TEXT    NOT NULL,
        finished_at    TEXT,
        -- The process recording this session; lets a later start tell a crashed recording from a live one.
        recorder_pid   INTEGER
      );

      CREATE TABLE cycles (
        session_id          INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        seq                 INTEGER NOT NULL,
        start_ns            INTEGER NOT NULL,
        trigger             TEXT    NOT NULL CHECK (trigger IN ('heap', 'forced', 'periodic')),
        heap_start_bytes    INTEGER NOT NULL,
        heap_end_bytes      INTEGER NOT NULL,
        heap_marked_bytes   INTEGER NOT NULL,
        heap_goal_bytes     INTEGER NOT NULL,
        heap_trigger_bytes  INTEGER NOT NULL,
        stacks_bytes        INTEGER NOT NULL,
        globals_bytes       INTEGER NOT NULL,
        procs               INTEGER NOT NULL,
        sweep_term_ns       INTEGER NOT NULL,
        mark_ns             INTEGER NOT NULL,
        mark_term_ns        INTEGER NOT NULL,
        pause_ns            INTEGER NOT NULL,
        assist_cpu_ns       INTEGER NOT NULL,
        background_cpu_ns   INTEGER NOT NULL,
        idle_cpu_ns         INTEGER NOT NULL,
        gc_cpu_fraction     REAL    NOT NULL,
        objects_freed       INTEGER,
        bytes_freed         INTEGER,
        live_objects        INTEGER,
        fragmentation_bytes INTEGER,
        PRIMARY KEY (session_id, seq)
      ) WITHOUT ROWID;

      CREATE TABLE samples (
        session_id        INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        t_ns              INTEGER NOT NULL,
        heap_alloc_bytes  INTEGER NOT NULL,
        heap_in_use_bytes INTEGER NOT NULL
      );
      CREATE INDEX samples_by_session_time ON samples (session_id, t_ns);
    `,
  },
  {
    version: 2,
    description: 'what an imported or attached session learned from its source',
    sql: `
      -- JSON: the detected log format, the precision of its numbers, lines read, and the lines skipped
      -- as malformed (with line numbers). NULL for simulations.
      ALTER TABLE sessions ADD COLUMN source_report_json TEXT;
    `,
  },
  {
    version: 3,
    description: 'allocator, stack, escape and sync.Pool fields of a cycle, and heap snapshots',
    sql: `
      -- CycleRecord version 2 (src-main/engine/record.ts): all NULL for imported cycles and for rows
      -- recorded before this migration. stacks_bytes now holds the stack bytes the goal counted
      -- (Σ hi − sp); stack_in_use_bytes holds Σ stack sizes.
      ALTER TABLE cycles ADD COLUMN stack_in_use_bytes    INTEGER;
      ALTER TABLE cycles ADD COLUMN heap_in_use_bytes     INTEGER;
      ALTER TABLE cycles ADD COLUMN heap_idle_bytes       INTEGER;
      ALTER TABLE cycles ADD COLUMN heap_released_bytes   INTEGER;
      ALTER TABLE cycles ADD COLUMN tail_waste_bytes      INTEGER;
      ALTER TABLE cycles ADD COLUMN internal_waste_bytes  INTEGER;
      ALTER TABLE cycles ADD COLUMN heap_allocations      INTEGER;
      ALTER TABLE cycles ADD COLUMN heap_allocated_bytes  INTEGER;
      ALTER TABLE cycles ADD COLUMN stack_allocations     INTEGER;
      ALTER TABLE cycles ADD COLUMN stack_allocated_bytes INTEGER;
      ALTER TABLE cycles ADD COLUMN tiny_allocations      INTEGER;
      ALTER TABLE cycles ADD COLUMN stack_growths         INTEGER;
      ALTER TABLE cycles ADD COLUMN stack_shrinks         INTEGER;
      ALTER TABLE cycles ADD COLUMN stack_copied_bytes    INTEGER;
      ALTER TABLE cycles ADD COLUMN pool_gets             INTEGER;
      ALTER TABLE cycles ADD COLUMN pool_hits_private     INTEGER;
      ALTER TABLE cycles ADD COLUMN pool_hits_shared      INTEGER;
      ALTER TABLE cycles ADD COLUMN pool_hits_stolen      INTEGER;
      ALTER TABLE cycles ADD COLUMN pool_hits_victim      INTEGER;
      ALTER TABLE cycles ADD COLUMN pool_misses           INTEGER;
      ALTER TABLE cycles ADD COLUMN pool_puts             INTEGER;
      ALTER TABLE cycles ADD COLUMN pool_dropped          INTEGER;

      -- One heap snapshot (src-main/engine/snapshot.ts) per snapshotted cycle end: the JSON, deflated
      -- (node:zlib) in the store layer. A rowid table on purpose: rows are large blobs.
      CREATE TABLE snapshots (
        session_id   INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        seq          INTEGER NOT NULL,
        t_ns         INTEGER NOT NULL,
        encoding     TEXT    NOT NULL CHECK (encoding IN ('json+deflate')),
        -- Bytes of the JSON before compression, and whether it holds the object graph.
        json_bytes   INTEGER NOT NULL,
        has_graph    INTEGER NOT NULL CHECK (has_graph IN (0, 1)),
        data         BLOB    NOT NULL,
        PRIMARY KEY (session_id, seq)
      );
    `,
  },
  {
    version: 4,
    description: 'stop-the-world windows and collector fields of a cycle',
    sql: `
      -- CycleRecord version 3. pauses: JSON array of flattened [start_ns, duration_ns] pairs. Rows
      -- recorded before this migration get the windows their clocks describe: a simulated cycle was
      -- one stop-the-world mark-sweep pause; an imported one paused for sweep and mark termination.
      ALTER TABLE cycles ADD COLUMN pauses TEXT NOT NULL DEFAULT '[]';
      UPDATE cycles SET pauses = '[' || start_ns || ',' || pause_ns || ']'
        WHERE session_id IN (SELECT id FROM sessions WHERE source = 'simulation');
      UPDATE cycles SET pauses = '[' || start_ns || ',' || sweep_term_ns || ','
                               || (start_ns + sweep_term_ns + mark_ns) || ',' || mark_term_ns || ']'
        WHERE session_id IN (SELECT id FROM sessions WHERE source <> 'simulation');
      ALTER TABLE cycles ADD COLUMN assist_ratio         REAL;
      ALTER TABLE cycles ADD COLUMN mark_utilization     REAL;
      ALTER TABLE cycles ADD COLUMN write_barrier_hits   INTEGER;
      ALTER TABLE cycles ADD COLUMN write_barrier_shades INTEGER;
      ALTER TABLE cycles ADD COLUMN leaked_objects       INTEGER;
      ALTER TABLE cycles ADD COLUMN leaked_bytes         INTEGER;
      ALTER TABLE cycles ADD COLUMN refcount_frees       INTEGER;
      ALTER TABLE cycles ADD COLUMN cascade_max_objects  INTEGER;
      ALTER TABLE cycles ADD COLUMN cascade_max_ns       INTEGER;
    `,
  },
  {
    version: 5,
    description: 'session tags, soft deletion and size on disk',
    sql: `
      -- Tags are normalised by the API (lower case, [a-z0-9._-], 1–40 characters) before they get here.
      CREATE TABLE session_tags (
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        tag        TEXT    NOT NULL CHECK (length(tag) BETWEEN 1 AND 40),
        PRIMARY KEY (session_id, tag)
      ) WITHOUT ROWID;
      CREATE INDEX session_tags_by_tag ON session_tags (tag);

      -- A deleted session stays (hidden from every reader) until it is purged, so a delete can be
      -- undone, even after a crash. ISO-8601; NULL = not deleted.
      ALTER TABLE sessions ADD COLUMN deleted_at TEXT;
      -- Record bytes of the session's cycles, samples and snapshots (src-main/store/size.ts), computed
      -- when the recording ends; NULL while recording and for sessions finished before this migration
      -- until the next start fills it in.
      ALTER TABLE sessions ADD COLUMN size_bytes INTEGER;
    `,
  },
  {
    version: 6,
    description: 'recording heartbeat, and the summary of a finished session',
    sql: `
      -- ISO-8601 wall-clock time of the recorder's last flush (src-main/store/recorder.ts). A recording
      -- whose heartbeat is older than ORPHAN_HEARTBEAT_MS is orphaned even if its pid is alive (the pid
      -- was reused). NULL for rows written before this migration: only their pid can be checked.
      ALTER TABLE sessions ADD COLUMN heartbeat_at TEXT;
      -- Written when a recording ends (src-main/store/summary.ts), so opening a session of 100,000
      -- cycles does not read them: cycle_count and duration_ns as the session list reports them, and
      -- summary_json = its stats, totals and an overview of its series (versioned JSON). NULL while
      -- recording and for sessions finished before this migration until a read computes them.
      ALTER TABLE sessions ADD COLUMN cycle_count INTEGER;
      ALTER TABLE sessions ADD COLUMN duration_ns INTEGER;
      ALTER TABLE sessions ADD COLUMN summary_json TEXT;
      -- A zoomed chart asks for the cycles of a time range (store/summary.ts): found by time, not
      -- by walking the session's cycles from its first.
      CREATE INDEX cycles_by_session_time ON cycles (session_id, start_ns);
    `,
  },
  {
    version: 7,
    description: "the pacer lines of an imported gctrace log's cycles",
    sql: `
      -- What a cycle's gcpacertrace lines printed beyond its CycleRecord (store/pacer-lines.ts), so a
      -- gctrace export prints them again. One row per imported cycle that had pacer lines: a log
      -- without them writes nothing here. The cycle line's stop-the-world CPU terms ride along, so the
      -- cycle line prints again as read. Start-line columns are NULL when the cycle had no start line,
      -- end-line columns when it had no end line, sweep_ columns when no sweeper's line came before it.
      CREATE TABLE pacer_lines (
        session_id                   INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        seq                          INTEGER NOT NULL,
        sweep_term_cpu_ns            INTEGER,
        mark_term_cpu_ns             INTEGER,
        heap_scan_mib                INTEGER,
        initial_heap_live_mib        INTEGER,
        heap_goal_mib                INTEGER,
        dedicated_workers            INTEGER,
        fractional_utilization_goal  REAL,
        utilization_percent          INTEGER,
        expected_utilization_percent INTEGER,
        heap_scan_work_bytes         INTEGER,
        expected_scan_work_bytes     INTEGER,
        heap_live_bytes              INTEGER,
        goal_delta_bytes             INTEGER,
        cons_mark                    REAL,
        controller_reset             INTEGER,
        sweep_heap_live_mib          INTEGER,
        sweep_allocated_mib          INTEGER,
        sweep_pages_swept            INTEGER,
        sweep_pages_per_byte         REAL,
        PRIMARY KEY (session_id, seq)
      );
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
