/**
 * `sessions.export`: one session as a file another tool opens (docs/export-formats.md).
 *
 *  - json: the session, its cycles, samples and heap snapshots (formats/session-json.ts, versioned);
 *    `heapscope import` reads it back as an identical session (services/import-session.ts).
 *  - csv: the cycles table or the pauses table (formats/csv.ts, RFC 4180).
 *  - gctrace: Go ≥ 1.18 `gc N @…` lines (formats/gctrace-format.ts), each after the pacer lines an imported
 *    log gave it (store/pacer-lines.ts); `heapscope import` reads them back.
 *  - pprof: a heap profile of one heap snapshot (formats/pprof.ts), gzipped as pprof writes it.
 *  - trace: Chrome trace-event JSON of the phases, pauses and heap (formats/chrome-trace.ts) for Perfetto.
 *
 * Every check comes before any work, and a refusal names what was wrong and what would do instead.
 */
import { gzipSync } from 'node:zlib';
import { ApiError } from '../api/contract';
import type { ExportRequest, ExportResult, HeapSnapshot, SessionDetail } from '../api/types';
import { assertNever } from '../engine/assert';
import { formatChromeTrace } from '../formats/chrome-trace';
import { cycleTableCsv } from '../formats/csv';
import { formatGctrace, type GctraceExportCycle } from '../formats/gctrace-format';
import { encodeHeapProfile } from '../formats/pprof';
import { sessionJson } from '../formats/session-json';
import type { SessionRepository } from '../store/sessions';
import type { SnapshotRepository } from '../store/snapshots';

export interface ExportSources {
  session: SessionDetail;
  sessions: SessionRepository;
  snapshots: SnapshotRepository;
}

/** Fails when an option does not belong to the format, rather than ignoring it. */
function checkOptions(request: ExportRequest): void {
  if (request.cycle !== undefined && request.format !== 'pprof')
    throw new ApiError(
      'invalid-argument',
      `cycle picks the heap snapshot of a pprof export; format ${request.format} always exports every cycle`,
    );
  if (request.table !== undefined && request.format !== 'csv')
    throw new ApiError(
      'invalid-argument',
      `table picks the CSV table (cycles or pauses); format ${request.format} has no tables`,
    );
}

/** Cycle numbers as "1–12, 14, 16" for a message, the first few runs only. */
function describeSeqs(seqs: number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < seqs.length && runs.length < 6;) {
    let j = i;
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j]! + 1) j++;
    runs.push(j > i ? `${seqs[i]}–${seqs[j]}` : String(seqs[i]));
    i = j + 1;
  }
  const shown = runs.join(', ');
  return runs.length === 6 ? `${shown}, …` : shown;
}

function pprofExport(request: ExportRequest, { session, snapshots }: ExportSources): ExportResult {
  const id = session.id;
  const available = snapshots.list(id).map((s) => s.seq);
  if (available.length === 0) {
    throw new ApiError(
      'invalid-argument',
      session.source === 'simulation'
        ? `session ${id} recorded no heap snapshots, so it has no heap profile; formats json, csv and gctrace export its cycles`
        : `session ${id} is an imported ${session.source} session: a gctrace log carries no heap snapshots, so there is no heap profile to export; pprof needs a simulated session (formats json, csv and gctrace export every session)`,
    );
  }
  const seq = request.cycle ?? available.at(-1)!;
  const snapshot = available.includes(seq) ? snapshots.get(id, seq) : null;
  if (snapshot === null) {
    throw new ApiError(
      'not-found',
      `session ${id} has no heap snapshot at the end of cycle ${seq}; it has snapshots of cycles ${describeSeqs(available)}`,
    );
  }
  const data = gzipSync(
    encodeHeapProfile(snapshot, {
      startedAtMs: Date.parse(session.createdAt) || 0,
      comments: [`heapscope session ${id}: ${session.name}`, `heap snapshot at the end of gc ${seq}`],
    }),
  );
  return {
    format: 'pprof',
    fileName: `heapscope-${id}-gc${seq}.pb.gz`,
    mimeType: 'application/gzip',
    encoding: 'base64',
    content: data.toString('base64'),
    bytes: data.length,
  };
}

/** Every readable snapshot of the session, decoded, in cycle order. */
function storedSnapshots(id: number, snapshots: SnapshotRepository): HeapSnapshot[] {
  return snapshots
    .list(id)
    .map((info) => snapshots.get(id, info.seq))
    .filter((snapshot): snapshot is HeapSnapshot => snapshot !== null);
}

/** The session's cycles, each with the pacer lines it was imported with (pacer_lines), if any. */
function gctraceCycles(sessions: SessionRepository, id: number): GctraceExportCycle[] {
  const pacerLines = sessions.pacerLines(id);
  return sessions.cycles(id).map((record) => {
    const row = pacerLines.get(record.seq);
    return row === undefined ? record : { record, ...row };
  });
}

function textExport(
  format: ExportResult['format'],
  fileName: string,
  mimeType: string,
  content: string,
): ExportResult {
  return { format, fileName, mimeType, encoding: 'utf8', content, bytes: Buffer.byteLength(content, 'utf8') };
}

export function exportSession(request: ExportRequest, sources: ExportSources): ExportResult {
  checkOptions(request);
  const { session, sessions, snapshots } = sources;
  const id = session.id;
  switch (request.format) {
    case 'json':
      return textExport(
        'json',
        `heapscope-${id}.json`,
        'application/json',
        sessionJson(session, sessions.cycles(id), sessions.samples(id), storedSnapshots(id, snapshots), [
          ...sessions.pacerLines(id).values(),
        ]),
      );
    case 'csv': {
      const table = request.table ?? 'cycles';
      return textExport(
        'csv',
        `heapscope-${id}-${table}.csv`,
        'text/csv',
        cycleTableCsv(table, sessions.cycles(id)),
      );
    }
    case 'gctrace':
      return textExport(
        'gctrace',
        `heapscope-${id}.gctrace.txt`,
        'text/plain',
        formatGctrace(gctraceCycles(sessions, id), session.config?.cpus ?? Infinity),
      );
    case 'pprof':
      return pprofExport(request, sources);
    case 'trace':
      return textExport(
        'trace',
        `heapscope-${id}.trace.json`,
        'application/json',
        formatChromeTrace(session, sessions.cycles(id), sessions.samples(id)),
      );
    default:
      return assertNever(request.format, 'export format');
  }
}

/** The exported file's bytes, whichever encoding carried them. */
export function exportBytes(result: ExportResult): Buffer {
  return Buffer.from(result.content, result.encoding === 'base64' ? 'base64' : 'utf8');
}
