/**
 * Scenario files (resources/scenarios/*.json, or a user's own): parse and validate untrusted JSON
 * into the engine's Scenario (the format's reference is docs/scenario-format.md). Every problem is
 * reported at once, one line each, as `JSON path: expected …, found …`, so a user can fix a file in
 * one pass.
 *
 * Beyond the types, a scenario must make sense as a Go program:
 *  - a uniform size has minBytes ≤ maxBytes; a weighted size list has a size of weight > 0;
 *  - pointer fields fit in the object (8 B each, in the smallest size the site allocates), and a
 *    list, cycle or tree has the pointer fields its links need;
 *  - an object kept past its frame (held, ring, forever, batch) escapes (storing a pointer in a
 *    global or a heap object is exactly what makes escape analysis put it on the heap), and a
 *    non-escaping object is at most 10 MiB (MaxStackVarSize);
 *  - a pool site names a declared pool, has no size of its own (the pool's New decides) and a
 *    young or held lifetime (a pooled object goes back to its pool);
 *  - a goroutine kind that allocates at a rate without a script has a site with weight > 0; kind,
 *    pool and (within a kind) site names are unique; script ops name real sites and pools; a kind
 *    that takes its sites in turn gives them whole-number weights (picks in a row);
 *  - a call chain fits Go's 1 GB maximum stack.
 */
import { z } from 'zod';
import { SCENARIO_FORMAT_VERSION, type Scenario } from '../engine/scenario';
import { treeNodes } from '../engine/structure';
import { nearestName } from './suggest';

/** Largest single allocation a scenario may ask for (1 GiB). */
export const MAX_OBJECT_BYTES = 1 << 30;
/** A ring's backing array is slots × slotBytes; 4 Mi slots of 8 B is a 32 MiB array. */
export const MAX_RING_SLOTS = 1 << 22;
/** A ring entry holds one pointer and at most this many bytes (a struct value with a pointer). */
export const MAX_RING_SLOT_BYTES = 256;
/** One virtual hour, as RUN_LIMITS allows for a run. */
export const MAX_DURATION_MS = 3_600_000;
export const MAX_GOROUTINES_PER_KIND = 100_000;
/** 64 GiB/s: beyond any single Go process. */
export const MAX_ALLOC_BYTES_PER_SEC = 64 * 2 ** 30;
/** Objects one structure (list, cycle, tree) may have: it is built in one step of its goroutine. */
export const MAX_STRUCTURE_NODES = 100_000;
/** MaxStackVarSize: a variable larger than 10 MiB always goes to the heap. */
export const MAX_STACK_OBJECT_BYTES = 10 << 20;
/** Half of Go's 1 GB maxstacksize on 64-bit: the call chain must leave room to double. */
export const MAX_CALL_CHAIN_BYTES = 512 << 20;
/** A rate factor of 1000 turns 64 MiB/s into 64 GiB/s: beyond that a phase is a typo. */
export const MAX_RATE_FACTOR = 1000;
/** 2^50 bytes (1 PiB): any real program's lifetime allocation fits. */
export const MAX_TOTAL_BYTES = 2 ** 50;
/** A script is a short program prologue or a fixture's sequence, not a trace: 1000 ops is plenty. */
export const MAX_SCRIPT_OPS = 1000;
/** Per script op: ten million allocations or Gets. */
export const MAX_SCRIPT_COUNT = 10_000_000;

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

/** A number in (0, max]: durations in milliseconds may be fractional. */
function positiveNumber(what: string, max: number): z.ZodNumber {
  const error = `${what} > 0 (at most ${max})`;
  return z.number({ error }).gt(0, { error }).max(max, { error });
}

function factor(): z.ZodNumber {
  const error = `a rate factor from 0 to ${MAX_RATE_FACTOR}`;
  return z.number({ error }).min(0, { error }).max(MAX_RATE_FACTOR, { error });
}

function weight(): z.ZodNumber {
  return z
    .number({ error: 'a number ≥ 0' })
    .min(0, { error: 'a number ≥ 0' })
    .max(1e9, { error: 'a number from 0 to 1e9' });
}

function text(what: string, maxLength: number): z.ZodString {
  const error = `${what} of 1 to ${maxLength} characters`;
  return z.string({ error }).trim().min(1, { error }).max(maxLength, { error });
}

