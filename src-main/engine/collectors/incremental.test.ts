import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_MODEL } from '../cost-model';
import { Heap, NIL } from '../heap';
import type { CycleRecord } from '../record';
import { GLOBAL, Roots } from '../roots';
import type { Scenario } from '../scenario';
import { createSimulation } from '../simulation';
import { testCollectorContext } from '../testing/context';
import { accountingViolations, allocatedObjects, reachableObjects } from '../testing/oracle';
import type { BarrierName, CycleResult } from './collector';
import { IncrementalCollector, MARK_SLICE_NS, MARK_UTILIZATION } from './incremental';

const cost = DEFAULT_COST_MODEL;
const HANDSHAKE_NS = cost.stopTheWorldNs + cost.startTheWorldNs;
const BARRIERS: BarrierName[] = ['dijkstra', 'yuasa'];

function setup(
  barrier: BarrierName,
  sliceNs = MARK_SLICE_NS,
  o: { procs?: number; busyProcs?: number } = {},
) {
  const procs = o.procs ?? 2;
  const heap = new Heap(procs);
  const roots = new Roots(3, 4096);
  const context = testCollectorContext(heap, roots, { procs, busyProcs: o.busyProcs, options: { barrier } });
  const collector = new IncrementalCollector(context, sliceNs);
  return { heap, roots, collector };
}

/** Steps the collector at its own times until the cycle ends. */
function finishCycle(collector: IncrementalCollector): CycleResult {
  for (;;) {
    const step = collector.step(collector.nextStepNs);
    if (step.finished !== null) return step.finished;
  }
}

/** The marker keeps its grey stack private; the invariant checks below read it (tests only). */
function greyObjects(collector: IncrementalCollector): Set<number> {
  const marker = collector.marker as unknown as { grey: Int32Array; greyTop: number };
  return new Set(marker.grey.subarray(0, marker.greyTop));
}

function colour(collector: IncrementalCollector, heap: Heap, id: number): 'white' | 'grey' | 'black' {
  if (heap.objectMark[id] === 0) return 'white';
  return greyObjects(collector).has(id) ? 'grey' : 'black';
}

function children(heap: Heap, object: number): number[] {
  const out: number[] = [];
  for (let field = 0; field < heap.pointerCount(object); field++) {
    const target = heap.getPointer(object, field);
    if (target !== NIL) out.push(target);
  }
  return out;
}

/** Black → white edges: from black heap objects, and from `blackRoots` root slots. */
function blackToWhite(heap: Heap, roots: Roots, grey: Set<number>, blackRoots: (slot: number) => boolean) {
  const white = (id: number) => heap.objectMark[id] === 0;
  const edges: [string, number][] = [];
  for (const id of allocatedObjects(heap)) {
    if (white(id) || grey.has(id)) continue;
    for (const target of children(heap, id)) if (white(target)) edges.push([`object ${id}`, target]);
  }
  for (let slot = 0; slot < roots.count; slot++) {
    const target = roots.slots[slot]!;
    if (target !== NIL && blackRoots(slot) && white(target)) edges.push([`root ${slot}`, target]);
  }
  return edges;
}

/** Strong tri-color invariant: no black object (or scanned global) points to a white one. */
function strongViolations(collector: IncrementalCollector, heap: Heap, roots: Roots): string[] {
  const globalsScanned = collector.marker.rootsDone;
  const edges = blackToWhite(heap, roots, greyObjects(collector), (slot) => {
    return globalsScanned && roots.slotOwner[slot] === GLOBAL;
  });
  return edges.map(([from, to]) => `${from} → white ${to}`);
}

/**
 * Weak tri-color invariant: every white object a black one (or a root: Yuasa scans them all first)
 * points to is reachable from a grey object through white objects.
 */
function weakViolations(collector: IncrementalCollector, heap: Heap, roots: Roots): string[] {
  const grey = greyObjects(collector);
  const protectedWhite = new Set<number>();
  const queue = [...grey];
  while (queue.length > 0) {
    for (const target of children(heap, queue.pop()!)) {
      if (heap.objectMark[target] === 0 && !protectedWhite.has(target)) {
        protectedWhite.add(target);
        queue.push(target);
      }
    }
  }
  return blackToWhite(heap, roots, grey, () => true)
    .filter(([, to]) => !protectedWhite.has(to))
    .map(([from, to]) => `${from} → unprotected white ${to}`);
}

