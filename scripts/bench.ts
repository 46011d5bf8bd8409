/**
 * `npm run bench [-- --json]`: how fast the simulator and the store are on this machine.
 * Each figure is the median of several repetitions (with the min and max beside it), because the
 * machines are noisy; compare ratios within one run rather than numbers across machines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSimulation, type Heap, type SimulationConfig } from '../src-main/engine';
import { openDatabase } from '../src-main/store/database';
import { Recorder } from '../src-main/store/recorder';
import { SessionRepository } from '../src-main/store/sessions';
import { presetScenarios } from '../src-main/services/catalog';
import { cycleRecord } from '../src-main/test-support/records';

interface Figure {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  repetitions: number;
}

function summarize(name: string, unit: string, values: number[]): Figure {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    name,
    unit,
    median: sorted[Math.floor(sorted.length / 2)]!,
    min: sorted[0]!,
    max: sorted.at(-1)!,
    repetitions: values.length,
  };
}

function benchEngine(collector: string, repetitions: number): Figure[] {
  const scenario = presetScenarios().get('steady')!;
  const config: SimulationConfig = {
    scenario,
    collector,
    gogc: 100,
    procs: 4,
    seed: 1,
    durationNs: scenario.durationMs * 1e6,
  };
  const wallMs: number[] = [];
  const mallocsPerSec: number[] = [];
  const virtualPerWall: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    let heap: Heap | null = null;
    const started = performance.now();
    const simulation = createSimulation(config, {
      observer: { cycleStart: (view) => void (heap ??= view.heap) },
    });
    simulation.advance(Number.MAX_SAFE_INTEGER);
    const elapsedMs = performance.now() - started;
    wallMs.push(elapsedMs);
    mallocsPerSec.push(((heap as Heap | null)?.mallocs ?? 0) / (elapsedMs / 1000));
    virtualPerWall.push(simulation.endNs / 1e6 / elapsedMs);
  }
  return [
    summarize(`engine.steady.${collector}.wall`, 'ms', wallMs),
    summarize(`engine.steady.${collector}.allocations`, 'allocations/s', mallocsPerSec),
    summarize(`engine.steady.${collector}.speed`, 'virtual ms per wall ms', virtualPerWall),
  ];
}

function benchStore(rows: number, repetitions: number): Figure[] {
  const insertRate: number[] = [];
  const readRate: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'heapscope-bench-'));
    const db = openDatabase(join(dir, 'bench.db'));
    const sessions = new SessionRepository(db);
    const id = sessions.create({
      name: 'bench',
      source: 'simulation',
      scenario: null,
      collector: null,
      config: null,
      seed: null,
      engineVersion: null,
      recorderPid: null,
    });
    const recorder = new Recorder(db, id);
    const cycles = Array.from({ length: rows }, (_, seq) =>
      cycleRecord({ seq: seq + 1, startNs: seq * 1e6 }),
    );
    let started = performance.now();
    for (let at = 0; at < rows; at += 500) recorder.add(cycles.slice(at, at + 500), []);
    recorder.flush();
    insertRate.push(rows / ((performance.now() - started) / 1000));
    started = performance.now();
    const read = sessions.cycles(id);
    readRate.push(read.length / ((performance.now() - started) / 1000));
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    summarize('store.cycles.insert', 'rows/s', insertRate),
    summarize('store.cycles.read', 'rows/s', readRate),
  ];
}

const figures = [...benchEngine('mark-sweep', 7), ...benchStore(100_000, 5)];

if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ node: process.version, figures }, null, 2)}\n`);
} else {
  const format = (v: number): string => (v >= 100 ? Math.round(v).toLocaleString('en') : v.toFixed(2));
  for (const f of figures) {
    process.stdout.write(
      `${f.name.padEnd(40)} ${format(f.median).padStart(12)} ${f.unit}  (min ${format(f.min)}, max ${format(f.max)}, n=${f.repetitions})\n`,
    );
  }
}
