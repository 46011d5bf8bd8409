import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CycleRecord } from '../engine/record';
import { cycleRecord } from '../test-support/records';
import { importedRecord, parseGctrace, type GctracePacer } from './gctrace';
import { fmtNSAsMS, formatGctrace, formatGctraceLine, goFloat, itoaDiv } from './gctrace-format';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'gctrace');
const MiB = 2 ** 20;
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const TRACE_FIXTURES = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.txt'))
  .filter((name) =>
    fixture(name)
      .split('\n')
      .some((line) => line.startsWith('gc')),
  );

describe("Go's number formatting", () => {
  it.each([
    [0, '0'],
    [999, '0'],
    [5_000, '0.005'],
    [26_000, '0.026'],
    [26_999, '0.026'],
    [100_000, '0.10'],
    [390_000, '0.39'],
    [1_234_000, '1.2'],
    [9_990_000, '9.9'],
    [9_999_999, '9.9'],
    [10_000_000, '10'],
    [12_300_000, '12'],
    [251_000_000, '251'],
    [1_506_000_000, '1506'],
  ])('fmtNSAsMS(%i) = %s', (ns, text) => {
    expect(fmtNSAsMS(ns)).toBe(text);
  });

  it.each([
    [0, 3, '0.000'],
    [5, 3, '0.005'],
    [1_519, 3, '1.519'],
    [12, 2, '0.12'],
    [99, 1, '9.9'],
    [42, 0, '42'],
  ])('itoaDiv(%i, %i) = %s', (val, dec, text) => {
    expect(itoaDiv(val, dec)).toBe(text);
  });

  // The right-hand sides are what Go 1.19.8's println(float64) printed for these values.
  it.each([
    [1.1368, '+1.136800e+000'],
    [0.25, '+2.500000e-001'],
    [0, '+0.000000e+000'],
    [-0, '-0.000000e+000'],
    [1.050421, '+1.050421e+000'],
    [0.08566901, '+8.566901e-002'],
    [-2.5e-7, '-2.500000e-007'],
    [123456789, '+1.234568e+008'],
    [9.9999999, '+1.000000e+001'],
    [1e-300, '+1.000000e-300'],
    [Number.MAX_VALUE, '+1.797693e+308'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NaN, 'NaN'],
  ])('goFloat(%d) = %s', (value, text) => {
    expect(goFloat(value)).toBe(text);
  });
});

describe('formatGctrace', () => {
  it('writes a record as the Go ≥ 1.18 line, with procs × clock as the stop-the-world CPU', () => {
    const record = cycleRecord({
      seq: 7,
      startNs: 1_519_400_000,
      trigger: 'forced',
      heapStartBytes: 26 * MiB + 5,
      heapEndBytes: 28 * MiB,
      heapMarkedBytes: 17 * MiB,
      heapGoalBytes: 31 * MiB,
      stacksBytes: 31 * MiB + MiB - 1,
      globalsBytes: 0,
      procs: 2,
      sweepTermNs: 4_000,
      markNs: 530_000,
      markTermNs: 53_000,
      assistCpuNs: 30_000,
      backgroundCpuNs: 51_000,
      idleCpuNs: 300_000,
      gcCpuFraction: 0.1099,
    });

    expect(formatGctraceLine(record)).toBe(
      'gc 7 @1.519s 10%: 0.004+0.53+0.053 ms clock, 0.008+0.030/0.051/0.30+0.10 ms cpu, 26->28->17 MB, 31 MB goal, 31 MB stacks, 0 MB globals, 2 P (forced)',
    );
  });

  it('counts a pause on min(GOMAXPROCS, CPUs) when the run had fewer CPUs than Ps (gctrace stwprocs)', () => {
    const record = cycleRecord({ seq: 3, procs: 4, sweepTermNs: 10_000, markTermNs: 20_000 });
    const cpuTerms = (line: string): string => /ms clock, ([^ ]+) ms cpu/.exec(line)![1]!;
    expect(cpuTerms(formatGctraceLine(record))).toMatch(/^0\.040\+.*\+0\.080$/);
    expect(cpuTerms(formatGctraceLine(record, 2))).toMatch(/^0\.020\+.*\+0\.040$/);
    expect(cpuTerms(formatGctraceLine(record, 8))).toMatch(/^0\.040\+.*\+0\.080$/);
    expect(formatGctrace([record], 2)).toBe(`${formatGctraceLine(record, 2)}\n`);
  });

  it('ends every line with a newline', () => {
    expect(formatGctrace([cycleRecord({ seq: 1 }), cycleRecord({ seq: 2 })]).split('\n')).toHaveLength(3);
  });
});

