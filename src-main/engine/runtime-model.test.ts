import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIXED_POOLS, kind, kindArbitrary, scenario, site } from '../test-support/scenario-arbitraries';
import type { CycleRecord } from './record';
import type { AllocationSite, GoroutineKind, ObjectSite, Scenario } from './scenario';
import { createSimulation, type HeapView, type SimulationConfig, type SimulationOutput } from './simulation';
import { GOROUTINE_BASE_STACK_BYTES, STACK_MIN_BYTES } from './stacks';
import { accountingViolations, allocatedObjects, reachableObjects } from './testing/oracle';

const MiB = 1 << 20;

function config(s: Scenario, overrides: Partial<SimulationConfig> = {}): SimulationConfig {
  return {
    scenario: s,
    collector: 'mark-sweep',
    gogc: 100,
    procs: 2,
    seed: 1,
    durationNs: s.durationMs * 1e6,
    ...overrides,
  };
}

function run(s: Scenario, overrides: Partial<SimulationConfig> = {}): SimulationOutput & { view: HeapView } {
  const sim = createSimulation(config(s, overrides));
  const out = sim.advance(Infinity);
  return { ...out, view: sim.view };
}

const sum = (cycles: CycleRecord[], field: keyof CycleRecord): number =>
  cycles.reduce((total, c) => total + ((c[field] as number | null) ?? 0), 0);

describe('escape analysis', () => {
  it('counts non-escaping allocations as stack allocations that cost the heap nothing, per site', () => {
    const s = scenario([
      kind({
        sites: [
          site({ escapes: false, size: { kind: 'fixed', bytes: 512 } }),
          site({ size: { kind: 'fixed', bytes: 512 } }),
        ],
      }),
    ]);

    const { cycles, view } = run(s, { durationNs: 200e6 });
    const [stackSite, heapSite] = [0, 1];

    expect(cycles.length).toBeGreaterThan(1);
    expect(view.workload.siteHeapAllocs[stackSite]).toBe(0);
    expect(view.workload.siteStackAllocs[stackSite]).toBeGreaterThan(1000);
    expect(view.workload.siteStackAllocs[heapSite]).toBe(0);
    expect(view.workload.siteStackBytes[stackSite]).toBe(512 * view.workload.siteStackAllocs[stackSite]!);
    for (const c of cycles.slice(1)) {
      expect(c.stackAllocations! / c.heapAllocations!).toBeGreaterThan(0.8);
      expect(c.stackAllocations! / c.heapAllocations!).toBeLessThan(1.25);
      expect(c.stackAllocatedBytes).toBe(512 * c.stackAllocations!);
    }
  });

  it('grows the stack of a goroutine whose non-escaping locals do not fit its frame', () => {
    const s = scenario([
      kind({ sites: [site({ escapes: false, size: { kind: 'fixed', bytes: 100_000 } })] }),
    ]);

    const { view } = run(s);

    expect(view.roots.stacks.sizeBytes[0]).toBe(131_072);
    expect(view.roots.stacks.usedBytes[0]).toBe(GOROUTINE_BASE_STACK_BYTES + 100_000);
  });
});

