/**
 * Scenario files (resources/scenarios/*.json, or a user's own): parse and validate untrusted JSON
 * into the engine's Scenario. Every problem is reported at once, one line each, as
 * `JSON path: expected …, found …`, so a user can fix a file in one pass.
 *
 * Beyond the types, a scenario must make sense as a Go program:
 *  - a uniform size has minBytes ≤ maxBytes;
 *  - pointer fields fit in the object (8 B each, in the smallest size the site allocates);
 *  - an object kept in a ring or leaked into a global escapes (storing a pointer in a global is
 *    exactly what makes escape analysis put it on the heap);
 *  - each goroutine kind has a site with weight > 0, and kind names are unique.
 */
import { z } from 'zod';
import { SCENARIO_FORMAT_VERSION, type Scenario } from '../engine/scenario';

/** Largest single allocation a scenario may ask for (1 GiB). */
export const MAX_OBJECT_BYTES = 1 << 30;
/** A ring's backing array is slots × 8 B; 4 Mi slots is a 32 MiB array. */
export const MAX_RING_SLOTS = 1 << 22;
/** One virtual hour, as RUN_LIMITS allows for a run. */
export const MAX_DURATION_MS = 3_600_000;
export const MAX_GOROUTINES_PER_KIND = 100_000;
/** 64 GiB/s: beyond any single Go process. */
export const MAX_ALLOC_BYTES_PER_SEC = 64 * 2 ** 30;

const POINTER_BYTES = 8;

export class ScenarioError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const noun = problems.length === 1 ? 'problem' : 'problems';
    super(`invalid scenario (${problems.length} ${noun}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}

function integer(min: number, max: number): z.ZodNumber {
  const error = `an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

function positiveInteger(max: number): z.ZodNumber {
  const error = `an integer ≥ 1 (at most ${max})`;
  return z.number({ error }).int({ error }).min(1, { error }).max(max, { error });
}

function text(what: string, maxLength: number): z.ZodString {
  const error = `${what} of 1 to ${maxLength} characters`;
  return z.string({ error }).trim().min(1, { error }).max(maxLength, { error });
}

const sizeSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('fixed'), bytes: positiveInteger(MAX_OBJECT_BYTES) }),
    z.strictObject({
      kind: z.literal('uniform'),
      minBytes: positiveInteger(MAX_OBJECT_BYTES),
      maxBytes: positiveInteger(MAX_OBJECT_BYTES),
    }),
  ],
  { error: 'a size object with "kind"' },
);

const lifetimeSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('young') }),
    z.strictObject({
      kind: z.literal('ring'),
      slots: positiveInteger(MAX_RING_SLOTS),
      prefill: z.boolean({ error: 'true or false' }),
    }),
    z.strictObject({ kind: z.literal('forever') }),
  ],
  { error: 'a lifetime object with "kind"' },
);

function isCount(value: unknown, min: number): value is number {
  return Number.isInteger(value) && (value as number) >= min;
}

const siteSchema = z
  .strictObject(
    {
      name: text('a site name', 200),
      weight: z
        .number({ error: 'a number ≥ 0' })
        .min(0, { error: 'a number ≥ 0' })
        .max(1e9, { error: 'a number from 0 to 1e9' }),
      size: sizeSchema,
      pointerFields: integer(0, MAX_OBJECT_BYTES / POINTER_BYTES),
      escapes: z.boolean({ error: 'true or false' }),
      lifetime: lifetimeSchema,
    },
    { error: 'an allocation site object' },
  )
  .superRefine((site, ctx) => {
    // Refinements still run after a range check failed (not after a type error): check only
    // values that passed theirs.
    const size = site.size;
    const minBytes = size.kind === 'fixed' ? size.bytes : size.minBytes;
    if (
      size.kind === 'uniform' &&
      isCount(minBytes, 1) &&
      isCount(size.maxBytes, 1) &&
      size.maxBytes < minBytes
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['size', 'maxBytes'],
        message: `an integer ≥ minBytes (${minBytes})`,
        input: size.maxBytes,
      });
    }
    const maxPointers = Math.floor(minBytes / POINTER_BYTES);
    if (isCount(minBytes, 1) && isCount(site.pointerFields, 0) && site.pointerFields > maxPointers) {
      ctx.addIssue({
        code: 'custom',
        path: ['pointerFields'],
        message: `at most ${maxPointers} (8 B per pointer field in a ${minBytes} B object)`,
        input: site.pointerFields,
      });
    }
    if (site.lifetime.kind !== 'young' && site.escapes === false) {
      ctx.addIssue({
        code: 'custom',
        path: ['escapes'],
        message: `true for a ${site.lifetime.kind} lifetime (an object stored in a global escapes to the heap)`,
        input: site.escapes,
      });
    }
  });

