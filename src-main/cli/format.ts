/** Plain-text rendering of sessions for the terminal. */
import type { GctraceReport, SessionDetail, SessionSummary } from '../api/types';

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

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, col) => cell.padEnd(widths[col]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatSessionList(sessions: readonly SessionSummary[]): string {
  if (sessions.length === 0)
    return 'No sessions yet. Record one with: heapscope run --scenario steady --collector mark-sweep';
  const header = ['ID', 'NAME', 'STATUS', 'SOURCE', 'CYCLES', 'DURATION', 'CREATED'];
  const rows = sessions.map((s) => [
    String(s.id),
    s.name,
    s.status,
    s.source,
    String(s.cycleCount),
    formatNs(s.durationNs),
    s.createdAt.replace('T', ' ').slice(0, 19),
  ]);
  return table([header, ...rows]);
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
    lines.push(
      `  config      GOGC=${gogc}, GOMAXPROCS=${config.procs}, seed ${config.seed}, engine ${s.engineVersion ?? '?'}`,
    );
  }
  lines.push(
    `  recorded    ${s.createdAt}`,
    `  cycles      ${st.cycles} over ${formatNs(s.durationNs)}`,
    `  pause       p50 ${formatNs(st.pauseP50Ns)}, p95 ${formatNs(st.pauseP95Ns)}, p99 ${formatNs(st.pauseP99Ns)}, max ${formatNs(st.pauseMaxNs)}`,
    `  total pause ${formatNs(st.pauseTotalNs)}`,
    `  peak heap   ${formatBytes(st.peakHeapBytes)}`,
    `  GC CPU      ${(st.gcCpuFraction * 100).toFixed(1)} %`,
  );
  if (s.error !== null) lines.push(`  error       ${s.error}`);
  if (s.sourceReport !== null) lines.push(...formatSourceReport(s.sourceReport));
  return lines.join('\n');
}

/** What an import read: the log's format and size, what it skipped, and how exact its numbers are. */
export function formatSourceReport(r: GctraceReport): string[] {
  const n = (value: number): string => value.toLocaleString('en-US');
  const from = r.fileName === null ? 'stdin' : r.fileName;
  const version = r.goVersion === null ? '' : ` (Go ${r.goVersion.replace(/^go/, '')})`;
  const lines = [
    `  imported    ${r.format} log${version} from ${from}: ${n(r.cycles - r.cyclesNotImported)} cycles in ${n(r.linesRead)} lines`,
    `  skipped     ${n(r.skippedLines)} ${r.skippedLines === 1 ? 'line' : 'lines'} of program output, ${n(r.malformedLines)} malformed${r.truncatedLastLine === null ? '' : ', 1 cut off'}`,
    `  precision   heap ${formatBytes(r.precisionBytes)}, start times ${r.startPrecisionNs === null ? 'none' : formatNs(r.startPrecisionNs)}`,
  ];
  if (r.scavenger !== null) {
    const released = r.scavenger.lastReleasedBytes;
    lines.push(
      `  scavenger   ${n(r.scavenger.lines)} lines, ${formatBytes(r.scavenger.workBytes)} returned to the OS${released === null ? '' : `, ${formatBytes(released)} released at the end`}`,
    );
  }
  return lines;
}
