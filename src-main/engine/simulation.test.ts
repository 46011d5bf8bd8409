import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_MINIMUM_BYTES } from './pacer';
import type { CycleRecord } from './record';
import type { AllocationSite, GoroutineKind, Scenario } from './scenario';
import {
  MAX_GRID_SAMPLES,
  MAX_SAMPLED_CYCLES,
  SAMPLE_INTERVAL_NS,
  createSimulation,
  type HeapView,
  type SimulationConfig,
  type SimulationOutput,
} from './simulation';
import { allocatedObjects, reachableObjects } from './testing/oracle';

const MiB = 1 << 20;
const STEADY_PATH = fileURLToPath(new URL('../../resources/scenarios/steady.json', import.meta.url));
const steady = JSON.parse(readFileSync(STEADY_PATH, 'utf8')) as Scenario;

function config(overrides: Partial<SimulationConfig> = {}): SimulationConfig {
  const scenario = overrides.scenario ?? steady;
  return {
    scenario,
    collector: 'mark-sweep',
    gogc: 100,
    procs: 2,
    seed: 1,
    durationNs: scenario.durationMs * 1e6,
    ...overrides,
  };
}

function run(c: SimulationConfig): SimulationOutput {
  return createSimulation(c).advance(Infinity);
}

function site(overrides: Partial<AllocationSite>): AllocationSite {
  return {
    name: 'main.f: make([]byte, n)',
    weight: 1,
    size: { kind: 'fixed', bytes: 1024 },
    pointerFields: 0,
    escapes: true,
    lifetime: { kind: 'young' },
    ...overrides,
  };
}

function scenarioOf(goroutines: GoroutineKind[], durationMs = 20): Scenario {
  return {
    formatVersion: 1,
    name: 'test',
    title: 'test',
    description: 'test',
    durationMs,
    globalsBytes: 4096,
    goroutines,
  };
}

const steadyRun = run(config());

