/**
 * `heapscope whatif` as a user meets it: the built command in a child process against a temporary
 * database holding an imported Go 1.19.8 trace. Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FittedSettings, RunRequest, SessionDetail } from '../api/types';
import type { CompareStats } from '../services/compare';
import { assertBuildIsCurrent } from '../test-support/build';
import { useTempDir } from '../test-support/temp';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'heapscope.cjs');
const TRACE = join(ROOT, 'fixtures', 'gctrace', 'go1.19.8_churn_gogc100.txt');
const tempDir = useTempDir();

function heapscope(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HEAPSCOPE_DB: '' },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(assertBuildIsCurrent);

/** A database holding the imported trace as session 1. */
function databaseWithTrace(): string {
  const db = join(tempDir(), 'whatif.db');
  expect(heapscope(['import', TRACE, '--db', db]).status).toBe(0);
  return db;
}

interface WhatIfJson {
  fit: { settings: FittedSettings; phases: unknown[] };
  simulation: number;
  request: RunRequest;
  stats: CompareStats;
  fidelity: { verdict: { pass: boolean } } | null;
}

describe('heapscope whatif', { timeout: 90_000 }, () => {
  it('simulates the trace under GOGC=200 and prints both compared, the trace as the baseline', () => {
    const db = databaseWithTrace();

    const text = heapscope(['whatif', '1', '--gogc', '200', '--db', db]);
    const json = heapscope(['whatif', '1', '--gogc', '200', '--json', '--db', db]);
    const parsed = JSON.parse(json.stdout) as WhatIfJson;
    const cycles = parsed.stats.rows.find((r) => r.key === 'cycles')!.values;

    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^Fitted to session 1: 2 P, GOGC 100/);
    expect(text.stdout).toMatch(/#1 go1\.19\.8_churn_gogc100 \(baseline\)\s+#2 .*what-if · go · GOGC=200/);
    expect(json.status).toBe(0);
    expect(parsed).toMatchObject({ simulation: 3, request: { gogc: 200, collector: 'go' }, fidelity: null });
    expect(parsed.stats.baselineId).toBe(1);
    expect(cycles[0]).toBe(33);
    expect(cycles[1]).toBeLessThan(25);
  });

  it('under the trace’s own settings holds the simulation to the trace cycle by cycle', () => {
    const db = databaseWithTrace();
    const result = heapscope(['whatif', '1', '--json', '--db', db]);
    const parsed = JSON.parse(result.stdout) as WhatIfJson;
    expect(result.status).toBe(0);
    expect(parsed.request).toMatchObject({ gogc: 100, procs: 2, memoryLimitBytes: null });
    expect(parsed.fidelity).not.toBeNull();
  });

  it('writes the fitted scenario, which `heapscope run --scenario FILE` runs as it is', () => {
    const db = databaseWithTrace();
    const file = join(tempDir(), 'fitted.json');

    const whatif = heapscope([
      'whatif',
      '1',
      '--gogc',
      'off',
      '--memory-limit',
      '48MiB',
      '--scenario-out',
      file,
      '--db',
      db,
    ]);
    const run = heapscope([
      'run',
      '--scenario',
      file,
      '--collector',
      'go',
      '--procs',
      '2',
      '--json',
      '--db',
      db,
    ]);
    const detail = JSON.parse(run.stdout) as SessionDetail;

    expect(whatif.status).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ formatVersion: 1, name: 'fit-1' });
    expect(run.status).toBe(0);
    expect(detail).toMatchObject({ scenario: 'fit-1', status: 'complete' });
  });

  it.each([
    [['--gogc', '0'], /--gogc 0 \(collect continuously\) is not supported/],
    [['--barrier', 'yuasa'], /--barrier is an option of the incremental collector/],
    [['--collector', 'g0'], /argument 'g0' is invalid\. Allowed choices are/],
    [['--memory-limit', '64MB'], /"64MB" is not a memory limit: expected a byte count/],
  ])('refuses %j with exit status 2, recording nothing', (args, message) => {
    const db = databaseWithTrace();
    const result = heapscope(['whatif', '1', ...args, '--db', db]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(heapscope(['sessions', '--json', '--db', db]).stdout).not.toMatch(/what-if/);
  });

  it('refuses a simulation: a scenario is fitted to a real trace', () => {
    const db = databaseWithTrace();
    heapscope(['whatif', '1', '--db', db]);
    const result = heapscope(['whatif', '2', '--db', db]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/session 2 is a simulation: a scenario is fitted to a real trace/);
  });
});
