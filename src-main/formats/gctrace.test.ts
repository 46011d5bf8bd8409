import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CycleRecord } from '../engine/record';
import {
  GctraceInputError,
  GctraceParser,
  heapSamplesOf,
  MAX_REPORTED_PROBLEMS,
  parseGctrace,
  SIMULATION_ONLY,
  type GctraceBatch,
  type GctraceCycle,
  type GctraceReport,
} from './gctrace';
import { formatGctrace } from './gctrace-format';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'gctrace');
const MiB = 2 ** 20;
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const fixtureLines = (name: string): string[] => fixture(name).split('\n');
const TRACE_FIXTURES = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.txt'))
  .filter((name) => fixtureLines(name).some((line) => line.startsWith('gc')));

// The validated regexes of reference/go-runtime.md §4.6, as an oracle independent of the parser's
// hand-written scanner. Decimal strings become ns through floating point (exact at ≤ 3 decimals).
const GC_REGEX =
  /^gc #?(?<n>\d+) @(?<t>\d+\.\d+)s (?<pct>\d+)%: (?<clock>[0-9.+]+) ms clock, (?<cpu>[0-9.+/]+) ms cpu, (?<h0>\d+)->(?<h1>\d+)->(?<h2>\d+) MB, (?<goal>\d+) MB goal, (?:(?<stacks>\d+) MB stacks, (?<globals>\d+) MB globals, )?(?<p>\d+) P(?<forced> \(forced\))?$/;
const GO14_REGEX =
  /^gc(\d+)\((\d+)\): ([0-9+]+) us, (\d+) -> (\d+) MB, (\d+) \((\d+)-(\d+)\) objects, (\d+) goroutines, (\d+)\/(\d+)\/(\d+) sweeps, (\d+)\((\d+)\) handoff, (\d+)\((\d+)\) steal, (\d+)\/(\d+)\/(\d+) yields$/;

const msToNs = (text: string): number => Math.round(Number(text) * 1e6);
/** The Go release in a fixture's name ("go1.19.8_…"), as a user would pass it. */
const goVersionOf = (name: string): string | null => /^go(1\.\d+(?:\.\d+)?)_/.exec(name)?.[1] ?? null;

/** What the §4.6 regex says a ≥ 1.5 cycle line holds, in record terms. */
function expectedFromLine(
  line: string,
): Partial<CycleRecord> & { sweepTermCpuNs: number; markTermCpuNs: number } {
  const g = GC_REGEX.exec(line)!.groups!;
  const clock = g.clock!.split('+').map(msToNs);
  const cpu = g.cpu!.split(/[+/]/).map(msToNs);
  const fiveClock = clock.length === 5;
  const [assist, background, idle] = fiveClock ? cpu.slice(3, 6) : cpu.slice(1, 4);
  return {
    seq: Number(g.n),
    startNs: Math.round(Number(g.t) * 1e9),
    trigger: g.forced ? 'forced' : 'heap',
    heapStartBytes: Number(g.h0) * MiB,
    heapEndBytes: Number(g.h1) * MiB,
    heapMarkedBytes: Number(g.h2) * MiB,
    heapGoalBytes: Number(g.goal) * MiB,
    heapTriggerBytes: Number(g.h0) * MiB,
    stacksBytes: Number(g.stacks ?? 0) * MiB,
    globalsBytes: Number(g.globals ?? 0) * MiB,
    procs: Number(g.p),
    sweepTermNs: clock[0],
    markNs: clock.slice(1, -1).reduce((a, b) => a + b, 0),
    markTermNs: clock.at(-1),
    pauseNs: clock[0]! + clock.at(-1)!,
    assistCpuNs: assist,
    backgroundCpuNs: background,
    idleCpuNs: idle,
    gcCpuFraction: Number(g.pct) / 100,
    sweepTermCpuNs: cpu[0]!,
    markTermCpuNs: cpu.at(-1)!,
  };
}

function parseInChunks(text: string, cuts: number[], options = {}) {
  const parser = new GctraceParser(options);
  const batches: GctraceBatch[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    batches.push(parser.push(text.slice(at, cut)));
    at = cut;
  }
  batches.push(parser.push(text.slice(at)));
  batches.push(parser.end());
  return {
    cycles: batches.flatMap((b) => b.cycles),
    diagnostics: batches.flatMap((b) => b.diagnostics),
    report: parser.report(),
  };
}

function inputError(text: string): GctraceInputError {
  try {
    parseGctrace(text);
  } catch (error) {
    if (error instanceof GctraceInputError) return error;
    throw error;
  }
  throw new Error('expected a GctraceInputError');
}

const LINE_118 =
  'gc 4 @0.005s 10%: 0.004+0.53+0.053 ms clock, 0.008+0.030/0.051/0.30+0.10 ms cpu, 26->28->17 MB, 31 MB goal, 0 MB stacks, 0 MB globals, 2 P';