/**
 * The classic lost object: A (black) and B (grey) are reachable, C (white) only through B. Between
 * slices the program stores C into A and deletes B → C.
 */
function hideObjectFromMarking(barrier: BarrierName) {
  const { heap, roots, collector } = setup(barrier, 1);
  const a = heap.malloc(64, 2, 0, 0);
  const b = heap.malloc(64, 1, 0, 0);
  const c = heap.malloc(64, 0, 0, 0);
  collector.writeRoot(roots.addGlobal(), a);
  collector.writePointer(a, 0, b);
  collector.writePointer(b, 0, c);
  collector.startCycle({ startNs: 0, trigger: 'heap' });
  while (heap.objectMark[b] === 0) collector.step(collector.nextStepNs);
  const colours = [a, b, c].map((id) => colour(collector, heap, id));

  collector.writePointer(a, 1, c);
  collector.writePointer(b, 0, NIL);
  const result = finishCycle(collector);
  collector.finishSweep();

  return { heap, roots, c, colours, result };
}

describe('IncrementalCollector: the lost object', () => {
  it('sets up A black, B grey and C white before the program moves C', () => {
    const { colours } = hideObjectFromMarking('none');

    expect(colours).toEqual(['black', 'grey', 'white']);
  });

  it('frees C while it is still reachable when marking runs without a barrier', () => {
    const { heap, roots, c } = hideObjectFromMarking('none');

    expect(reachableObjects(heap, roots).has(c)).toBe(true);
    expect(heap.isAllocated(c)).toBe(false);
  });

  it('keeps C under the Dijkstra barrier, which shades it as it is stored into A', () => {
    const { heap, c, result } = hideObjectFromMarking('dijkstra');

    expect(heap.isAllocated(c)).toBe(true);
    expect(result.writeBarrierShades).toBe(1);
  });

  it('keeps C under the Yuasa barrier, which shades it as B → C is deleted', () => {
    const { heap, c, result } = hideObjectFromMarking('yuasa');

    expect(heap.isAllocated(c)).toBe(true);
    expect(result.writeBarrierShades).toBe(1);
  });
});

describe('IncrementalCollector: stacks have no barrier', () => {
  /** After every stack is scanned, C moves from the heap (B → C) into goroutine 0's stack. */
  function moveIntoScannedStack(barrier: BarrierName) {
    const { heap, roots, collector } = setup(barrier, 1);
    const b = heap.malloc(64, 1, 0, 0);
    const c = heap.malloc(64, 0, 0, 0);
    collector.writeRoot(roots.addGlobal(), b);
    collector.writePointer(b, 0, c);
    collector.startCycle({ startNs: 0, trigger: 'heap' });
    while (!collector.marker.rootsDone) collector.step(collector.nextStepNs);
    const stackWriteNs = collector.writeRoot(0, c);
    collector.writePointer(b, 0, NIL);
    const result = finishCycle(collector);
    collector.finishSweep();
    return { heap, c, result, stackWriteNs };
  }

  it('costs nothing to store into a stack slot during a cycle', () => {
    expect(moveIntoScannedStack('dijkstra').stackWriteNs).toBe(0);
    expect(moveIntoScannedStack('yuasa').stackWriteNs).toBe(0);
  });

  it('Dijkstra finds the object again by rescanning every root in the termination pause', () => {
    const { heap, c, result } = moveIntoScannedStack('dijkstra');

    expect(heap.isAllocated(c)).toBe(true);
    expect(result.writeBarrierShades).toBe(0);
    expect(result.markTermNs).toBeGreaterThan(HANDSHAKE_NS + 3 * cost.rootJobNs);
  });

  it('Yuasa keeps the object by shading the deleted pointer, and has nothing to rescan', () => {
    const { heap, c, result } = moveIntoScannedStack('yuasa');

    expect(heap.isAllocated(c)).toBe(true);
    expect(result.writeBarrierShades).toBe(1);
    expect(result.markTermNs).toBe(HANDSHAKE_NS);
  });
});

