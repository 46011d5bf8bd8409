/**
 * A session's size on disk, as SQLite stores its rows.
 *
 * SQLite cannot attribute pages to rows (dbstat sees b-trees, not sessions), so a session's size is
 * the sum of the record bytes of its rows in `cycles`, `samples`, `snapshots` and `pacer_lines`: for each row, the
 * record header (one varint per column) and body (each value in its serial type's encoding: 0 bytes
 * for NULL, 0 and 1; 1–8 bytes for other integers; 8 for a real; the bytes of a text or blob). That
 * is exactly dbstat's `payload` for those tables (size.test.ts checks it), and leaves out what no
 * one session owns: page headers, free space, and the index on samples. Snapshots, whose deflated
 * blobs are most of a simulated session, are counted to the byte.
 *
 * Two ways to the same number: `RecordSizer` sums it in JS as the Recorder writes each row (what a
 * session stores in `size_bytes`, so finishing a long recording need not re-read it), and
 * `sessionSizeSql` reads it back in SQL (sessions recorded before that, or sized by backfill).
 * A REAL column stores an integral value as an integer (SQLite saves space that way), so both size
 * such a value as the integer it is on disk.
 */
import type { Db } from './database';

/** Tables holding a session's recorded data, each with a `session_id` column. */
export const SIZED_TABLES = ['cycles', 'samples', 'snapshots', 'pacer_lines'] as const;

function varintBytes(expr: string): string {
  return `(CASE WHEN ${expr} < 128 THEN 1 WHEN ${expr} < 16384 THEN 2 WHEN ${expr} < 2097152 THEN 3
                WHEN ${expr} < 268435456 THEN 4 ELSE 5 END)`;
}

/** Body bytes of an integer value, per SQLite's serial types 1–6, 8 and 9. */
function integerBytes(expr: string): string {
  return `(CASE WHEN ${expr} IN (0, 1) THEN 0
                WHEN ${expr} BETWEEN -128 AND 127 THEN 1
                WHEN ${expr} BETWEEN -32768 AND 32767 THEN 2
                WHEN ${expr} BETWEEN -8388608 AND 8388607 THEN 3
                WHEN ${expr} BETWEEN -2147483648 AND 2147483647 THEN 4
                WHEN ${expr} BETWEEN -140737488355328 AND 140737488355327 THEN 6
                ELSE 8 END)`;
}

/** Largest magnitude a REAL column stores as an integer (6 bytes), per SQLite's OP_Affinity. */
const REAL_AS_INTEGER_MAX = 140737488355327;

function bodyBytes(column: string): string {
  return `(CASE typeof(${column}) WHEN 'null' THEN 0 WHEN 'integer' THEN ${integerBytes(column)}
                WHEN 'real' THEN (CASE WHEN ${column} = CAST(${column} AS INTEGER)
                                        AND ${column} BETWEEN -${REAL_AS_INTEGER_MAX + 1} AND ${REAL_AS_INTEGER_MAX}
                                       THEN ${integerBytes(`CAST(${column} AS INTEGER)`)} ELSE 8 END)
                ELSE octet_length(${column}) END)`;
}

function headerBytes(column: string): string {
  // Serial types of text and blob values encode their length; every other type fits one byte.
  return `(CASE typeof(${column}) WHEN 'text' THEN ${varintBytes(`(octet_length(${column}) * 2 + 13)`)}
                WHEN 'blob' THEN ${varintBytes(`(octet_length(${column}) * 2 + 12)`)} ELSE 1 END)`;
}

/** SQL for the record bytes of one row of `table`, whose columns are read from the schema. */
function recordBytesSql(db: Db, table: string): string {
  // None of the sized tables has a rowid alias (stored in the cell, not the record): every column counts.
  const columns = db.pragma(`table_info(${table})`) as { name: string }[];
  const header = columns.map((c) => headerBytes(`"${c.name}"`)).join(' + ');
  const body = columns.map((c) => bodyBytes(`"${c.name}"`)).join(' + ');
  return `(${varintBytes(`(${header} + 1)`)} + ${header} + ${body})`;
}

/**
 * SQL of a scalar subquery giving the size in bytes of the session whose id is `sessionIdExpr`
 * (a column reference such as `s.id`, or `?`).
 */
