import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_MODEL } from '../cost-model';
import { Heap, NIL } from '../heap';
import type { CycleRecord } from '../record';
import { Roots } from '../roots';
import type { Scenario } from '../scenario';
import { createSimulation } from '../simulation';
import { testCollectorContext } from '../testing/context';
import { accountingViolations, allocatedObjects, reachableObjects } from '../testing/oracle';
import { RefcountCollector } from './refcount';

const UPDATE_NS = DEFAULT_COST_MODEL.refcountUpdateNs;
const FREE_NS = DEFAULT_COST_MODEL.refcountFreeNs;

function setup(cycleCollector = false, procs = 2, goroutines = 3) {
  const heap = new Heap(procs);
  const roots = new Roots(goroutines, 4096);
  const collector = new RefcountCollector(
    testCollectorContext(heap, roots, { procs, options: { cycleCollector } }),
  );
  return { heap, roots, collector };
}

type Setup = ReturnType<typeof setup>;

/** malloc as the driver does it: the fresh object is stored at once. */
function allocInto(s: Setup, slot: number, sizeBytes = 64, pointerFields = 2): number {
  const id = s.heap.malloc(sizeBytes, pointerFields, 0, 0);
  s.collector.afterMalloc();
  s.collector.writeRoot(slot, id);
  return id;
}

/** A ring of `nodes` objects hanging off root `slot`. */
function ringAt(s: Setup, slot: number, nodes: number): number[] {
  const ids = [allocInto(s, slot)];
  for (let i = 1; i < nodes; i++) {
    const id = s.heap.malloc(64, 2, 0, 0);
    s.collector.writePointer(ids[i - 1]!, 0, id);
    ids.push(id);
  }
  s.collector.writePointer(ids[nodes - 1]!, 0, ids[0]!);
  return ids;
}

function cycle(s: Setup) {
  return s.collector.startCycle({ startNs: 0, trigger: 'heap' }).finished!;
}

