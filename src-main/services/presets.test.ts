/**
 * Every preset scenario validates, is registered, and runs to completion (how fast: `npm run bench`); the presets that
 * describe the Go fixture programs (fixtures/gctrace/src/*.go) reproduce what their traces show.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSimulation, type CycleRecord, type SimulationConfig, type SimulationOutput } from '../engine';
import { parseScenario } from '../formats/scenario';
import { accountingViolations } from '../engine/testing/oracle';
import { presetScenarios } from './catalog';
import { RECORDED_SNAPSHOTS } from './record-run';

const PRESETS = fileURLToPath(new URL('../../resources/scenarios/', import.meta.url));
const MiB = 1 << 20;

function runPreset(name: string, overrides: Partial<SimulationConfig> = {}) {
  const scenario = presetScenarios().get(name)!;
  const sim = createSimulation(
    {
      scenario,
      collector: 'mark-sweep',
      gogc: 100,
      procs: 2,
      seed: 1,
      durationNs: scenario.durationMs * 1e6,
      ...overrides,
    },
    { snapshots: RECORDED_SNAPSHOTS },
  );
  const out: SimulationOutput = sim.advance(Infinity);
  return { ...out, sim };
}

const mb = (bytes: number) => Math.floor(bytes / MiB);

describe('preset scenarios', () => {
  const files = readdirSync(PRESETS).filter((f) => f.endsWith('.json'));

  it('are all registered in the catalog', () => {
    expect([...presetScenarios().keys()].sort()).toEqual(files.map((f) => f.replace(/\.json$/, '')).sort());
  });

  it.each(files)('%s validates, runs to its end and keeps the heap consistent', (file) => {
    const name = file.replace(/\.json$/, '');
    expect(parseScenario(JSON.parse(readFileSync(`${PRESETS}${file}`, 'utf8'))).name).toBe(name);

    const { cycles, snapshots, sim } = runPreset(name, { procs: 4 });

    expect(sim.done).toBe(true);
    expect(cycles.length).toBeGreaterThan(0);
    expect(snapshots).toHaveLength(cycles.length);
    expect(snapshots.filter((s) => s.graph !== null)).toHaveLength(Math.floor(cycles.length / 8));
    expect(accountingViolations(sim.view.heap)).toEqual([]);
  });
});

describe('presets of the Go fixture programs', () => {
  it('go-pool reproduces pool.go: New is called 4, 4, then 8 times across its GCs', () => {
    const { cycles, sim } = runPreset('go-pool', { procs: 1 });

    const byCycle = cycles.map((c) => [c.poolMisses, c.poolHitsVictim, c.poolDropped]);
    expect(byCycle).toEqual([
      [4, 0, 0],
      [0, 4, 0],
      [0, 0, 4],
    ]);
    const pool = sim.snapshot().pools[0]!;
    expect(pool.misses).toBe(8);
    expect(cycles.every((c) => c.trigger === 'forced')).toBe(true);
  });

  it('go-sizes reproduces sizes.go: the bytes each object is charged', () => {
    const { cycles } = runPreset('go-sizes', { procs: 1 });
    // sizes.go's output, in its order (go1.19.8_sizes.txt).
    const expected = [1, 8, 16, 24, 48, 512, 576, 1152, 32768, 40960, 512, 576, 576, 8];
    const perObject = 20_000;
    const containerBytes = Math.ceil((perObject * 8) / 8192) * 8192; // the []*T of 20 000 slots

    const forced = cycles.filter((c) => c.trigger === 'forced').slice(1);
    const charged = forced.map((c) => (c.bytesFreed! - containerBytes) / perObject);

    expect(forced).toHaveLength(expected.length);
    charged.forEach((bytes, i) => expect(bytes).toBeCloseTo(expected[i]!, 0));
  });

  it('go-stacks reproduces stacks.go: "31 MB stacks" and ≈ 26 MB of scanned stack in every goal', () => {
    const { cycles } = runPreset('go-stacks');

    expect(cycles.length).toBeGreaterThanOrEqual(8);
    expect(cycles.length).toBeLessThanOrEqual(12);
    for (const c of cycles) {
      expect(mb(c.stackInUseBytes!)).toBe(31);
      expect(mb(c.stacksBytes)).toBe(26);
    }
    expect(mb(cycles[0]!.heapGoalBytes)).toBe(4);
    for (const c of cycles.slice(1)) expect(c.heapGoalBytes).toBeGreaterThanOrEqual(26 * MiB);
  });

  it('go-scav reproduces scav.go: goals doubling to ≈ 128 MB, 8 cycles of which the last 2 forced, ≈ 200 MB released', () => {
    const { cycles, sim } = runPreset('go-scav');

    expect(cycles).toHaveLength(8);
    expect(cycles.map((c) => c.trigger)).toEqual([...Array<string>(6).fill('heap'), 'forced', 'forced']);
    expect(cycles.slice(0, 5).map((c) => mb(c.heapGoalBytes))).toEqual([4, 8, 16, 32, 64]);
    expect([mb(cycles[6]!.heapStartBytes), mb(cycles[6]!.heapMarkedBytes)]).toEqual([200, 0]);
    expect(cycles[6]!.bytesFreed).toBeGreaterThanOrEqual(200 * MiB);
    expect(sim.view.heap.pages.heapReleasedBytes).toBeGreaterThanOrEqual(200 * MiB);
  });

  it('go-churn comes close to churn.go: 30–40 cycles (33 real), goals 4 → ≈ 8 → ≈ 16 → ≈ 31 MB, then ≈ 32–38 MB', () => {
    const { cycles } = runPreset('go-churn');
    const goals = cycles.map((c: CycleRecord) => mb(c.heapGoalBytes));

    expect(cycles.length).toBeGreaterThanOrEqual(30);
    expect(cycles.length).toBeLessThanOrEqual(40);
    expect(goals[0]).toBe(4);
    expect(goals[1]).toBeGreaterThanOrEqual(7);
    expect(goals[3]).toBeGreaterThanOrEqual(28);
    for (const goal of goals.slice(4)) {
      expect(goal).toBeGreaterThanOrEqual(32);
      expect(goal).toBeLessThanOrEqual(38);
    }
  });

  it('go-escape puts on the stack exactly what -gcflags=-m says does not escape', () => {
    const { sim } = runPreset('go-escape');
    const sites = sim.snapshot({ graph: false }).sites;

    for (const site of sites) {
      const onStack = /does not escape/.test(site.name);
      expect(site.stackAllocations > 0).toBe(onStack);
      expect(site.heapAllocations > 0).toBe(!onStack);
    }
    expect(sim.snapshot({ graph: false }).heap.tinyAllocs).toBeGreaterThan(0);
  });
});
