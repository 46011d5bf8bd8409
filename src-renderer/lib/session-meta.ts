/**
 * The rows of a session's header: what is known of how the session came to be. A simulation has
 * a scenario, a collector, a seed and an engine; an imported log or an attached program has none
 * of those, so rather than rows of dashes its header says where the cycles came from and whose
 * collector they record (Go's own, with the Go release when the import was told it).
 */
import type { SessionDetail } from './contract';
import { formatDate, formatNs } from '../charts/series/format';

export interface MetaRow {
  label: string;
  value: string;
  /** Monospace: identifiers (a seed, an engine version, a file name). */
  mono?: boolean;
  title?: string;
  testid?: string;
}

/** Where a session's cycles came from, in words. */
export function sourceText(session: Pick<SessionDetail, 'source' | 'sourceReport'>): string {
  switch (session.source) {
    case 'simulation':
      return 'simulation';
    case 'gctrace':
      return 'gctrace log';
    case 'attach':
      return 'attach: a Go program run live';
  }
}

/**
 * Go's runtime as the log recorded it: "Go's collector, as recorded (Go 1.19, gctrace go1.18+
 * format, with pacer trace)" — the pacer trace is why such a session has assist ratios.
 */
function runtimeText(session: Pick<SessionDetail, 'sourceReport'>): string {
  const report = session.sourceReport;
  const details = [
    report?.goVersion ? `Go ${report.goVersion}` : null,
    report ? `gctrace ${report.format} format` : null,
    report && report.pacerCycles > 0 ? 'with pacer trace' : null,
  ].filter((part): part is string => part !== null);
  return `Go's collector, as recorded${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

/**
 * The header's rows. `gogcText` and `procsText` are worked out by the view (GOMAXPROCS of an import
 * comes from its cycles); a GOGC an import does not know is left out rather than shown as a dash.
 */
export function sessionMetaRows(session: SessionDetail, gogcText: string, procsText: string): MetaRow[] {
  const created: MetaRow = {
    label: 'Created',
    value: formatDate(session.createdAt),
    title: session.createdAt,
  };
  const duration: MetaRow = { label: 'Duration', value: formatNs(session.durationNs) };
  const procs: MetaRow = { label: 'GOMAXPROCS', value: procsText, testid: 'session-procs' };
  if (session.source === 'simulation') {
    return [
      { label: 'Source', value: sourceText(session) },
      { label: 'Scenario', value: session.scenario ?? '—' },
      { label: 'Collector', value: session.collector ?? '—' },
      { label: 'GOGC', value: gogcText },
      procs,
      { label: 'Seed', value: session.seed === null ? '—' : String(session.seed), mono: true },
      duration,
      { label: 'Engine', value: session.engineVersion ?? '—', mono: true },
      created,
    ];
  }
  const fileName = session.sourceReport?.fileName ?? null;
  const command = session.sourceReport?.attach?.command ?? null;
  return [
    { label: 'Source', value: sourceText(session) },
    ...(fileName !== null && session.source === 'gctrace'
      ? [{ label: 'File', value: fileName, mono: true }]
      : []),
    ...(command !== null && command.length > 0
      ? [{ label: 'Program', value: command.join(' '), mono: true }]
      : []),
    { label: 'Runtime', value: runtimeText(session), testid: 'session-runtime' },
    ...(gogcText === '—' ? [] : [{ label: 'GOGC', value: gogcText }]),
    ...(procsText === '—' ? [] : [procs]),
    duration,
    created,
  ];
}
