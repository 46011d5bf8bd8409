/**
 * Cycle records written as Go ≥ 1.18 gctrace lines, number for number as the runtime prints them
 * (`gcMarkTermination`, reference/go-runtime.md §4.1–4.2), so an export reads like a real log and
 * imports back to the same records (`gctrace.ts`):
 *
 *   gc N @T s P%: a+b+c ms clock, a+b/c/d+e ms cpu, h0->h1->h2 MB, G MB goal, S MB stacks, B MB globals, N P[ (forced)]
 *
 *  - `@T` is itoaDiv(ms, 3): seconds with three decimals; times are fmtNSAsMS; heap sizes are
 *    bytes >> 20 (floored MiB); `P%` is int(gcCpuFraction × 100), truncated.
 *  - The cpu terms a and e are stop-the-world CPU (stwprocs × clock, stwprocs = min(GOMAXPROCS,
 *    ncpu)). A CycleRecord has no field for them: an imported GctraceCycle keeps what its line
 *    printed; a bare record gets min(procs, cpus) × clock, cpus being the machine's CPUs the run
 *    was simulated on (as many as GOMAXPROCS unless the run said fewer).
 *  - `(forced)` marks trigger 'forced'; Go marks neither heap nor periodic cycles.
 *
 * A cycle imported with its gcpacertrace lines (GctraceCycle.pacer) gets them printed again before
 * its cycle line (the sweeper's line of the sweep before it first), as Go 1.19 prints them
 * (mgcpacer.go startCycle and endCycle, mgcsweep.go): the assist ratio,
 * trigger, stack and globals scan work from the record, the rest from what rode beside it; floats
 * as the runtime's print(float64) writes them. So such a log exports line for line as it was read.
 */
import type { CycleRecord } from '../engine/record';
import type { GctraceCycle, PacerEnd, PacerStart, PacerSweepDone } from './gctrace';

/** A cycle to print: a bare record, or one with what its imported lines printed beside it. */
export type GctraceExportCycle =
  CycleRecord | Pick<GctraceCycle, 'record' | 'sweepTermCpuNs' | 'markTermCpuNs' | 'pacer'>;

/**
 * Go's itoaDiv: val / 10^dec in decimal, with exactly `dec` decimals (`itoaDiv(5, 3)` = "0.005").
 * `val` is a non-negative integer.
 */
export function itoaDiv(val: number, dec: number): string {
  const digits = String(val);
  if (dec === 0) return digits;
  const padded = digits.padStart(dec + 1, '0');
  return `${padded.slice(0, -dec)}.${padded.slice(-dec)}`;
}

/**
 * Go's fmtNSAsMS: from 10 ms whole milliseconds ("12"); below, two significant digits of the whole
 * microseconds with at most three decimals ("0.005", "0.39", "1.2", "9.9"); "0" under 1 µs.
 * Digits are dropped, not rounded, as Go's integer division does.
 */
export function fmtNSAsMS(ns: number): string {
  const whole = Math.max(0, Math.floor(ns));
  if (whole >= 10_000_000) return itoaDiv(Math.floor(whole / 1_000_000), 0);
  let x = Math.floor(whole / 1000);
  if (x === 0) return '0';
  let dec = 3;
  while (x >= 100) {
    x = Math.floor(x / 10);
    dec--;
  }
  return itoaDiv(x, dec);
}

/** Significant digits of Go's print(float64). */
const GO_FLOAT_DIGITS = 7;

/**
 * Go's print(float64) (runtime/print.go printfloat): "+d.dddddde±ddd", the mantissa normalised by
 * repeated ×10 and ÷10 and rounded by adding 5 × 10^-7 — the same float64 steps, so the same
 * digits, as the runtime prints.
 */
export function goFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  let v = value;
  let sign = '+';
  let e = 0;
  if (v === 0) {
    if (Object.is(v, -0)) sign = '-';
  } else {
    if (v < 0) {
      v = -v;
      sign = '-';
    }
    while (v >= 10) {
      e++;
      v /= 10;
    }
    while (v < 1) {
      e--;
      v *= 10;
    }
    let h = 5.0;
    for (let i = 0; i < GO_FLOAT_DIGITS; i++) h /= 10;
    v += h;
    if (v >= 10) {
      e++;
      v /= 10;
    }
  }
  let digits = '';
  for (let i = 0; i < GO_FLOAT_DIGITS; i++) {
    const d = Math.trunc(v);
    digits += String(d);
    v -= d;
    v *= 10;
  }
  const exponent = String(Math.abs(e) % 1000).padStart(3, '0');
  return `${sign}${digits[0]!}.${digits.slice(1)}e${e < 0 ? '-' : '+'}${exponent}`;
}