describe('IncrementalCollector: slices and pauses', () => {
  function bigHeap(barrier: BarrierName) {
    const { heap, roots, collector } = setup(barrier, MARK_SLICE_NS, { procs: 4 });
    const chain = Array.from({ length: 4000 }, () => heap.malloc(1024, 1, 0, 0));
    chain.forEach((id, i) => i > 0 && collector.writePointer(chain[i - 1]!, 0, id));
    Array.from({ length: 2000 }, () => heap.malloc(512, 0, 1, 0));
    collector.writeRoot(0, chain[0]!);
    collector.writeRoot(roots.addGlobal(), chain[2000]!);
    return { heap, roots, collector };
  }

  it.each(BARRIERS)(
    '%s: cuts the mark into slices of at most the slice budget plus one unit of work',
    (barrier) => {
      const { collector } = bigHeap(barrier);
      const first = collector.startCycle({ startNs: 1000, trigger: 'heap' });

      const result = finishCycle(collector);

      const slices = result.pauses.slice(1, -1);
      expect(slices.length).toBeGreaterThan(5);
      for (const slice of slices)
        expect(slice.durationNs).toBeLessThanOrEqual(HANDSHAKE_NS + MARK_SLICE_NS + 2000);
      expect(result.pauses[0]).toEqual({ startNs: 1000, durationNs: first.stopTheWorldNs });
      expect(result.sweepTermNs).toBe(first.stopTheWorldNs);
      expect(result.pauses.at(-1)!.durationNs).toBe(result.markTermNs);
    },
  );

  it.each(BARRIERS)('%s: lets the program run three times each pause before the next one', (barrier) => {
    const { collector } = bigHeap(barrier);
    collector.startCycle({ startNs: 0, trigger: 'heap' });

    const { pauses } = finishCycle(collector);

    for (let i = 1; i < pauses.length; i++) {
      const previous = pauses[i - 1]!;
      const gapNs = pauses[i]!.startNs - (previous.startNs + previous.durationNs);
      expect(gapNs / previous.durationNs).toBeCloseTo((1 - MARK_UTILIZATION) / MARK_UTILIZATION, 2);
    }
  });

  it.each(BARRIERS)(
    '%s: counts every pause as GC CPU on every P and times the phases between them',
    (barrier) => {
      const { collector } = bigHeap(barrier);
      collector.startCycle({ startNs: 0, trigger: 'heap' });

      const result = finishCycle(collector);

      const sum = result.pauses.reduce((s, p) => s + p.durationNs, 0);
      expect(result.pauseNs).toBe(sum);
      expect(result.gcCpuNs).toBe(sum * 4);
      expect(result.markNs).toBe(result.pauses.at(-1)!.startNs - result.sweepTermNs);
      expect([result.assistCpuNs, result.backgroundCpuNs, result.idleCpuNs]).toEqual([0, 0, 0]);
      expect(result.markUtilization).toBe(0);
    },
  );

  it('Yuasa scans every root inside the first pause; Dijkstra leaves them to the slices', () => {
    const yuasa = bigHeap('yuasa');
    const dijkstra = bigHeap('dijkstra');

    const yuasaStart = yuasa.collector.startCycle({ startNs: 0, trigger: 'heap' });
    const dijkstraStart = dijkstra.collector.startCycle({ startNs: 0, trigger: 'heap' });

    expect(yuasa.collector.marker.rootsDone).toBe(true);
    expect(dijkstra.collector.marker.rootsDone).toBe(false);
    expect(dijkstraStart.stopTheWorldNs).toBe(HANDSHAKE_NS);
    expect(yuasaStart.stopTheWorldNs).toBeGreaterThanOrEqual(HANDSHAKE_NS + 4 * cost.rootJobNs);
  });

  it('reports the stacks and globals scanned once, not the Dijkstra rescan', () => {
    const { roots, collector } = bigHeap('dijkstra');
    collector.startCycle({ startNs: 0, trigger: 'heap' });

    const result = finishCycle(collector);

    expect(result.stackScanBytes).toBe(roots.stacks.scanBytes);
    expect(result.globalsScanBytes).toBe(4096);
  });
});

