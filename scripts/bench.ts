/**
 * `npm run bench [-- --json]`: how fast the simulator, the store and the gctrace importer are on
 * this machine. Each figure is the median of several repetitions (with the min and max beside it),
 * because the machines are noisy; compare ratios within one run rather than numbers across machines.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  COLLECTORS,
  createSimulation,
  type Heap,
  type HeapSnapshot,
  type Scenario,
  type SimulationConfig,
} from '../src-main/engine';
import { RECORDED_SNAPSHOTS } from '../src-main/services/record-run';
import { encodeSnapshot } from '../src-main/store/snapshots';
import { GctraceParser, parseGctrace } from '../src-main/formats/gctrace';
import { formatGctraceLine } from '../src-main/formats/gctrace-format';
import { ChunkDecoder, importGctraceFile } from '../src-main/services/import';
import { openDatabase } from '../src-main/store/database';
import { Recorder } from '../src-main/store/recorder';
import { SessionRepository } from '../src-main/store/sessions';
import { presetScenarios } from '../src-main/services/catalog';
import { cycleRecord } from '../src-main/test-support/records';
import { recordBigSession } from '../src-main/test-support/big-session';
import { createApp } from '../src-main/services/app';
import type { ReducedSeries } from '../src-main/api/types';

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
      snapshots: { everyCycles: 0 }, // the engine alone; benchPresets measures with snapshots
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

/** Heap samples per GC cycle in a real run: the steady preset under Go's collector. */
function steadySamplesPerCycle(): number {
  const scenario = presetScenarios().get('steady')!;
  const simulation = createSimulation(
    { scenario, collector: 'go', gogc: 100, procs: 4, seed: 1, durationNs: scenario.durationMs * 1e6 },
    { snapshots: { everyCycles: 0 } },
  );
  const output = simulation.advance(Number.MAX_SAFE_INTEGER);
  return Math.max(1, Math.round(output.samples.length / Math.max(1, output.cycles.length)));
}

/**
 * Time to first chart of a session of 1,000, 10,000 and 100,000 cycles: the main-side work the
 * session view's first paint needs — the session's detail with its stats (`sessions.get`) and its
 * series reduced to a chart's width (`sessions.series`, 1,200 points), both serialised as the
 * browser transport sends them — on a fresh App each time (statements not yet prepared), and again
 * on that App ("warm": as in an app that has already shown the library). The sessions are written
 * through the Recorder and finished as a run would finish them.
 */
async function benchBigSessions(repetitions: number): Promise<Figure[]> {
  const samplesPerCycle = steadySamplesPerCycle();
  const figures: Figure[] = [];
  const medians = new Map<number, number>();
  const warmMedians = new Map<number, number>();
  for (const cycles of [1_000, 10_000, 100_000]) {
    const dir = mkdtempSync(join(tmpdir(), 'heapscope-bench-'));
    const dbPath = join(dir, 'big.db');
    const writer = openDatabase(dbPath);
    const id = recordBigSession(writer, { cycles, samplesPerCycle });
    writer.close();
    const firstChartMs: number[] = [];
    const pageMs: number[] = [];
    const zoomMs: number[] = [];
    const warmMs: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      const app = createApp({ dbPath });
      const started = performance.now();
      // Sequential on purpose: one database connection answers them one after another anyway.
      const detail = await app.dispatch('sessions.get', { id });
      const series = await app.dispatch('sessions.series', { id, points: 1_200 });
      void JSON.stringify([detail, series]);
      firstChartMs.push(performance.now() - started);
      // The same, in an app that has already listed or opened a session (statements prepared).
      const warmStarted = performance.now();
      void JSON.stringify([
        await app.dispatch('sessions.get', { id }),
        await app.dispatch('sessions.series', { id, points: 1_200 }),
      ]);
      warmMs.push(performance.now() - warmStarted);
      const pageStarted = performance.now();
      void JSON.stringify(
        await app.dispatch('sessions.cycles', { id, offset: Math.floor(cycles / 2), limit: 60 }),
      );
      pageMs.push(performance.now() - pageStarted);
      // A zoom to the middle tenth of the session: bucketed in SQL over that range alone.
      const { sessionEndNs } = series as ReducedSeries;
      const zoomStarted = performance.now();
      void JSON.stringify(
        await app.dispatch('sessions.series', {
          id,
          points: 1_200,
          startNs: Math.round(sessionEndNs * 0.45),
          endNs: Math.round(sessionEndNs * 0.55),
        }),
      );
      zoomMs.push(performance.now() - zoomStarted);
      await app.close();
    }
    const figure = summarize(`session.first-chart.${cycles / 1000}k-cycles`, 'ms', firstChartMs);
    medians.set(cycles, figure.median);
    const warm = summarize(`session.first-chart-warm.${cycles / 1000}k-cycles`, 'ms', warmMs);
    warmMedians.set(cycles, warm.median);
    figures.push(
      figure,
      warm,
      summarize(`session.cycle-page.${cycles / 1000}k-cycles`, 'ms', pageMs),
      summarize(`session.zoom-tenth.${cycles / 1000}k-cycles`, 'ms', zoomMs),
    );
    rmSync(dir, { recursive: true, force: true });
  }
  figures.push(
    summarize('session.first-chart.ratio-100k-to-1k', 'x (target ≤ 3)', [
      medians.get(100_000)! / medians.get(1_000)!,
    ]),
    summarize('session.first-chart-warm.ratio-100k-to-1k', 'x (target ≤ 3)', [
      warmMedians.get(100_000)! / warmMedians.get(1_000)!,
    ]),
    summarize('session.samples-per-cycle', 'samples', [samplesPerCycle]),
  );
  return figures;
}

