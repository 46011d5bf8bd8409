/** Plain-text rendering of sessions for the terminal. */
import type { SessionDetail, SessionSummary } from '../api/types';

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
  return lines.join('\n');
}