describe('IncrementalCollector: the barrier', () => {
  it.each(BARRIERS)('%s: costs a heap or global store writeBarrierNs during a cycle only', (barrier) => {
    const { heap, roots, collector } = setup(barrier);
    const a = heap.malloc(64, 1, 0, 0);
    const global = roots.addGlobal();

    const before = [collector.writePointer(a, 0, a), collector.writeRoot(global, a)];
    collector.startCycle({ startNs: 0, trigger: 'heap' });
    const during = [collector.writePointer(a, 0, NIL), collector.writeRoot(global, NIL)];
    const result = finishCycle(collector);

    expect(before).toEqual([0, 0]);
    expect(during).toEqual([cost.writeBarrierNs, cost.writeBarrierNs]);
    expect(result.writeBarrierHits).toBe(2);
  });

  it('Dijkstra shades the pointer a store writes, Yuasa the one it overwrites', () => {
    const run = (barrier: BarrierName) => {
      const { heap, roots, collector } = setup(barrier);
      const a = heap.malloc(64, 2, 0, 0);
      const old = heap.malloc(64, 0, 0, 0);
      const next = heap.malloc(64, 0, 0, 0);
      collector.writeRoot(roots.addGlobal(), a);
      collector.writePointer(a, 0, old);
      collector.writePointer(a, 1, next);
      collector.startCycle({ startNs: 0, trigger: 'heap' });
      const before = [heap.objectMark[old], heap.objectMark[next]];
      collector.writePointer(a, 0, next);
      return { before, after: [heap.objectMark[old], heap.objectMark[next]] };
    };

    expect(run('dijkstra')).toEqual({ before: [0, 0], after: [0, 1] });
    expect(run('yuasa')).toEqual({ before: [0, 0], after: [1, 0] });
  });

  it('allocates black during a cycle and white outside one', () => {
    const { heap, collector } = setup('dijkstra');
    const before = heap.malloc(64, 0, 0, 0);
    collector.afterMalloc(before);
    collector.startCycle({ startNs: 0, trigger: 'heap' });
    const during = heap.malloc(64, 0, 0, 0);
    collector.afterMalloc(during);

    expect([heap.objectMark[before], heap.objectMark[during]]).toEqual([0, 1]);
  });
});

describe('IncrementalCollector: sweeping', () => {
  function afterGarbageCycle(busyProcs: number) {
    const { heap, collector } = setup('yuasa', MARK_SLICE_NS, { procs: 2, busyProcs });
    for (let i = 0; i < 3000; i++) heap.malloc(1024, 0, i % 2, 0);
    collector.startCycle({ startNs: 0, trigger: 'heap' });
    const result = finishCycle(collector);
    return { heap, collector, result };
  }

  it('frees the unmarked objects lazily and reports them at termination', () => {
    const { heap, collector, result } = afterGarbageCycle(2);

    expect(collector.sweepDone).toBe(false);
    expect(heap.liveObjects).toBe(3000);
    expect(collector.finishSweep()).toBe(Math.round(heap.sweepRound.spansSwept * cost.sweepSpanNs));
    expect([result.objectsFreed, result.bytesFreed, result.liveObjects]).toEqual([3000, 3000 * 1024, 0]);
    expect(heap.liveObjects).toBe(0);
    expect(accountingViolations(heap)).toEqual([]);
  });

  it('sweeps in the background with the Ps the program leaves idle', () => {
    const { heap, collector } = afterGarbageCycle(1);

    while (Number.isFinite(collector.nextStepNs)) collector.step(collector.nextStepNs);

    expect(collector.sweepDone).toBe(true);
    expect(heap.liveObjects).toBe(0);
  });

  it('does not sweep in the background while every P is busy', () => {
    const { heap, collector } = afterGarbageCycle(2);

    collector.step(collector.nextStepNs);
    collector.step(collector.nextStepNs);

    expect(heap.unsweptSpans).toBeGreaterThan(0);
  });
});