describe('round trips', () => {
  for (const name of TRACE_FIXTURES) {
    it(`${name}: every Go ≥ 1.18 line is written back character for character`, () => {
      const lines = fixture(name).split('\n');
      const { cycles } = parseGctrace(fixture(name));
      const modern = cycles.filter((c) => c.format === 'go1.18+');

      expect(modern.map(formatGctraceLine)).toEqual(modern.map((c) => lines[c.line - 1]));
    });
  }

  for (const name of TRACE_FIXTURES) {
    it(`${name}: import(export(cycles)) keeps every record of the Go 1.6+ lines`, () => {
      const cycles = parseGctrace(fixture(name)).cycles.filter(
        (c) => c.format === 'go1.18+' || c.format === 'go1.6-1.17',
      );

      const again = parseGctrace(formatGctrace(cycles)).cycles;

      expect(again.map((c) => c.record)).toEqual(cycles.map((c) => c.record));
      expect(again.map((c) => [c.sweepTermCpuNs, c.markTermCpuNs])).toEqual(
        cycles.map((c) => [c.sweepTermCpuNs, c.markTermCpuNs]),
      );
    });
  }

  it('a pacer trace exports line for line as it was read: pacer lines, then their cycle line', () => {
    const text = fixture('go1.19.8_churn_pacertrace.txt');
    const traceLines = text.split('\n').filter((line) => !line.startsWith('#'));

    const exported = formatGctrace(parseGctrace(text).cycles);

    expect(exported.split('\n')).toEqual(traceLines);
  });

  it('import(export(pacer lines)) gives the same lines for any values Go could print', () => {
    const bytes = fc.integer({ min: 0, max: 2 ** 40 });
    const float = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    const pacer: fc.Arbitrary<GctracePacer> = fc.record({
      sweepDone: fc.option(
        fc.record({
          heapLiveMiB: fc.integer({ min: 0, max: 2 ** 20 }),
          allocatedMiB: fc.integer({ min: 0, max: 2 ** 20 }),
          pagesSwept: fc.integer({ min: 0, max: 2 ** 30 }),
          pagesPerByte: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
      ),
      start: fc.option(
        fc.record({
          heapScanMiB: fc.integer({ min: 0, max: 2 ** 20 }),
          initialHeapLiveMiB: fc.integer({ min: 0, max: 2 ** 20 }),
          heapGoalMiB: fc.integer({ min: 0, max: 2 ** 20 }),
          dedicatedWorkers: fc.integer({ min: 0, max: 256 }),
          fractionalUtilizationGoal: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
      ),
      end: fc.option(
        fc.record({
          utilizationPercent: fc.integer({ min: 0, max: 100 }),
          expectedUtilizationPercent: fc.integer({ min: 0, max: 100 }),
          heapScanWorkBytes: bytes,
          expectedScanWorkBytes: bytes,
          heapLiveBytes: bytes,
          goalDeltaBytes: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
          consMark: float,
          controllerReset: fc.boolean(),
        }),
      ),
    });
    fc.assert(
      fc.property(
        pacer,
        float,
        bytes,
        bytes,
        bytes,
        (p, assistRatio, triggerBytes, stackBytes, globalBytes) => {
          const record = {
            ...cycleRecord({ seq: 3, procs: 2 }),
            assistRatio: p.start === null ? null : assistRatio,
            heapTriggerBytes: triggerBytes,
            stacksBytes: stackBytes,
            globalsBytes: globalBytes,
          };
          const text = formatGctrace([{ record, sweepTermCpuNs: null, markTermCpuNs: null, pacer: p }]);

          const again = parseGctrace(text);

          expect(again.report).toMatchObject({
            malformedLines: 0,
            pacerLines: text.split('pacer:').length - 1,
          });
          expect(formatGctrace(again.cycles)).toBe(text);
          if (p.end !== null) {
            expect(again.cycles[0]!.record).toMatchObject({
              heapTriggerBytes: triggerBytes,
              stacksBytes: stackBytes,
              globalsBytes: globalBytes,
            });
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('Go 1.5 records come back with their mark phase (scan + write barrier + mark) to two significant digits', () => {
    const go15 = parseGctrace(fixture('published_samples.txt')).cycles.filter((c) => c.format === 'go1.5');

    const again = parseGctrace(formatGctrace(go15)).cycles.map((c) => c.record);

    expect(again).toEqual(go15.map((c) => c.record)); // 37+18+9 and 111+14+60 ms are whole milliseconds
  });

  // Values Go can print: MiB-multiple heaps; times fmtNSAsMS writes exactly (whole ms from 10 ms,
  // two significant digits of whole µs below); start times in whole ms; whole percents.
  const printableNs = fc.oneof(
    fc.constant(0),
    fc.integer({ min: 10, max: 10_000_000 }).map((ms) => ms * 1e6),
    fc
      .tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 2 }))
      .filter(([x, k]) => x * 10 ** k < 10_000)
      .map(([x, k]) => x * 10 ** k * 1000),
  );
  const mibBytes = fc.integer({ min: 0, max: 2 ** 24 }).map((m) => m * MiB);
  const printableRecord: fc.Arbitrary<CycleRecord> = fc
    .record({
      seq: fc.integer({ min: 1, max: 2 ** 31 }),
      startNs: fc.integer({ min: 0, max: 10 ** 9 }).map((ms) => ms * 1e6),
      trigger: fc.constantFrom('heap' as const, 'forced' as const),
      heapStartBytes: mibBytes,
      heapEndBytes: mibBytes,
      heapMarkedBytes: mibBytes,
      heapGoalBytes: mibBytes,
      heapTriggerBytes: fc.constant(0),
      stacksBytes: mibBytes,
      globalsBytes: mibBytes,
      procs: fc.integer({ min: 1, max: 1024 }),
      sweepTermNs: printableNs,
      markNs: printableNs,
      markTermNs: printableNs,
      pauseNs: fc.constant(0),
      assistCpuNs: printableNs,
      backgroundCpuNs: printableNs,
      idleCpuNs: printableNs,
      gcCpuFraction: fc.integer({ min: 0, max: 100 }).map((p) => p / 100),
    })
    .map((fields) => importedRecord({ ...fields, stackInUseBytes: null, assistRatio: null }));

  it('import(export(record)) keeps every field gctrace carries, for any record Go could print', () => {
    fc.assert(
      fc.property(printableRecord, printableNs, printableNs, (record, sweepTermCpuNs, markTermCpuNs) => {
        const expected = {
          ...record,
          heapTriggerBytes: record.heapStartBytes,
          pauseNs: record.sweepTermNs + record.markTermNs,
        };

        const [again] = parseGctrace(
          formatGctrace([{ record, sweepTermCpuNs, markTermCpuNs, pacer: null }]),
        ).cycles;

        expect(again!.record).toEqual(expected);
        expect(again).toMatchObject({ sweepTermCpuNs, markTermCpuNs });
      }),
      { numRuns: 300 },
    );
  });
});
