/**
 * What the library does with a file to import (a gctrace log or a session export) before and while
 * sending it through `imports.start/append/finish`: the checks, the pieces it is cut into, and the
 * progress line. The sending itself is state/log-import.svelte.ts.
 */
import type { ImportJobProgress } from './contract';

/**
 * Bytes read from the file and sent per `imports.append`: large enough that a call's overhead
 * vanishes (a 100 MiB log is 200 calls), small enough that progress moves and a cancel is quick.
 */
export const IMPORT_PIECE_BYTES = 512 * 1024;

/** Why `file` cannot be imported from the UI, or null when it may be sent. */
export function logFileProblem(file: { name: string; size: number }): string | null {
  if (file.size === 0)
    return `${file.name} is empty: expected a gctrace log (lines like "gc 1 @0.004s 2%: …") or a Heapscope session export`;
  return null;
}

/** [start, end) byte ranges covering a file of `sizeBytes`, `pieceBytes` at a time. */
export function pieceRanges(sizeBytes: number, pieceBytes = IMPORT_PIECE_BYTES): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < sizeBytes; start += pieceBytes)
    ranges.push([start, Math.min(sizeBytes, start + pieceBytes)]);
  return ranges;
}

/** Where an import stands, as the library shows it. */
export interface ImportProgressView {
  /** 0..1 of the file sent and taken in. */
  fraction: number;
  /** "12.5 of 48.0 MiB · 120,400 lines · 3,010 cycles". */
  text: string;
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

export function importProgressView(progress: ImportJobProgress, totalBytes: number): ImportProgressView {
  const parts = [`${mib(progress.bytesReceived)} of ${mib(totalBytes)} MiB`];
  // A session export is parsed at its end: until then there are no lines or cycles to count.
  if (progress.linesRead > 0) {
    parts.push(`${progress.linesRead.toLocaleString('en-US')} lines`);
    parts.push(`${progress.cycles.toLocaleString('en-US')} cycles`);
  }
  return {
    fraction: totalBytes > 0 ? Math.min(1, progress.bytesReceived / totalBytes) : 1,
    text: parts.join(' · '),
  };
}

/** The file a drag carries, if it carries exactly one. */
export function droppedFile(transfer: DataTransfer | null): File | null {
  const files = transfer?.files;
  return files && files.length === 1 ? (files[0] ?? null) : null;
}