describe('RefcountCollector', () => {
  it('frees an object at once when a pointer store drops its last reference', () => {
    const s = setup();
    const parent = allocInto(s, 0);
    const child = s.heap.malloc(64, 0, 0, 0);
    s.collector.writePointer(parent, 1, child);

    s.collector.writePointer(parent, 1, NIL);

    expect(s.heap.isAllocated(child)).toBe(false);
    expect(s.heap.isAllocated(parent)).toBe(true);
    expect(cycle(s).refcountFrees).toBe(1);
  });

  it('releases an object a root store left at zero at the next hook, so it can pass between root slots', () => {
    const s = setup();
    const id = allocInto(s, 0);

    s.collector.writeRoot(0, NIL);
    const survivedHandover = s.heap.isAllocated(id);
    s.collector.writeRoot(1, id);
    s.collector.writeRoot(1, NIL);
    s.collector.writeRoot(2, NIL);

    expect(survivedHandover).toBe(true);
    expect(s.heap.isAllocated(id)).toBe(false);
    expect(accountingViolations(s.heap)).toEqual([]);
  });

  it('frees a list of 200 000 nodes in one cascade and records its length and time', () => {
    const s = setup();
    const n = 200_000;
    let tail = allocInto(s, 0, 16, 1);
    for (let i = 1; i < n; i++) {
      const next = s.heap.malloc(16, 1, 0, 0);
      s.collector.writePointer(tail, 0, next);
      tail = next;
    }

    s.collector.writeRoot(0, NIL);
    const releasingNs = s.collector.writeRoot(1, NIL);
    const result = cycle(s);

    expect(s.heap.liveObjects).toBe(0);
    expect(result.cascadeMaxObjects).toBe(n);
    expect(result.cascadeMaxNs).toBe(n * FREE_NS + (n - 1) * UPDATE_NS);
    expect(releasingNs).toBe(result.cascadeMaxNs);
    expect(result.refcountFrees).toBe(n);
    expect(accountingViolations(s.heap)).toEqual([]);
  });

  it('frees a tiny block only when no sub-object is referenced', () => {
    const s = setup();
    const first = allocInto(s, 0, 8, 0);
    const second = allocInto(s, 1, 4, 0);

    s.collector.writeRoot(0, NIL);
    s.collector.writeRoot(2, NIL);
    const keptBySecond = s.heap.isAllocated(first);
    s.collector.writeRoot(1, NIL);
    s.collector.writeRoot(2, NIL);

    expect(second).toBe(first);
    expect(keptBySecond).toBe(true);
    expect(s.heap.isAllocated(first)).toBe(false);
  });

  it('leaks an unreachable cycle without the cycle collector, and reports its objects and bytes', () => {
    const s = setup();
    const ring = ringAt(s, 0, 3);

    s.collector.writeRoot(0, NIL);
    const result = cycle(s);

    expect(ring.every((id) => s.heap.isAllocated(id))).toBe(true);
    expect(result.leakedObjects).toBe(3);
    expect(result.leakedBytes).toBe(3 * 64);
    expect(result.objectsFreed).toBe(0);
  });

  it('reclaims unreachable cycles with the cycle collector on, and frees nothing reachable', () => {
    const s = setup(true);
    const garbage = ringAt(s, 0, 4);
    const live = ringAt(s, 1, 3);
    const shared = allocInto(s, 2, 64, 0);
    s.collector.writePointer(garbage[2]!, 1, shared);
    s.collector.writePointer(live[1]!, 1, garbage[0]!);
    s.collector.writePointer(live[1]!, 1, NIL);

    s.collector.writeRoot(0, NIL);
    const result = cycle(s);

    expect(garbage.some((id) => s.heap.isAllocated(id))).toBe(false);
    expect([...live, shared].every((id) => s.heap.isAllocated(id))).toBe(true);
    expect(live.map((id) => s.collector.referenceCount(id))).toEqual([2, 1, 1]);
    expect(s.collector.referenceCount(shared)).toBe(1);
    expect(result.leakedObjects).toBe(0);
    expect(result.objectsFreed).toBe(4);
    expect(result.markNs).toBeGreaterThan(0);
    expect(accountingViolations(s.heap)).toEqual([]);
  });

  it('charges every count update and free to the store that made it, and reports them as assist CPU', () => {
    const s = setup(false, 4);
    const a = allocInto(s, 0);
    const b = s.heap.malloc(64, 0, 0, 0);

    const linkNs = s.collector.writePointer(a, 0, b);
    const unlinkNs = s.collector.writePointer(a, 0, NIL);
    const result = cycle(s);

    expect(linkNs).toBe(UPDATE_NS);
    expect(unlinkNs).toBe(UPDATE_NS + FREE_NS);
    expect(result.assistCpuNs).toBe(UPDATE_NS + linkNs + unlinkNs);
    expect(result.gcCpuNs).toBe(result.pauseNs * 4 + result.assistCpuNs);
  });

  it('without the cycle collector, pauses only to stop and start the world', () => {
    const s = setup();
    allocInto(s, 0, 1024, 0);

    const step = s.collector.startCycle({ startNs: 100, trigger: 'heap', sweepTermWorkNs: 70 });
    const result = step.finished!;

    expect(result.pauseNs).toBe(DEFAULT_COST_MODEL.stopTheWorldNs + 70 + DEFAULT_COST_MODEL.startTheWorldNs);
    expect(step.stopTheWorldNs).toBe(result.pauseNs);
    expect(result.pauses).toEqual([{ startNs: 100, durationNs: result.pauseNs }]);
    expect(s.collector.cycleRunning).toBe(false);
  });

  it('resets heapLive to the slot bytes of the allocated objects, which is also heapMarked', () => {
    const s = setup();
    allocInto(s, 0, 1024, 0);
    allocInto(s, 1, 40_000, 0);

    const result = cycle(s);

    expect(result.heapEndBytes).toBe(8192 + 40_960);
    expect(result.heapMarkedBytes).toBe(1024 + 40_960);
    expect(s.heap.heapLiveBytes).toBe(1024 + 40_960);
  });

  it('returns a span emptied while an mcache held it to mheap at the next cycle', () => {
    const s = setup();
    allocInto(s, 0, 1024, 0);
    s.collector.writeRoot(0, NIL);
    s.collector.writeRoot(1, NIL);

    const result = cycle(s);

    expect(result.spansFreed).toBe(1);
    expect(s.heap.heapInUseBytes).toBe(0);
    expect(accountingViolations(s.heap)).toEqual([]);
  });
});

