/** Plain-text rendering of sessions for the terminal. */
import type { SessionDetail, SessionSummary, SourceReport } from '../api/types';
import {
  CYCLE_COUNT_TOLERANCE,
  PER_CYCLE_TOLERANCE,
  SKIPPED_CYCLES,
  type FidelityCycle,
  type FidelityReport,
  type WorstError,
} from '../services/fidelity';
import type { CompareDelta, CompareStats, CompareUnit } from '../services/compare';
import { THRASHING_CYCLES } from '../services/stats';

export function formatBytes(bytes: number): string {
  const mib = bytes / (1 << 20);
  if (mib >= 1) return `${mib.toFixed(1)} MiB`;
  const kib = bytes / 1024;
  return kib >= 1 ? `${kib.toFixed(1)} KiB` : `${bytes} B`;
}

export function formatNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${Math.round(ns)} ns`;
}

/** Columns two spaces apart; the columns listed in `rightAligned` (numbers) line up on the right. */
function table(rows: string[][], rightAligned: readonly number[] = []): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, col) =>
          rightAligned.includes(col) ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `filtered`: the list was narrowed by --search or --tag, so an empty one is no match, not no sessions. */
export function formatSessionList(sessions: readonly SessionSummary[], filtered = false): string {
  if (sessions.length === 0 && filtered) return 'No session matches.';
  if (sessions.length === 0)
    return 'No sessions yet. Record one with: heapscope run --scenario steady --collector mark-sweep';
  const header = ['ID', 'NAME', 'STATUS', 'SOURCE', 'CYCLES', 'DURATION', 'SIZE', 'CREATED', 'TAGS'];
  const rows = sessions.map((s) => [
    String(s.id),
    s.name,
    s.status,
    s.source,
    String(s.cycleCount),
    formatNs(s.durationNs),
    formatBytes(s.sizeBytes),
    s.createdAt.replace('T', ' ').slice(0, 19),
    s.tags.join(','),
  ]);
  return table([header, ...rows], [4, 6]);
}

export function formatSessionDetail(s: SessionDetail): string {
  const st = s.stats;
  const config = s.config;
  const lines = [
    `Session ${s.id}: ${s.name} (${s.status})`,
    `  source      ${s.source}${s.scenario === null ? '' : `, scenario ${s.scenario}`}${s.collector === null ? '' : `, collector ${s.collector}`}`,
  ];
  if (config !== null) {
    const gogc = config.gogc === -1 ? 'off' : String(config.gogc);
    const limit = config.memoryLimitBytes ?? null;
    lines.push(
      `  config      GOGC=${gogc}${limit === null ? '' : `, GOMEMLIMIT=${formatBytes(limit)}`}, GOMAXPROCS=${config.procs}${typeof config.cpus === 'number' ? ` on ${config.cpus} CPUs` : ''}, seed ${config.seed}, engine ${s.engineVersion ?? '?'}`,
    );
  }
  lines.push(
    `  recorded    ${s.createdAt}, ${formatBytes(s.sizeBytes)} on disk`,
    `  cycles      ${st.cycles} over ${formatNs(s.durationNs)}`,
    `  pause       p50 ${formatNs(st.pauseP50Ns)}, p95 ${formatNs(st.pauseP95Ns)}, p99 ${formatNs(st.pauseP99Ns)}, max ${formatNs(st.pauseMaxNs)}`,
    `  total pause ${formatNs(st.pauseTotalNs)}`,
    `  peak heap   ${formatBytes(st.peakHeapBytes)}`,
    `  GC CPU      ${(st.gcCpuFraction * 100).toFixed(1)} %`,
    st.thrashing
      ? `  thrashing   yes: the last ${THRASHING_CYCLES} cycles ran back to back at a goal the live heap already fills — the memory limit is below what the program keeps live`
      : '  thrashing   no',
  );
  if (st.leakedObjects !== null && st.leakedBytes !== null) {
    lines.push(
      `  leaked      ${st.leakedObjects.toLocaleString('en-US')} objects, ${formatBytes(st.leakedBytes)} at the end: unreachable, yet counted (garbage cycles counting alone never frees)`,
    );
  }
  if (s.tags.length > 0) lines.push(`  tags        ${s.tags.join(', ')}`);
  if (s.notes !== '') lines.push(`  notes       ${s.notes.replaceAll('\n', '\n              ')}`);
  if (s.error !== null) lines.push(`  error       ${s.error}`);
  if (s.sourceReport !== null) lines.push(...formatSourceReport(s.sourceReport));
  return lines.join('\n');
}

/** What an import read: the log's format and size, what it skipped, and how exact its numbers are. */
export function formatSourceReport(r: SourceReport): string[] {
  const n = (value: number): string => value.toLocaleString('en-US');
  const from =
    r.attach !== undefined
      ? `${r.attach.command.join(' ')} (${r.attach.signal === null ? `exit status ${r.attach.exitCode}` : r.attach.signal})`
      : r.fileName === null
        ? 'stdin'
        : r.fileName;
  const version = r.goVersion === null ? '' : ` (Go ${r.goVersion.replace(/^go/, '')})`;
  const lines = [
    `  imported    ${r.format} log${version} from ${from}: ${n(r.cycles - r.cyclesNotImported)} cycles in ${n(r.linesRead)} lines`,
    `  skipped     ${n(r.skippedLines)} ${r.skippedLines === 1 ? 'line' : 'lines'} of program output, ${n(r.malformedLines)} malformed${r.truncatedLastLine === null ? '' : ', 1 cut off'}`,
    `  precision   heap ${formatBytes(r.precisionBytes)}, start times ${r.startPrecisionNs === null ? 'none' : formatNs(r.startPrecisionNs)}`,
  ];
  if (r.pacerLines > 0) {
    const unattached =
      r.unattachedPacerLines === 0 ? '' : `, ${n(r.unattachedPacerLines)} with no gc line after them`;
    lines.push(
      `  pacer       ${n(r.pacerLines)} gcpacertrace lines for ${n(r.pacerCycles)} cycles (assist ratio, exact trigger, stack and globals bytes)${unattached}`,
    );
  }
  if (r.runs > 1) {
    // gc numbers restart where another Go runtime's trace begins. One session is one run, so the
    // first is kept; under `go run` that first one is the go command's own, not the program's.
    const starts = r.laterRuns.map((run) => n(run.line)).join(', ');
    lines.push(
      `  runs        ${n(r.runs)} Go runtimes wrote traces (gc numbers restart at ${r.laterRuns.length === 1 ? 'line' : 'lines'} ${starts}${r.runs - 1 > r.laterRuns.length ? ', …' : ''}); recorded the first, skipped ${n(r.cyclesNotImported)} ${r.cyclesNotImported === 1 ? 'cycle' : 'cycles'}`,
    );
    if (r.attach !== undefined) {
      lines.push(
        `              under \`go run\` the first is the go command's own: go build the program and attach the binary`,
      );
    }
  }
  if (r.scavenger !== null) {
    const released = r.scavenger.lastReleasedBytes;
    lines.push(
      `  scavenger   ${n(r.scavenger.lines)} lines, ${formatBytes(r.scavenger.workBytes)} returned to the OS${released === null ? '' : `, ${formatBytes(released)} released at the end`}`,
    );
  }
  return lines;
}

