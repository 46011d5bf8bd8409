import type { RunLimits } from './types';

/**
 * Valid ranges of a run request. GOGC above 10 000 or GOMAXPROCS above 256 describe no machine
 * a user profiles; a virtual hour is far beyond what a session needs to show a steady state.
 */
export const RUN_LIMITS: RunLimits = {
  gogcMin: -1,
  gogcMax: 10_000,
  procsMin: 1,
  procsMax: 256,
  seedMax: 0xffff_ffff,
  durationMsMin: 1,
  durationMsMax: 3_600_000,
  // Below 1 MiB no Go program's runtime fits; 1 TiB is beyond any machine a session models.
  memoryLimitMinBytes: 1 << 20,
  memoryLimitMaxBytes: 2 ** 40,
};

/** What `sessions.update` accepts; the library's editor checks the same before sending. */
export const SESSION_EDIT_LIMITS = {
  nameMax: 200,
  notesMax: 10_000,
  tagsMax: 20,
  tagMax: 40,
  /** A normalised tag: lower case letters, digits, ".", "_" and "-". */
  tagPattern: /^[a-z0-9._-]+$/,
} as const;

/**
 * The largest gctrace log `sessions.import` takes from the UI: 32 MiB is some 250 000 cycle lines,
 * hours of a busy service. A larger log imports from the command line (`heapscope import FILE`),
 * which streams it in constant memory; the UI sends the text in one call.
 */
export const IMPORT_TEXT_MAX_BYTES = 32 << 20;

/**
 * The largest piece of text one `imports.append` carries. The library sends 512 KiB slices of the
 * file; twice that in characters leaves room, and the server takes a body this size (plus JSON's
 * escapes) for this method only.
 */
export const IMPORT_CHUNK_MAX_CHARS = 1 << 20;

/**
 * How long a deleted session can be restored before it is purged for good. The UI offers its undo
 * for a few seconds; the rest covers a crash or a second thought from the CLI or another window.
 */
export const SESSION_RESTORE_WINDOW_MS = 10 * 60 * 1000;

/** Reading sessions in pieces: a page of `sessions.cycles`, and the buckets of `sessions.series`. */
export const SERIES_LIMITS = {
  /** Cycles in one page: a screenful of table rows many times over, a fraction of a big session. */
  cyclePageMax: 10_000,
  /** Buckets of one series: wider than any chart on a 4K screen. */
  pointsMax: 4_096,
} as const;

/**
 * What `programs.start` accepts: a command line a person types (Linux's own limit on one argument is
 * 128 KiB; 4 KiB is well past any path or flag), with at most 256 arguments.
 */
export const PROGRAM_LIMITS = {
  commandMax: 4096,
  argsMax: 256,
  argMax: 4096,
  cwdMax: 4096,
} as const;