function isCount(value: unknown, min: number): value is number {
  return Number.isInteger(value) && (value as number) >= min;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
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
    z.strictObject({
      kind: z.literal('weighted'),
      sizes: z
        .array(
          z.strictObject(
            { bytes: positiveInteger(MAX_OBJECT_BYTES), weight: weight() },
            { error: 'a {"bytes", "weight"} object' },
          ),
          { error: 'an array of {"bytes", "weight"} objects' },
        )
        .min(1, { error: 'at least one size' })
        .max(100, { error: 'at most 100 sizes' }),
    }),
  ],
  { error: 'a size object with "kind"' },
);

type SizeInput = z.infer<typeof sizeSchema>;

/** Smallest and largest bytes a valid-looking size can draw; null while its numbers are invalid. */
function sizeBounds(size: SizeInput): { minBytes: number; maxBytes: number } | null {
  switch (size.kind) {
    case 'fixed':
      return isCount(size.bytes, 1) ? { minBytes: size.bytes, maxBytes: size.bytes } : null;
    case 'uniform':
      return isCount(size.minBytes, 1) && isCount(size.maxBytes, size.minBytes)
        ? { minBytes: size.minBytes, maxBytes: size.maxBytes }
        : null;
    case 'weighted': {
      const bytes = size.sizes.filter((s) => isNumber(s.weight) && s.weight > 0).map((s) => s.bytes);
      return bytes.length > 0 && bytes.every((b) => isCount(b, 1))
        ? { minBytes: Math.min(...bytes), maxBytes: Math.max(...bytes) }
        : null;
    }
  }
}

/** Cross-field checks of a size, with paths relative to the size object. */
function checkSize(size: SizeInput, ctx: z.RefinementCtx, path: PropertyKey[]): void {
  if (size.kind === 'uniform' && isCount(size.minBytes, 1) && isCount(size.maxBytes, 1)) {
    if (size.maxBytes < size.minBytes) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'maxBytes'],
        message: `an integer ≥ minBytes (${size.minBytes})`,
        input: size.maxBytes,
      });
    }
  }
  if (size.kind === 'weighted' && size.sizes.every((s) => isNumber(s.weight) && s.weight >= 0)) {
    const total = size.sizes.reduce((sum, s) => sum + s.weight, 0);
    if (total <= 0) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'sizes'],
        message: 'at least one size with weight > 0',
        input: size.sizes,
        params: { found: `a total weight of ${total}` },
      });
    }
  }
}

const lifetimeSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('young') }),
    z.strictObject({
      kind: z.literal('held'),
      ms: positiveNumber('a number of milliseconds', MAX_DURATION_MS),
    }),
    z.strictObject({
      kind: z.literal('ring'),
      slots: positiveInteger(MAX_RING_SLOTS),
      prefill: z.boolean({ error: 'true or false' }),
      slotBytes: z
        .number({ error: `a multiple of 8 from 8 to ${MAX_RING_SLOT_BYTES} (bytes per ring entry)` })
        .int({ error: `a multiple of 8 from 8 to ${MAX_RING_SLOT_BYTES} (bytes per ring entry)` })
        .min(8, { error: `a multiple of 8 from 8 to ${MAX_RING_SLOT_BYTES} (bytes per ring entry)` })
        .max(MAX_RING_SLOT_BYTES, {
          error: `a multiple of 8 from 8 to ${MAX_RING_SLOT_BYTES} (bytes per ring entry)`,
        })
        .multipleOf(8, { error: `a multiple of 8 from 8 to ${MAX_RING_SLOT_BYTES} (bytes per ring entry)` })
        .optional(),
      stride: positiveInteger(MAX_RING_SLOTS).optional(),
    }),
    z.strictObject({ kind: z.literal('forever') }),
    z.strictObject({ kind: z.literal('batch'), objects: positiveInteger(MAX_RING_SLOTS) }),
  ],
  { error: 'a lifetime object with "kind"' },
);

const structureSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('single') }),
    z.strictObject({ kind: z.literal('list'), nodes: positiveInteger(MAX_STRUCTURE_NODES) }),
    z.strictObject({ kind: z.literal('tree'), fanout: integer(1, 64), depth: integer(0, 30) }),
    z.strictObject({ kind: z.literal('cycle'), nodes: positiveInteger(MAX_STRUCTURE_NODES) }),
  ],
  { error: 'a structure object with "kind"' },
);