/**
 * `heapscope compare`: the two sessions side by side, gctrace's way (h0->h1->h2 MB, goal), then one
 * line per criterion of the verdict. The real side is printed to its precision (whole MB for
 * gctrace); errors of cycles the verdict does not judge are in parentheses, errors over the
 * tolerance are marked with "!".
 */
export function formatFidelityReport(
  report: FidelityReport,
  sim: Pick<SessionSummary, 'id' | 'name'>,
  real: Pick<SessionSummary, 'id' | 'name'>,
): string {
  const MiB = 1 << 20;
  const realDecimals = report.precisionBytes >= MiB ? 0 : 1;
  const mb = (bytes: number, decimals: number) => (bytes / MiB).toFixed(decimals);
  const heap = (c: FidelityCycle | null, decimals: number) =>
    c === null
      ? '—'
      : `${mb(c.heapStartBytes, decimals)}->${mb(c.heapEndBytes, decimals)}->${mb(c.heapMarkedBytes, decimals)}`;
  const goal = (c: FidelityCycle | null, decimals: number) =>
    c === null
      ? '—'
      : `${c.trigger === 'forced' ? '(forced) ' : ''}${c.heapGoalBytes === null ? 'none' : mb(c.heapGoalBytes, decimals)}`;
  const error = (e: number | null, judged: boolean) => {
    if (e === null) return '—';
    const text = `${(e * 100).toFixed(1)} %`;
    if (!judged) return `(${text})`;
    return e > PER_CYCLE_TOLERANCE ? `! ${text}` : text;
  };
  const header = ['SEQ', 'SIM MB h0->h1->h2', 'GOAL', 'REAL MB h0->h1->h2', 'GOAL', 'GOAL ERR', 'MARKED ERR'];
  const rows = report.rows.map((row) => [
    String(row.seq),
    heap(row.sim, 1),
    goal(row.sim, 1),
    heap(row.real, realDecimals),
    goal(row.real, realDecimals),
    error(row.goalError, row.judged),
    error(row.markedError, row.judged),
  ]);
  const v = report.verdict;
  const pct = (fraction: number) => `±${Math.round(fraction * 100)} %`;
  const ok = (pass: boolean) => (pass ? 'ok  ' : 'FAIL');
  const worst = (w: WorstError | null) =>
    w === null
      ? `no cycle after gc ${SKIPPED_CYCLES} on both sides`
      : `worst ${(w.error * 100).toFixed(1)} % at gc ${w.seq}`;
  const list = (seqs: readonly number[]) => (seqs.length === 0 ? 'none' : seqs.join(', '));
  const ratio = Number.isFinite(v.cycleRatio) ? v.cycleRatio.toFixed(2) : '—';
  return [
    `Simulated: session ${sim.id} ${sim.name}`,
    `Real:      session ${real.id} ${real.name} (heap sizes exact to ${formatBytes(report.precisionBytes)})`,
    '',
    table([header, ...rows], [0, 1, 2, 3, 4, 5, 6]),
    '',
    `${ok(v.cyclesOk)} cycles: ${v.simCycles} simulated, ${v.realCycles} real (ratio ${ratio}; ${pct(CYCLE_COUNT_TOLERANCE)})`,
    `${ok(v.goalOk)} heap goal after gc ${SKIPPED_CYCLES}: ${worst(v.worstGoal)} (${pct(PER_CYCLE_TOLERANCE)})`,
    `${ok(v.markedOk)} marked after gc ${SKIPPED_CYCLES}: ${worst(v.worstMarked)} (${pct(PER_CYCLE_TOLERANCE)})`,
    `${ok(v.forcedOk)} forced cycles: simulated at ${list(v.forcedSim)}; real at ${list(v.forcedReal)}${v.forcedOk ? '' : `; not matched: gc ${v.forcedMismatch.join(', gc ')}`}`,
    v.pass ? 'PASS: the simulation matches the trace' : 'FAIL: the simulation does not match the trace',
  ].join('\n');
}

