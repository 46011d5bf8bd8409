import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/contract';
import type { ExportResult, RunRequest, SessionDetail } from '../api/types';
import { createSimulation, type CycleRecord, type Scenario } from '../engine';
import type { ChromeTrace } from '../formats/chrome-trace';
import { CYCLE_CSV_COLUMNS } from '../formats/csv';
import { formatGctraceLine } from '../formats/gctrace-format';
import type { SessionExport } from '../formats/session-json';
import { openDatabase } from '../store/database';
import { Recorder } from '../store/recorder';
import { SessionRepository } from '../store/sessions';
import { useTempDir } from '../test-support/temp';
import { createApp, type App } from './app';
import { exportBytes } from './export';
import { importGctraceFile } from './import';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'gctrace');
const tempDir = useTempDir();

const scenario: Scenario = {
  formatVersion: 1,
  name: 'export',
  title: 'export',
  description: 'export',
  durationMs: 60,
  globalsBytes: 4096,
  pools: [],
  goroutines: [
    {
      name: 'worker',
      count: 2,
      allocBytesPerSec: 512 * 2 ** 20,
      sites: [
        {
          name: 'main.cache: c.put(make([]byte, 64))',
          weight: 1,
          size: { kind: 'fixed', bytes: 64 },
          pointerFields: 1,
          escapes: true,
          lifetime: { kind: 'ring', slots: 2000, prefill: true },
        },
        {
          name: 'main.main: sink = make([]byte, n)',
          weight: 6,
          size: { kind: 'fixed', bytes: 1024 },
          pointerFields: 0,
          escapes: true,
          lifetime: { kind: 'young' },
        },
      ],
    },
  ],
};

const output = createSimulation({
  scenario,
  collector: 'go',
  gogc: 100,
  procs: 4,
  seed: 3,
  durationNs: 60e6,
}).advance(Infinity);

let app: App;
let simId: number;
let importedId: number;

beforeEach(async () => {
  const dbPath = join(tempDir(), 'export.db');
  const db = openDatabase(dbPath);
  simId = new SessionRepository(db).create({
    name: 'export, "quoted"',
    source: 'simulation',
    scenario: 'export',
    collector: 'go',
    config: null,
    seed: 3,
    engineVersion: null,
    recorderPid: null,
  });
  const recorder = new Recorder(db, simId);
  recorder.add(output.cycles, output.samples, output.snapshots);
  recorder.flush();
  ({ sessionId: importedId } = await importGctraceFile(join(FIXTURES, 'go1.19.8_stacks.txt'), {
    database: db,
  }));
  db.close();
  app = createApp({ dbPath });
});

afterEach(async () => {
  await app.close();
});

const exported = async (args: Record<string, unknown>): Promise<ExportResult> =>
  (await app.dispatch('sessions.export', args)) as ExportResult;

/** What is wrong with a parsed trace against the trace-event format; empty when nothing is. */
function traceEventProblems(trace: ChromeTrace): string[] {
  const problems: string[] = [];
  let lastTs = -Infinity;
  // The parsed file, checked as untyped JSON: the types are what is under test.
  (trace.traceEvents as unknown as Record<string, unknown>[]).forEach((e, i) => {
    const at = `event ${i} (${String(e.name)})`;
    if (typeof e.name !== 'string') problems.push(`${at}: name is not a string`);
    if (!['X', 'C', 'M'].includes(e.ph as string)) problems.push(`${at}: ph ${String(e.ph)}`);
    for (const key of ['ts', 'pid', 'tid'])
      if (typeof e[key] !== 'number' || !Number.isFinite(e[key]))
        problems.push(`${at}: ${key} is not a number`);
    if (e.ph === 'X' && !(typeof e.dur === 'number' && e.dur >= 0)) problems.push(`${at}: dur is not ≥ 0`);
    if (e.ph === 'C' && !Object.values(e.args as object).every((v) => typeof v === 'number'))
      problems.push(`${at}: a counter arg is not a number`);
    if ((e.ts as number) < lastTs) problems.push(`${at}: ts goes back`);
    lastTs = e.ts as number;
  });
  return problems;
}

const traceOf = (result: ExportResult): ChromeTrace => JSON.parse(result.content) as ChromeTrace;

/** What a gctrace line says once the stop-the-world CPU terms (procs × clock, not stored) are left out. */
const withoutStwCpu = (line: string): string =>
  line.replace(/, [\d.]+\+([\d./]+)\+[\d.]+ ms cpu/, ', _+$1+_ ms cpu');

