/**
 * Heap snapshots in SQLite: one row per snapshotted cycle end of a session, the snapshot's JSON
 * deflated with node:zlib (the engine stays pure; compression is the store's business). Base64
 * columns of typed arrays compress well, so a snapshot costs a fraction of its JSON size.
 * Writes go through the Recorder (encodeSnapshot), reads through SnapshotRepository.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { SNAPSHOT_VERSION, type HeapSnapshot } from '../engine/snapshot';
import type { Db } from './database';

export const SNAPSHOT_ENCODING = 'json+deflate';
/** zlib level 6 (the default): level 9 saves ≈ 2 % more and costs twice the time. */
const DEFLATE_LEVEL = 6;

export interface EncodedSnapshot {
  seq: number;
  tNs: number;
  jsonBytes: number;
  hasGraph: boolean;
  data: Buffer;
}

export interface SnapshotInfo {
  seq: number;
  tNs: number;
  /** Bytes of the JSON, and of the stored (compressed) row. */
  jsonBytes: number;
  storedBytes: number;
  hasGraph: boolean;
}

export function encodeSnapshot(snapshot: HeapSnapshot): EncodedSnapshot {
  const json = Buffer.from(JSON.stringify(snapshot), 'utf8');
  return {
    seq: snapshot.seq,
    tNs: snapshot.tNs,
    jsonBytes: json.length,
    hasGraph: snapshot.graph !== null,
    data: deflateSync(json, { level: DEFLATE_LEVEL }),
  };
}

export function decodeSnapshot(data: Buffer): HeapSnapshot | null {
  try {
    const snapshot = JSON.parse(inflateSync(data).toString('utf8')) as Partial<HeapSnapshot>;
    return snapshot.version === SNAPSHOT_VERSION ? (snapshot as HeapSnapshot) : null;
  } catch {
    return null;
  }
}

export class SnapshotRepository {
  constructor(private readonly db: Db) {}

  /** The session's snapshots, in cycle order, without their data. */
  list(sessionId: number): SnapshotInfo[] {
    const rows = this.db
      .prepare(
        `SELECT seq, t_ns AS tNs, json_bytes AS jsonBytes, length(data) AS storedBytes, has_graph AS hasGraph
           FROM snapshots WHERE session_id = ? ORDER BY seq`,
      )
      .all(sessionId) as (Omit<SnapshotInfo, 'hasGraph'> & { hasGraph: number })[];
    return rows.map((row) => ({ ...row, hasGraph: row.hasGraph === 1 }));
  }

  /** The snapshot at the end of cycle `seq`; null when there is none (or it is unreadable). */
  get(sessionId: number, seq: number): HeapSnapshot | null {
    const row = this.db
      .prepare(`SELECT data FROM snapshots WHERE session_id = ? AND seq = ? AND encoding = ?`)
      .get(sessionId, seq, SNAPSHOT_ENCODING) as { data: Buffer } | undefined;
    return row === undefined ? null : decodeSnapshot(row.data);
  }
}