/** The sweeper's line: `pacer: sweep done at heap size LMB; allocated AMB during sweep; swept N pages at R pages/byte`. */
export function formatPacerSweepLine(sweep: PacerSweepDone): string {
  return (
    `pacer: sweep done at heap size ${sweep.heapLiveMiB}MB; allocated ${sweep.allocatedMiB}MB during sweep; ` +
    `swept ${sweep.pagesSwept} pages at ${goFloat(sweep.pagesPerByte)} pages/byte`
  );
}

/** startCycle's line: `pacer: assist ratio=R (scan S MB in L->G MB) workers=D+F`. */
export function formatPacerStartLine(record: CycleRecord, start: PacerStart): string {
  return (
    `pacer: assist ratio=${goFloat(record.assistRatio ?? Number.NaN)} ` +
    `(scan ${start.heapScanMiB} MB in ${start.initialHeapLiveMiB}->${start.heapGoalMiB} MB) ` +
    `workers=${start.dedicatedWorkers}+${goFloat(start.fractionalUtilizationGoal)}`
  );
}

/** endCycle's line, Go 1.19's way: `[controller reset]` straight after the `)`. */
export function formatPacerEndLine(record: CycleRecord, end: PacerEnd): string {
  return (
    `pacer: ${end.utilizationPercent}% CPU (${end.expectedUtilizationPercent} exp.) for ` +
    `${end.heapScanWorkBytes}+${record.stacksBytes}+${record.globalsBytes} B work (${end.expectedScanWorkBytes} B exp.) ` +
    `in ${record.heapTriggerBytes} B -> ${end.heapLiveBytes} B (∆goal ${end.goalDeltaBytes}, cons/mark ${goFloat(end.consMark)})` +
    (end.controllerReset ? '[controller reset]' : '')
  );
}

const mib = (bytes: number): number => Math.floor(Math.max(0, bytes) / 2 ** 20);

/**
 * int(fraction × 100) as Go truncates it. The epsilon keeps a fraction read from "29%" (0.29, whose
 * product is 28.999…) at 29 without moving any fraction a simulation can produce across a percent.
 */
const percent = (fraction: number): number => Math.max(0, Math.floor(fraction * 100 + 1e-9));

/** One record as a gctrace line (no newline); `cpus`: the machine's CPUs, if fewer than its Ps. */
export function formatGctraceLine(cycle: GctraceExportCycle, cpus = Infinity): string {
  const record = 'record' in cycle ? cycle.record : cycle;
  const stwProcs = Math.min(record.procs, cpus);
  const sweepTermCpuNs = ('record' in cycle ? cycle.sweepTermCpuNs : null) ?? stwProcs * record.sweepTermNs;
  const markTermCpuNs = ('record' in cycle ? cycle.markTermCpuNs : null) ?? stwProcs * record.markTermNs;
  const ms = fmtNSAsMS;
  return (
    `gc ${record.seq} @${itoaDiv(Math.floor(Math.max(0, record.startNs) / 1e6), 3)}s ${percent(record.gcCpuFraction)}%: ` +
    `${ms(record.sweepTermNs)}+${ms(record.markNs)}+${ms(record.markTermNs)} ms clock, ` +
    `${ms(sweepTermCpuNs)}+${ms(record.assistCpuNs)}/${ms(record.backgroundCpuNs)}/${ms(record.idleCpuNs)}+${ms(markTermCpuNs)} ms cpu, ` +
    `${mib(record.heapStartBytes)}->${mib(record.heapEndBytes)}->${mib(record.heapMarkedBytes)} MB, ` +
    `${mib(record.heapGoalBytes)} MB goal, ${mib(record.stacksBytes)} MB stacks, ${mib(record.globalsBytes)} MB globals, ` +
    `${record.procs} P${record.trigger === 'forced' ? ' (forced)' : ''}`
  );
}

/** Records as a gctrace log: one line each (after its pacer lines, if any), each ending in a newline. */
export function formatGctrace(cycles: Iterable<GctraceExportCycle>, cpus = Infinity): string {
  let text = '';
  for (const cycle of cycles) {
    if ('record' in cycle && cycle.pacer !== null) {
      const { sweepDone, start, end } = cycle.pacer;
      if (sweepDone !== null) text += `${formatPacerSweepLine(sweepDone)}\n`;
      if (start !== null) text += `${formatPacerStartLine(cycle.record, start)}\n`;
      if (end !== null) text += `${formatPacerEndLine(cycle.record, end)}\n`;
    }
    text += `${formatGctraceLine(cycle, cpus)}\n`;
  }
  return text;
}
