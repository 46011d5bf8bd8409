import { describe, expect, it } from 'vitest';
import { decodeInt32, decodeUint16, decodeUint8 } from './base64';
import type { Scenario } from './scenario';
import { createSimulation, type SimulationConfig } from './simulation';
import {
  ROOT_POOL,
  ROOT_STACK,
  snapshotsCycle,
  DEFAULT_SNAPSHOT_OPTIONS,
  type HeapSnapshot,
} from './snapshot';
import { PAGE_BYTES } from './size-classes';

const MiB = 1 << 20;

/** Every feature a snapshot reports: tiny objects, lists, a ring, a pool, deep stacks, non-escaping locals. */
const scenario: Scenario = {
  formatVersion: 1,
  name: 'snap',
  title: 'snap',
  description: 'snap',
  durationMs: 60,
  globalsBytes: 8192,
  pools: [{ name: 'bufs', size: { kind: 'fixed', bytes: 4096 }, pointerFields: 0 }],
  goroutines: [
    {
      name: 'worker',
      count: 3,
      allocBytesPerSec: 1024 * MiB,
      stack: { frameBytes: 512, depth: { kind: 'uniform', minFrames: 1, maxFrames: 30 } },
      sites: [
        {
          name: 'tiny',
          weight: 4,
          size: { kind: 'fixed', bytes: 6 },
          pointerFields: 0,
          escapes: true,
          lifetime: { kind: 'young' },
        },
        {
          name: 'list',
          weight: 1,
          size: {
            kind: 'weighted',
            sizes: [
              { bytes: 48, weight: 1 },
              { bytes: 200, weight: 1 },
            ],
          },
          pointerFields: 2,
          escapes: true,
          lifetime: { kind: 'ring', slots: 500, prefill: true },
          structure: { kind: 'list', nodes: 4 },
        },
        {
          name: 'local',
          weight: 2,
          size: { kind: 'fixed', bytes: 900 },
          pointerFields: 0,
          escapes: false,
          lifetime: { kind: 'young' },
        },
        {
          name: 'large',
          weight: 0.02,
          size: { kind: 'fixed', bytes: 70_000 },
          pointerFields: 0,
          escapes: true,
          lifetime: { kind: 'held', ms: 3 },
        },
        { name: 'buf', weight: 2, pool: 'bufs', lifetime: { kind: 'young' }, putPercent: 70 },
      ],
    },
  ],
};

function config(overrides: Partial<SimulationConfig> = {}): SimulationConfig {
  return { scenario, collector: 'mark-sweep', gogc: 100, procs: 2, seed: 5, durationNs: 60e6, ...overrides };
}

const out = createSimulation(config()).advance(Infinity);
const snapshots = out.snapshots;

function sumOf<T>(rows: T[], f: (row: T) => number): number {
  return rows.reduce((total, row) => total + f(row), 0);
}

