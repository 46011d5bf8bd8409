/**
 * A session's size on disk, as SQLite stores its rows.
 *
 * SQLite cannot attribute pages to rows (dbstat sees b-trees, not sessions), so a session's size is
 * the sum of the record bytes of its rows in `cycles`, `samples` and `snapshots`: for each row, the
 * record header (one varint per column) and body (each value in its serial type's encoding: 0 bytes
 * for NULL, 0 and 1; 1–8 bytes for other integers; 8 for a real; the bytes of a text or blob). That
 * is exactly dbstat's `payload` for those tables (size.test.ts checks it), and leaves out what no
 * one session owns: page headers, free space, and the index on samples. Snapshots, whose deflated
 * blobs are most of a simulated session, are counted to the byte.
 */
import type { Db } from './database';

/** Tables holding a session's recorded data, each with a `session_id` column. */
export const SIZED_TABLES = ['cycles', 'samples', 'snapshots'] as const;

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

function bodyBytes(column: string): string {
  return `(CASE typeof(${column}) WHEN 'null' THEN 0 WHEN 'integer' THEN ${integerBytes(column)}
                WHEN 'real' THEN 8 ELSE octet_length(${column}) END)`;
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