function formatFigure(value: number, unit: CompareUnit): string {
  switch (unit) {
    case 'count':
      return value.toLocaleString('en-US');
    case 'ns':
      return formatNs(value);
    case 'bytes':
      return formatBytes(value);
    case 'fraction':
      return `${(value * 100).toFixed(2)} %`;
  }
}

/** "+1.20 ms, +15.3 %, worse": a fraction's difference in percentage points. */
function formatDelta(delta: CompareDelta, unit: CompareUnit): string {
  if (delta.verdict === 'same') return 'same';
  const sign = delta.difference < 0 ? '-' : '+';
  const magnitude = Math.abs(delta.difference);
  const difference =
    unit === 'fraction' ? `${(magnitude * 100).toFixed(2)} pp` : formatFigure(magnitude, unit);
  const parts = [`${sign}${difference}`];
  if (delta.relative !== null) parts.push(`${sign}${Math.abs(delta.relative * 100).toFixed(1)} %`);
  if (delta.verdict !== 'unranked') parts.push(delta.verdict);
  return parts.join(', ');
}

/**
 * `heapscope compare ID ID…`: one column per session, one row per figure, every cell but the
 * baseline's followed by its difference from the baseline. Rows no session has (pool hit rate of
 * imports, leaks of tracing collectors) are left out.
 */
export function formatCompareStats(stats: CompareStats): string {
  const header = [
    '',
    ...stats.sessions.map((s) => `#${s.id} ${s.name}${s.id === stats.baselineId ? ' (baseline)' : ''}`),
  ];
  const kinds = [
    'source',
    ...stats.sessions.map((s) => `${s.source}${s.collector === null ? '' : ` ${s.collector}`}`),
  ];
  const rows = stats.rows
    .filter((row) => row.values.some((v) => v !== null))
    .map((row) => [
      row.label,
      ...row.values.map((value, i) => {
        if (value === null) return '—';
        const delta = row.deltas[i];
        const text = formatFigure(value, row.unit);
        return delta ? `${text} (${formatDelta(delta, row.unit)})` : text;
      }),
    ]);
  const missing = stats.rows
    .filter((row) => row.values.some((v) => v === null) && row.values.some((v) => v !== null))
    .map((row) => {
      const without = stats.sessions.filter((_, i) => row.values[i] === null).map((s) => `#${s.id}`);
      const why = row.key === 'poolHitRate' ? ' (imported traces have no sync.Pool counters)' : '';
      return `${row.label}: not recorded by ${without.join(', ')}${why}`;
    });
  const cycles = stats.rows.find((row) => row.key === 'cycles')?.values ?? [];
  const empty = stats.sessions.filter((_, i) => cycles[i] === 0).map((s) => `#${s.id}`);
  if (empty.length > 0)
    missing.unshift(`no GC cycles recorded by ${empty.join(', ')}: no pause or heap figures`);
  return [table([header, kinds, ...rows]), ...(missing.length > 0 ? ['', ...missing] : [])].join('\n');
}
