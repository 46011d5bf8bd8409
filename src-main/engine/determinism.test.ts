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
  // Records and snapshots regenerated (engine 0.3.2) when a grown heap chunk began to count as
  // released until first used, as Go's mheap.grow has it: only HeapReleased moved.
  steady: {
    cycles: 33,
    records: '5033c513044a57e507bb95cad4cbeed9',
    samples: '5b1ac5ef5fbf5380181aea86a6c46cb8',
    snapshots: 'f4522257f949befb90ccd11d19113c50',
  },
  // Regenerated when go-churn took churn.go's loop literally: every 8th allocation goes to the
  // ring (sites in turn, not drawn at random) and only every 8th ring entry is replaced (stride 8).
  'go-churn': {
    cycles: 36,
    records: '88763bd049713b69aa82265e2e46cd64',
    samples: '2044b36b575112d47138b5cb86805fa5',
    snapshots: 'a21dac0b7aa9de5162e9f884906a7511',
  },
  'pointer-trees': {
    cycles: 8,
    records: 'fcc29ca2630777e6a8be358c5add4239',
    samples: '5186028fb365f542d28c5367c1006409',
    snapshots: 'e0b44723206ea2e09dd8fd3e7eb347e8',
  },
  'pool-buffers': {
    cycles: 12,
    records: '047f558fd67041fb06ba70b5db99b78e',
    samples: '7b59746b3a2372b0e009971f359669f9',
    snapshots: '42a85001d18b9c25e85ecfe068b96159',
  },
  'cyclic-garbage': {
    cycles: 13,
    records: 'ee980e888e1304a1e0f31594e99b237e',
    samples: '6cded3954fa0ddfcbb77b3824dad8be8',
    snapshots: 'c1e8c663fd1cec6a6bd968d2b73992e1',
  },
  'bursty-batches': {
    cycles: 64,
    records: '203f47b2967d61b78336c18e73fc7f8f',
    samples: 'ca47f94621116b220a1b31016f909b60',
    snapshots: 'f162a532bdd7bb4d72f949d722110909',
  },
  'deep-stacks': {
    cycles: 4,
    records: 'e753b9bb46094abdae0fa56055cf96cc',
    samples: 'cca1038741dc9e2f9ad8b66533a6fd3a',
    snapshots: 'c5960b6ed5c3a44ce892857f748dc664',
  },
  leak: {
    cycles: 88,
    records: 'b95a86acfe0f61b0f0ed66f50fffa238',
    samples: '3bbf325ec255d35c9e1b2d8eccf8e269',
    snapshots: '0a406a683a59a320872e522e1822cc45',
  },
  'cache-churn': {
    cycles: 14,
    records: '682e450c56e57e0a2ee7b3539c9372a4',
    samples: 'db1459707227b17a0ec2cbf7f3a93228',
    snapshots: 'b438b368745f8c0f8d592fdc0610c117',
  },
  'go-stacks': {
    cycles: 11,
    records: '41b6323e09384e8b313456fe81e2a867',
    samples: 'f71ad0839e577d67493db66a48352d1f',
    snapshots: 'e12b47831d9dc0ec1519adaeff24635b',
  },
  'go-pool': {
    cycles: 3,
    records: '7f7ac49dcf29c471314ac322dd76a1b3',
    samples: '619aaaf320a0293f6c2d06399604877e',
    snapshots: 'e58a3e6a685228450fc056cf999132d1',
  },
  'go-scav': {
    cycles: 8,
    records: '48a1c94ed5db358155d1df7418be7632',
    samples: '47e6ee71edef278e3ba91ea488d122c3',
    snapshots: 'df04c1e24ca093b3ca5e8a89a32b99ab',
  },
  'go-sizes': {
    cycles: 44,
    records: '312cc4e65a916b192dd45caecacc4e13',
    samples: 'ed52e38c804e2acb793f4631cdab9e91',
    snapshots: '41ec6382167d4b821cb1e2cae2c3e502',
  },
  'go-escape': {
    cycles: 10,
    records: '87a92a0029097fbf29c979be4d399409',
    samples: '2fd5465d703343532dc1b48e3b1b402a',
    snapshots: 'ddb459c3571f691ddd92388f7036fa9c',
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
