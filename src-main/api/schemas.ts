/**
 * Runtime schemas for every method's arguments. Handlers on both transports parse with these
 * before doing anything else: the renderer is untrusted.
 */
import { z } from 'zod';
import type { ApiMethod } from './channels';
import { ApiError, type ArgsOf } from './contract';
import {
  IMPORT_CHUNK_MAX_CHARS,
  IMPORT_TEXT_MAX_BYTES,
  PROGRAM_LIMITS as P,
  RUN_LIMITS as L,
  SERIES_LIMITS,
  SESSION_EDIT_LIMITS,
} from './limits';

const sessionId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const none = z.object({}).strict();
const importId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const goVersionSchema = z
  .string()
  .regex(/^(?:go)?1\.\d{1,3}(?:\.\d+|rc\d+|beta\d+)?$/, 'expected a Go release such as 1.19 or go1.21.3');
const seq = z.number().int().max(Number.MAX_SAFE_INTEGER);
const timeNs = z.number().int().min(0, 'a time must be 0 ns or later').max(Number.MAX_SAFE_INTEGER);

export const cyclePageSchema = z
  .object({
    id: sessionId,
    offset: z.number().int().min(0, 'offset counts cycles from 0').max(Number.MAX_SAFE_INTEGER).optional(),
    limit: z
      .number()
      .int()
      .min(1, 'limit must be at least 1 cycle')
      .max(SERIES_LIMITS.cyclePageMax, `a page holds at most ${SERIES_LIMITS.cyclePageMax} cycles`)
      .optional(),
    fromSeq: seq.optional(),
    toSeq: seq.optional(),
  })
  .strict()
  .refine((a) => a.fromSeq === undefined || a.toSeq === undefined || a.fromSeq <= a.toSeq, {
    message: 'fromSeq must not be after toSeq',
  });

export const seriesRequestSchema = z
  .object({
    id: sessionId,
    points: z
      .number()
      .int()
      .min(2, 'points must be at least 2 (about one per pixel of the chart)')
      .max(SERIES_LIMITS.pointsMax, `points must be at most ${SERIES_LIMITS.pointsMax}`),
    startNs: timeNs.optional(),
    endNs: timeNs.optional(),
    fromSeq: seq.optional(),
    toSeq: seq.optional(),
  })
  .strict()
  .refine((a) => (a.startNs === undefined) === (a.endNs === undefined), {
    message: 'a time range needs both startNs and endNs',
  })
  .refine((a) => (a.fromSeq === undefined) === (a.toSeq === undefined), {
    message: 'a cycle range needs both fromSeq and toSeq',
  })
  .refine((a) => a.startNs === undefined || a.fromSeq === undefined, {
    message: 'give a time range (startNs, endNs) or a cycle range (fromSeq, toSeq), not both',
  })
  .refine((a) => a.startNs === undefined || a.endNs === undefined || a.startNs < a.endNs, {
    message: 'startNs must be before endNs',
  })
  .refine((a) => a.fromSeq === undefined || a.toSeq === undefined || a.fromSeq <= a.toSeq, {
    message: 'fromSeq must not be after toSeq',
  });

const gogcSchema = z
  .number()
  .int()
  .min(L.gogcMin)
  .max(L.gogcMax)
  .refine((v) => v !== 0, 'GOGC=0 (collect continuously) is not supported; use 1 or more, or -1 for off');

const memoryLimitSchema = z
  .number()
  .int()
  .min(
    L.memoryLimitMinBytes,
    `a memory limit below ${L.memoryLimitMinBytes} bytes (1 MiB) cannot hold a Go program`,
  )
  .max(L.memoryLimitMaxBytes);

const barrierSchema = z.enum(['dijkstra', 'yuasa'], {
  message: 'expected a write barrier: "dijkstra" or "yuasa"',
});

