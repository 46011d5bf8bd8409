import { describe, expect, it } from 'vitest';
import type { SessionDetail, SourceReport } from './contract';
import { sessionMetaRows } from './session-meta';

function session(overrides: Partial<SessionDetail>): SessionDetail {
  return {
    id: 1,
    name: 'run',
    source: 'simulation',
    status: 'complete',
    scenario: 'steady',
    collector: 'go',
    createdAt: '2025-01-01T00:00:00Z',
    cycleCount: 33,
    durationNs: 102_530_000,
    tags: [],
    sizeBytes: 0,
    config: null,
    seed: 7,
    engineVersion: '3',
    error: null,
    notes: '',
    stats: {
      cycles: 0,
      pauseTotalNs: 0,
      pauseP50Ns: 0,
      pauseP95Ns: 0,
      pauseP99Ns: 0,
      pauseMaxNs: 0,
      peakHeapBytes: 0,
      gcCpuFraction: 0,
      thrashing: false,
      leakedObjects: null,
      leakedBytes: null,
    },
    sourceReport: null,
    ...overrides,
  } as SessionDetail;
}

const report = (fields: Partial<SourceReport>): SourceReport =>
  ({ kind: 'gctrace', format: 'go1.18+', goVersion: null, fileName: null, ...fields }) as SourceReport;

const labels = (rows: { label: string }[]) => rows.map((r) => r.label);

describe('the session header', () => {
  it('shows a simulation its scenario, collector, seed and engine', () => {
    const rows = sessionMetaRows(session({}), '100', '4');

    expect(labels(rows)).toEqual([
      'Source',
      'Scenario',
      'Collector',
      'GOGC',
      'GOMAXPROCS',
      'Seed',
      'Duration',
      'Engine',
      'Created',
    ]);
    expect(rows.find((r) => r.label === 'Seed')?.value).toBe('7');
  });

  it('shows an imported log where it came from and whose collector it records, and no dashes', () => {
    const imported = session({
      source: 'gctrace',
      scenario: null,
      collector: null,
      seed: null,
      engineVersion: null,
      sourceReport: report({ fileName: 'gc.log', goVersion: '1.19' }),
    });
    const rows = sessionMetaRows(imported, '—', '2');

    expect(labels(rows)).toEqual(['Source', 'File', 'Runtime', 'GOMAXPROCS', 'Duration', 'Created']);
    expect(rows.map((r) => r.value)).not.toContain('—');
    expect(rows[0]!.value).toBe('gctrace log');
    expect(rows[1]!.value).toBe('gc.log');
    expect(rows[2]!.value).toBe("Go's collector, as recorded (Go 1.19, gctrace go1.18+ format)");
  });

  it('says when an imported log had its pacer trace', () => {
    const imported = session({
      source: 'gctrace',
      sourceReport: report({ goVersion: '1.19', pacerLines: 10, pacerCycles: 5 }),
    });

    const rows = sessionMetaRows(imported, '—', '2');

    expect(rows.find((r) => r.label === 'Runtime')!.value).toBe(
      "Go's collector, as recorded (Go 1.19, gctrace go1.18+ format, with pacer trace)",
    );
  });

  it('shows an attached program its command, and leaves out a P count no line printed', () => {
    const attached = session({
      source: 'attach',
      scenario: null,
      collector: null,
      seed: null,
      engineVersion: null,
      sourceReport: {
        ...report({}),
        attach: { command: ['./churn', '-live', '16'], exitCode: 0, signal: null, interruptedBy: null },
      },
    });
    const rows = sessionMetaRows(attached, '—', '—');

    expect(labels(rows)).toEqual(['Source', 'Program', 'Runtime', 'Duration', 'Created']);
    expect(rows[0]!.value).toContain('attach');
    expect(rows[1]!.value).toBe('./churn -live 16');
  });
});