const NO_POOL_FIELD = "no such field on a pool site (its objects come from the pool's New)";
const OBJECT_SITE_FIELDS = ['size', 'pointerFields', 'escapes', 'structure'] as const;

const siteSchema = z
  .strictObject(
    {
      name: text('a site name', 200),
      weight: weight(),
      size: sizeSchema.optional(),
      pointerFields: integer(0, MAX_OBJECT_BYTES / POINTER_BYTES).optional(),
      escapes: z.boolean({ error: 'true or false' }).optional(),
      lifetime: lifetimeSchema,
      structure: structureSchema.optional(),
      pool: text('a pool name', 200).optional(),
      putPercent: z
        .number({ error: 'a percentage from 0 to 100' })
        .min(0, { error: 'a percentage from 0 to 100' })
        .max(100, { error: 'a percentage from 0 to 100' })
        .optional(),
    },
    { error: 'an allocation site object' },
  )
  .superRefine((site, ctx) => {
    // Refinements still run after a range check failed (not after a type error): check only
    // values that passed theirs.
    if (site.pool !== undefined) {
      for (const field of OBJECT_SITE_FIELDS) {
        if (site[field] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: NO_POOL_FIELD, input: site[field] });
        }
      }
      if (site.lifetime.kind !== 'young' && site.lifetime.kind !== 'held') {
        ctx.addIssue({
          code: 'custom',
          path: ['lifetime', 'kind'],
          message: '"young" or "held" for a pool site (a pooled object goes back to its pool)',
          input: site.lifetime.kind,
        });
      }
      return;
    }
    if (site.putPercent !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['putPercent'],
        message: 'no such field on an object site (putPercent belongs to pool sites)',
        input: site.putPercent,
      });
    }
    const missing: [string, string][] = [
      ['size', 'a size object with "kind"'],
      ['pointerFields', `an integer from 0 to ${MAX_OBJECT_BYTES / POINTER_BYTES}`],
      ['escapes', 'true or false'],
    ];
    for (const [field, message] of missing) {
      if (site[field as keyof typeof site] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message, input: undefined });
      }
    }
    if (site.size === undefined) return;
    checkSize(site.size, ctx, ['size']);
    const bounds = sizeBounds(site.size);
    if (bounds === null) return;
    const maxPointers = Math.floor(bounds.minBytes / POINTER_BYTES);
    if (isCount(site.pointerFields, 0) && site.pointerFields > maxPointers) {
      ctx.addIssue({
        code: 'custom',
        path: ['pointerFields'],
        message: `at most ${maxPointers} (8 B per pointer field in a ${bounds.minBytes} B object)`,
        input: site.pointerFields,
      });
    }
    if (site.lifetime.kind !== 'young' && site.escapes === false) {
      ctx.addIssue({
        code: 'custom',
        path: ['escapes'],
        message: `true for a ${site.lifetime.kind} lifetime (an object kept past its frame escapes to the heap)`,
        input: site.escapes,
      });
    } else if (site.escapes === false && bounds.maxBytes > MAX_STACK_OBJECT_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['escapes'],
        message: `true for objects over ${MAX_STACK_OBJECT_BYTES} B (Go puts variables over 10 MiB on the heap)`,
        input: site.escapes,
      });
    }
    checkStructure(site.structure, site.pointerFields, ctx);
  });

function checkStructure(
  structure: z.infer<typeof structureSchema> | undefined,
  pointerFields: number | undefined,
  ctx: z.RefinementCtx,
): void {
  if (structure === undefined || !isCount(pointerFields, 0)) return;
  if ((structure.kind === 'list' || structure.kind === 'cycle') && pointerFields < 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['pointerFields'],
      message: `at least 1 for a ${structure.kind} (field 0 links a node to the next)`,
      input: pointerFields,
    });
  }
  if (structure.kind === 'tree' && isCount(structure.fanout, 1) && isCount(structure.depth, 0)) {
    if (pointerFields < structure.fanout) {
      ctx.addIssue({
        code: 'custom',
        path: ['pointerFields'],
        message: `at least the tree's fanout (${structure.fanout}), one field per child`,
        input: pointerFields,
      });
    }
    const nodes = treeNodes(structure.fanout, structure.depth);
    if (nodes > MAX_STRUCTURE_NODES) {
      ctx.addIssue({
        code: 'custom',
        path: ['structure'],
        message: `a tree of at most ${MAX_STRUCTURE_NODES} nodes`,
        input: structure,
        params: {
          found: `${structure.fanout}^0 + … + ${structure.fanout}^${structure.depth} = ${nodes} nodes`,
        },
      });
    }
  }
}

const depthSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('fixed'), frames: integer(0, 1_000_000) }),
    z.strictObject({
      kind: z.literal('uniform'),
      minFrames: integer(0, 1_000_000),
      maxFrames: integer(0, 1_000_000),
    }),
  ],
  { error: 'a depth object with "kind"' },
);

const stackSchema = z
  .strictObject(
    { frameBytes: integer(0, 1 << 20), depth: depthSchema },
    { error: 'a stack object with "frameBytes" and "depth"' },
  )
  .superRefine((stack, ctx) => {
    const depth = stack.depth;
    const maxFrames = depth.kind === 'fixed' ? depth.frames : depth.maxFrames;
    if (depth.kind === 'uniform' && isCount(depth.minFrames, 0) && isCount(depth.maxFrames, 0)) {
      if (depth.maxFrames < depth.minFrames) {
        ctx.addIssue({
          code: 'custom',
          path: ['depth', 'maxFrames'],
          message: `an integer ≥ minFrames (${depth.minFrames})`,
          input: depth.maxFrames,
        });
      }
    }
    if (isCount(maxFrames, 0) && isCount(stack.frameBytes, 0)) {
      if (maxFrames * stack.frameBytes > MAX_CALL_CHAIN_BYTES) {
        ctx.addIssue({
          code: 'custom',
          path: ['depth'],
          message: `at most ${MAX_CALL_CHAIN_BYTES} B of frames (Go's stacks stop at 1 GB)`,
          input: depth,
          params: { found: `${maxFrames} frames × ${stack.frameBytes} B` },
        });
      }
    }
  });

const phaseSchema = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({
        kind: z.literal('constant'),
        ms: positiveNumber('a number of milliseconds', MAX_DURATION_MS),
        factor: factor(),
      }),
      z.strictObject({
        kind: z.literal('ramp'),
        ms: positiveNumber('a number of milliseconds', MAX_DURATION_MS),
        from: factor(),
        to: factor(),
      }),
      z.strictObject({
        kind: z.literal('step'),
        ms: positiveNumber('a number of milliseconds', MAX_DURATION_MS),
        factors: z
          .array(factor(), { error: 'an array of rate factors' })
          .min(1, { error: 'at least one factor' })
          .max(100, { error: 'at most 100 factors' }),
      }),
      z.strictObject({
        kind: z.literal('oscillate'),
        ms: positiveNumber('a number of milliseconds', MAX_DURATION_MS),
        periodMs: positiveNumber('a number of milliseconds', MAX_DURATION_MS),
        min: factor(),
        max: factor(),
      }),
      z.strictObject({
        kind: z.literal('random'),
        ms: positiveNumber('a number of milliseconds', MAX_DURATION_MS),
        intervalMs: positiveNumber('a number of milliseconds', MAX_DURATION_MS),
        min: factor(),
        max: factor(),
      }),
    ],
    { error: 'a phase object with "kind"' },
  )
  .superRefine((phase, ctx) => {
    if (
      (phase.kind === 'oscillate' || phase.kind === 'random') &&
      isNumber(phase.min) &&
      isNumber(phase.max)
    ) {
      if (phase.max < phase.min) {
        ctx.addIssue({
          code: 'custom',
          path: ['max'],
          message: `a factor ≥ min (${phase.min})`,
          input: phase.max,
        });
      }
    }
  });

const scriptOpSchema = z.discriminatedUnion(
  'op',
  [
    z.strictObject({
      op: z.literal('alloc'),
      site: text('a site name', 200),
      count: positiveInteger(MAX_SCRIPT_COUNT),
    }),
    z.strictObject({
      op: z.literal('get'),
      pool: text('a pool name', 200),
      count: positiveInteger(MAX_SCRIPT_COUNT),
    }),
    z.strictObject({ op: z.literal('put'), pool: text('a pool name', 200) }),
    z.strictObject({ op: z.literal('drop') }),
    z.strictObject({ op: z.literal('gc') }),
    z.strictObject({ op: z.literal('freeOSMemory') }),
    z.strictObject({
      op: z.literal('sleep'),
      ms: positiveNumber('a number of milliseconds', MAX_DURATION_MS),
    }),
    z.strictObject({ op: z.literal('depth'), frames: integer(0, 1_000_000) }),
  ],
  { error: 'a script op object with "op"' },
);