type Op =
  | { kind: 'malloc'; sizeBytes: number; pointerFields: number; g: number }
  | { kind: 'link'; from: number; field: number; to: number }
  | { kind: 'root'; slot: number; to: number }
  | { kind: 'move'; from: number; field: number; g: number }
  | { kind: 'gc' }
  | { kind: 'slice' };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('malloc' as const),
      sizeBytes: fc.oneof(fc.integer({ min: 16, max: 512 }), fc.integer({ min: 16, max: 50_000 })),
      pointerFields: fc.nat({ max: 4 }),
      g: fc.nat({ max: 2 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('link' as const),
      from: fc.nat(),
      field: fc.nat(),
      to: fc.nat(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('root' as const), slot: fc.nat(), to: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      from: fc.nat(),
      field: fc.nat(),
      g: fc.nat({ max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('gc' as const) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('slice' as const) }) },
);

/**
 * Runs `ops` as a program that only stores pointers it can reach (a target index past the
 * reachable objects stores nil), with cycles started by `gc` and advanced by `slice`, checking
 * after every op that no object reachable before it was freed. `check` runs after every op,
 * `cycleEnd` after every finished cycle; returns the objects the barrier shaded.
 */
function runProgram(
  barrier: BarrierName,
  sliceNs: number,
  ops: Op[],
  hooks: {
    check?: (collector: IncrementalCollector, heap: Heap, roots: Roots) => void;
    cycleEnd?: (heap: Heap, roots: Roots, garbageAtStart: number[]) => void;
  },
) {
  const { heap, roots, collector } = setup(barrier, sliceNs, { procs: 2, busyProcs: 1 });
  roots.addGlobal();
  roots.addGlobal();
  let nowNs = 0;
  let garbageAtStart: number[] = [];
  let barrierShades = 0;
  const pick = (ids: number[], i: number) =>
    i % (ids.length + 1) < ids.length ? ids[i % (ids.length + 1)]! : NIL;
  const step = () => {
    nowNs = Math.max(nowNs, collector.nextStepNs);
    const { stopTheWorldNs, finished } = collector.step(nowNs);
    nowNs += stopTheWorldNs;
    if (finished === null) return;
    barrierShades += finished.writeBarrierShades!;
    hooks.cycleEnd?.(heap, roots, garbageAtStart);
  };
  for (const op of [...ops, { kind: 'gc' } as const]) {
    const reachable = [...reachableObjects(heap, roots)].sort((x, y) => x - y);
    const pointerful = reachable.filter((id) => heap.pointerCount(id) > 0);
    switch (op.kind) {
      case 'malloc': {
        const id = heap.malloc(op.sizeBytes, Math.min(op.pointerFields, op.sizeBytes >> 3), op.g % 2, 0);
        expect(reachable, 'a new object reuses the id of a reachable one').not.toContain(id);
        collector.afterMalloc(id);
        collector.writeRoot(op.g, id);
        break;
      }
      case 'link':
        if (pointerful.length > 0) {
          const from = pointerful[op.from % pointerful.length]!;
          collector.writePointer(from, op.field % heap.pointerCount(from), pick(reachable, op.to));
        }
        break;
      case 'root':
        collector.writeRoot(op.slot % roots.count, pick(reachable, op.to));
        break;
      case 'move':
        // v := x.f; x.f = nil — the pointer leaves the heap for a stack.
        if (pointerful.length > 0) {
          const from = pointerful[op.from % pointerful.length]!;
          const field = op.field % heap.pointerCount(from);
          collector.writeRoot(op.g, heap.getPointer(from, field));
          collector.writePointer(from, field, NIL);
        }
        break;
      case 'gc': {
        while (collector.cycleRunning) step();
        nowNs += collector.startCycle({ startNs: nowNs, trigger: 'heap' }).stopTheWorldNs;
        const live = new Set(reachable);
        garbageAtStart = allocatedObjects(heap).filter((id) => !live.has(id));
        break;
      }
      case 'slice':
        step();
        break;
    }
    for (const id of reachable) expect(heap.isAllocated(id), `reachable object ${id} was freed`).toBe(true);
    hooks.check?.(collector, heap, roots);
  }
  while (collector.cycleRunning) step();
  return { barrierShades };
}

const programs = fc.tuple(
  fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 5000 })),
  fc.array(opArbitrary, { minLength: 20, maxLength: 200, size: 'max' }),
);