describe('fixtures: every cycle line of every real trace', () => {
  for (const name of TRACE_FIXTURES) {
    it(`${name}: one cycle per gc line, each holding exactly the line's numbers`, () => {
      const lines = fixtureLines(name);
      const gcLines = lines.filter((line) => line.startsWith('gc '));
      const go14Lines = lines.filter((line) => GO14_REGEX.test(line));

      const goVersion = goVersionOf(name);

      const { cycles, report } = parseGctrace(fixture(name), { goVersion });

      expect(cycles).toHaveLength(gcLines.length + go14Lines.length);
      expect(report.malformedLines).toBe(0);
      expect(report.truncatedLastLine).toBeNull();
      const concurrent = cycles.filter((c) => c.format !== 'go1.4');
      expect(concurrent.map((c) => lines[c.line - 1])).toEqual(gcLines);
      for (const cycle of concurrent) {
        const { sweepTermCpuNs, markTermCpuNs, ...fields } = expectedFromLine(lines[cycle.line - 1]!);
        // A pacer end line gives these exactly (the 'gcpacertrace lines' tests hold them).
        const { heapTriggerBytes, stacksBytes, globalsBytes, ...lineOnly } = fields;
        expect(cycle.record).toMatchObject(
          cycle.pacer?.end ? lineOnly : { ...lineOnly, heapTriggerBytes, stacksBytes, globalsBytes },
        );
        expect(cycle).toMatchObject({ sweepTermCpuNs, markTermCpuNs });
        // Go 1.19 prints Σ stack sizes as "MB stacks": MemStats.StackInuse.
        expect(cycle.record.stackInUseBytes).toBe(goVersion === null ? null : fields.stacksBytes);
      }
    });
  }

  const trailers = TRACE_FIXTURES.map(
    (name) => [name, /^# final: .*NumGC=(\d+)/m.exec(fixture(name))] as const,
  );
  for (const [name, trailer] of trailers.filter(([, t]) => t !== null)) {
    it(`${name}: agrees with the program's own NumGC trailer`, () => {
      const { cycles, report } = parseGctrace(fixture(name));

      expect(cycles).toHaveLength(Number(trailer![1]));
      expect(report).toMatchObject({ firstSeq: 1, lastSeq: Number(trailer![1]), missingCycles: 0, runs: 1 });
    });
  }

  it('counts the (forced) lines the trace prints, including the one Go 1.19 misattributes (#52515)', () => {
    const forced = parseGctrace(fixture('go1.19.8_churn_forced.txt')).report.forcedCycles;
    const scav = parseGctrace(fixture('go1.19.8_scav.txt')).report.forcedCycles;

    expect(forced).toBe(4); // the trailer's NumForcedGC=4
    expect(scav).toBe(3); // the trailer says NumForcedGC=2: the race marks a heap cycle forced
  });

  it('reads the pacer trace and skips only the program output, counted', () => {
    const { report } = parseGctrace(fixture('go1.19.8_churn_pacertrace.txt'));

    expect(report).toMatchObject({
      linesRead: 16,
      cycles: 5,
      pacerLines: 10,
      pacerCycles: 5,
      unattachedPacerLines: 0,
      skippedLines: 1,
      malformedLines: 0,
    });
  });

  it('reads the scavenger lines of the scav fixture into the report', () => {
    const { report } = parseGctrace(fixture('go1.19.8_scav.txt'));

    expect(report.scavenger).toMatchObject({
      lines: 9,
      format: 'scav-1.15',
      forcedLines: 1,
      lastReleasedBytes: 208416 * 1024,
      peakReleasedBytes: 208416 * 1024,
    });
    expect(report.scavenger!.entries[0]).toEqual({
      line: 1,
      afterSeq: 0,
      format: 'scav-1.15',
      workBytes: 0,
      eagerWorkBytes: null,
      releasedBytes: 3568 * 1024,
      utilPercent: 98,
      forced: false,
    });
    expect(report.scavenger!.entries.at(-1)).toMatchObject({
      afterSeq: 8,
      workBytes: 1640 * 1024,
      forced: true,
    });
  });

  it('states the precision of imported numbers', () => {
    const { report } = parseGctrace(fixture('go1.19.8_churn_gogc100.txt'));

    expect(report).toMatchObject({ format: 'go1.18+', precisionBytes: 1048576, startPrecisionNs: 1_000_000 });
  });
});

describe('each format, hand-checked', () => {
  it('Go ≥ 1.18: every field, stacks and globals included', () => {
    const line =
      'gc 1 @0.016s 19%: 0.053+36+0.016 ms clock, 0.21+36/4.9/39+0.066 ms cpu, 3->3->3 MB, 4 MB goal, 66 MB stacks, 0 MB globals, 4 P';

    const [cycle] = parseGctrace(`${line}\n`, { goVersion: '1.19' }).cycles;

    expect(cycle).toEqual<GctraceCycle>({
      format: 'go1.18+',
      line: 1,
      run: 1,
      sweepTermCpuNs: 210_000,
      markTermCpuNs: 66_000,
      pacer: null,
      record: {
        seq: 1,
        startNs: 16_000_000,
        trigger: 'heap',
        heapStartBytes: 3 * MiB,
        heapEndBytes: 3 * MiB,
        heapMarkedBytes: 3 * MiB,
        heapGoalBytes: 4 * MiB,
        heapTriggerBytes: 3 * MiB,
        stacksBytes: 66 * MiB,
        globalsBytes: 0,
        procs: 4,
        sweepTermNs: 53_000,
        markNs: 36_000_000,
        markTermNs: 16_000,
        pauseNs: 69_000,
        pauses: [
          { startNs: 16_000_000, durationNs: 53_000 },
          { startNs: 16_000_000 + 53_000 + 36_000_000, durationNs: 16_000 },
        ],
        assistCpuNs: 36_000_000,
        backgroundCpuNs: 4_900_000,
        idleCpuNs: 39_000_000,
        gcCpuFraction: 0.19,
        ...SIMULATION_ONLY,
        assistRatio: null,
        stackInUseBytes: 66 * MiB,
      },
    });
  });

  it('leaves every field only a simulation knows null, in every format', () => {
    const { cycles } = parseGctrace(fixture('published_samples.txt'));

    for (const { record } of cycles) {
      expect(Object.keys(record).sort()).toEqual(Object.keys(cycles[0]!.record).sort());
      for (const field of Object.keys(SIMULATION_ONLY) as (keyof CycleRecord)[]) {
        expect(record[field]).toBeNull();
      }
    }
  });

  it('reads "MB stacks" by the Go version: Σ stack sizes in Go 1.18/1.19, the scanned bytes since', () => {
    const text = fixture('go1.19.8_stacks.txt');

    const go119 = parseGctrace(text, { goVersion: 'go1.19.8' });
    const go121 = parseGctrace(text, { goVersion: '1.21' });
    const unknown = parseGctrace(text);

    expect(go119.cycles[0]!.record).toMatchObject({ stacksBytes: 31 * MiB, stackInUseBytes: 31 * MiB });
    expect(go121.cycles[0]!.record).toMatchObject({ stacksBytes: 31 * MiB, stackInUseBytes: null });
    expect(unknown.cycles[0]!.record).toMatchObject({ stacksBytes: 31 * MiB, stackInUseBytes: null });
    expect(go119.report.substitutions.find((s) => s.field === 'stacksBytes')?.stored).toMatch(
      /upper bound.*#54649/,
    );
    expect(go121.report.substitutions.find((s) => s.field === 'stacksBytes')).toBeUndefined();
    expect(unknown.report.substitutions.find((s) => s.field === 'stacksBytes')?.stored).toMatch(
      /version was not given/,
    );
    expect(go119.report.goVersion).toBe('go1.19.8');
  });

  it('refuses a Go version it cannot read', () => {
    expect(() => new GctraceParser({ goVersion: 'latest' })).toThrow(/"latest" is not a Go version/);
  });

  it('Go 1.6–1.17: no stacks or globals (stored as 0 and listed as substituted)', () => {
    const { cycles, report } = parseGctrace(
      'gc 10 @3.963s 1%: 0.062+188+0.38 ms clock, 2.0+0/701/105+12 ms cpu, 1235->1241->1093 MB, 1267 MB goal, 40 P\n',
    );

    expect(cycles[0]!.format).toBe('go1.6-1.17');
    expect(cycles[0]!.record).toMatchObject({
      seq: 10,
      startNs: 3_963_000_000,
      heapStartBytes: 1235 * MiB,
      heapGoalBytes: 1267 * MiB,
      stacksBytes: 0,
      globalsBytes: 0,
      procs: 40,
      markNs: 188_000_000,
      pauseNs: 442_000,
      assistCpuNs: 0,
      backgroundCpuNs: 701_000_000,
      idleCpuNs: 105_000_000,
    });
    expect(cycles[0]).toMatchObject({ sweepTermCpuNs: 2_000_000, markTermCpuNs: 12_000_000 });
    expect(report.substitutions.map((s) => s.field)).toEqual(['heapTriggerBytes', 'globalsBytes']);
  });

  it('Go 1.5: five clock phases, "gc #N", scan and write-barrier phases counted as mark', () => {
    const { cycles } = parseGctrace(
      'gc #4 @1.107s 66%: 0+111+14+60+144 ms clock, 0+111+0+9/20/0+144 ms cpu, 5->8->6 MB, 7 MB goal, 1 P\n',
    );

    expect(cycles[0]!.format).toBe('go1.5');
    expect(cycles[0]!.record).toMatchObject({
      seq: 4,
      startNs: 1_107_000_000,
      sweepTermNs: 0,
      markNs: 185_000_000,
      markTermNs: 144_000_000,
      pauseNs: 144_000_000,
      assistCpuNs: 9_000_000,
      backgroundCpuNs: 20_000_000,
      idleCpuNs: 0,
      heapStartBytes: 5 * MiB,
      heapEndBytes: 8 * MiB,
      heapMarkedBytes: 6 * MiB,
      gcCpuFraction: 0.66,
    });
    expect(cycles[0]).toMatchObject({ sweepTermCpuNs: 0, markTermCpuNs: 144_000_000 });
  });

  it("Go ≤ 1.4: a stop-the-world cycle; the live heap comes from the next line's h0", () => {
    const text = [
      'gc5(2): 10+20+300+40 us, 3 -> 7 MB, 2118 (2655-537) objects, 85 goroutines, 109/0/0 sweeps, 8(66) handoff, 11(38) steal, 103/4/0 yields',
      'gc6(2): 0+0+0+1000 us, 4 -> 9 MB, 2118 (2655-537) objects, 85 goroutines, 109/0/0 sweeps, 8(66) handoff, 11(38) steal, 103/4/0 yields',
    ].join('\n');

    const { cycles, report } = parseGctrace(text);

    expect(cycles.map((c) => c.format)).toEqual(['go1.4', 'go1.4']);
    expect(cycles[0]!.record).toMatchObject({
      seq: 5,
      startNs: 0,
      procs: 2,
      sweepTermNs: 30_000,
      markNs: 300_000,
      markTermNs: 40_000,
      pauseNs: 370_000,
      heapStartBytes: 7 * MiB,
      heapEndBytes: 7 * MiB,
      heapMarkedBytes: 4 * MiB,
      heapGoalBytes: 7 * MiB,
      gcCpuFraction: 0,
    });
    expect(cycles[1]!.record).toMatchObject({
      seq: 6,
      startNs: 370_000,
      pauseNs: 1_000_000,
      heapMarkedBytes: 9 * MiB,
    });
    expect(report).toMatchObject({
      format: 'go1.4',
      startPrecisionNs: null,
      timePrecision: 'whole microseconds',
    });
    expect(report.substitutions.find((s) => s.field === 'heapMarkedBytes')?.cycles).toBe(1);
  });

  it('the (forced) suffix marks the trigger', () => {
    const { cycles } = parseGctrace(`${LINE_118} (forced)\n${LINE_118.replace('gc 4', 'gc 5')}\n`);

    expect(cycles.map((c) => c.record.trigger)).toEqual(['forced', 'heap']);
  });

  it('stores a GOGC=off goal (2^44−1 MB before Go 1.19, ~2^43 since) as 0 and says so', () => {
    const pre119 = LINE_118.replace('31 MB goal', '17592186044415 MB goal');
    const go119 = LINE_118.replace('gc 4', 'gc 5').replace('31 MB goal', '8796093022207 MB goal');

    const { cycles, report } = parseGctrace(`${pre119}\n${go119}\n`);

    expect(cycles.map((c) => c.record.heapGoalBytes)).toEqual([0, 0]);
    expect(report.noGoalCycles).toBe(2);
    expect(report.substitutions).toContainEqual(
      expect.objectContaining({ field: 'heapGoalBytes', cycles: 2 }),
    );
  });

  it('reads scavenger lines in the Go 1.15–1.19, ≥ 1.20 and ≤ 1.14 formats', () => {
    const text = [
      'scav 0 KiB work (bg), 186960 KiB work (eager), 208712 KiB now, 9% util (forced)',
      'scav 12 KiB work, 3568 KiB total, 98% util [controller reset]',
      'scvg3: 5 MB released',
      'scvg3: inuse: 3, idle: 5, sys: 8, released: 5, consumed: 3 (MB)',
      LINE_118,
    ].join('\n');

    const { report } = parseGctrace(text);

    expect(report.scavenger).toMatchObject({
      lines: 4,
      format: 'scvg',
      forcedLines: 1,
      workBytes: (186960 + 12) * 1024 + 5 * MiB,
      lastReleasedBytes: 5 * MiB,
      peakReleasedBytes: 208712 * 1024,
      minUtilPercent: 9,
    });
    expect(report.scavenger!.entries.map((e) => e.format)).toEqual([
      'scav-1.20+',
      'scav-1.15',
      'scvg',
      'scvg',
    ]);
  });
});

describe('gcpacertrace lines', () => {
  const PACERTRACE = 'go1.19.8_churn_pacertrace.txt';
  const [START_1, END_1, GC_1] = fixtureLines(PACERTRACE) as [string, string, string];

  it('gives gc 1 its assist ratio, exact trigger, stack and globals scan work, and keeps the rest beside it', () => {
    const [gc1] = parseGctrace(fixture(PACERTRACE), { goVersion: '1.19.8' }).cycles;

    expect(gc1!.record).toMatchObject({
      seq: 1,
      assistRatio: 1.1368,
      heapTriggerBytes: 3997696,
      stacksBytes: 7752,
      globalsBytes: 223504,
      // What the gc line printed, unchanged: "3->4->3 MB, 4 MB goal, 0 MB stacks".
      heapStartBytes: 3 * MiB,
      heapGoalBytes: 4 * MiB,
      stackInUseBytes: 0,
      markUtilization: null,
    });
    expect(gc1!.pacer).toEqual({
      sweepDone: null,
      start: {
        heapScanMiB: 0,
        initialHeapLiveMiB: 3,
        heapGoalMiB: 4,
        dedicatedWorkers: 0,
        fractionalUtilizationGoal: 0.25,
      },
      end: {
        utilizationPercent: 54,
        expectedUtilizationPercent: 25,
        heapScanWorkBytes: 237792,
        expectedScanWorkBytes: 223504,
        heapLiveBytes: 4415488,
        goalDeltaBytes: 221184,
        consMark: 0,
        controllerReset: false,
      },
    });
  });

  it('gives gc 4 the trigger it started against (17649471 B) and the 7768 B of stack it scanned', () => {
    const gc4 = parseGctrace(fixture(PACERTRACE)).cycles[3]!;

    expect(gc4.record).toMatchObject({
      seq: 4,
      assistRatio: 0.2956413,
      heapTriggerBytes: 17649471,
      stacksBytes: 7768,
      globalsBytes: 223504,
      heapStartBytes: 16 * MiB,
    });
    expect(gc4.pacer!.end).toMatchObject({
      goalDeltaBytes: -1054064,
      consMark: 1.128738,
      heapLiveBytes: 18183704,
    });
  });

  it('no longer stands h0 in for the trigger, nor the printed MB stacks for the stack bytes, where the pacer gave them', () => {
    const withPacer = parseGctrace(fixture(PACERTRACE), { goVersion: '1.19.8' }).report;
    const withoutPacer = parseGctrace(
      fixtureLines(PACERTRACE)
        .filter((line) => !line.startsWith('pacer:'))
        .join('\n'),
      { goVersion: '1.19.8' },
    ).report;

    expect(withPacer.substitutions).toEqual([]);
    expect(withoutPacer.substitutions.map((s) => [s.field, s.cycles])).toEqual([
      ['heapTriggerBytes', 5],
      ['stacksBytes', 5],
    ]);
    expect(withoutPacer).toMatchObject({ pacerLines: 0, pacerCycles: 0 });
  });

  it('reports a pacer line that does not parse as malformed, and the cycle keeps what the other line gave', () => {
    const text = [START_1, END_1.replace('cons/mark +0.000000e+000', 'cons/mark'), GC_1].join('\n');

    const { cycles, diagnostics, report } = parseGctrace(text);

    expect(report).toMatchObject({ malformedLines: 1, pacerLines: 1, pacerCycles: 1, skippedLines: 0 });
    expect(report.malformed[0]).toMatchObject({
      line: 2,
      reason: expect.stringContaining('cons/mark <float>'),
    });
    expect(diagnostics).toEqual([expect.objectContaining({ kind: 'malformed', line: 2 })]);
    expect(cycles[0]!.record).toMatchObject({
      assistRatio: 1.1368,
      heapTriggerBytes: 3 * MiB,
      stacksBytes: 0,
    });
    expect(cycles[0]!.pacer).toMatchObject({ start: { heapGoalMiB: 4 }, end: null });
  });

  it.each([
    [
      'a start line with an unreadable ratio',
      'pacer: assist ratio=fast (scan 0 MB in 3->4 MB) workers=0+0',
      'assist ratio=<float>',
    ],
    ['an infinite assist ratio', START_1.replace('+1.136800e+000', '+Inf'), 'an assist ratio of +Inf'],
    ['a pacer line of another kind', 'pacer: scavenged 4 MB', 'pacer line of Go ≥ 1.18'],
    [
      'a cut-off sweeper line',
      'pacer: sweep done at heap size 4MB; allocated 0MB',
      'swept <n> pages at <float>',
    ],
    ['an unknown suffix', `${END_1} [unknown]`, 'expected the line to end after ")"'],
  ])('refuses %s as malformed', (_, line, reason) => {
    const { report } = parseGctrace(`${line}\n${GC_1}\n`);

    expect(report.malformed).toEqual([{ line: 1, reason: expect.stringContaining(reason), text: line }]);
    expect(report.pacerLines).toBe(0);
  });

  it('reports pacer lines the log ends with, which no gc line took', () => {
    const text = `${fixture(PACERTRACE).trimEnd()}\n${START_1}\n${END_1}\n`;

    const { cycles, diagnostics, report } = parseGctrace(text);

    expect(cycles).toHaveLength(5);
    expect(report).toMatchObject({
      pacerLines: 12,
      pacerCycles: 5,
      unattachedPacerLines: 2,
      malformedLines: 0,
    });
    expect(report.unattachedPacer).toEqual([
      { line: 17, reason: 'the log ends before a gc line takes it', text: START_1 },
      { line: 18, reason: 'the log ends before a gc line takes it', text: END_1 },
    ]);
    expect(diagnostics.map((d) => [d.kind, d.line])).toEqual([
      ['unattached-pacer', 17],
      ['unattached-pacer', 18],
    ]);
  });

  it('reports the pacer lines of a cycle whose gc line is missing, and gives the next cycle its own', () => {
    const lines = fixtureLines(PACERTRACE);
    const withoutGc1 = [...lines.slice(0, 2), ...lines.slice(3)].join('\n');

    const { cycles, report } = parseGctrace(withoutGc1);

    expect(report.unattachedPacer.map((u) => [u.line, u.reason])).toEqual([
      [1, 'another pacer line came before a gc line took it'],
      [2, 'another pacer line came before a gc line took it'],
    ]);
    expect(cycles[0]!.record).toMatchObject({ seq: 2, assistRatio: 0.3654616, heapTriggerBytes: 7174361 });
  });

  it("gives the sweeper's line, printed between two cycles, to the cycle after it, and prints it back first", () => {
    const sweep =
      'pacer: sweep done at heap size 12MB; allocated 1MB during sweep; swept 1536 pages at +1.234568e-004 pages/byte';
    const lines = fixtureLines(PACERTRACE);
    const text = [...lines.slice(0, 3), sweep, ...lines.slice(3, 6)].join('\n');

    const { cycles, report } = parseGctrace(text);

    expect(report).toMatchObject({ pacerLines: 5, pacerCycles: 2, malformedLines: 0, skippedLines: 0 });
    expect(cycles[0]!.pacer!.sweepDone).toBeNull();
    expect(cycles[1]!.pacer!.sweepDone).toEqual({
      heapLiveMiB: 12,
      allocatedMiB: 1,
      pagesSwept: 1536,
      pagesPerByte: 1.234568e-4,
    });
    expect(formatGctrace(cycles)).toBe(`${text}\n`);
  });

  it('keeps h0 as the trigger of a forced cycle whose mark ended at its trigger (endCycle printed nothing)', () => {
    // From a run of churn -live 8 -total 256 -force 64 under Go 1.19.8: runtime.GC() with the heap at its
    // trigger, so endCycle returned before printing (heapLive <= triggered).
    const text = [
      'pacer: assist ratio=+5.102477e-002 (scan 0 MB in 8->17 MB) workers=0++2.500000e-001',
      'gc 32 @0.106s 8%: 0.054+0.55+0.078 ms clock, 0.10+0/0.48/0+0.15 ms cpu, 8->8->8 MB, 17 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)',
    ].join('\n');

    const { cycles, report } = parseGctrace(text);

    expect(cycles[0]!.record).toMatchObject({
      trigger: 'forced',
      assistRatio: 0.05102477,
      heapTriggerBytes: 8 * MiB,
      stacksBytes: 0,
      globalsBytes: 0,
    });
    expect(cycles[0]!.pacer).toMatchObject({ sweepDone: null, end: null, start: { heapGoalMiB: 17 } });
    expect(report.substitutions.map((s) => [s.field, s.cycles])).toContainEqual(['heapTriggerBytes', 1]);
    expect(formatGctrace(cycles)).toBe(`${text}\n`);
  });

  it('reads "[controller reset]", as Go 1.19 appends it and with a space before it', () => {
    for (const suffix of ['[controller reset]', ' [controller reset]']) {
      const { cycles, report } = parseGctrace(`${END_1}${suffix}\n${GC_1}\n`);

      expect(report.malformedLines).toBe(0);
      expect(cycles[0]!.pacer!.end!.controllerReset).toBe(true);
    }
  });

  it('finds a pacer line after program output on the same line', () => {
    const { cycles, report } = parseGctrace(`request served ${START_1}\n${GC_1}\n`);

    expect(report).toMatchObject({ embeddedLines: 1, pacerLines: 1, skippedLines: 0 });
    expect(cycles[0]!.record.assistRatio).toBe(1.1368);
  });

  it('still drops a repeated gc line that has no pacer lines of its own', () => {
    const { cycles, report } = parseGctrace([START_1, END_1, GC_1, GC_1].join('\n'));

    expect(cycles).toHaveLength(1);
    expect(report).toMatchObject({ duplicateLines: 1, runs: 1 });
  });
});

describe('the line-level quirks of real logs', () => {
  it('gives the same records for CRLF line endings', () => {
    const text = fixture('go1.19.8_churn_forced.txt');

    const crlf = parseGctrace(text.replaceAll('\n', '\r\n'));

    expect(crlf.cycles).toEqual(parseGctrace(text).cycles);
  });

  it('reports a truncated last line without failing, and keeps every cycle before it', () => {
    const text = fixture('go1.19.8_churn_gogc100.txt').split('\n').slice(0, 5).join('\n');
    const cut = `${text}\n${LINE_118.replace('gc 4', 'gc 6').slice(0, 80)}`;

    const { cycles, diagnostics, report } = parseGctrace(cut);

    expect(cycles).toHaveLength(5);
    expect(report.truncatedLastLine).toMatchObject({ line: 6, reason: 'expected " ms cpu, "' });
    expect(report.malformedLines).toBe(0);
    expect(diagnostics).toEqual([expect.objectContaining({ kind: 'truncated', line: 6 })]);
  });

  it('accepts a last line without a newline when it is complete', () => {
    const { cycles, report } = parseGctrace(LINE_118);

    expect(cycles).toHaveLength(1);
    expect(report.truncatedLastLine).toBeNull();
  });

  it('finds trace lines after program output on the same line, and skips the output', () => {
    const text = [
      'starting server on :8080',
      `2024-05-01T10:00:00Z stderr F ${LINE_118}`,
      `progress 50%\r${LINE_118.replace('gc 4', 'gc 5')} (forced)`,
      `${LINE_118.replace('gc 4', 'gc 6')}request served`,
      'running gc 7 times is not a trace line',
    ].join('\n');

    const { cycles, report } = parseGctrace(text);

    expect(cycles.map((c) => [c.record.seq, c.record.trigger, c.line])).toEqual([
      [4, 'heap', 2],
      [5, 'forced', 3],
      [6, 'heap', 4],
    ]);
    expect(report).toMatchObject({ linesRead: 5, embeddedLines: 2, skippedLines: 2, malformedLines: 0 });
  });

  it('reports trace lines broken by program output as malformed, with their line numbers', () => {
    const text = [
      LINE_118,
      'gc 5 @0.006s 10%: 0.004+hello from main+0.053 ms clock, …',
      'scav 0 KiB work, oops',
      LINE_118.replace('gc 4', 'gc 6'),
    ].join('\n');

    const { cycles, report, diagnostics } = parseGctrace(text);

    expect(cycles.map((c) => c.record.seq)).toEqual([4, 6]);
    expect(report.malformedLines).toBe(2);
    expect(report.malformed).toEqual([
      {
        line: 2,
        reason: 'expected a clock time in ms',
        text: 'gc 5 @0.006s 10%: 0.004+hello from main+0.053 ms clock, …',
      },
      { line: 3, reason: 'expected "scav <n> KiB work, …, <n>% util"', text: 'scav 0 KiB work, oops' },
    ]);
    expect(diagnostics.map((d) => d.line)).toEqual([2, 3]);
    expect(report.missingCycles).toBe(1);
  });

  it('keeps the report bounded: the first 1000 malformed lines, all of them counted', () => {
    const bad = 'gc 1 @x\n'.repeat(MAX_REPORTED_PROBLEMS + 5);

    const { report } = parseGctrace(`${bad}${LINE_118}\n`);

    expect(report.malformedLines).toBe(MAX_REPORTED_PROBLEMS + 5);
    expect(report.malformed).toHaveLength(MAX_REPORTED_PROBLEMS);
  });

  it('treats a line longer than 64 Ki characters as program output, but still finds a trace line at its end', () => {
    const long = `${'x'.repeat(200_000)}${LINE_118}`;

    const { cycles, report } = parseGctrace(`${long}\n${LINE_118.replace('gc 4', 'gc 5')}\n`);

    expect(cycles.map((c) => c.record.seq)).toEqual([4, 5]);
    expect(report).toMatchObject({ linesRead: 2, embeddedLines: 1 });
  });

  it('drops an exact repeat of the previous cycle line', () => {
    const { cycles, report } = parseGctrace(`${LINE_118}\n${LINE_118}\n`);

    expect(cycles).toHaveLength(1);
    expect(report.duplicateLines).toBe(1);
  });

  it('starts a new run where gc numbers restart (two logs appended); firstRunOnly keeps the first', () => {
    const run = fixture('go1.19.8_churn_gomaxprocs4.txt');

    const all = parseGctrace(`${run}${run}`);
    const first = parseGctrace(`${run}${run}`, { firstRunOnly: true });

    expect(all.cycles).toHaveLength(22);
    expect(all.cycles.at(-1)!.run).toBe(2);
    expect(all.report).toMatchObject({ runs: 2, laterRuns: [{ line: 13, seq: 1 }], cyclesNotImported: 0 });
    expect(first.cycles).toHaveLength(11);
    expect(first.report).toMatchObject({ cycles: 22, runs: 2, cyclesNotImported: 11 });
  });

  it('starts a new run when the start time goes back even if the gc number grows', () => {
    const text = `${LINE_118}\n${LINE_118.replace('gc 4 @0.005s', 'gc 9 @0.001s')}\n`;

    expect(parseGctrace(text).report.runs).toBe(2);
  });

  it("reads the trace lines out of a container's JSON log (docker json-file)", () => {
    const text = [1, 2, 3]
      .map(
        (seq) =>
          `{"log":"${LINE_118.replace('gc 4', `gc ${seq}`)}\\n","stream":"stderr","time":"2024-05-01T10:00:00Z"}`,
      )
      .join('\n');

    const { cycles, report } = parseGctrace(text);

    expect(cycles.map((c) => c.record.seq)).toEqual([1, 2, 3]);
    expect(report.embeddedLines).toBe(3);
  });

  it('strips a UTF-8 byte order mark', () => {
    expect(parseGctrace(`\uFEFF${LINE_118}\n`).cycles).toHaveLength(1);
  });
});

describe('chunk boundaries', () => {
  const mixed = [
    '\uFEFFstarting',
    fixture('go1.19.8_scav.txt').replaceAll('\n', '\r\n'),
    `noise ${LINE_118.replace('gc 4', 'gc 40')}`,
    'gc 41 @0.5s 10%: broken',
    fixture('published_samples.txt'),
    LINE_118.slice(0, 60),
  ].join('\n');
  const texts: [string, string][] = [
    ...TRACE_FIXTURES.map((name): [string, string] => [name, fixture(name)]),
    ['a mixed log (CRLF, BOM, output, malformed, runs, truncated)', mixed],
  ];

  for (const [name, text] of texts) {
    it(`${name}: any split gives the same cycles, diagnostics and report`, () => {
      const whole = parseInChunks(text, []);

      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 40 }), (cuts) => {
          expect(parseInChunks(text, cuts)).toEqual(whole);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('gives the same result one character at a time', () => {
    const text = fixture('go1.19.8_scav.txt').replaceAll('\n', '\r\n');
    const cuts = Array.from({ length: text.length }, (_, i) => i);

    expect(parseInChunks(text, cuts)).toEqual(parseInChunks(text, []));
  });
});

describe('input that is not a gctrace log', () => {
  const cases: [string, string, string, RegExp][] = [
    ['an empty file', '', 'empty', /found an empty input/],
    ['blank lines', '\n  \n\r\n', 'empty', /found only blank lines/],
    [
      'binary data with NUL bytes',
      `\u007fELF\u0002\u0001\u0001\u0000\u0000${'\u0000'.repeat(600)}`,
      'binary',
      /found binary data \(NUL bytes\)/,
    ],
    [
      'undecodable bytes',
      '\uFFFD\u0003\uFFFDab\uFFFD'.repeat(200),
      'binary',
      /found binary data \(bytes that are not UTF-8 text\)/,
    ],
    ['a JSON document', '{"sessions": [{"id": 1}]}\n', 'json', /found JSON/],
    ['a JSON array', '[\n  {"gc": 1}\n]\n', 'json', /found JSON without gc lines/],
    [
      'a program log with no gc lines',
      'listening on :8080\nGET / 200\n',
      'no-trace',
      /found 2 lines of text without a gc line/,
    ],
    ['the escape-analysis fixture', fixture('go1.19.8_escape_m.txt'), 'no-trace', /without a gc line/],
    [
      'the sizes fixture ("[]byte …" is not JSON)',
      fixture('go1.19.8_sizes.txt'),
      'no-trace',
      /without a gc line/,
    ],
    [
      'scavenger lines only',
      'scav 0 KiB work, 3568 KiB total, 98% util\n',
      'no-trace',
      /1 scavenger lines, but no cycles/,
    ],
    [
      'trace-like lines that never parse',
      'gc 1 @0.1s 5%: garbled\ngc 2 @0.2s 5%: garbled\n',
      'no-trace',
      /no cycle line that parses \(line 1: expected a clock time in ms: "gc 1 @0\.1s 5%: garbled"\)/,
    ],
  ];
  for (const [what, text, problem, message] of cases) {
    it(`refuses ${what}, saying what was expected and what was found`, () => {
      const error = inputError(text);

      expect(error.problem).toBe(problem);
      expect(error.message).toMatch(/^not a gctrace log: expected GODEBUG=gctrace=1 output/);
      expect(error.message).toMatch(message);
    });
  }

  it('refuses binary input at the first chunk, before the rest is read', () => {
    const parser = new GctraceParser();

    expect(() => parser.push('\u0000'.repeat(1024))).toThrow(GctraceInputError);
  });
});

describe('heapSamplesOf', () => {
  it('draws the sawtooth of a cycle: h0 at its start, h1 then h2 when mark termination ends', () => {
    const [cycle] = parseGctrace(LINE_118).cycles;
    const endNs = 5_000_000 + 4_000 + 530_000 + 53_000;

    expect(heapSamplesOf(cycle!.record)).toEqual([
      { tNs: 5_000_000, heapAllocBytes: 26 * MiB, heapInUseBytes: 26 * MiB },
      { tNs: endNs, heapAllocBytes: 28 * MiB, heapInUseBytes: 28 * MiB },
      { tNs: endNs, heapAllocBytes: 17 * MiB, heapInUseBytes: 17 * MiB },
    ]);
  });
});

describe('the report', () => {
  it('is JSON-safe: it survives a JSON round trip unchanged', () => {
    const { report } = parseGctrace(`${fixture('published_samples.txt')}\ngc 99 @x\n`);

    expect(JSON.parse(JSON.stringify(report)) as GctraceReport).toEqual(report);
  });
});