const runtimeGcSchema = z
  .strictObject(
    {
      everyBytes: positiveInteger(MAX_TOTAL_BYTES).optional(),
      everyMs: positiveNumber('a number of milliseconds', MAX_DURATION_MS).optional(),
    },
    { error: 'a {"everyBytes"} or {"everyMs"} object' },
  )
  .superRefine((gc, ctx) => {
    if ((gc.everyBytes === undefined) === (gc.everyMs === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'exactly one of "everyBytes" and "everyMs"',
        input: gc,
        params: { found: gc.everyBytes === undefined ? 'neither' : 'both' },
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
        .max(100, { error: 'at most 100 allocation sites' }),
      stack: stackSchema.optional(),
      phases: z
        .array(phaseSchema, { error: 'an array of phases' })
        .min(1, { error: 'at least one phase' })
        .max(100, { error: 'at most 100 phases' })
        .optional(),
      repeatPhases: z.boolean({ error: 'true or false' }).optional(),
      runtimeGC: runtimeGcSchema.optional(),
      totalBytes: positiveInteger(MAX_TOTAL_BYTES).optional(),
      script: z
        .array(scriptOpSchema, { error: 'an array of script ops' })
        .min(1, { error: 'at least one op' })
        .max(MAX_SCRIPT_OPS, { error: `at most ${MAX_SCRIPT_OPS} ops` })
        .optional(),
      sitePick: z.enum(['random', 'inTurn'], { error: '"random" or "inTurn"' }).optional(),
    },
    { error: 'a goroutine kind object' },
  )
  .superRefine((kind, ctx) => {
    const sites = Array.isArray(kind.sites) ? kind.sites : [];
    const weights = sites.map((site) => site?.weight);
    const totalWeight = weights.reduce<number>((sum, w) => sum + (typeof w === 'number' && w > 0 ? w : 0), 0);
    const needsSite =
      isNumber(kind.allocBytesPerSec) && kind.allocBytesPerSec > 0 && kind.script === undefined;
    if (needsSite && weights.every((w) => typeof w === 'number' && w >= 0) && totalWeight <= 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['sites'],
        message: 'at least one site with weight > 0',
        input: kind.sites,
        params: { found: `a total weight of ${totalWeight}` },
      });
    }
    if (kind.sitePick === 'inTurn') {
      // Taken in turn, a site is picked `weight` times in a row: a count, not a share.
      weights.forEach((w, i) => {
        if (typeof w === 'number' && w >= 0 && !Number.isInteger(w)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sites', i, 'weight'],
            message: 'a whole number (sitePick "inTurn" picks a site weight times in a row)',
            input: w,
          });
        }
      });
    }
    const seen = new Set<string>();
    sites.forEach((site, i) => {
      if (typeof site?.name !== 'string') return;
      if (seen.has(site.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sites', i, 'name'],
          message: 'a name no other site of this kind uses',
          input: site.name,
        });
      }
      seen.add(site.name);
    });
    (kind.script ?? []).forEach((op, i) => {
      if (op.op === 'alloc' && typeof op.site === 'string' && !seen.has(op.site)) {
        ctx.addIssue({
          code: 'custom',
          path: ['script', i, 'site'],
          message: `the name of one of this kind's sites (${[...seen].map((n) => JSON.stringify(n)).join(', ') || 'none'})`,
          input: op.site,
        });
      }
      if (op.op === 'depth' && kind.stack === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['script', i],
          message: 'a "stack" on the kind (its frameBytes) for a depth op',
          input: op,
          params: { found: 'no "stack"' },
        });
      }
    });
  });