describe('simulation of the steady preset at GOGC=100', () => {
  const cycles = steadyRun.cycles;

  it('produces 20–40 cycles in its default duration', () => {
    expect(cycles.length).toBeGreaterThanOrEqual(20);
    expect(cycles.length).toBeLessThanOrEqual(40);
  });

  it('starts with Go’s first cycle: a 4 MiB goal and a 3 997 696 B trigger', () => {
    expect(cycles[0]!.heapGoalBytes).toBe(4 * MiB);
    expect(cycles[0]!.heapTriggerBytes).toBe(3_997_696);
  });

  it('paces every later cycle at heapMarked + (heapMarked + stacks + globals), never below 4 MiB', () => {
    const expected = cycles
      .slice(1)
      .map((_, i) =>
        Math.max(
          DEFAULT_HEAP_MINIMUM_BYTES,
          2 * cycles[i]!.heapMarkedBytes + cycles[i]!.stacksBytes + cycles[i]!.globalsBytes,
        ),
      );

    expect(cycles.slice(1).map((c) => c.heapGoalBytes)).toEqual(expected);
  });

  it('starts each cycle once heapLive has crossed the trigger, below the goal', () => {
    for (const c of cycles) {
      expect(c.heapStartBytes).toBeGreaterThanOrEqual(c.heapTriggerBytes);
      expect(c.heapStartBytes).toBeLessThan(c.heapGoalBytes);
    }
  });

  it('settles at the ring’s 16 MiB live heap once the ring is full', () => {
    for (const c of cycles.slice(4)) {
      expect(c.heapMarkedBytes).toBeGreaterThanOrEqual(16 * MiB);
      expect(c.heapMarkedBytes).toBeLessThan(16.5 * MiB);
    }
  });

  it('records a stop-the-world cycle: one pause of three phases, all GC CPU in it', () => {
    for (const c of cycles) {
      expect(c.pauseNs).toBe(c.sweepTermNs + c.markNs + c.markTermNs);
      expect(c.heapEndBytes).toBe(c.heapStartBytes);
      expect([c.assistCpuNs, c.backgroundCpuNs, c.idleCpuNs]).toEqual([0, 0, 0]);
    }
  });

  it('keeps pauses in the 0.1–2 ms range Go shows for a heap this size', () => {
    for (const c of cycles.slice(4)) {
      expect(c.pauseNs).toBeGreaterThanOrEqual(100_000);
      expect(c.pauseNs).toBeLessThanOrEqual(2_000_000);
    }
  });

  it('reports gcCpuFraction as cumulative pause × procs over elapsed × procs', () => {
    let pauseNs = 0;
    const expected = cycles.map((c) => {
      pauseNs += c.pauseNs;
      return (pauseNs * c.procs) / ((c.startNs + c.pauseNs) * c.procs);
    });

    expect(cycles.map((c) => c.gcCpuFraction)).toEqual(expected);
  });

  it('numbers cycles from 1 in time order', () => {
    expect(cycles.map((c) => c.seq)).toEqual(cycles.map((_, i) => i + 1));
    for (let i = 1; i < cycles.length; i++) {
      expect(cycles[i]!.startNs).toBeGreaterThan(cycles[i - 1]!.startNs + cycles[i - 1]!.pauseNs);
    }
  });

  it('samples the heap at every cycle start and end', () => {
    const times = new Set(steadyRun.samples.map((s) => s.tNs));

    for (const c of cycles) {
      expect(times.has(c.startNs)).toBe(true);
      expect(times.has(c.startNs + c.pauseNs)).toBe(true);
    }
  });

  it('samples at least every millisecond, in time order, from 0 to the end', () => {
    const t = steadyRun.samples.map((s) => s.tNs);
    const gaps = t.slice(1).map((tNs, i) => tNs - t[i]!);

    expect(t[0]).toBe(0);
    expect(t.at(-1)).toBe(steady.durationMs * 1e6);
    expect(Math.min(...gaps)).toBeGreaterThan(0);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(SAMPLE_INTERVAL_NS);
  });

  it('shows the sawtooth: each cycle’s end sample holds less heap than its start sample', () => {
    const at = new Map(steadyRun.samples.map((s) => [s.tNs, s]));

    for (const c of cycles.slice(3)) {
      expect(at.get(c.startNs + c.pauseNs)!.heapAllocBytes).toBeLessThan(at.get(c.startNs)!.heapAllocBytes);
    }
  });

  it('reports live objects and fragmentation after the sweep', () => {
    for (const c of cycles.slice(4)) {
      expect(c.liveObjects).toBeGreaterThanOrEqual(16_384);
      expect(c.fragmentationBytes).toBeGreaterThanOrEqual(0);
      expect(c.objectsFreed).toBeGreaterThan(0);
      expect(c.bytesFreed).toBe(c.objectsFreed! * 1024);
    }
  });
});

describe('determinism', () => {
  it('gives identical records for the same config and seed', () => {
    expect(run(config())).toEqual(steadyRun);
  });

  it('gives different records for a different seed', () => {
    expect(run(config({ seed: 2 }))).not.toEqual(steadyRun);
  });

  it('gives the same records whether advanced in one step or many', () => {
    const sim = createSimulation(config());
    const cycles: CycleRecord[] = [];
    const samples: SimulationOutput['samples'] = [];
    const snapshots: SimulationOutput['snapshots'] = [];

    for (let until = 0; !sim.done; until += 370_001) {
      const out = sim.advance(until);
      cycles.push(...out.cycles);
      samples.push(...out.samples);
      snapshots.push(...out.snapshots);
    }

    expect({ cycles, samples, snapshots }).toEqual(steadyRun);
  });
});