const goroutineKindSchema = z
  .strictObject(
    {
      name: text('a goroutine kind name', 200),
      count: positiveInteger(MAX_GOROUTINES_PER_KIND),
      allocBytesPerSec: z
        .number({ error: 'a number of bytes per second ≥ 0' })
        .min(0, { error: 'a number of bytes per second ≥ 0' })
        .max(MAX_ALLOC_BYTES_PER_SEC, { error: `a number of bytes per second ≤ ${MAX_ALLOC_BYTES_PER_SEC}` }),
      sites: z
        .array(siteSchema, { error: 'an array of allocation sites' })
        .min(1, { error: 'at least one allocation site' })
        .max(100, { error: 'at most 100 allocation sites' }),
    },
    { error: 'a goroutine kind object' },
  )
  .superRefine((kind, ctx) => {
    const weights = Array.isArray(kind.sites) ? kind.sites.map((site) => site?.weight) : [];
    const totalWeight = weights.reduce<number>((sum, w) => sum + (typeof w === 'number' && w > 0 ? w : 0), 0);
    if (weights.length > 0 && weights.every((w) => typeof w === 'number' && w >= 0) && totalWeight <= 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['sites'],
        message: 'at least one site with weight > 0',
        input: kind.sites,
        params: { found: `a total weight of ${totalWeight}` },
      });
    }
  });

const scenarioSchema = z
  .strictObject(
    {
      formatVersion: z.literal(SCENARIO_FORMAT_VERSION, {
        error: `${SCENARIO_FORMAT_VERSION} (the scenario format this version of Heapscope reads)`,
      }),
      name: z
        .string({ error: 'a lower-case name of letters, digits and "-"' })
        .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'a lower-case name of letters, digits and "-" (≤ 64)' }),
      title: text('a title', 200),
      description: text('a description', 2000),
      durationMs: positiveInteger(MAX_DURATION_MS),
      globalsBytes: integer(0, MAX_OBJECT_BYTES),
      goroutines: z
        .array(goroutineKindSchema, { error: 'an array of goroutine kinds' })
        .min(1, { error: 'at least one goroutine kind' })
        .max(100, { error: 'at most 100 goroutine kinds' }),
    },
    { error: 'a scenario object' },
  )
  .superRefine((scenario, ctx) => {
    const seen = new Set<string>();
    (Array.isArray(scenario.goroutines) ? scenario.goroutines : []).forEach((kind, i) => {
      if (typeof kind?.name !== 'string') return;
      if (seen.has(kind.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['goroutines', i, 'name'],
          message: 'a name no other goroutine kind uses',
          input: kind.name,
        });
      }
      seen.add(kind.name);
    });
  });

/** Parse and validate; throws ScenarioError listing every problem. */
export function parseScenario(json: unknown): Scenario {
  const result = scenarioSchema.safeParse(json, { reportInput: true });
  if (result.success) return result.data satisfies Scenario;
  throw new ScenarioError(result.error.issues.flatMap(describeIssue));
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const input = issue.input as Record<string, unknown> | undefined;
        return `${joinPath(path, key)}: expected no such field, found ${describeValue(input?.[key])}`;
      });
    case 'invalid_union':
      if (issue.discriminator !== undefined && 'options' in issue) {
        const options = (issue.options ?? []).map((option) => JSON.stringify(option)).join(' or ');
        const input = issue.input as Record<string, unknown> | undefined;
        const kindPath =
          issue.path.at(-1) === issue.discriminator ? path : joinPath(path, issue.discriminator);
        return [`${kindPath}: expected ${options}, found ${describeValue(input?.[issue.discriminator])}`];
      }
      return [`${path}: expected ${issue.message}, found ${describeValue(issue.input)}`];
    case 'custom': {
      const found: unknown = issue.params?.['found'];
      const described = typeof found === 'string' ? found : describeValue(issue.input);
      return [`${path}: expected ${issue.message}, found ${described}`];
    }
    default:
      return [`${path}: expected ${issue.message}, found ${describeValue(issue.input)}`];
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    out = typeof key === 'number' ? `${out}[${key}]` : joinPath(out, String(key));
  }
  return out === '' ? '(scenario)' : out;
}

function joinPath(path: string, key: string): string {
  return path === '' || path === '(scenario)' ? key : `${path}.${key}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return 'an object';
}