/**
 * Writes a realistic gctrace log of `lines` lines to `path`, a block at a time (so the generator's
 * memory does not depend on the size): the cycles of a real Go 1.19.8 run, renumbered and spaced
 * 3 ms apart, every 25th forced, with a scavenger line after each cycle and a line of program
 * output after every fourth (about 4 cycles in 9 lines) — or, `cyclesOnly`, nothing but cycle lines,
 * the parser's slowest input.
 */
function writeGeneratedLog(path: string, lines: number, cyclesOnly = false): void {
  const real = parseGctrace(
    readFileSync(join(__dirname, '..', 'fixtures', 'gctrace', 'go1.19.8_churn_gogc100.txt'), 'utf8'),
  );
  const fd = openSync(path, 'w');
  let block = '';
  let written = 0;
  const line = (text: string): void => {
    block += `${text}\n`;
    written++;
    if (block.length > 1 << 20) {
      writeSync(fd, block);
      block = '';
    }
  };
  for (let seq = 1; written < lines; seq++) {
    const cycle = real.cycles[(seq - 1) % real.cycles.length]!;
    const record = {
      ...cycle.record,
      seq,
      startNs: seq * 3_000_000,
      trigger: seq % 25 === 0 ? 'forced' : 'heap',
    } as const;
    line(formatGctraceLine({ ...cycle, record }));
    if (cyclesOnly) continue;
    if (written < lines) line(`scav 0 KiB work, ${3568 + (seq % 512)} KiB total, 98% util`);
    if (seq % 4 === 0 && written < lines)
      line(`2024/05/01 10:00:00 GET /api/items/${seq} 200 ${seq % 97} ms`);
  }
  writeSync(fd, block);
  closeSync(fd);
}

/** A forced full garbage collection, so retained memory can be told from garbage not yet collected. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Parses a file from disk in 256 KiB reads, as the importer does. With `measureMemory`, it also
 * collects garbage every 32 reads and returns the most heap still in use after a collection, above
 * what was in use before (what the parser holds: constant if it streams), and the peak between
 * collections; those collections make that pass slower, so it is not timed.
 */
function parseFile(
  path: string,
  measureMemory = false,
): { lines: number; bytes: number; retainedHeapBytes: number; peakHeapBytes: number } {
  if (measureMemory) collectGarbage();
  const baseHeapBytes = process.memoryUsage().heapUsed;
  const parser = new GctraceParser({ firstRunOnly: true });
  const decoder = new ChunkDecoder();
  const buffer = Buffer.alloc(256 * 1024);
  const fd = openSync(path, 'r');
  let bytes = 0;
  let reads = 0;
  let retainedHeapBytes = 0;
  let peakHeapBytes = 0;
  for (let read; (read = readSync(fd, buffer, 0, buffer.length, null)) > 0;) {
    bytes += read;
    parser.push(decoder.decode(buffer.subarray(0, read)));
    if (!measureMemory) continue;
    peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed - baseHeapBytes);
    if (++reads % 32 === 0) {
      collectGarbage();
      retainedHeapBytes = Math.max(retainedHeapBytes, process.memoryUsage().heapUsed - baseHeapBytes);
    }
  }
  parser.push(decoder.end());
  parser.end();
  closeSync(fd);
  return { lines: parser.linesRead, bytes, retainedHeapBytes, peakHeapBytes };
}