describe('Simulation', () => {
  it('advances virtual time to the requested point and stops at the end', () => {
    const sim = createSimulation(config({ durationNs: 10e6 }));

    sim.advance(3e6);
    const nowAfterFirst = sim.nowNs;
    sim.advance(Infinity);

    expect(nowAfterFirst).toBe(3e6);
    expect(sim.done).toBe(true);
    expect(sim.nowNs).toBeGreaterThanOrEqual(10e6);
    expect(sim.endNs).toBe(10e6);
  });

  it('returns nothing once done', () => {
    const sim = createSimulation(config({ durationNs: 10e6 }));
    sim.advance(Infinity);

    expect(sim.advance(Infinity)).toEqual({ cycles: [], samples: [], snapshots: [] });
  });

  it('counts the cycles it produced', () => {
    const sim = createSimulation(config());

    sim.advance(Infinity);

    expect(sim.cycleCount).toBe(steadyRun.cycles.length);
  });

  it('takes every pause out of the mutator’s time: bytes allocated = rate × (duration − Σ pauses)', () => {
    const rate = 2 ** 30;
    const scenario = scenarioOf([
      {
        name: 'g',
        count: 1,
        allocBytesPerSec: rate,
        sites: [site({ weight: 7 }), site({ lifetime: { kind: 'ring', slots: 8192, prefill: false } })],
      },
    ]);
    let heap: HeapView['heap'] | undefined;
    const sim = createSimulation(config({ scenario, durationNs: 200e6 }), {
      observer: { cycleEnd: (view) => (heap = view.heap) },
    });

    const pauseNs = sim.advance(Infinity).cycles.reduce((sum, c) => sum + c.pauseNs, 0);
    const expectedBytes = (rate * (200e6 - pauseNs)) / 1e9;

    expect(pauseNs / 200e6).toBeGreaterThan(0.02);
    expect(Math.abs(heap!.totalAllocBytes - expectedBytes) / expectedBytes).toBeLessThan(0.002);
  });

  it('refuses to advance to NaN rather than spin', () => {
    const sim = createSimulation(config({ durationNs: 1e6 }));

    expect(() => sim.advance(Number.NaN)).toThrow(RangeError);
  });

  it('rejects a configuration no Go runtime could have', () => {
    expect(() => createSimulation(config({ procs: 0 }))).toThrow(RangeError);
    expect(() => createSimulation(config({ gogc: -2 }))).toThrow(RangeError);
    expect(() => createSimulation(config({ seed: -1 }))).toThrow(RangeError);
    expect(() => createSimulation(config({ durationNs: Infinity }))).toThrow(RangeError);
  });

  it('throws on an unknown collector', () => {
    expect(() => createSimulation(config({ collector: 'no-such-gc' }))).toThrow(
      /unknown collector "no-such-gc"/,
    );
  });

  it('never collects with GOGC=off, so the heap keeps every byte allocated', () => {
    const out = run(config({ gogc: -1, durationNs: 50e6 }));

    expect(out.cycles).toEqual([]);
    expect(out.samples.at(-1)!.heapAllocBytes).toBeGreaterThan(40 * MiB);
  });

  it('collects more often at a lower GOGC', () => {
    const at50 = run(config({ gogc: 50 })).cycles.length;

    expect(at50).toBeGreaterThan(steadyRun.cycles.length * 1.5);
  });

  it('lets non-escaping allocations cost the heap nothing', () => {
    const scenario = scenarioOf([
      { name: 'g', count: 2, allocBytesPerSec: 4 * 2 ** 30, sites: [site({ escapes: false })] },
    ]);

    const out = run(config({ scenario, durationNs: 20e6 }));

    expect(out.cycles).toEqual([]);
    expect(out.samples.every((s) => s.heapAllocBytes === 0)).toBe(true);
  });

  it('grows heapMarked cycle after cycle when a site leaks', () => {
    const scenario = scenarioOf([
      {
        name: 'g',
        count: 1,
        allocBytesPerSec: 2 ** 30,
        sites: [site({ weight: 9 }), site({ lifetime: { kind: 'forever' } })],
      },
    ]);

    const marked = run(config({ scenario, durationNs: 200e6 })).cycles.map((c) => c.heapMarkedBytes);

    expect(marked.length).toBeGreaterThan(3);
    for (let i = 1; i < marked.length; i++) expect(marked[i]!).toBeGreaterThan(marked[i - 1]!);
  });

  it('caps the samples of a session with thousands of cycles at about 20 000', () => {
    const scenario = scenarioOf(
      [
        {
          name: 'g',
          count: 1,
          allocBytesPerSec: 64 * MiB,
          sites: [site({ size: { kind: 'fixed', bytes: 32_768 } })],
        },
      ],
      10_000,
    );

    const out = run(config({ scenario, gogc: 1, durationNs: 10e9 }));

    expect(out.cycles.length).toBeGreaterThan(MAX_SAMPLED_CYCLES);
    expect(out.samples.length).toBeLessThanOrEqual(MAX_GRID_SAMPLES + 2 * MAX_SAMPLED_CYCLES + 4);
  });
});