describe('sessions.export', () => {
  it('json: the session, every cycle, sample and heap snapshot under formatVersion 2', async () => {
    const result = await exported({ id: simId, format: 'json' });

    const file = JSON.parse(result.content) as SessionExport;
    expect(result).toMatchObject({ encoding: 'utf8', fileName: `heapscope-${simId}.json` });
    expect(result.content.startsWith('{\n  "format": "heapscope-session",\n  "formatVersion": 2,')).toBe(
      true,
    );
    expect(file.session).toMatchObject({ id: simId, source: 'simulation', cycleCount: output.cycles.length });
    expect(file.cycles).toEqual(output.cycles);
    expect(file.samples).toEqual(output.samples);
    expect(file.snapshots).toEqual(output.snapshots);
  });

  it('csv: a header with units and one RFC 4180 row per cycle', async () => {
    const result = await exported({ id: simId, format: 'csv' });

    const lines = result.content.split('\r\n');
    expect(lines[0]).toBe(CYCLE_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(output.cycles.length + 2);
    expect(lines.at(-1)).toBe('');
    const last = output.cycles.at(-1)!;
    const cells = lines.at(-2)!.split(',');
    const column = (name: string): string => cells[CYCLE_CSV_COLUMNS.indexOf(name)]!;
    expect(column('seq')).toBe(String(last.seq));
    expect(column('heap_goal_bytes')).toBe(String(last.heapGoalBytes));
    expect(column('pause_ns')).toBe(String(last.pauseNs));
    expect(column('pause_count')).toBe(String(last.pauses.length));
  });

  it('csv: an imported session leaves what a gctrace line cannot know empty', async () => {
    const result = await exported({ id: importedId, format: 'csv' });

    const [header, first] = result.content.split('\r\n');
    const cells = first!.split(',');
    expect(cells[header!.split(',').indexOf('objects_freed_count')]).toBe('');
    expect(cells[header!.split(',').indexOf('heap_goal_bytes')]).not.toBe('');
  });

  it('csv --table pauses: one row per stop-the-world window', async () => {
    const result = await exported({ id: simId, format: 'csv', table: 'pauses' });

    const rows = result.content.trimEnd().split('\r\n');
    expect(rows[0]).toBe('seq,pause_index,start_ns,duration_ns');
    expect(rows).toHaveLength(1 + output.cycles.reduce((n, c) => n + c.pauses.length, 0));
    const first = output.cycles[0]!.pauses[0]!;
    expect(rows[1]).toBe(`1,0,${first.startNs},${first.durationNs}`);
  });

  it('gctrace: imports back to the same cycles, to the precision gctrace prints', async () => {
    const result = await exported({ id: simId, format: 'gctrace' });
    const path = join(tempDir(), 'export.gctrace.txt');
    writeFileSync(path, result.content);

    const db = openDatabase(app.dbPath);
    const { sessionId } = await importGctraceFile(path, { database: db });
    const back = new SessionRepository(db).cycles(sessionId);
    db.close();

    expect(result.content.split('\n')[0]).toMatch(/^gc 1 @\d+\.\d{3}s \d+%: /);
    expect(back).toHaveLength(output.cycles.length);
    const lines = (cycles: CycleRecord[]): string[] => cycles.map((c) => withoutStwCpu(formatGctraceLine(c)));
    expect(lines(back)).toEqual(lines(output.cycles));
    expect(back.map((c) => c.trigger)).toEqual(
      output.cycles.map((c) => (c.trigger === 'forced' ? 'forced' : 'heap')),
    );
  });

  it('gctrace: an imported pacer trace exports line for line, its pacer lines before each cycle line', async () => {
    const path = join(FIXTURES, 'go1.19.8_churn_pacertrace.txt');
    const db = openDatabase(app.dbPath);
    const { sessionId } = await importGctraceFile(path, { database: db });
    db.close();

    const result = await exported({ id: sessionId, format: 'gctrace' });

    const traceLines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('#'));
    expect(result.content.split('\n')).toEqual(traceLines);
  });

  it('gctrace: a run on fewer CPUs than Ps counts each pause on the CPUs (stwprocs), as Go prints it', async () => {
    const db = openDatabase(app.dbPath);
    const config: RunRequest = {
      scenario: 'export',
      customScenario: scenario,
      collector: 'go',
      gogc: 100,
      procs: 4,
      seed: 3,
      durationMs: 60,
      name: null,
      cpus: 2,
    };
    const id = new SessionRepository(db).create({
      name: 'on 2 CPUs',
      source: 'simulation',
      scenario: 'export',
      collector: 'go',
      config,
      seed: 3,
      engineVersion: null,
      recorderPid: null,
    });
    const recorder = new Recorder(db, id);
    recorder.add(output.cycles, [], []);
    recorder.flush();
    db.close();

    const lines = (await exported({ id, format: 'gctrace' })).content.trimEnd().split('\n');
    const first = output.cycles[0]!;
    expect(first.procs).toBe(4);
    expect(lines[0]).toBe(formatGctraceLine(first, 2));
    expect(lines[0]).not.toBe(formatGctraceLine(first));
  });

  it("pprof: the last snapshot as a gzipped heap profile whose totals are the sites' totals", async () => {
    const result = await exported({ id: simId, format: 'pprof' });

    const last = output.snapshots.at(-1)!;
    const profile = Profile.decode(gunzipSync(exportBytes(result)));
    const strings = profile.stringTable.strings;
    expect(result).toMatchObject({ encoding: 'base64', fileName: `heapscope-${simId}-gc${last.seq}.pb.gz` });
    expect(profile.sampleType.map((t) => `${strings[Number(t.type)]}/${strings[Number(t.unit)]}`)).toEqual([
      'alloc_objects/count',
      'alloc_space/bytes',
      'inuse_objects/count',
      'inuse_space/bytes',
    ]);
    const totals = [0, 1, 2, 3].map((i) => profile.sample.reduce((sum, s) => sum + Number(s.value[i]), 0));
    const sum = (pick: (s: (typeof last.sites)[number]) => number): number =>
      last.sites.reduce((n, s) => n + pick(s), 0);
    expect(totals).toEqual([
      sum((s) => s.heapAllocations),
      sum((s) => s.heapBytes),
      sum((s) => s.liveObjects),
      sum((s) => s.liveBytes),
    ]);
    expect(totals[3]).toBeGreaterThan(0);
    expect(strings).toContain('main.main: sink = make([]byte, n)');
    expect(strings[Number(profile.defaultSampleType)]).toBe('inuse_space');
  });

  it("pprof with a cycle: that cycle's snapshot", async () => {
    const first = output.snapshots[0]!;

    const result = await exported({ id: simId, format: 'pprof', cycle: first.seq });

    const profile = Profile.decode(gunzipSync(exportBytes(result)));
    const inuse = profile.sample.reduce((sum, s) => sum + Number(s.value[3]), 0);
    expect(result.fileName).toBe(`heapscope-${simId}-gc${first.seq}.pb.gz`);
    expect(inuse).toBe(first.sites.reduce((n, s) => n + s.liveBytes, 0));
  });

  it.skipIf(spawnSync('go', ['version']).status !== 0)('pprof: go tool pprof -top reads it', async () => {
    const result = await exported({ id: simId, format: 'pprof' });
    const path = join(tempDir(), 'heap.pb.gz');
    writeFileSync(path, exportBytes(result));

    const top = spawnSync('go', ['tool', 'pprof', '-top', '-sample_index=alloc_space', path], {
      encoding: 'utf8',
      timeout: 60_000,
    });

    const raw = spawnSync('go', ['tool', 'pprof', '-raw', path], { encoding: 'utf8', timeout: 60_000 });

    expect(top.stderr).not.toMatch(/error|failed/i);
    // pprof's reports drop what follows a "(" in a function name, as they do a C++ argument list.
    expect(top.stdout).toMatch(/^\s*\S+kB\s.*main\.main: sink = make$/m);
    expect(top.stdout).toMatch(/Type: alloc_space/);
    expect(raw.stdout).toContain('main.main: sink = make([]byte, n)');
  });

  it('trace: valid trace-event JSON, every event typed and in ts order', async () => {
    const result = await exported({ id: simId, format: 'trace' });

    const trace = traceOf(result);
    expect(result).toMatchObject({ encoding: 'utf8', fileName: `heapscope-${simId}.trace.json` });
    expect(trace.displayTimeUnit).toBe('ms');
    expect(traceEventProblems(trace)).toEqual([]);
    expect(new Set(trace.traceEvents.map((e) => e.ph))).toEqual(new Set(['M', 'X', 'C']));
  });

  it("trace: the pauses' total is the session's pause total", async () => {
    const session = (await app.dispatch('sessions.get', { id: simId })) as SessionDetail;

    const trace = traceOf(await exported({ id: simId, format: 'trace' }));

    const pauses = trace.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'stw');
    expect(pauses).toHaveLength(output.cycles.reduce((n, c) => n + c.pauses.length, 0));
    expect(Math.round(pauses.reduce((sum, e) => sum + (e.ph === 'X' ? e.dur : 0), 0) * 1000)).toBe(
      session.stats.pauseTotalNs,
    );
    expect(trace.otherData.pauseTotalNs).toBe(session.stats.pauseTotalNs);
  });

  it('trace: names the process after the session and a mark slice per cycle with its heap', async () => {
    const trace = traceOf(await exported({ id: simId, format: 'trace' }));

    const last = output.cycles.at(-1)!;
    const mark = trace.traceEvents.find((e) => e.name === `GC ${last.seq} mark`);
    expect(trace.traceEvents[0]).toMatchObject({
      ph: 'M',
      name: 'process_name',
      args: { name: 'export, "quoted"' },
    });
    expect(
      trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args),
    ).toEqual([{ name: 'GC' }, { name: 'STW' }]);
    expect(mark).toMatchObject({
      ph: 'X',
      ts: (last.startNs + last.sweepTermNs) / 1000,
      dur: last.markNs / 1000,
      args: {
        gc: last.seq,
        trigger: last.trigger,
        heapStartBytes: last.heapStartBytes,
        heapEndBytes: last.heapEndBytes,
        heapMarkedBytes: last.heapMarkedBytes,
        heapGoalBytes: last.heapGoalBytes,
        backgroundCpuNs: last.backgroundCpuNs,
      },
    });
  });

  it('trace: heap counters at every sample and a goal per cycle', async () => {
    const trace = traceOf(await exported({ id: simId, format: 'trace' }));

    const named = (name: string) => trace.traceEvents.filter((e) => e.ph === 'C' && e.name === name);
    expect(named('heap allocated')).toHaveLength(output.samples.length);
    expect(named('heap in use').map((e) => e.args)).toEqual(
      output.samples.map((s) => ({ bytes: s.heapInUseBytes })),
    );
    expect(named('heap goal').map((e) => e.args)).toEqual(
      output.cycles.map((c) => ({ bytes: c.heapGoalBytes })),
    );
    expect(named('heap marked')).toHaveLength(output.cycles.length);
  });

  it('trace: an imported log exports too, its pauses summing to its pause total', async () => {
    const session = (await app.dispatch('sessions.get', { id: importedId })) as SessionDetail;

    const trace = traceOf(await exported({ id: importedId, format: 'trace' }));

    const pauseNs =
      trace.traceEvents.reduce((sum, e) => sum + (e.ph === 'X' && e.cat === 'stw' ? e.dur : 0), 0) * 1000;
    expect(traceEventProblems(trace)).toEqual([]);
    expect(session.stats.pauseTotalNs).toBeGreaterThan(0);
    expect(Math.round(pauseNs)).toBe(session.stats.pauseTotalNs);
  });

  it.each<[Record<string, unknown>, string, RegExp]>([
    [
      { format: 'pprof', id: 'imported' },
      'invalid-argument',
      /imported gctrace session: a gctrace log carries no heap snapshots.*pprof needs a simulated session/,
    ],
    [
      { format: 'pprof', cycle: 999_999 },
      'not-found',
      /no heap snapshot at the end of cycle 999999; it has snapshots of cycles 1/,
    ],
    [
      { format: 'xml' },
      'invalid-argument',
      /format: expected an export format: "json", "csv", "gctrace", "pprof" or "trace"/,
    ],
    [
      { format: 'csv', cycle: 2 },
      'invalid-argument',
      /cycle picks the heap snapshot of a pprof export; format csv/,
    ],
    [
      { format: 'gctrace', table: 'pauses' },
      'invalid-argument',
      /table picks the CSV table.*format gctrace has no tables/,
    ],
    [{ format: 'json', id: 424242 }, 'not-found', /session 424242 does not exist/],
  ])('refuses %o with %s', async (args, code, message) => {
    const id = args.id === 'imported' ? importedId : (args.id ?? simId);

    const failure = await exported({ ...args, id }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ code, message: expect.stringMatching(message) });
  });
});
