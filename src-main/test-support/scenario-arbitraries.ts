/**
 * Builders and fast-check arbitraries for scenarios, shared by the tests that run random programs
 * (the runtime model's, and every collector's oracle).
 */
import fc from 'fast-check';
import type {
  AllocationSite,
  GoroutineKind,
  ObjectSite,
  Scenario,
  SizeDistribution,
} from '../engine/scenario';

const MiB = 1 << 20;

let siteCounter = 0;

export function site(overrides: Partial<ObjectSite> = {}): ObjectSite {
  return {
    name: `site-${siteCounter++}`,
    weight: 1,
    size: { kind: 'fixed', bytes: 1024 },
    pointerFields: 0,
    escapes: true,
    lifetime: { kind: 'young' },
    ...overrides,
  };
}

export function kind(overrides: Partial<GoroutineKind> = {}): GoroutineKind {
  return { name: 'g', count: 1, allocBytesPerSec: 256 * MiB, sites: [site()], ...overrides };
}

export function scenario(goroutines: GoroutineKind[], extra: Partial<Scenario> = {}): Scenario {
  return {
    formatVersion: 1,
    name: 't',
    title: 't',
    description: 't',
    durationMs: 50,
    globalsBytes: 4096,
    goroutines: goroutines.map((g, i) => ({
      ...g,
      name: `${g.name}${i}`,
      sites: g.sites.map((s, j) => ({ ...s, name: `s${j}` })),
    })),
    ...extra,
  };
}

export const MIXED_POOLS = [
  { name: 'a', size: { kind: 'fixed' as const, bytes: 2048 }, pointerFields: 0 },
  { name: 'b', size: { kind: 'uniform' as const, minBytes: 8, maxBytes: 200 }, pointerFields: 1 },
];

export const objectSiteArbitrary: fc.Arbitrary<AllocationSite> = fc
  .record({
    weight: fc.integer({ min: 1, max: 10 }),
    size: fc.oneof(
      fc.integer({ min: 1, max: 40 }).map((bytes) => ({ kind: 'fixed' as const, bytes })),
      fc.integer({ min: 16, max: 5000 }).map((bytes) => ({ kind: 'fixed' as const, bytes })),
      fc.constant<SizeDistribution>({
        kind: 'weighted',
        sizes: [
          { bytes: 8, weight: 1 },
          { bytes: 48, weight: 2 },
          { bytes: 40_000, weight: 0.05 },
        ],
      }),
    ),
    pointerFields: fc.nat({ max: 3 }),
    escapes: fc.boolean(),
    lifetime: fc.oneof(
      { weight: 4, arbitrary: fc.constant({ kind: 'young' as const }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }).map((ms) => ({ kind: 'held' as const, ms })) },
      {
        weight: 1,
        arbitrary: fc
          .integer({ min: 1, max: 50 })
          .map((slots) => ({ kind: 'ring' as const, slots, prefill: false })),
      },
      { weight: 1, arbitrary: fc.constant({ kind: 'forever' as const }) },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 1, max: 40 }).map((objects) => ({ kind: 'batch' as const, objects })),
      },
    ),
    structure: fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: 1, max: 6 }).map((nodes) => ({ kind: 'list' as const, nodes })),
      fc.integer({ min: 1, max: 6 }).map((nodes) => ({ kind: 'cycle' as const, nodes })),
      fc.integer({ min: 1, max: 3 }).map((depth) => ({ kind: 'tree' as const, fanout: 2, depth })),
    ),
  })
  .map((s) => {
    const smallest = s.size.kind === 'fixed' ? s.size.bytes : 8;
    const needs = s.structure === undefined ? 0 : s.structure.kind === 'tree' ? 2 : 1;
    const structure = needs > smallest >> 3 ? undefined : s.structure;
    return site({
      ...s,
      structure,
      pointerFields: Math.min(Math.max(s.pointerFields, structure === undefined ? 0 : needs), smallest >> 3),
      escapes: s.lifetime.kind === 'young' ? s.escapes : true,
    });
  });

export const poolSiteArbitrary: fc.Arbitrary<AllocationSite> = fc.record({
  name: fc.constant('pool'),
  weight: fc.integer({ min: 1, max: 10 }),
  pool: fc.constantFrom('a', 'b'),
  lifetime: fc.oneof(fc.constant({ kind: 'young' as const }), fc.constant({ kind: 'held' as const, ms: 1 })),
  putPercent: fc.constantFrom(100, 80),
});

export const kindArbitrary: fc.Arbitrary<GoroutineKind> = fc.record({
  name: fc.constant('g'),
  count: fc.integer({ min: 1, max: 4 }),
  allocBytesPerSec: fc.integer({ min: 50, max: 300 }).map((mib) => mib * MiB),
  sites: fc.array(fc.oneof(objectSiteArbitrary, objectSiteArbitrary, poolSiteArbitrary), {
    minLength: 1,
    maxLength: 3,
  }),
  stack: fc.option(
    fc.record({
      frameBytes: fc.constantFrom(128, 1024),
      depth: fc.constantFrom(
        { kind: 'fixed' as const, frames: 20 },
        { kind: 'uniform' as const, minFrames: 0, maxFrames: 40 },
      ),
    }),
    { nil: undefined },
  ),
  phases: fc.option(
    fc.constantFrom(
      [{ kind: 'step' as const, ms: 3, factors: [1, 0, 2] }],
      [{ kind: 'oscillate' as const, ms: 20, periodMs: 4, min: 0, max: 2 }],
      [{ kind: 'random' as const, ms: 20, intervalMs: 2, min: 0, max: 2 }],
    ),
    { nil: undefined },
  ),
  repeatPhases: fc.constant(true),
  runtimeGC: fc.option(fc.constant({ everyMs: 4 }), { nil: undefined, freq: 4 }),
});