/**
 * The floor a parser cannot beat on this machine: the same reads and decoding, then one charCodeAt
 * per character. Machines here differ ~10x in that alone, so judge gctrace.parse against it.
 */
function readEveryCharacter(path: string): { lines: number } {
  const decoder = new ChunkDecoder();
  const buffer = Buffer.alloc(256 * 1024);
  const fd = openSync(path, 'r');
  let lines = 0;
  for (let read; (read = readSync(fd, buffer, 0, buffer.length, null)) > 0;) {
    const text = decoder.decode(buffer.subarray(0, read));
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  }
  closeSync(fd);
  return { lines };
}

async function benchGctrace(repetitions: number): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'heapscope-bench-'));
  const MiB = 2 ** 20;
  try {
    const figures: Figure[] = [];
    for (const lines of [100_000, 1_000_000]) {
      const path = join(dir, `gctrace-${lines}.log`);
      writeGeneratedLog(path, lines);
      const linesPerSec: number[] = [];
      const mibPerSec: number[] = [];
      for (let i = 0; i < repetitions; i++) {
        const started = performance.now();
        const parsed = parseFile(path);
        const seconds = (performance.now() - started) / 1000;
        if (parsed.lines !== lines) throw new Error(`parsed ${parsed.lines} lines of ${lines}`);
        linesPerSec.push(parsed.lines / seconds);
        mibPerSec.push(parsed.bytes / MiB / seconds);
      }
      const retainedMiB: number[] = [];
      const peakHeapMiB: number[] = [];
      for (let i = 0; i < Math.min(repetitions, 3); i++) {
        const memory = parseFile(path, true);
        retainedMiB.push(memory.retainedHeapBytes / MiB);
        peakHeapMiB.push(memory.peakHeapBytes / MiB);
      }
      const size = lines >= 1_000_000 ? `${lines / 1_000_000}M` : `${lines / 1000}k`;
      const baseline: number[] = [];
      for (let i = 0; i < repetitions; i++) {
        const started = performance.now();
        readEveryCharacter(path);
        baseline.push(lines / ((performance.now() - started) / 1000));
      }
      figures.push(
        summarize(`gctrace.baseline.${size}-lines.read-chars`, 'lines/s', baseline),
        summarize(`gctrace.parse.${size}-lines`, 'lines/s', linesPerSec),
        summarize(`gctrace.parse.${size}-lines.bytes`, 'MiB/s', mibPerSec),
        summarize(`gctrace.parse.${size}-lines.retained-heap`, 'MiB', retainedMiB),
        summarize(`gctrace.parse.${size}-lines.peak-heap`, 'MiB', peakHeapMiB),
      );
    }
    const cyclesOnlyPath = join(dir, 'gctrace-cycles-only.log');
    writeGeneratedLog(cyclesOnlyPath, 1_000_000, true);
    const cycleLinesPerSec: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      const started = performance.now();
      const parsed = parseFile(cyclesOnlyPath);
      cycleLinesPerSec.push(parsed.lines / ((performance.now() - started) / 1000));
    }
    figures.push(summarize('gctrace.parse.1M-cycle-lines', 'lines/s', cycleLinesPerSec));
    rmSync(cyclesOnlyPath);

    // The whole import: parse, three samples per cycle, and SQLite in batched transactions.
    const importPath = join(dir, 'gctrace-100000.log');
    const cyclesPerSec: number[] = [];
    for (let i = 0; i < Math.min(repetitions, 3); i++) {
      const db = openDatabase(join(dir, `import-${i}.db`));
      const started = performance.now();
      const { report } = await importGctraceFile(importPath, { database: db });
      cyclesPerSec.push(report.cycles / ((performance.now() - started) / 1000));
      db.close();
    }
    figures.push(summarize('gctrace.import.100k-lines', 'cycles/s', cyclesPerSec));
    figures.push(...(await benchImport(dir, join(dir, 'gctrace-1000000.log'), 1_000_000, repetitions)));
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The whole import of a 1M-line log into SQLite, as `heapscope import FILE` does it (parse, three
 * samples per cycle, batched transactions) and as the library does it (512 KiB pieces through
 * imports.append on the app's API, what the UI's progress bar waits on): lines/s and cycles/s
 * including the store, and the most heap in use above the start while it ran (garbage included,
 * sampled at every progress report: it stays flat if the import streams).
 */
