/**
 * Pins the engine's output: every preset, run with a fixed config and seed, must produce exactly
 * the cycle records, samples and snapshots it produced when these hashes were taken. Any change to
 * the hot path (performance work included) that shifts a single number fails here. If a change is
 * meant to alter behaviour, bump ENGINE_VERSION and regenerate with
 * `HEAPSCOPE_PRINT_HASHES=1 npx vitest run src-main/engine/determinism.test.ts`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Scenario } from './scenario';
import { createSimulation, type SimulationOutput } from './simulation';
import type { SnapshotOptions } from './snapshot';

const SNAPSHOTS: SnapshotOptions = {
  everyCycles: 1,
  thinAfterCycles: 256,
  graph: true,
  graphEveryCycles: 8,
  graphMaxObjects: 1_000_000,
};

function preset(name: string): Scenario {
  const path = fileURLToPath(new URL(`../../resources/scenarios/${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as Scenario;
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

interface Pinned {
  cycles: number;
  records: string;
  samples: string;
  snapshots: string;
}

function runPreset(name: string, procs: number, slices: number): Pinned {
  const scenario = preset(name);
  const simulation = createSimulation(
    { scenario, collector: 'mark-sweep', gogc: 100, procs, seed: 1, durationNs: scenario.durationMs * 1e6 },
    { snapshots: SNAPSHOTS },
  );
  const out: SimulationOutput = { cycles: [], samples: [], snapshots: [] };
  const sliceNs = Math.ceil(simulation.endNs / slices);
  while (!simulation.done) {
    const o = simulation.advance(slices === 1 ? Infinity : simulation.nowNs + sliceNs);
    out.cycles.push(...o.cycles);
    out.samples.push(...o.samples);
    out.snapshots.push(...o.snapshots);
  }
  return {
    cycles: out.cycles.length,
    records: hash(out.cycles),
    samples: hash(out.samples),
    snapshots: hash(out.snapshots),
  };
}

/** [preset, procs, advance() slices]: generated from the engine before the allocation fast path. */
const CASES: [string, number, number][] = [
  ['steady', 4, 1],
  ['go-churn', 2, 1],
  ['pointer-trees', 4, 1],
  ['pool-buffers', 4, 7],
  ['cyclic-garbage', 3, 1],
  ['bursty-batches', 4, 1],
  ['deep-stacks', 4, 1],
  ['leak', 4, 1],
  ['cache-churn', 4, 1],
  ['go-stacks', 2, 1],
  ['go-pool', 2, 1],
  ['go-scav', 2, 1],
  ['go-sizes', 2, 1],
  ['go-escape', 2, 1],
];

const EXPECTED: Record<string, Pinned> = {
  steady: {
    cycles: 33,
    records: 'fa524277a518db443c26764419547a6d',
    samples: '5b1ac5ef5fbf5380181aea86a6c46cb8',
    snapshots: 'b54010f9ecc4f786da65f0c07434bf88',
  },
  // Regenerated when go-churn took churn.go's loop literally: every 8th allocation goes to the
  // ring (sites in turn, not drawn at random) and only every 8th ring entry is replaced (stride 8).
  'go-churn': {
    cycles: 36,
    records: '3caba02f954b4a883992fcb2bb426e16',
    samples: '2044b36b575112d47138b5cb86805fa5',
    snapshots: '528a9fc1b20fcc02ff640b32db90e11f',
  },
  'pointer-trees': {
    cycles: 8,
    records: 'babf94cdeb75966ee8adfbb96a3eee54',
    samples: '5186028fb365f542d28c5367c1006409',
    snapshots: '5f31d20c89e07961ef457b98454248a6',
  },
  'pool-buffers': {
    cycles: 12,
    records: '45d459cf344b9a277848c97d7e4a0f3c',
    samples: '7b59746b3a2372b0e009971f359669f9',
    snapshots: 'f5b74d0c3f2958350ad0a0d49ce48067',
  },
  'cyclic-garbage': {
    cycles: 13,
    records: 'b135443bafdc8830d0def92b9c576098',
    samples: '6cded3954fa0ddfcbb77b3824dad8be8',
    snapshots: '4cbc37b556f5ad75bd2aad2a27b81570',
  },
  'bursty-batches': {
    cycles: 64,
    records: '54c240aa5aea15397aec2ac66e2eab0b',
    samples: 'ca47f94621116b220a1b31016f909b60',
    snapshots: '60fc166b7ee0889deb05ddbb33ea2de6',
  },
  'deep-stacks': {
    cycles: 4,
    records: '2e6dc0f54de01b252789015211fd455c',
    samples: 'cca1038741dc9e2f9ad8b66533a6fd3a',
    snapshots: 'fd2838ea5f77adf5beb62e40019ca033',
  },
  leak: {
    cycles: 88,
    records: '71b2114c80bb33f28374c9a32c1633a0',
    samples: '3bbf325ec255d35c9e1b2d8eccf8e269',
    snapshots: 'e959df20f911c2331cb4c7f1e5ea2549',
  },
  'cache-churn': {
    cycles: 14,
    records: '382275e59982e628de70af7a86d29ccd',
    samples: 'db1459707227b17a0ec2cbf7f3a93228',
    snapshots: '528ac306c09b4fa4c3182865b3447bf7',
  },
  'go-stacks': {
    cycles: 11,
    records: '79bfc66cf3cdb1edbc2dd06fa74d6154',
    samples: 'f71ad0839e577d67493db66a48352d1f',
    snapshots: 'bd3a1ef0ce4cbc9e74c94d18a8ad8844',
  },
  'go-pool': {
    cycles: 3,
    records: 'f361c508b51c57958a1608c07005264d',
    samples: '619aaaf320a0293f6c2d06399604877e',
    snapshots: 'c8f8316557571baa22a7d0812fb1f5ee',
  },
  'go-scav': {
    cycles: 8,
    records: '1cc6d7c1d572b5b88963deaf921e47c6',
    samples: '47e6ee71edef278e3ba91ea488d122c3',
    snapshots: '06898e5ddf56a96e736e4a3abff70268',
  },
  'go-sizes': {
    cycles: 44,
    records: 'bd8508678c1bb90b0f7b64aef86c9873',
    samples: 'ed52e38c804e2acb793f4631cdab9e91',
    snapshots: 'b707e1f72ed6bd9107b020239c2050f2',
  },
  'go-escape': {
    cycles: 10,
    records: '46f621a360f24f5a2dd1b647b61d9a3f',
    samples: '2fd5465d703343532dc1b48e3b1b402a',
    snapshots: '4aa79303cf029e6372b0975f3ccd27af',
  },
};

describe('determinism: presets replay bit-identically', () => {
  if (process.env.HEAPSCOPE_PRINT_HASHES) {
    it('prints the hashes', () => {
      const all: Record<string, Pinned> = {};
      for (const [name, procs, slices] of CASES) all[name] = runPreset(name, procs, slices);
      process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
    }, 600_000);
    return;
  }
  for (const [name, procs, slices] of CASES) {
    it(`${name} (procs ${procs}, ${slices} slice(s))`, () => {
      expect(runPreset(name, procs, slices)).toEqual(EXPECTED[name]);
    }, 120_000);
  }
});
