import { describe, expect, it } from 'vitest';
import { Prng } from './prng';
import type { AllocationSite, Scenario } from './scenario';
import { Workload, nextRingEntry } from './workload';

function site(overrides: Partial<AllocationSite>): AllocationSite {
  return {
    name: 'main.f: new(T)',
    weight: 1,
    size: { kind: 'fixed', bytes: 64 },
    pointerFields: 0,
    escapes: true,
    lifetime: { kind: 'young' },
    ...overrides,
  };
}

function scenario(sites: AllocationSite[], count = 2): Scenario {
  return {
    formatVersion: 1,
    name: 'w',
    title: 'w',
    description: 'w',
    durationMs: 1,
    globalsBytes: 0,
    goroutines: [{ name: 'g', count, allocBytesPerSec: 1000, sites }],
  };
}

describe('Workload', () => {
  it('splits a kind’s allocation rate evenly between its goroutines', () => {
    const w = new Workload(scenario([site({})], 4));

    expect([...w.goroutineRateBytesPerSec]).toEqual([250, 250, 250, 250]);
  });

  it('draws sites in proportion to their weights', () => {
    const w = new Workload(scenario([site({ weight: 1 }), site({ weight: 3 })]));
    const prng = new Prng(3);
    const counts = [0, 0];

    for (let i = 0; i < 40_000; i++) counts[w.pickSite(0, prng)]!++;

    expect(counts[1]! / counts[0]!).toBeGreaterThan(2.8);
    expect(counts[1]! / counts[0]!).toBeLessThan(3.2);
  });

  it('never draws a site of weight 0', () => {
    const w = new Workload(scenario([site({ weight: 0 }), site({ weight: 1 }), site({ weight: 0 })]));
    const prng = new Prng(3);

    const picked = new Set(Array.from({ length: 1000 }, () => w.pickSite(0, prng)));

    expect([...picked]).toEqual([1]);
  });

  it('fills a prefill ring before drawing by weight', () => {
    const w = new Workload(
      scenario([site({ weight: 100 }), site({ lifetime: { kind: 'ring', slots: 3, prefill: true } })]),
    );
    const prng = new Prng(3);
    const picks: number[] = [];

    for (let i = 0; i < 3; i++) {
      const s = w.pickSite(0, prng);
      picks.push(s);
      w.siteRingFilled[s] = w.siteRingFilled[s]! + 1;
    }

    expect(picks).toEqual([1, 1, 1]);
    expect(w.pickSite(0, prng)).toBe(0);
  });

  it('draws uniform sizes within their inclusive bounds', () => {
    const w = new Workload(scenario([site({ size: { kind: 'uniform', minBytes: 10, maxBytes: 12 } })]));
    const prng = new Prng(9);

    const sizes = new Set(Array.from({ length: 300 }, () => w.pickSize(0, prng)));

    expect([...sizes].sort()).toEqual([10, 11, 12]);
  });

  it('draws weighted sizes in proportion to their weights, never one of weight 0', () => {
    const w = new Workload(
      scenario([
        site({
          size: {
            kind: 'weighted',
            sizes: [
              { bytes: 64, weight: 3 },
              { bytes: 99, weight: 0 },
              { bytes: 4096, weight: 1 },
            ],
          },
        }),
      ]),
    );
    const prng = new Prng(4);
    const counts = new Map<number, number>();

    for (let i = 0; i < 40_000; i++) {
      const size = w.pickSize(0, prng);
      counts.set(size, (counts.get(size) ?? 0) + 1);
    }

    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([64, 4096]);
    expect(counts.get(64)! / counts.get(4096)!).toBeGreaterThan(2.8);
    expect(counts.get(64)! / counts.get(4096)!).toBeLessThan(3.2);
  });

  it('compiles structures, pools and batches per site', () => {
    const w = new Workload({
      ...scenario([
        site({ pointerFields: 2, structure: { kind: 'tree', fanout: 2, depth: 3 } }),
        site({ lifetime: { kind: 'batch', objects: 10 } }),
        { name: 'p', weight: 1, pool: 'bufs', lifetime: { kind: 'young' }, putPercent: 40 },
        site({ lifetime: { kind: 'batch', objects: 5 } }),
      ]),
      pools: [{ name: 'bufs', size: { kind: 'fixed', bytes: 512 }, pointerFields: 0 }],
    });

    expect([...w.siteNodes]).toEqual([15, 1, 1, 1]);
    expect([...w.siteBatchIndex]).toEqual([-1, 0, -1, 1]);
    expect(w.kindBatchSites[0]).toBe(2);
    expect([...w.sitePool]).toEqual([-1, -1, 0, -1]);
    expect(w.sitePutPercent[2]).toBe(40);
    expect(w.pickPoolSize(0, new Prng(1))).toBe(512);
  });

  it('takes sites in turn, each weight times in a row, with sitePick inTurn (no draws)', () => {
    const sc = scenario([
      site({ name: 'a', weight: 3 }),
      site({ name: 'b', weight: 0 }),
      site({ name: 'c', weight: 1 }),
    ]);
    sc.goroutines[0]!.sitePick = 'inTurn';
    const w = new Workload(sc);
    const prng = new Prng(3);
    const picks = Array.from({ length: 9 }, () => w.pickSite(0, prng));
    expect(picks).toEqual([0, 0, 0, 2, 0, 0, 0, 2, 0]);
    expect(prng.nextFloat()).toBe(new Prng(3).nextFloat());
  });
});

describe('nextRingEntry', () => {
  it('fills in order, then replaces every stride-th entry: churn.go’s ring[(8k) % n]', () => {
    const slots = 32;
    let cursor = 0;
    const stored: number[] = [];
    for (let filled = 0; filled < slots + 10; filled++) {
      stored.push(cursor);
      cursor = nextRingEntry(cursor, Math.min(filled, slots), slots, 8);
    }
    expect(stored.slice(0, slots)).toEqual(Array.from({ length: slots }, (_, i) => i));
    expect(stored.slice(slots)).toEqual([0, 8, 16, 24, 0, 8, 16, 24, 0, 8]);
  });

  it('replaces the oldest entry with stride 1', () => {
    expect(nextRingEntry(4, 5, 5, 1)).toBe(0);
    expect(nextRingEntry(2, 5, 5, 1)).toBe(3);
  });
});