export const runRequestSchema = z
  .object({
    scenario: z.string().min(1).max(200),
    customScenario: z.unknown().refine((v) => v === null || (typeof v === 'object' && !Array.isArray(v)), {
      message: 'expected a scenario object (see docs/scenario-format.md) or null',
    }),
    collector: z.string().min(1).max(100),
    gogc: gogcSchema,
    procs: z.number().int().min(L.procsMin).max(L.procsMax),
    seed: z.number().int().min(0).max(L.seedMax),
    durationMs: z.number().int().min(L.durationMsMin).max(L.durationMsMax).nullable(),
    name: z.string().trim().min(1).max(200).nullable(),
    barrier: barrierSchema.optional(),
    cycleCollector: z.boolean().optional(),
    memoryLimitBytes: memoryLimitSchema.nullable().optional(),
    cpus: z.number().int().min(L.procsMin).max(L.procsMax).nullable().optional(),
  })
  .strict();

const E = SESSION_EDIT_LIMITS;

/** A tag as the user typed it, normalised to lower case; the store keeps only this form. */
export const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'a tag must not be empty')
  .max(E.tagMax, `a tag has at most ${E.tagMax} characters`)
  .regex(E.tagPattern, 'a tag may hold only letters a–z, digits, ".", "_" and "-"');

export const sessionNameSchema = z
  .string()
  .trim()
  .min(1, 'a session name must not be empty')
  .max(E.nameMax, `a session name has at most ${E.nameMax} characters`);

export const sessionUpdateSchema = z
  .object({
    id: sessionId,
    name: sessionNameSchema.optional(),
    notes: z.string().max(E.notesMax, `notes have at most ${E.notesMax} characters`).optional(),
    tags: z
      .array(tagSchema)
      .max(E.tagsMax, `a session has at most ${E.tagsMax} tags`)
      .transform((tags) => [...new Set(tags)].sort())
      .optional(),
  })
  .strict()
  .refine((a) => a.name !== undefined || a.notes !== undefined || a.tags !== undefined, {
    message: 'nothing to change: give a name, notes or tags',
  });

export const whatIfRequestSchema = z
  .object({
    id: sessionId,
    gogc: gogcSchema.optional(),
    memoryLimitBytes: memoryLimitSchema.nullable().optional(),
    collector: z.string().min(1).max(100).optional(),
    barrier: barrierSchema.optional(),
    cycleCollector: z.boolean().optional(),
    procs: z.number().int().min(L.procsMin).max(L.procsMax).optional(),
    seed: z.number().int().min(0).max(L.seedMax).optional(),
    name: sessionNameSchema.optional(),
  })
  .strict();

export const programStartSchema = z
  .object({
    command: z
      .string({ message: 'expected the program to run (a path, or a name on PATH)' })
      .trim()
      .min(1, 'expected the program to run (a path, or a name on PATH); it is empty')
      .max(P.commandMax, `a command has at most ${P.commandMax} characters`)
      .refine((v) => !v.includes('\0'), 'a command cannot contain a NUL character'),
    args: z
      .array(
        z
          .string({ message: 'expected each argument as a string' })
          .max(P.argMax, `an argument has at most ${P.argMax} characters`)
          .refine((v) => !v.includes('\0'), 'an argument cannot contain a NUL character'),
        { message: 'expected the arguments as an array of strings' },
      )
      .max(P.argsMax, `at most ${P.argsMax} arguments`),
    name: sessionNameSchema.optional(),
    cwd: z
      .string({ message: 'expected a working directory path' })
      .trim()
      .min(1, 'expected a working directory path; it is empty (leave it out for the home directory)')
      .max(P.cwdMax, `a working directory path has at most ${P.cwdMax} characters`)
      .optional(),
  })
  .strict();