export function sessionSizeSql(db: Db, sessionIdExpr: string): string {
  const parts = SIZED_TABLES.map(
    (table) =>
      `coalesce((SELECT sum(${recordBytesSql(db, table)}) FROM ${table} WHERE session_id = ${sessionIdExpr}), 0)`,
  );
  return `(${parts.join(' + ')})`;
}

/** How SQLite stores a bound value in a column of this declared type (its affinity). */
type Affinity = 'integer' | 'real' | 'text' | 'blob';

function affinityOf(declaredType: string): Affinity {
  const type = declaredType.toUpperCase();
  if (type.includes('INT')) return 'integer';
  if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) return 'text';
  if (type.includes('REAL') || type.includes('FLOA') || type.includes('DOUB')) return 'real';
  return 'blob';
}

function varintLength(value: number): number {
  return value < 128 ? 1 : value < 16384 ? 2 : value < 2097152 ? 3 : value < 268435456 ? 4 : 5;
}

/** Body bytes of an integer, as integerBytes (serial types 1–6, 8 and 9). */
function integerLength(value: number): number {
  if (value === 0 || value === 1) return 0;
  if (value >= -128 && value <= 127) return 1;
  if (value >= -32768 && value <= 32767) return 2;
  if (value >= -8388608 && value <= 8388607) return 3;
  if (value >= -2147483648 && value <= 2147483647) return 4;
  if (value >= -REAL_AS_INTEGER_MAX - 1 && value <= REAL_AS_INTEGER_MAX) return 6;
  return 8;
}

/** 2^63: better-sqlite3 binds every JS number as a double; below this an integral one fits an INTEGER. */
const INT64_LIMIT = 2 ** 63;

/**
 * The record bytes of rows of one table, computed from the values bound for them: the same sum as
 * sessionSizeSql, without reading the rows back. `columns` names the bound values in order; a
 * column left out of an INSERT (NULL or a NULL default) is counted as NULL, one header byte.
 */
export class RecordSizer {
  private readonly affinities: Affinity[];
  /** Header bytes of the columns not bound (each a NULL, serial type 0). */
  private readonly unboundHeaderBytes: number;

  constructor(db: Db, table: string, columns: readonly string[]) {
    const info = db.pragma(`table_info(${table})`) as { name: string; type: string; dflt_value: unknown }[];
    const byName = new Map(info.map((c) => [c.name, c]));
    this.affinities = columns.map((name) => {
      const column = byName.get(name);
      if (column === undefined) throw new Error(`${table} has no column ${name}`);
      return affinityOf(column.type);
    });
    const unbound = info.filter((c) => !columns.includes(c.name));
    if (unbound.some((c) => c.dflt_value !== null)) {
      throw new Error(`${table}: a column with a default must be bound to be sized`);
    }
    this.unboundHeaderBytes = unbound.length;
  }

  /** Record bytes of one row whose bound values are `values` (in `columns` order). */
  rowBytes(values: ArrayLike<unknown>): number {
    let header = this.unboundHeaderBytes;
    let body = 0;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (typeof value === 'number') {
        header += 1;
        if (Number.isNaN(value)) continue; // bound as NULL
        const affinity = this.affinities[i]!;
        const integral = Number.isInteger(value);
        if (affinity === 'integer' && integral && Math.abs(value) < INT64_LIMIT) body += integerLength(value);
        else if (affinity === 'real' && integral && Math.abs(value) <= REAL_AS_INTEGER_MAX + 1)
          body += integerLength(value);
        else if (affinity === 'integer' || affinity === 'real' || affinity === 'blob') body += 8;
        else throw new Error('a number bound to a TEXT column cannot be sized');
      } else if (typeof value === 'string') {
        if (this.affinities[i] !== 'text' && this.affinities[i] !== 'blob')
          throw new Error('text bound to a numeric column cannot be sized');
        const bytes = Buffer.byteLength(value, 'utf8');
        header += varintLength(bytes * 2 + 13);
        body += bytes;
      } else if (value instanceof Uint8Array) {
        header += varintLength(value.byteLength * 2 + 12);
        body += value.byteLength;
      } else if (value === null || value === undefined) {
        header += 1;
      } else {
        throw new Error(`cannot size a ${typeof value} value`);
      }
    }
    return varintLength(header + 1) + header + body;
  }
}