describe('heap snapshots at cycle ends', () => {
  it('come one per cycle, at its end, matching its record', () => {
    expect(snapshots.map((s) => s.seq)).toEqual(out.cycles.map((c) => c.seq));
    snapshots.forEach((s, i) => {
      const c = out.cycles[i]!;
      expect(s.tNs).toBe(c.startNs + c.pauseNs);
      expect(s.atCycleEnd).toBe(true);
      expect(s.heap.objects).toBe(c.liveObjects);
      expect(s.heap.inUseBytes).toBe(c.heapInUseBytes);
      expect(s.stacks.inUseBytes).toBe(c.stackInUseBytes);
    });
    expect(snapshots.length).toBeGreaterThan(3);
  });

  it('add up: per-class bytes to the heap totals, and the heap totals to each other', () => {
    for (const s of snapshots) {
      const h = s.heap;
      expect(sumOf(s.classes, (c) => c.allocBytes)).toBe(h.allocBytes);
      expect(sumOf(s.classes, (c) => c.spanBytes)).toBe(h.inUseBytes);
      expect(sumOf(s.classes, (c) => c.objects)).toBe(h.objects);
      expect(sumOf(s.classes, (c) => c.requestedBytes)).toBe(h.requestedBytes);
      expect(sumOf(s.classes, (c) => c.tailWasteBytes)).toBe(h.tailWasteBytes);
      expect(sumOf(s.classes, (c) => c.freeSlotBytes)).toBe(h.freeSlotBytes);
      for (const c of s.classes) {
        expect(c.spanBytes).toBe(c.allocBytes + c.tailWasteBytes + c.freeSlotBytes);
        expect(c.allocBytes).toBe(c.requestedBytes + c.internalWasteBytes);
        expect(c.internalWasteBytes).toBeGreaterThanOrEqual(0);
      }
      expect(h.inUseBytes).toBe(h.allocBytes + h.tailWasteBytes + h.freeSlotBytes);
      expect(h.sysBytes).toBe(h.inUseBytes + h.idleBytes);
      expect(h.releasedBytes).toBeLessThanOrEqual(h.idleBytes);
      expect(sumOf(s.sites, (site) => site.liveObjects)).toBeLessThanOrEqual(h.objects);
    }
  });

  it('map every in-use span to its pages, without overlap, in address order', () => {
    for (const s of snapshots) {
      const data = decodeInt32(s.spans.spanData);
      expect(data.length).toBe(s.spans.spans * 4);
      let pages = 0;
      let end = 0;
      for (let i = 0; i < data.length; i += 4) {
        expect(data[i]!).toBeGreaterThanOrEqual(end);
        end = data[i]! + data[i + 1]!;
        pages += data[i + 1]!;
      }
      expect(pages * PAGE_BYTES).toBe(s.heap.inUseBytes);
      expect(end).toBeLessThanOrEqual(s.spans.pagesTotal);
      expect(sumOf(s.classes, (c) => c.spans)).toBe(s.spans.spans);
    }
  });

  it('carry an object graph in which every object is reachable from the listed roots', () => {
    for (const s of snapshots) {
      const graph = s.graph!;
      const edgeStart = decodeInt32(graph.edgeStart);
      const edgeTarget = decodeInt32(graph.edgeTarget);
      const rootObject = decodeInt32(graph.rootObject);
      const slotBytes = decodeInt32(graph.slotBytes);
      const site = decodeUint16(graph.site);
      expect(graph.objects).toBe(s.heap.objects);
      expect(edgeStart.length).toBe(graph.objects + 1);
      expect(edgeStart[graph.objects]).toBe(graph.edges);
      expect(sumOf([...slotBytes], (b) => b)).toBe(s.heap.allocBytes);
      const reached = new Uint8Array(graph.objects);
      const queue = [...rootObject];
      for (const r of queue) reached[r] = 1;
      while (queue.length > 0) {
        const o = queue.pop()!;
        for (let e = edgeStart[o]!; e < edgeStart[o + 1]!; e++) {
          if (reached[edgeTarget[e]!] === 0) {
            reached[edgeTarget[e]!] = 1;
            queue.push(edgeTarget[e]!);
          }
        }
      }
      expect(reached.every((r) => r === 1)).toBe(true);
      const liveBySite = new Map<number, number>();
      for (const x of site) liveBySite.set(x, (liveBySite.get(x) ?? 0) + 1);
      s.sites.forEach((row, i) => expect(liveBySite.get(i) ?? 0).toBe(row.liveObjects));
    }
  });

  it('list pool contents as pool roots, and the pool counters', () => {
    for (const s of snapshots) {
      const kinds = decodeUint8(s.graph!.rootKind);
      const poolRoots = [...kinds].filter((k) => k === ROOT_POOL).length;
      const pool = s.pools[0]!;
      expect(poolRoots).toBe(pool.objects);
      expect(pool.objects).toBe(pool.privateObjects + pool.sharedObjects + pool.victimObjects);
      expect(pool.bytes).toBe(pool.objects * 4096);
      expect(pool.gets).toBe(
        pool.hitsPrivate + pool.hitsShared + pool.hitsStolen + pool.hitsVictim + pool.misses,
      );
      expect([...kinds].some((k) => k === ROOT_STACK)).toBe(true);
    }
  });

  it('report the stacks by size and the escape split by site', () => {
    const last = snapshots.at(-1)!;

    expect(sumOf(last.stacks.sizes, (x) => x.goroutines)).toBe(3);
    expect(sumOf(last.stacks.sizes, (x) => x.bytes * x.goroutines)).toBe(last.stacks.inUseBytes);
    const local = last.sites.find((x) => x.name === 'local')!;
    const tiny = last.sites.find((x) => x.name === 'tiny')!;
    expect([local.heapAllocations, local.stackAllocations > 0]).toEqual([0, true]);
    expect([tiny.stackAllocations, tiny.heapAllocations > 0]).toEqual([0, true]);
    expect(last.heap.tinyAllocs).toBeGreaterThan(0);
  });

  it('are JSON-safe: a JSON round trip changes nothing', () => {
    expect(JSON.parse(JSON.stringify(snapshots))).toEqual(snapshots);
  });
});

describe('snapshot options', () => {
  it('take every n-th cycle only, and leave the graph out when asked or when the heap is too big', () => {
    const every2 = createSimulation(config(), { snapshots: { everyCycles: 2 } }).advance(Infinity).snapshots;
    const noGraph = createSimulation(config(), { snapshots: { graph: false } }).advance(Infinity).snapshots;
    const small = createSimulation(config(), { snapshots: { graphMaxObjects: 10 } }).advance(
      Infinity,
    ).snapshots;
    const none = createSimulation(config(), { snapshots: { everyCycles: 0 } }).advance(Infinity);

    expect(every2.map((s) => s.seq)).toEqual(out.cycles.filter((c) => c.seq % 2 === 0).map((c) => c.seq));
    expect(noGraph.every((s) => s.graph === null)).toBe(true);
    expect(small.every((s) => s.graph === null)).toBe(true);
    expect(none.snapshots).toEqual([]);
    expect(none.cycles).toEqual(out.cycles);
    const strip = (s: HeapSnapshot) => ({ ...s, graph: null });
    expect(noGraph).toEqual(snapshots.map(strip));
  });

  it('thin out by powers of two after thinAfterCycles, deterministically', () => {
    const options = { ...DEFAULT_SNAPSHOT_OPTIONS, thinAfterCycles: 4 };
    const kept = Array.from({ length: 70 }, (_, i) => i + 1).filter((seq) => snapshotsCycle(seq, options));

    expect(kept).toEqual([1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]);
  });

  it('takes a snapshot on demand between cycles without changing the run', () => {
    const sim = createSimulation(config());
    sim.advance(30e6);
    const now = sim.snapshot();
    const rest = sim.advance(Infinity);

    expect(now.atCycleEnd).toBe(false);
    expect(now.tNs).toBe(30e6);
    expect(now.graph).not.toBeNull();
    expect(rest.cycles).toEqual(out.cycles.filter((c) => c.startNs > 30e6));
  });
});
