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
 */
import type { CycleRecord } from '../engine/record';
import type { GctraceCycle } from './gctrace';

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

const mib = (bytes: number): number => Math.floor(Math.max(0, bytes) / 2 ** 20);

/**
 * int(fraction × 100) as Go truncates it. The epsilon keeps a fraction read from "29%" (0.29, whose
 * product is 28.999…) at 29 without moving any fraction a simulation can produce across a percent.
 */
const percent = (fraction: number): number => Math.max(0, Math.floor(fraction * 100 + 1e-9));

/** One record as a gctrace line (no newline); `cpus`: the machine's CPUs, if fewer than its Ps. */
export function formatGctraceLine(cycle: CycleRecord | GctraceCycle, cpus = Infinity): string {
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

/** Records as a gctrace log: one line each, each ending in a newline. */
export function formatGctrace(cycles: Iterable<CycleRecord | GctraceCycle>, cpus = Infinity): string {
  let text = '';
  for (const cycle of cycles) text += `${formatGctraceLine(cycle, cpus)}\n`;
  return text;
}