describe('goroutine stacks in the simulation', () => {
  it('counts scanned stack bytes in the goal and reports the allocated stacks apart (Go 1.19)', () => {
    const s = scenario([
      kind({
        name: 'blocked',
        count: 100,
        allocBytesPerSec: 0,
        sites: [],
        stack: { frameBytes: 320, depth: { kind: 'fixed', frames: 41 } },
      }),
      kind({ name: 'main' }),
    ]);

    const { cycles } = run(s, { durationNs: 100e6 });

    expect(cycles.length).toBeGreaterThan(2);
    for (const c of cycles) {
      expect(c.stackInUseBytes).toBe(100 * 16384 + STACK_MIN_BYTES);
      expect(c.stacksBytes).toBe(101 * GOROUTINE_BASE_STACK_BYTES + 100 * 41 * 320);
    }
    for (let i = 1; i < cycles.length; i++) {
      const prev = cycles[i - 1]!;
      expect(cycles[i]!.heapGoalBytes).toBe(
        Math.max(4 * MiB, 2 * prev.heapMarkedBytes + prev.stacksBytes + prev.globalsBytes),
      );
    }
    expect(cycles[0]!.stackGrowths).toBe(300);
  });

  it('grows as the call depth rises and shrinks at GC once it falls', () => {
    const s = scenario([
      kind({
        allocBytesPerSec: 0,
        sites: [],
        stack: { frameBytes: 1024, depth: { kind: 'fixed', frames: 0 } },
        script: [
          { op: 'depth', frames: 60 },
          { op: 'gc' },
          { op: 'depth', frames: 1 },
          { op: 'gc' },
          { op: 'gc' },
        ],
      }),
    ]);

    const { cycles } = run(s, { durationNs: 1e6 });

    expect(cycles.map((c) => c.stackInUseBytes)).toEqual([65536, 32768, 16384]);
    expect(cycles[0]!.stackGrowths).toBe(5);
    expect(cycles.map((c) => c.stackShrinks)).toEqual([0, 1, 1]);
    expect(cycles[0]!.stackCopiedBytes).toBeGreaterThan(0);
  });

  it('charges stack growth to the goroutine: deeper call chains allocate less in the same time', () => {
    const deep = (frames: number) =>
      scenario([
        kind({
          count: 1,
          sites: [site({ escapes: false })],
          stack: { frameBytes: 4096, depth: { kind: 'uniform', minFrames: 0, maxFrames: frames } },
        }),
      ]);

    const shallow = run(deep(0)).view.workload.siteStackAllocs[0]!;
    const growing = run(deep(64)).view.workload.siteStackAllocs[0]!;

    expect(growing).toBeLessThan(shallow);
  });
});

describe('sync.Pool in the simulation', () => {
  const pooled = (overrides: Partial<GoroutineKind> = {}, putPercent?: number) =>
    scenario(
      [
        kind({
          count: 4,
          allocBytesPerSec: 512 * MiB,
          sites: [
            {
              name: 'get',
              weight: 1,
              pool: 'bufs',
              lifetime: { kind: 'young' },
              ...(putPercent === undefined ? {} : { putPercent }),
            },
            site({ weight: 4, size: { kind: 'fixed', bytes: 256 } }),
          ] as AllocationSite[],
          ...overrides,
        }),
      ],
      { pools: [{ name: 'bufs', size: { kind: 'fixed', bytes: 4096 }, pointerFields: 0 }] },
    );

  it('counts every Get as a hit by source or a miss, and misses only a few times when every object is Put back', () => {
    const { cycles } = run(pooled(), { procs: 4, durationNs: 300e6 });

    expect(cycles.length).toBeGreaterThan(2);
    for (const c of cycles) {
      expect(c.poolGets).toBe(
        c.poolHitsPrivate! + c.poolHitsShared! + c.poolHitsStolen! + c.poolHitsVictim! + c.poolMisses!,
      );
    }
    expect(sum(cycles, 'poolMisses')).toBeLessThan(sum(cycles, 'poolGets') * 0.05);
    expect(sum(cycles, 'poolHitsPrivate')).toBeGreaterThan(sum(cycles, 'poolGets') * 0.5);
  });

  it('misses (calls New) for the objects that are not Put back', () => {
    const { cycles } = run(pooled({}, 50), { procs: 4 });

    const missRate = sum(cycles, 'poolMisses') / sum(cycles, 'poolGets');
    expect(missRate).toBeGreaterThan(0.4);
    expect(missRate).toBeLessThan(0.6);
  });

  it('keeps pooled objects alive until a GC drops them with the victim cache', () => {
    let pooledSurvived = true;
    const sim = createSimulation(config(pooled({}, 90), { procs: 4, durationNs: 300e6 }), {
      observer: {
        cycleEnd: ({ heap, roots, pools }) => {
          for (const slot of pools[0]!.slots()) pooledSurvived &&= heap.isAllocated(roots.slots[slot]!);
        },
      },
    });

    const { cycles } = sim.advance(Infinity);

    expect(pooledSurvived).toBe(true);
    expect(cycles.length).toBeGreaterThan(2);
  });

  it('drops at GC the objects nobody took from the victim cache', () => {
    const s = scenario(
      [
        kind({
          allocBytesPerSec: 0,
          sites: [{ name: 'get', weight: 0, pool: 'p', lifetime: { kind: 'young' } }],
          script: [{ op: 'get', pool: 'p', count: 10 }, { op: 'put', pool: 'p' }, { op: 'gc' }, { op: 'gc' }],
        }),
      ],
      { pools: [{ name: 'p', size: { kind: 'fixed', bytes: 64 }, pointerFields: 0 }] },
    );

    const { cycles } = run(s, { durationNs: 1e6 });

    expect(cycles.map((c) => [c.poolMisses, c.poolPuts, c.poolDropped, c.liveObjects])).toEqual([
      [10, 10, 0, 10],
      [0, 0, 10, 0],
    ]);
  });

  it('reports no pool counters for a scenario without pools', () => {
    const { cycles } = run(scenario([kind()]));

    expect(cycles.every((c) => c.poolGets === null && c.poolDropped === null)).toBe(true);
  });
});

