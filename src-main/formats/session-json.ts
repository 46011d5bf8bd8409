/**
 * The session export as JSON: everything `heapscope show` and the session view know about one
 * session, in one self-describing file (documented in docs/export-formats.md).
 *
 * Versions (formatVersion):
 *  1: session (SessionDetail: config, seed, engine version, stats, source report), cycles
 *     (CycleRecord, version cycleRecordVersion), samples (HeapSample). Heap snapshots are not
 *     included: export one as pprof, or read them through the API.
 */
import { CYCLE_RECORD_VERSION, type CycleRecord, type HeapSample } from '../engine/record';
import type { SessionDetail } from '../api/types';

export const SESSION_JSON_FORMAT_VERSION = 1;

export interface SessionExport {
  /** Bumped when a field changes meaning or is removed; fields are only added within a version. */
  formatVersion: typeof SESSION_JSON_FORMAT_VERSION;
  /** The CycleRecord version of `cycles` (engine/record.ts CYCLE_RECORD_VERSION). */
  cycleRecordVersion: number;
  session: SessionDetail;
  /** Every recorded cycle in seq order. */
  cycles: CycleRecord[];
  /** The heap in use between cycles, in time order. */
  samples: HeapSample[];
}

export function sessionExport(
  session: SessionDetail,
  cycles: CycleRecord[],
  samples: HeapSample[],
): SessionExport {
  return {
    formatVersion: SESSION_JSON_FORMAT_VERSION,
    cycleRecordVersion: CYCLE_RECORD_VERSION,
    session,
    cycles,
    samples,
  };
}

/** Two-space indented, ending in a newline, as the CLI prints JSON. */
export function sessionJson(session: SessionDetail, cycles: CycleRecord[], samples: HeapSample[]): string {
  return `${JSON.stringify(sessionExport(session, cycles, samples), null, 2)}\n`;
}