type Op =
  | { kind: 'malloc'; sizeBytes: number; pointerFields: number; p: number; slot: number }
  | { kind: 'link'; from: number; field: number; to: number }
  | { kind: 'unlink'; from: number; field: number }
  | { kind: 'root'; slot: number; to: number }
  | { kind: 'cycle' };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('malloc' as const),
      sizeBytes: fc.oneof(fc.integer({ min: 1, max: 512 }), fc.integer({ min: 8, max: 50_000 })),
      pointerFields: fc.nat({ max: 4 }),
      p: fc.nat({ max: 1 }),
      slot: fc.nat(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('link' as const),
      from: fc.nat(),
      field: fc.nat(),
      to: fc.nat(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('unlink' as const), from: fc.nat(), field: fc.nat() }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('root' as const), slot: fc.nat(), to: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cycle' as const) }) },
);

/** Root slots and pointer fields of allocated objects that hold each id. */
function trueReferences(heap: Heap, roots: Roots): Map<number, number> {
  const references = new Map<number, number>();
  const add = (id: number): void => {
    if (id !== NIL) references.set(id, (references.get(id) ?? 0) + 1);
  };
  for (let slot = 0; slot < roots.count; slot++) add(roots.slots[slot]!);
  for (const id of allocatedObjects(heap)) {
    for (let field = 0; field < heap.pointerCount(id); field++) add(heap.getPointer(id, field));
  }
  return references;
}

function objectsInHand(heap: Heap, roots: Roots, deferred: number): number[] {
  const reachable = reachableObjects(heap, roots);
  if (deferred !== NIL && heap.isAllocated(deferred)) reachable.add(deferred);
  return [...reachable].sort((a, b) => a - b);
}

function runOps(ops: Op[], cycleCollector: boolean): void {
  const s = setup(cycleCollector);
  const { heap, roots, collector } = s;
  for (let i = 0; i < 2; i++) roots.addGlobal();
  // The object the last root store left at zero, in the mutator's hand until the next hook.
  let deferred = NIL;
  const leftAtZero = (id: number): number =>
    id !== NIL && heap.isAllocated(id) && collector.referenceCount(id) === 0 ? id : NIL;

  for (const op of [...ops, { kind: 'cycle' } as const]) {
    // A program stores only into and to objects it can reach (or holds in hand); the cycle
    // collector relies on that. Counting alone must stay exact whatever the stores touch.
    const live = cycleCollector ? objectsInHand(heap, roots, deferred) : allocatedObjects(heap);
    const pointerful = live.filter((id) => heap.pointerCount(id) > 0);
    switch (op.kind) {
      case 'malloc': {
        const slot = op.slot % roots.count;
        const old = roots.slots[slot]!;
        const id = heap.malloc(op.sizeBytes, Math.min(op.pointerFields, op.sizeBytes >> 3), op.p, 0);
        collector.afterMalloc();
        collector.writeRoot(slot, id);
        deferred = leftAtZero(old);
        break;
      }
      case 'link':
        if (pointerful.length > 0 && live.length > 0) {
          const from = pointerful[op.from % pointerful.length]!;
          collector.writePointer(from, op.field % heap.pointerCount(from), live[op.to % live.length]!);
          deferred = NIL;
        }
        break;
      case 'unlink':
        if (pointerful.length > 0) {
          const from = pointerful[op.from % pointerful.length]!;
          collector.writePointer(from, op.field % heap.pointerCount(from), NIL);
          deferred = NIL;
        }
        break;
      case 'root': {
        const slot = op.slot % roots.count;
        const old = roots.slots[slot]!;
        collector.writeRoot(slot, live.length > 0 ? live[op.to % live.length]! : NIL);
        deferred = leftAtZero(old);
        break;
      }
      case 'cycle': {
        const result = cycle(s);
        deferred = NIL;
        const allocated = allocatedObjects(heap);
        const reachable = reachableObjects(heap, roots);
        expect(result.leakedObjects).toBe(allocated.length - reachable.size);
        if (cycleCollector) expect(result.leakedObjects).toBe(0);
        break;
      }
    }

    const allocated = new Set(allocatedObjects(heap));
    const reachable = reachableObjects(heap, roots);
    for (const id of reachable) expect(allocated.has(id)).toBe(true);
    const references = trueReferences(heap, roots);
    for (const id of references.keys()) expect(allocated.has(id)).toBe(true);
    for (const id of allocated) {
      expect(collector.referenceCount(id)).toBe(references.get(id) ?? 0);
      // Unreachable and referenced by nothing: acyclic garbage, which must be gone by now.
      if (!reachable.has(id) && !references.has(id)) expect(id).toBe(deferred);
    }
    expect(accountingViolations(heap)).toEqual([]);
  }
}