describe('allocator details in the simulation', () => {
  it('counts tiny allocations for small noscan objects and charges each 16 B block once', () => {
    const s = scenario([kind({ sites: [site({ size: { kind: 'fixed', bytes: 8 } })] })]);

    const { cycles } = run(s);

    for (const c of cycles.slice(1)) expect(c.tinyAllocations! / c.heapAllocations!).toBeCloseTo(0.5, 2);
  });

  it('returns free pages to the OS in the background, and all of them on FreeOSMemory', () => {
    const s = scenario(
      [
        kind({
          allocBytesPerSec: 16 * 2 ** 30,
          sites: [
            site({
              weight: 0,
              size: { kind: 'fixed', bytes: MiB },
              lifetime: { kind: 'batch', objects: 64 },
            }),
          ],
          script: [
            { op: 'alloc', site: 's0', count: 64 },
            { op: 'gc' },
            { op: 'gc' },
            { op: 'sleep', ms: 5 },
            { op: 'freeOSMemory' },
          ],
        }),
      ],
      { durationMs: 10 },
    );
    let end: HeapView | undefined;
    const sim = createSimulation(config(s), { observer: { cycleEnd: (v) => (end = v) } });

    const { cycles } = sim.advance(Infinity);

    const last = cycles.at(-1)!;
    expect(last.trigger).toBe('forced');
    expect(end!.heap.pages.heapReleasedBytes).toBe(end!.heap.pages.heapIdleBytes);
    expect(end!.heap.pages.heapReleasedBytes).toBeGreaterThanOrEqual(64 * MiB);
  });
});