const poolSchema = z.strictObject(
  {
    name: text('a pool name', 200),
    size: sizeSchema,
    pointerFields: integer(0, MAX_OBJECT_BYTES / POINTER_BYTES),
  },
  { error: 'a pool object' },
);

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
      pools: z
        .array(poolSchema, { error: 'an array of pools' })
        .max(100, { error: 'at most 100 pools' })
        .optional(),
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
    const pools = new Set<string>();
    (scenario.pools ?? []).forEach((pool, i) => {
      if (pools.has(pool.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['pools', i, 'name'],
          message: 'a name no other pool uses',
          input: pool.name,
        });
      }
      pools.add(pool.name);
      checkSize(pool.size, ctx, ['pools', i, 'size']);
      const bounds = sizeBounds(pool.size);
      if (bounds !== null && isCount(pool.pointerFields, 0) && pool.pointerFields > bounds.minBytes / 8) {
        ctx.addIssue({
          code: 'custom',
          path: ['pools', i, 'pointerFields'],
          message: `at most ${Math.floor(bounds.minBytes / 8)} (8 B per pointer field in a ${bounds.minBytes} B object)`,
          input: pool.pointerFields,
        });
      }
    });
    const poolList = [...pools].map((n) => JSON.stringify(n)).join(', ') || 'none declared';
    const unknownPool = (path: PropertyKey[], name: unknown): void => {
      if (typeof name === 'string' && !pools.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `the name of a pool in "pools" (${poolList})`,
          input: name,
        });
      }
    };
    (Array.isArray(scenario.goroutines) ? scenario.goroutines : []).forEach((kind, k) => {
      (Array.isArray(kind?.sites) ? kind.sites : []).forEach((site, s) => {
        if (site?.pool !== undefined) unknownPool(['goroutines', k, 'sites', s, 'pool'], site.pool);
      });
      (kind?.script ?? []).forEach((op, i) => {
        if (op.op === 'get' || op.op === 'put') unknownPool(['goroutines', k, 'script', i, 'pool'], op.pool);
      });
    });
  });

/** Parse and validate; throws ScenarioError listing every problem. */
export function parseScenario(json: unknown): Scenario {
  const result = scenarioSchema.safeParse(json, { reportInput: true });
  // The site refinement is what splits a site into ObjectSite | PoolSite: zod's inferred type
  // keeps every site field optional, so the cast is confined to this line.
  if (result.success) return result.data as Scenario;
  throw new ScenarioError(result.error.issues.flatMap(describeIssue));
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const input = issue.input as Record<string, unknown> | undefined;
        const nearest = input === undefined ? null : nearestField(key, input);
        const hint = nearest === null ? '' : ` (did you mean "${nearest}"?)`;
        return `${joinPath(path, key)}: expected no such field${hint}, found ${describeValue(input?.[key])}`;
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

/** The field names of every object the scenario format has, one list per object schema. */
let objectFields: readonly (readonly string[])[] | null = null;

function collectObjectFields(schema: unknown, out: string[][], seen: Set<unknown>): string[][] {
  if (typeof schema !== 'object' || schema === null || seen.has(schema)) return out;
  seen.add(schema);
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (def === undefined) return out;
  const shape = def.type === 'object' ? (def.shape as Record<string, unknown>) : null;
  if (shape !== null) out.push(Object.keys(shape));
  // Wrappers (optional, pipe, array) and unions hold their schemas in their def.
  for (const value of Object.values(def)) {
    if (shape !== null && value === shape)
      for (const field of Object.values(shape)) collectObjectFields(field, out, seen);
    else if (Array.isArray(value)) for (const option of value) collectObjectFields(option, out, seen);
    else collectObjectFields(value, out, seen);
  }
  return out;
}

/**
 * The known field an unknown one is a typo of: among the fields of the object schema that best
 * matches the object's other fields (a site, a goroutine…), those the object lacks, by
 * suggest.ts's nearest-name rule. Null when none is close.
 */
export function nearestField(unknown: string, object: Record<string, unknown>): string | null {
  objectFields ??= collectObjectFields(scenarioSchema, [], new Set());
  const present = Object.keys(object);
  let best: readonly string[] = [];
  let bestOverlap = -1;
  for (const fields of objectFields) {
    const overlap = present.filter((field) => fields.includes(field)).length;
    if (overlap > bestOverlap) {
      best = fields;
      bestOverlap = overlap;
    }
  }
  return nearestName(
    unknown,
    best.filter((field) => !present.includes(field)),
  );
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