describe('RefcountCollector on random object graphs', () => {
  it('never frees a reachable object, frees acyclic garbage at once, and keeps counts exact', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { maxLength: 250 }), (ops) => runOps(ops, false)),
      { numRuns: 200 },
    );
  });

  it('with the cycle collector on, also leaves nothing unreachable after a cycle', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { maxLength: 250 }), (ops) => runOps(ops, true)),
      { numRuns: 200 },
    );
  });
});

function preset(name: string): Scenario {
  const path = fileURLToPath(new URL(`../../../resources/scenarios/${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as Scenario;
}

const PRESETS = [
  'steady',
  'go-churn',
  'pointer-trees',
  'pool-buffers',
  'cyclic-garbage',
  'bursty-batches',
  'deep-stacks',
  'leak',
  'cache-churn',
  'go-stacks',
  'go-pool',
  'go-scav',
  'go-sizes',
  'go-escape',
];

function runRefcount(name: string, cycleCollector: boolean, maxMs: number) {
  const scenario = preset(name);
  const violations: string[] = [];
  const simulation = createSimulation(
    {
      scenario,
      collector: 'refcount',
      gogc: 100,
      procs: 4,
      seed: 1,
      durationNs: Math.min(scenario.durationMs, maxMs) * 1e6,
      collectorOptions: { cycleCollector },
    },
    {
      snapshots: { everyCycles: 1_000_000 },
      observer: {
        cycleEnd: (view, record) => {
          for (const v of accountingViolations(view.heap)) violations.push(`cycle ${record.seq}: ${v}`);
        },
      },
    },
  );
  const cycles: CycleRecord[] = simulation.advance(Infinity).cycles;
  return { cycles, violations, simulation };
}

describe('refcount in the simulation', () => {
  it.each(PRESETS)('runs %s with consistent heap accounting at every cycle end', (name) => {
    const { cycles, violations, simulation } = runRefcount(name, false, 120);

    expect(simulation.done).toBe(true);
    expect(violations).toEqual([]);
    for (const c of cycles) {
      expect(c.refcountFrees!).toBeLessThanOrEqual(c.objectsFreed!);
      expect(c.heapMarkedBytes).toBeLessThanOrEqual(c.heapEndBytes);
      expect(c.writeBarrierHits).toBeNull();
    }
  });

  it('leaks cyclic-garbage’s dead rings without the cycle collector: leakedBytes grows every cycle', () => {
    const { cycles } = runRefcount('cyclic-garbage', false, 250);
    const leaked = cycles.map((c) => c.leakedBytes!);

    expect(cycles.length).toBeGreaterThanOrEqual(3);
    expect(leaked[0]).toBeGreaterThan(0);
    for (let i = 1; i < leaked.length; i++) expect(leaked[i]).toBeGreaterThan(leaked[i - 1]!);
  });

  it('reclaims cyclic-garbage’s dead rings with the cycle collector on', () => {
    const { cycles, violations } = runRefcount('cyclic-garbage', true, 250);

    expect(cycles.length).toBeGreaterThanOrEqual(3);
    expect(cycles.map((c) => c.leakedBytes)).toEqual(cycles.map(() => 0));
    expect(cycles.every((c) => c.objectsFreed! > 0 && c.markNs > 0)).toBe(true);
    expect(violations).toEqual([]);
  });
});

describe('RefcountCollector regressions found by the properties', () => {
  it("frees a P's current tiny block without handing its space to the next tiny object", () => {
    // The block holding slot 0's 1-byte object is freed once slot 0 moves on; P 1's next tiny
    // request must start a new block, not a sub-object of the freed one.
    runOps(
      [
        { kind: 'malloc', sizeBytes: 1, pointerFields: 0, p: 1, slot: 0 },
        { kind: 'malloc', sizeBytes: 8, pointerFields: 1, p: 0, slot: 0 },
        { kind: 'unlink', from: 0, field: 0 },
        { kind: 'malloc', sizeBytes: 1, pointerFields: 0, p: 1, slot: 0 },
      ] as Op[],
      true,
    );
  });
});