async function benchImport(dir: string, path: string, lines: number, repetitions: number): Promise<Figure[]> {
  const linesPerSec: number[] = [];
  const cyclesPerSec: number[] = [];
  const peakHeapMiB: number[] = [];
  const chunkedLinesPerSec: number[] = [];
  for (let i = 0; i < Math.min(repetitions, 3); i++) {
    const db = openDatabase(join(dir, `import-1m-${i}.db`));
    collectGarbage();
    const baseHeapBytes = process.memoryUsage().heapUsed;
    let peakHeapBytes = 0;
    const started = performance.now();
    const { report } = await importGctraceFile(path, {
      database: db,
      onProgress: () => {
        peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed - baseHeapBytes);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    if (report.linesRead !== lines) throw new Error(`imported ${report.linesRead} lines of ${lines}`);
    linesPerSec.push(report.linesRead / seconds);
    cyclesPerSec.push(report.cycles / seconds);
    peakHeapMiB.push(peakHeapBytes / 2 ** 20);
    db.close();
    rmSync(join(dir, `import-1m-${i}.db`), { force: true });

    const app = createApp({ dbPath: join(dir, `import-chunked-${i}.db`) });
    const text = readFileSync(path, 'utf8');
    const chunkedStarted = performance.now();
    const { importId } = (await app.dispatch('imports.start', { fileName: 'bench.log' })) as {
      importId: number;
    };
    for (let at = 0; at < text.length; at += 512 * 1024)
      await app.dispatch('imports.append', { importId, text: text.slice(at, at + 512 * 1024) });
    const { sessionId } = (await app.dispatch('imports.finish', { importId })) as { sessionId: number };
    chunkedLinesPerSec.push(lines / ((performance.now() - chunkedStarted) / 1000));
    if (app.sessions.get(sessionId)?.cycleCount !== report.cycles)
      throw new Error('chunked import lost cycles');
    await app.close();
  }
  return [
    summarize('gctrace.import.1M-lines', 'lines/s', linesPerSec),
    summarize('gctrace.import.1M-lines.cycles', 'cycles/s', cyclesPerSec),
    summarize('gctrace.import.1M-lines.peak-heap', 'MiB', peakHeapMiB),
    summarize('gctrace.import-chunked.1M-lines', 'lines/s', chunkedLinesPerSec),
  ];
}

/**
 * Every preset as a recorded run simulates it (with RECORDED_SNAPSHOTS), in wall ms; and what its
 * snapshots cost: JSON bytes, stored (deflated) bytes, and the time to encode them.
 */
function benchPresets(repetitions: number): Figure[] {
  const figures: Figure[] = [];
  for (const [name, scenario] of presetScenarios()) {
    const wallMs: number[] = [];
    let snapshots: HeapSnapshot[] = [];
    for (let i = 0; i < repetitions; i++) {
      const started = performance.now();
      const output = createSimulation(
        {
          scenario,
          collector: 'mark-sweep',
          gogc: 100,
          procs: 4,
          seed: 1,
          durationNs: scenario.durationMs * 1e6,
        },
        { snapshots: RECORDED_SNAPSHOTS },
      ).advance(Number.MAX_SAFE_INTEGER);
      wallMs.push(performance.now() - started);
      snapshots = output.snapshots;
    }
    figures.push(summarize(`engine.preset.${name}.wall`, 'ms', wallMs));
    if (name !== 'steady') continue;
    const encodeMs: number[] = [];
    let jsonBytes = 0;
    let storedBytes = 0;
    for (let i = 0; i < repetitions; i++) {
      const started = performance.now();
      const encoded = snapshots.map(encodeSnapshot);
      encodeMs.push(performance.now() - started);
      jsonBytes = encoded.reduce((sum, e) => sum + e.jsonBytes, 0);
      storedBytes = encoded.reduce((sum, e) => sum + e.data.length, 0);
    }
    figures.push(
      summarize('store.snapshots.steady.json', 'KiB', [jsonBytes / 1024]),
      summarize('store.snapshots.steady.stored', 'KiB', [storedBytes / 1024]),
      summarize('store.snapshots.steady.encode', 'ms', encodeMs),
    );
  }
  return figures;
}

/** Heap allocations the simulated program made: objects (tiny blocks once) plus tiny sub-allocations. */
function simulatedAllocations(heap: Heap): number {
  return heap.mallocs + heap.tinyAllocs;
}

/**
 * Simulated allocations per wall second of every preset, the engine alone (workload driver,
 * allocator and collector; no snapshots, no recording), with the procs a recorded run defaults to.
 */
function benchPresetAllocations(repetitions: number): Figure[] {
  const figures: Figure[] = [];
  for (const [name, scenario] of presetScenarios()) {
    const perSec: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      const started = performance.now();
      const simulation = createSimulation(
        {
          scenario,
          collector: 'mark-sweep',
          gogc: 100,
          procs: 4,
          seed: 1,
          durationNs: scenario.durationMs * 1e6,
        },
        { snapshots: { everyCycles: 0 } },
      );
      simulation.advance(Number.MAX_SAFE_INTEGER);
      const seconds = (performance.now() - started) / 1000;
      perSec.push(simulatedAllocations(simulation.view.heap) / seconds);
    }
    figures.push(summarize(`engine.preset.${name}.allocations`, 'allocations/s', perSec));
  }
  return figures;
}

/** One goroutine fills a ring of `objects` 64 B noscan buffers and stops: every object stays live. */
function liveSetScenario(objects: number): Scenario {
  return {
    formatVersion: 1,
    name: 'bench-live-set',
    title: 'bench: a million live objects',
    description: 'A ring of 64 B buffers, filled once and kept.',
    durationMs: 200,
    globalsBytes: 0,
    goroutines: [
      {
        name: 'main',
        count: 1,
        allocBytesPerSec: 2 ** 30,
        totalBytes: objects * 64,
        sites: [
          {
            name: 'main.main: ring[i] = make([]byte, 64)',
            weight: 1,
            size: { kind: 'fixed', bytes: 64 },
            pointerFields: 0,
            escapes: true,
            lifetime: { kind: 'ring', slots: objects, prefill: true },
          },
        ],
      },
    ],
  };
}

/**
 * Process memory per live simulated object: heapUsed + arrayBuffers after a forced collection,
 * with the simulation of about a million live objects held, minus the same before it was made.
 */
function benchMemoryPerObject(repetitions: number): Figure[] {
  const scenario = liveSetScenario(1_000_000);
  const bytesPerObject: number[] = [];
  let live = 0;
  const used = (): number => {
    collectGarbage();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  for (let i = 0; i < repetitions; i++) {
    const before = used();
    const simulation = createSimulation(
      {
        scenario,
        collector: 'mark-sweep',
        gogc: 100,
        procs: 1,
        seed: 1,
        durationNs: scenario.durationMs * 1e6,
      },
      { snapshots: { everyCycles: 0 } },
    );
    simulation.advance(Number.MAX_SAFE_INTEGER);
    const after = used();
    live = simulation.view.heap.liveObjects;
    bytesPerObject.push((after - before) / live);
  }
  return [
    summarize('engine.memory.live-objects', 'objects', [live]),
    summarize('engine.memory.per-live-object', 'bytes', bytesPerObject),
  ];
}

/**
 * The go-churn preset simulated (engine alone, 2 Ps as the fixture was recorded) against how long
 * the real churn.go ran: the last `gc N @T s` line of its gctrace log.
 */
function benchChurnVsReal(repetitions: number): Figure[] {
  const log = readFileSync(
    join(__dirname, '..', 'fixtures', 'gctrace', 'go1.19.8_churn_gogc100.txt'),
    'utf8',
  );
  const times = [...log.matchAll(/^gc \d+ @([\d.]+)s/gm)].map((m) => Number(m[1]));
  const realMs = times.at(-1)! * 1000;
  const scenario = presetScenarios().get('go-churn')!;
  const wallMs: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const started = performance.now();
    createSimulation(
      {
        scenario,
        collector: 'mark-sweep',
        gogc: 100,
        procs: 2,
        seed: 1,
        durationNs: scenario.durationMs * 1e6,
      },
      { snapshots: { everyCycles: 0 } },
    ).advance(Number.MAX_SAFE_INTEGER);
    wallMs.push(performance.now() - started);
  }
  const sim = summarize('engine.go-churn.simulated.wall', 'ms', wallMs);
  return [
    sim,
    summarize('engine.go-churn.real.wall', 'ms (last gctrace cycle)', [realMs]),
    summarize(
      'engine.go-churn.simulated-over-real',
      'ratio (≤ 1: no slower than Go)',
      wallMs.map((ms) => ms / realMs),
    ),
  ];
}

/**
 * Every collector on the steady and pointer-trees presets, engine alone: end-to-end simulated
 * allocations per wall second, and the marking rate — objects and bytes the cycles marked (live
 * after them) per wall second of the whole run. `go-over-mark-sweep` compares end-to-end rates
 * within this run (the target: ≥ 0.5).
 */
function benchCollectors(repetitions: number): Figure[] {
  const figures: Figure[] = [];
  for (const preset of ['steady', 'pointer-trees']) {
    const scenario = presetScenarios().get(preset)!;
    const medians = new Map<string, number>();
    for (const { name: collector } of COLLECTORS) {
      const allocs: number[] = [];
      const objects: number[] = [];
      const bytes: number[] = [];
      for (let i = 0; i < repetitions; i++) {
        const started = performance.now();
        const simulation = createSimulation(
          { scenario, collector, gogc: 100, procs: 4, seed: 1, durationNs: scenario.durationMs * 1e6 },
          { snapshots: { everyCycles: 0 } },
        );
        const { cycles } = simulation.advance(Number.MAX_SAFE_INTEGER);
        const seconds = (performance.now() - started) / 1000;
        allocs.push(simulatedAllocations(simulation.view.heap) / seconds);
        objects.push(cycles.reduce((sum, c) => sum + (c.liveObjects ?? 0), 0) / seconds);
        bytes.push(cycles.reduce((sum, c) => sum + c.heapMarkedBytes, 0) / seconds);
      }
      const e2e = summarize(`collector.${preset}.${collector}.allocations`, 'allocations/s', allocs);
      medians.set(collector, e2e.median);
      figures.push(
        e2e,
        summarize(`collector.${preset}.${collector}.marked-objects`, 'objects/s', objects),
        summarize(
          `collector.${preset}.${collector}.marked-bytes`,
          'MiB/s',
          bytes.map((b) => b / 2 ** 20),
        ),
      );
    }
    const go = medians.get('go');
    const markSweep = medians.get('mark-sweep');
    if (go !== undefined && markSweep !== undefined) {
      figures.push(
        summarize(`collector.${preset}.go-over-mark-sweep`, 'ratio (target ≥ 0.5)', [go / markSweep]),
      );
    }
  }
  return figures;
}

async function main(): Promise<void> {
  if (process.argv.includes('--sessions-only')) {
    print(await benchBigSessions(7));
    return;
  }
  // `-- --import-only`: just the gctrace parser and importer (what `npm run bench` spends minutes on last).
  if (process.argv.includes('--import-only')) {
    print(await benchGctrace(5));
    return;
  }
  // `-- --engine-only`: just the simulator's figures (the store, big sessions and the importer take minutes).
  const engineOnly = process.argv.includes('--engine-only');
  const figures = [
    // First, once, in a fresh heap: after other benchmarks, memory they leave behind is released
    // during this one's run and the difference reads as little as half the engine's real footprint.
    ...benchMemoryPerObject(1),
    ...benchEngine('mark-sweep', 7),
    ...benchCollectors(3),
    ...benchPresetAllocations(3),
    ...benchChurnVsReal(7),
    ...benchPresets(3),
    ...(engineOnly ? [] : benchStore(100_000, 5)),
    ...(engineOnly ? [] : await benchBigSessions(7)),
    ...(engineOnly ? [] : await benchGctrace(5)),
  ];

  print(figures);
}

function print(figures: Figure[]): void {
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
}

void main();