describe('workload features', () => {
  it('calls runtime.GC() every everyBytes a goroutine requests', () => {
    const s = scenario([kind({ runtimeGC: { everyBytes: 2 * MiB }, totalBytes: 8 * MiB })]);

    const { cycles } = run(s);

    expect(cycles.filter((c) => c.trigger === 'forced')).toHaveLength(4);
  });

  it('stops a kind once it has requested totalBytes', () => {
    const s = scenario([kind({ totalBytes: 3 * MiB })]);

    const { view } = run(s);

    expect(view.heap.totalRequestedBytes).toBeGreaterThanOrEqual(3 * MiB);
    expect(view.heap.totalRequestedBytes).toBeLessThan(3 * MiB + 2048);
  });

  it('idles while a phase factor is 0: half the time idle allocates half the bytes', () => {
    const busy = run(scenario([kind({ count: 2 })]));
    const bursty = run(
      scenario([kind({ count: 2, phases: [{ kind: 'step', ms: 10, factors: [1, 0] }], repeatPhases: true })]),
    );

    const ratio = bursty.view.heap.totalRequestedBytes / busy.view.heap.totalRequestedBytes;
    expect(ratio).toBeGreaterThan(0.45);
    expect(ratio).toBeLessThan(0.55);
  });

  it('keeps held objects alive for their time, then drops them', () => {
    const rate = 128 * MiB;
    const s = scenario(
      [kind({ allocBytesPerSec: rate, sites: [site({ lifetime: { kind: 'held', ms: 2 } })] })],
      {
        durationMs: 100,
      },
    );

    const { cycles } = run(s);

    for (const c of cycles.slice(2)) {
      expect(c.heapMarkedBytes).toBeGreaterThan(0.8 * rate * 0.002);
      expect(c.heapMarkedBytes).toBeLessThan(1.3 * rate * 0.002);
    }
  });

  it('builds lists, trees and cycles node by node and keeps the whole structure with its head', () => {
    const keep = (structure: ObjectSite['structure']) =>
      run(
        scenario([
          kind({
            sites: [
              site({
                size: { kind: 'fixed', bytes: 64 },
                pointerFields: 2,
                structure,
                lifetime: { kind: 'ring', slots: 10, prefill: true },
              }),
              site({ weight: 9 }),
            ],
          }),
        ]),
      ).cycles.at(-1)!.liveObjects;

    expect(keep({ kind: 'list', nodes: 5 })).toBeGreaterThanOrEqual(10 * 5 + 1);
    expect(keep({ kind: 'cycle', nodes: 7 })).toBeGreaterThanOrEqual(10 * 7 + 1);
    expect(keep({ kind: 'tree', fanout: 2, depth: 3 })).toBeGreaterThanOrEqual(10 * 15 + 1);
    expect(keep({ kind: 'list', nodes: 5 })).toBeLessThan(10 * 5 + 10);
  });

  it('drops a batch whole once it holds its objects', () => {
    const s = scenario([
      kind({
        sites: [site({ size: { kind: 'fixed', bytes: 4096 }, lifetime: { kind: 'batch', objects: 1000 } })],
      }),
    ]);

    const { cycles } = run(s, { durationNs: 200e6 });

    for (const c of cycles.slice(1)) {
      expect(c.heapMarkedBytes).toBeLessThanOrEqual(1001 * 4096 + 8192);
    }
    expect(Math.max(...cycles.map((c) => c.heapMarkedBytes))).toBeGreaterThan(500 * 4096);
  });
});

describe('the runtime model under random scenarios', () => {
  it('never frees a reachable object, frees every unreachable one, and keeps every accounting identity', () => {
    let checkedCycles = 0;
    fc.assert(
      fc.property(
        fc.array(kindArbitrary, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(25, 50, 100),
        fc.integer({ min: 1, max: 4 }),
        fc.nat({ max: 0xffff_ffff }),
        (kinds, gogc, procs, seed) => {
          const s = scenario(kinds, { pools: MIXED_POOLS, durationMs: 15 });
          const problems: string[] = [];
          let reachable = new Set<number>();
          let before: number[] = [];
          const sim = createSimulation(config(s, { gogc, procs, seed }), {
            snapshots: { everyCycles: 0 },
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
                problems.push(...accountingViolations(heap).map((p) => `cycle ${record.seq}: ${p}`));
                const hits =
                  record.poolHitsPrivate! +
                  record.poolHitsShared! +
                  record.poolHitsStolen! +
                  record.poolHitsVictim!;
                if (record.poolGets !== hits + record.poolMisses!)
                  problems.push(`cycle ${record.seq}: pool counts`);
              },
            },
          });

          sim.advance(Infinity);

          expect(problems).toEqual([]);
        },
      ),
      { numRuns: 30 },
    );
    expect(checkedCycles).toBeGreaterThan(60);
  }, 60_000);

  it('replays bit for bit from its config and seed, snapshots included, and differs for another seed', () => {
    fc.assert(
      fc.property(fc.array(kindArbitrary, { minLength: 1, maxLength: 2 }), (kinds) => {
        const s = scenario(kinds, { pools: MIXED_POOLS, durationMs: 10 });
        const first = createSimulation(config(s)).advance(Infinity);
        const split = createSimulation(config(s));
        const again: SimulationOutput = { cycles: [], samples: [], snapshots: [] };
        for (let t = 0; !split.done; t += 777_777) {
          const out = split.advance(t);
          again.cycles.push(...out.cycles);
          again.samples.push(...out.samples);
          again.snapshots.push(...out.snapshots);
        }
        expect(again).toEqual(first);
      }),
      { numRuns: 10 },
    );
    const s = scenario([
      kind({ sites: [site({ size: { kind: 'uniform', minBytes: 10, maxBytes: 3000 } })] }),
    ]);
    expect(run(s, { seed: 2 }).cycles).not.toEqual(run(s, { seed: 3 }).cycles);
  });
});
