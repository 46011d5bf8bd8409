/**
 * One oracle for every collector and option, over random programs, GOGC values, P counts and
 * seeds: no collector ever frees an object the program can still reach, every tracing collector
 * has marked everything reachable by mark termination and nothing that was already garbage when
 * the cycle began, reference counting leaks only what its cycle collector (when on) reclaims, and
 * the heap's accounting identities hold at every cycle end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIXED_POOLS, kindArbitrary, scenario } from '../../test-support/scenario-arbitraries';
import { createSimulation, type SimulationConfig } from '../simulation';
import { accountingViolations, allocatedObjects, reachableObjects } from '../testing/oracle';
import type { CollectorOptions } from './collector';

interface Variant {
  collector: string;
  options: Partial<CollectorOptions>;
  /** Marks stay set from mark termination until the (lazy) sweep, so they can be checked. */
  marksVisible: boolean;
}

const VARIANTS: Variant[] = [
  { collector: 'mark-sweep', options: {}, marksVisible: false },
  { collector: 'go', options: {}, marksVisible: true },
  { collector: 'incremental', options: { barrier: 'dijkstra' }, marksVisible: true },
  { collector: 'incremental', options: { barrier: 'yuasa' }, marksVisible: true },
  { collector: 'refcount', options: { cycleCollector: false }, marksVisible: false },
  { collector: 'refcount', options: { cycleCollector: true }, marksVisible: false },
];

describe.each(VARIANTS)(
  '$collector $options under random programs',
  ({ collector, options, marksVisible }) => {
    it('never frees a reachable object, marks what it must, and keeps the accounting', () => {
      let checkedCycles = 0;
      fc.assert(
        fc.property(
          fc.array(kindArbitrary, { minLength: 1, maxLength: 3 }),
          fc.constantFrom(25, 100, -1),
          fc.integer({ min: 1, max: 4 }),
          fc.nat({ max: 0xffff_ffff }),
          (kinds, gogc, procs, seed) => {
            const s = scenario(kinds, { pools: MIXED_POOLS, durationMs: 12 });
            const config: SimulationConfig = {
              scenario: s,
              collector,
              collectorOptions: options,
              // GOGC=off with a memory limit: cycles come from the limit instead.
              gogc,
              memoryLimitBytes: gogc < 0 ? 8 << 20 : undefined,
              procs,
              seed,
              durationNs: s.durationMs * 1e6,
            };
            const problems: string[] = [];
            let garbageAtStart = new Set<number>();
            /** Ids freed and handed out again since the cycle began: new objects, not the garbage. */
            const reused = new Set<number>();
            let instrumented = false;
            const sim = createSimulation(config, {
              snapshots: { everyCycles: 0 },
              observer: {
                cycleStart: ({ heap, roots }) => {
                  if (!instrumented) {
                    instrumented = true;
                    const malloc = heap.malloc.bind(heap);
                    heap.malloc = (...args) => {
                      const id = malloc(...args);
                      reused.add(id);
                      return id;
                    };
                  }
                  reused.clear();
                  const reachable = reachableObjects(heap, roots);
                  garbageAtStart = new Set(allocatedObjects(heap).filter((id) => !reachable.has(id)));
                },
                cycleEnd: ({ heap, roots }, record) => {
                  checkedCycles++;
                  const at = `cycle ${record.seq}`;
                  const reachable = reachableObjects(heap, roots);
                  for (const id of reachable) {
                    if (!heap.isAllocated(id)) problems.push(`${at}: reachable ${id} was freed`);
                    else if (marksVisible && heap.objectMark[id] !== 1)
                      problems.push(`${at}: reachable ${id} unmarked`);
                  }
                  for (const id of marksVisible ? garbageAtStart : []) {
                    const marked = !reused.has(id) && heap.isAllocated(id) && heap.objectMark[id] === 1;
                    if (marked) problems.push(`${at}: garbage ${id} marked`);
                  }
                  if (collector === 'refcount') {
                    // Leaked: unreachable yet still counted — referenced by another allocated object
                    // (garbage cycles and what hangs off them). An unreachable object nothing refers
                    // to is the one a root store just released, freed at the collector's next hook.
                    const referenced = new Set<number>();
                    for (const id of allocatedObjects(heap)) {
                      for (let f = 0; f < heap.pointerCount(id); f++) referenced.add(heap.getPointer(id, f));
                    }
                    const leaked = allocatedObjects(heap).filter(
                      (id) => !reachable.has(id) && referenced.has(id),
                    ).length;
                    if (record.leakedObjects !== leaked) {
                      problems.push(`${at}: leakedObjects ${record.leakedObjects}, counted ${leaked}`);
                    }
                    if (options.cycleCollector === true && leaked !== 0)
                      problems.push(`${at}: ${leaked} leaked`);
                  }
                  problems.push(...accountingViolations(heap).map((p) => `${at}: ${p}`));
                },
              },
            });

            sim.advance(Infinity);

            expect(problems.slice(0, 5)).toEqual([]);
          },
        ),
        { numRuns: 15 },
      );
      expect(checkedCycles).toBeGreaterThan(15);
    }, 120_000);
  },
);
