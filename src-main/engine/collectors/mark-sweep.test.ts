import fc from 'fast-check';
import { testCollectorContext } from '../testing/context';
import { describe, expect, it } from 'vitest';
import { Heap, NIL } from '../heap';
import { Roots } from '../roots';
import { accountingViolations, allocatedObjects, reachableObjects } from '../testing/oracle';
import { MarkSweepCollector } from './mark-sweep';

function setup(procs = 2, goroutines = 3, globalsBytes = 4096) {
  const heap = new Heap(procs);
  const roots = new Roots(goroutines, globalsBytes);
  const collector = new MarkSweepCollector(testCollectorContext(heap, roots, { procs }));
  return { heap, roots, collector };
}

type Op =
  | { kind: 'malloc'; sizeBytes: number; pointerFields: number; p: number }
  | { kind: 'link'; from: number; field: number; to: number }
  | { kind: 'unlink'; from: number; field: number }
  | { kind: 'root'; slot: number; to: number }
  | { kind: 'cycle' };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('malloc' as const),
      sizeBytes: fc.oneof(fc.integer({ min: 8, max: 512 }), fc.integer({ min: 8, max: 50_000 })),
      pointerFields: fc.nat({ max: 4 }),
      p: fc.nat({ max: 1 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('link' as const),
      from: fc.nat(),
      field: fc.nat(),
      to: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('unlink' as const), from: fc.nat(), field: fc.nat() }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('root' as const), slot: fc.nat(), to: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cycle' as const) }) },
);

describe('MarkSweepCollector', () => {
  it('frees exactly the objects an independent mark from the roots cannot reach (random graphs, cycles included)', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 50, maxLength: 400, size: 'max' }), (ops) => {
        const { heap, roots, collector } = setup();
        for (let i = 0; i < 2; i++) roots.addGlobal();

        for (const op of [...ops, { kind: 'cycle' } as const]) {
          const live = allocatedObjects(heap);
          const pointerful = live.filter((id) => heap.pointerCount(id) > 0);
          switch (op.kind) {
            case 'malloc':
              heap.malloc(op.sizeBytes, Math.min(op.pointerFields, op.sizeBytes >> 3), op.p, 0);
              break;
            case 'link':
              if (pointerful.length > 0 && live.length > 0) {
                const from = pointerful[op.from % pointerful.length]!;
                collector.writePointer(from, op.field % heap.pointerCount(from), live[op.to % live.length]!);
              }
              break;
            case 'unlink':
              if (pointerful.length > 0) {
                const from = pointerful[op.from % pointerful.length]!;
                collector.writePointer(from, op.field % heap.pointerCount(from), NIL);
              }
              break;
            case 'root':
              collector.writeRoot(op.slot % roots.count, live.length > 0 ? live[op.to % live.length]! : NIL);
              break;
            case 'cycle': {
              const reachable = reachableObjects(heap, roots);

              collector.startCycle({ startNs: 0, trigger: 'heap' });

              expect(allocatedObjects(heap)).toEqual(live.filter((id) => reachable.has(id)));
              expect(accountingViolations(heap)).toEqual([]);
              break;
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('marks the slot bytes of reachable objects and resets heapLive to them', () => {
    const { heap, collector } = setup();
    const a = heap.malloc(100, 1, 0, 0);
    const b = heap.malloc(40_000, 0, 0, 0);
    heap.malloc(1024, 0, 0, 0);
    collector.writePointer(a, 0, b);
    collector.writeRoot(0, a);

    const result = collector.startCycle({ startNs: 0, trigger: 'heap' }).finished!;

    expect(result.heapMarkedBytes).toBe(112 + 40_960);
    expect(result.objectsMarked).toBe(2);
    expect(result.objectsFreed).toBe(1);
    expect(result.bytesFreed).toBe(1024);
    expect(heap.heapLiveBytes).toBe(112 + 40_960);
  });

  it('reports heapLive at mark termination before the reset', () => {
    const { heap, collector } = setup();
    heap.malloc(1024, 0, 0, 0);

    const result = collector.startCycle({ startNs: 0, trigger: 'heap' }).finished!;

    expect(result.heapEndBytes).toBe(8192);
    expect(result.heapMarkedBytes).toBe(0);
  });

  it('scans pointerful objects but only marks noscan ones', () => {
    const { heap, roots, collector } = setup();
    const scan = heap.malloc(64, 2, 0, 0);
    const noscan = heap.malloc(512, 0, 0, 0);
    collector.writePointer(scan, 1, noscan);
    collector.writeRoot(0, scan);
    collector.writeRoot(1, noscan);

    const result = collector.startCycle({ startNs: 0, trigger: 'heap' }).finished!;

    expect(result.heapScanBytes).toBe(64);
    expect(result.pointersFollowed).toBe(3);
    expect(result.stackScanBytes).toBe(roots.stacks.scanBytes);
    expect(result.globalsScanBytes).toBe(4096);
  });

  it('stops the world for the whole cycle: pause = sum of the phases, GC CPU = pause × procs', () => {
    const { heap, roots, collector } = setup(4);
    const ids = Array.from({ length: 1000 }, () => heap.malloc(1024, 0, 0, 0));
    ids.slice(0, 10).forEach((id, g) => collector.writeRoot(g % roots.goroutineCount, id));

    const step = collector.startCycle({ startNs: 0, trigger: 'heap' });
    const result = step.finished!;

    expect(step.stopTheWorldNs).toBe(result.pauseNs);
    expect(result.pauseNs).toBe(result.sweepTermNs + result.markNs + result.markTermNs);
    expect(result.gcCpuNs).toBe(result.pauseNs * 4);
    expect([result.assistCpuNs, result.backgroundCpuNs, result.idleCpuNs]).toEqual([0, 0, 0]);
    expect(collector.cycleRunning).toBe(false);
  });

  it('returns the pages of fully free spans to mheap', () => {
    const { heap, roots, collector } = setup();
    const ids = Array.from({ length: 800 }, () => heap.malloc(1024, 0, 0, 0));
    collector.writeRoot(roots.goroutineCount - 1, ids[0]!);

    const result = collector.startCycle({ startNs: 0, trigger: 'heap' }).finished!;

    expect(result.spansFreed).toBe(99);
    expect(heap.heapInUseBytes).toBe(8192);
  });
});