const programId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const argSchemas: { [M in ApiMethod]: z.ZodType<ArgsOf<M>> } = {
  'catalog.get': none,
  'sessions.list': z
    .object({ search: z.string().max(E.nameMax).optional(), tag: tagSchema.optional() })
    .strict(),
  'sessions.get': z.object({ id: sessionId }).strict(),
  'sessions.cycles': cyclePageSchema,
  'sessions.samples': z.object({ id: sessionId }).strict(),
  'sessions.series': seriesRequestSchema,
  'sessions.timeline': z.object({ id: sessionId }).strict(),
  'sessions.delete': z.object({ id: sessionId }).strict(),
  'sessions.restore': z.object({ id: sessionId }).strict(),
  'sessions.update': sessionUpdateSchema,
  'sessions.snapshots': z.object({ id: sessionId }).strict(),
  'sessions.snapshot': z
    .object({ id: sessionId, seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
    .strict(),
  'sessions.export': z
    .object({
      id: sessionId,
      format: z.enum(['json', 'csv', 'gctrace', 'pprof', 'trace'], {
        message: 'expected an export format: "json", "csv", "gctrace", "pprof" or "trace"',
      }),
      cycle: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
      table: z
        .enum(['cycles', 'pauses'], { message: 'expected a CSV table: "cycles" or "pauses"' })
        .optional(),
    })
    .strict(),
  'sessions.import': z
    .object({
      text: z
        .string()
        .max(
          IMPORT_TEXT_MAX_BYTES,
          `a log sent to the app has at most ${IMPORT_TEXT_MAX_BYTES} bytes; import larger ones with heapscope import FILE`,
        ),
      name: sessionNameSchema.optional(),
      fileName: z.string().max(1000).optional(),
      goVersion: goVersionSchema.optional(),
    })
    .strict(),
  'imports.start': z
    .object({
      fileName: z.string().max(1000).optional(),
      name: sessionNameSchema.optional(),
      goVersion: goVersionSchema.optional(),
      totalBytes: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    })
    .strict(),
  'imports.append': z
    .object({
      importId,
      text: z
        .string()
        .max(
          IMPORT_CHUNK_MAX_CHARS,
          `a chunk has at most ${IMPORT_CHUNK_MAX_CHARS} characters; send the file in smaller pieces`,
        ),
    })
    .strict(),
  'imports.finish': z.object({ importId }).strict(),
  'imports.cancel': z.object({ importId }).strict(),
  'sessions.fit': z.object({ id: sessionId }).strict(),
  'sessions.whatif': whatIfRequestSchema,
  'sessions.fidelity': z.object({ simulationId: sessionId, traceId: sessionId }).strict(),
  'scenarios.get': z.object({ name: z.string().min(1).max(200) }).strict(),
  'scenarios.validate': z.object({ scenario: z.unknown() }).strict(),
  'runs.start': z.object({ request: runRequestSchema }).strict(),
  'runs.startWhenFree': z.object({ request: runRequestSchema }).strict(),
  'runs.cancel': z.object({ sessionId }).strict(),
  'runs.active': none,
  'programs.start': programStartSchema,
  'programs.stop': z.object({ programId }).strict(),
  'programs.get': z.object({ programId }).strict(),
  'programs.active': none,
  'programs.pick': none,
};

/**
 * The desktop save dialog's request (api/desktop.ts). The name is only a suggestion shown in the
 * dialog, but it must be a plain file name: the user picks the directory, not the renderer.
 */
export const saveFileRequestSchema = z
  .object({
    kind: z.enum(['json', 'csv', 'gctrace', 'pprof', 'trace', 'png'], {
      message: 'expected what is saved: "json", "csv", "gctrace", "pprof", "trace" or "png"',
    }),
    fileName: z
      .string()
      .min(1, 'a file name must not be empty')
      .max(255, 'a file name has at most 255 characters')
      .refine((name) => !/[/\\\0]/.test(name) && name !== '.' && name !== '..', {
        message: 'expected a file name without a directory (no "/" or "\\")',
      }),
    encoding: z.enum(['utf8', 'base64'], { message: 'expected an encoding: "utf8" or "base64"' }),
    content: z.string(),
  })
  .strict();

/** One line per problem, each naming the argument path and what was expected. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(arguments)';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

export function parseArgs<M extends ApiMethod>(method: M, raw: unknown): ArgsOf<M> {
  const result = argSchemas[method].safeParse(raw ?? {});
  if (!result.success) {
    throw new ApiError('invalid-argument', `${method}: ${describeZodError(result.error)}`);
  }
  return result.data;
}