describe('IncrementalCollector: the tri-color invariant (random programs)', () => {
  const invariants = [
    ['dijkstra', 'the strong invariant', strongViolations],
    ['yuasa', 'the weak invariant', weakViolations],
  ] as const;

  it.each(invariants)('%s keeps %s after every store and slice', (barrier, _invariant, violations) => {
    let midMarkChecks = 0;
    let barrierShades = 0;

    fc.assert(
      fc.property(programs, ([sliceNs, ops]) => {
        barrierShades += runProgram(barrier, sliceNs, ops, {
          check: (collector, heap, roots) => {
            if (!collector.cycleRunning) return;
            if (collector.marker.greyCount > 0) midMarkChecks++;
            expect(violations(collector, heap, roots)).toEqual([]);
          },
        }).barrierShades;
      }),
      { numRuns: 60 },
    );

    expect(midMarkChecks).toBeGreaterThan(500);
    expect(barrierShades).toBeGreaterThan(5);
  });

  it('the checkers catch a violation: without a barrier, the lost object breaks both invariants', () => {
    const { heap, roots, collector } = setup('none', 1);
    const a = heap.malloc(64, 2, 0, 0);
    const b = heap.malloc(64, 1, 0, 0);
    const c = heap.malloc(64, 0, 0, 0);
    collector.writeRoot(roots.addGlobal(), a);
    collector.writePointer(a, 0, b);
    collector.writePointer(b, 0, c);
    collector.startCycle({ startNs: 0, trigger: 'heap' });
    while (heap.objectMark[b] === 0) collector.step(collector.nextStepNs);

    collector.writePointer(a, 1, c);
    const strong = strongViolations(collector, heap, roots);
    collector.writePointer(b, 0, NIL);
    const weak = weakViolations(collector, heap, roots);

    expect(strong).toEqual([`object ${a} → white ${c}`]);
    expect(weak).toEqual([`object ${a} → unprotected white ${c}`]);
  });
});

describe('IncrementalCollector: against the reachability oracle', () => {
  it.each(BARRIERS)(
    '%s: never frees a reachable object, marks everything reachable, frees what was garbage at the start',
    (barrier) => {
      fc.assert(
        fc.property(programs, ([sliceNs, ops]) => {
          runProgram(barrier, sliceNs, ops, {
            cycleEnd: (heap, roots, garbageAtStart) => {
              const unmarked = [...reachableObjects(heap, roots)].filter((id) => heap.objectMark[id] !== 1);
              expect(unmarked, 'reachable but unmarked').toEqual([]);
              expect(garbageAtStart.filter((id) => heap.objectMark[id] !== 0)).toEqual([]);
              expect(accountingViolations(heap)).toEqual([]);
            },
          });
        }),
        { numRuns: 100 },
      );
    },
  );
});

function presets(): [string, Scenario][] {
  const dir = fileURLToPath(new URL('../../../resources/scenarios/', import.meta.url));
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => [file.slice(0, -5), JSON.parse(readFileSync(dir + file, 'utf8')) as Scenario]);
}

describe('IncrementalCollector in the simulation', () => {
  const cases = presets().flatMap(([name, scenario]) =>
    BARRIERS.map((barrier) => [name, barrier, scenario] as const),
  );

  it.each(cases)('%s with %s: sliced cycles that free nothing reachable', (_name, barrier, scenario) => {
    const problems: string[] = [];
    const simulation = createSimulation(
      {
        scenario,
        collector: 'incremental',
        collectorOptions: { barrier },
        gogc: 100,
        procs: 2,
        seed: 7,
        durationNs: Math.min(scenario.durationMs, 100) * 1e6,
      },
      {
        snapshots: { everyCycles: 0 },
        observer: {
          cycleEnd: ({ heap, roots }, record) => {
            problems.push(...accountingViolations(heap).map((p) => `cycle ${record.seq}: ${p}`));
            for (const id of reachableObjects(heap, roots)) {
              if (!heap.isAllocated(id) || heap.objectMark[id] !== 1)
                problems.push(`cycle ${record.seq}: reachable object ${id} not kept`);
            }
          },
        },
      },
    );

    const { cycles } = simulation.advance(Infinity);

    expect(problems.slice(0, 5)).toEqual([]);
    expect(cycles.length).toBeGreaterThan(0);
    for (const c of cycles) expectSlicedRecord(c, barrier === 'dijkstra' ? 3 : 2);
  });
});

/** Dijkstra always has a slice (the roots); Yuasa none when its first pause left nothing grey. */
function expectSlicedRecord(record: CycleRecord, minPauses: number): void {
  const { pauses } = record;
  expect(pauses.length).toBeGreaterThanOrEqual(minPauses);
  expect(pauses.reduce((s, p) => s + p.durationNs, 0)).toBe(record.pauseNs);
  expect(pauses[0]).toEqual({ startNs: record.startNs, durationNs: record.sweepTermNs });
  expect(pauses.at(-1)!.durationNs).toBe(record.markTermNs);
  for (let i = 1; i < pauses.length; i++) {
    expect(pauses[i]!.startNs).toBeGreaterThanOrEqual(pauses[i - 1]!.startNs + pauses[i - 1]!.durationNs);
  }
  expect(record.writeBarrierHits).not.toBeNull();
}