const sizeArbitrary = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.integer({ min: 1, max: 4096 }).map((bytes) => ({ kind: 'fixed' as const, bytes })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 8193, max: 70_000 }).map((bytes) => ({ kind: 'fixed' as const, bytes })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 40_000 }))
      .map(([minBytes, extra]) => ({ kind: 'uniform' as const, minBytes, maxBytes: minBytes + extra })),
  },
);

const lifetimeArbitrary = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'young' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .record({ slots: fc.integer({ min: 1, max: 300 }), prefill: fc.boolean() })
      .map((ring) => ({ kind: 'ring' as const, ...ring })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'forever' as const }) },
);

const siteArbitrary: fc.Arbitrary<AllocationSite> = fc
  .record({
    weight: fc.integer({ min: 1, max: 10 }),
    size: sizeArbitrary,
    pointerFields: fc.nat({ max: 6 }),
    escapes: fc.boolean(),
    lifetime: lifetimeArbitrary,
  })
  .map((s) => {
    const smallest = s.size.kind === 'fixed' ? s.size.bytes : s.size.minBytes;
    return site({
      ...s,
      pointerFields: Math.min(s.pointerFields, smallest >> 3),
      escapes: s.lifetime.kind === 'young' ? s.escapes : true,
    });
  });

const kindArbitrary: fc.Arbitrary<GoroutineKind> = fc.record({
  name: fc.constant('g'),
  count: fc.integer({ min: 1, max: 4 }),
  allocBytesPerSec: fc.integer({ min: 50, max: 400 }).map((mib) => mib * MiB),
  sites: fc.array(siteArbitrary, { minLength: 1, maxLength: 3 }),
});

describe('mark-sweep under random scenarios', () => {
  it('never frees a reachable object and frees every unreachable one (oracle mark on every cycle)', () => {
    let totalCycles = 0;
    fc.assert(
      fc.property(
        fc.array(kindArbitrary, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(10, 25, 50, 100),
        fc.integer({ min: 1, max: 4 }),
        fc.nat({ max: 0xffff_ffff }),
        (kinds, gogc, procs, seed) => {
          const scenario = scenarioOf(kinds.map((k, i) => ({ ...k, name: `g${i}` })));
          const problems: string[] = [];
          let checkedCycles = 0;
          let reachable = new Set<number>();
          let before: number[] = [];
          const sim = createSimulation(config({ scenario, gogc, procs, seed, durationNs: 15e6 }), {
            observer: {
              cycleStart: ({ heap, roots }) => {
                reachable = reachableObjects(heap, roots);
                before = allocatedObjects(heap);
              },
              cycleEnd: ({ heap }, record) => {
                checkedCycles++;
                const survivors = allocatedObjects(heap);
                const expected = before.filter((id) => reachable.has(id));
                if (survivors.join() !== expected.join())
                  problems.push(`cycle ${record.seq}: survivors differ`);
              },
            },
          });

          sim.advance(Infinity);

          expect(problems).toEqual([]);
          expect(checkedCycles).toBe(sim.cycleCount);
          totalCycles += checkedCycles;
        },
      ),
      { numRuns: 40 },
    );
    expect(totalCycles).toBeGreaterThan(80);
  });
});
