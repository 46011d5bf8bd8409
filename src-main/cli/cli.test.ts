/**
 * The CLI as a user meets it: the built `heapscope` command run in a child process against a
 * temporary database. Needs `npm run build` first (npm test builds before it runs the unit tests).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionDetail, SessionSummary } from '../api/types';
import { SCHEMA_VERSION } from '../store/migrations';
import { useTempDir } from '../test-support/temp';
import { formatBytes } from './format';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'heapscope.cjs');
const tempDir = useTempDir();

const FIXTURES = join(ROOT, 'fixtures', 'gctrace');

function heapscope(args: string[], env: Record<string, string> = {}, input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HEAPSCOPE_DB: '', ...env },
    timeout: 120_000,
    input,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) {
    throw new Error('The CLI is not built: run `npm run build` before these tests (npm test does).');
  }
});

describe('heapscope run', () => {
  it('records a complete steady session under mark-sweep whose goal follows GOGC=100', () => {
    const db = join(tempDir(), 'cli.db');

    const result = heapscope([
      'run',
      '--scenario',
      'steady',
      '--collector',
      'mark-sweep',
      '--json',
      '--db',
      db,
    ]);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const session = JSON.parse(result.stdout) as SessionDetail;
    expect(session).toMatchObject({
      status: 'complete',
      source: 'simulation',
      scenario: 'steady',
      collector: 'mark-sweep',
    });
    expect(session.stats.cycles).toBeGreaterThanOrEqual(10);
    const cycles = new Database(db, { readonly: true })
      .prepare(
        'SELECT heap_goal_bytes AS goal, heap_marked_bytes AS marked, stacks_bytes AS stacks, globals_bytes AS globals FROM cycles WHERE session_id = ? ORDER BY seq',
      )
      .all(session.id) as { goal: number; marked: number; stacks: number; globals: number }[];
    for (let i = 1; i < cycles.length; i++) {
      const prev = cycles[i - 1]!;
      const expectedGoal = Math.max(prev.marked + prev.marked + prev.stacks + prev.globals, 4 << 20);
      expect(cycles[i]!.goal).toBe(expectedGoal);
    }
  });

  it('lists the recorded session with `sessions --json` and shows its stats with `show`', () => {
    const db = join(tempDir(), 'cli.db');
    heapscope(['run', '--scenario', 'steady', '--collector', 'mark-sweep', '--name', 'nightly', '--db', db]);

    const list = JSON.parse(heapscope(['sessions', '--json', '--db', db]).stdout) as SessionSummary[];
    const shown = heapscope(['show', String(list[0]!.id), '--db', db]);

    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'nightly', status: 'complete' });
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/pause\s+p50 .+, p95 .+, p99 .+, max /);
    expect(shown.stdout).toMatch(/peak heap\s+\d+\.\d MiB/);
    expect(shown.stdout).toMatch(/GC CPU\s+\d+\.\d %/);
  });

  it('says in `show` whether a session ends thrashing: go-churn under a 17 MiB limit does, at 64 MiB it does not', () => {
    const db = join(tempDir(), 'thrash.db');
    const run = (limit: string) =>
      JSON.parse(
        heapscope([
          'run',
          '--scenario',
          'go-churn',
          '--procs',
          '2',
          '--collector',
          'go',
          '--memory-limit',
          limit,
          '--duration-ms',
          '40',
          '--json',
          '--db',
          db,
        ]).stdout,
      ) as SessionDetail;
    // 16 MiB of prefilled ring stays live: a 17 MiB limit leaves the heap no room above it.
    const tight = run('17MiB');
    const roomy = run('64MiB');

    const shownTight = heapscope(['show', String(tight.id), '--db', db]);
    const shownRoomy = heapscope(['show', String(roomy.id), '--db', db]);

    expect(tight.stats.thrashing).toBe(true);
    expect(roomy.stats.thrashing).toBe(false);
    expect(shownTight.status).toBe(0);
    expect(shownTight.stdout).toMatch(/config\s+GOGC=100, GOMEMLIMIT=17\.0 MiB, GOMAXPROCS=2/);
    expect(shownTight.stdout).toMatch(
      /thrashing\s+yes: the last 5 cycles ran back to back at a goal the live heap already fills/,
    );
    expect(shownRoomy.stdout).toMatch(/thrashing\s+no\n/);
    // Neither collector can leak: no leak line.
    expect(shownTight.stdout).not.toMatch(/leaked/);
  }, 60_000);

  it('runs GOMAXPROCS above the machine’s CPUs with --cpus, keeps it with the session and replays it', () => {
    const db = join(tempDir(), 'cpus.db');
    const run = (extra: string[]) =>
      JSON.parse(
        heapscope([
          'run',
          '--scenario',
          'go-churn',
          '--collector',
          'go',
          '--procs',
          '4',
          '--duration-ms',
          '20',
          ...extra,
          '--json',
          '--db',
          db,
        ]).stdout,
      ) as SessionDetail;
    const shared = run(['--cpus', '2']);
    const own = run([]);

    expect(shared.config).toMatchObject({ procs: 4, cpus: 2 });
    expect(own.config!.cpus).toBeUndefined();
    // The same program on half the CPUs: its pauses cost 2 CPUs each, not 4.
    expect(shared.stats.gcCpuFraction).not.toBe(own.stats.gcCpuFraction);
    expect(heapscope(['show', String(shared.id), '--db', db]).stdout).toMatch(
      /config\s+GOGC=100, GOMAXPROCS=4 on 2 CPUs, seed 1/,
    );
    expect(heapscope(['replay', String(shared.id), '--verify', '--db', db]).status).toBe(0);
    const refused = heapscope([
      'run',
      '--scenario',
      'steady',
      '--collector',
      'go',
      '--cpus',
      '0',
      '--db',
      db,
    ]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/'0' is invalid\. the CPU count must be from 1 to 256/);
  }, 60_000);

  it('prints in `show` what a refcount session left leaked at its end, as its last cycle measured it', () => {
    const db = join(tempDir(), 'leak.db');
    const session = JSON.parse(
      heapscope(['run', '--scenario', 'cyclic-garbage', '--collector', 'refcount', '--json', '--db', db])
        .stdout,
    ) as SessionDetail;
    const last = new Database(db, { readonly: true })
      .prepare(
        'SELECT leaked_objects AS objects, leaked_bytes AS bytes FROM cycles WHERE session_id = ? ORDER BY seq DESC LIMIT 1',
      )
      .get(session.id) as { objects: number; bytes: number };

    const shown = heapscope(['show', String(session.id), '--db', db]);
    const json = JSON.parse(
      heapscope(['show', String(session.id), '--json', '--db', db]).stdout,
    ) as SessionDetail;

    expect(last.objects).toBeGreaterThan(0);
    expect(json.stats).toMatchObject({ leakedObjects: last.objects, leakedBytes: last.bytes });
    expect(shown.stdout).toContain(
      `leaked      ${last.objects.toLocaleString('en-US')} objects, ${formatBytes(last.bytes)} at the end`,
    );
  }, 60_000);

  it('uses HEAPSCOPE_DB when no --db is given', () => {
    const db = join(tempDir(), 'env.db');

    heapscope(['run', '--scenario', 'steady', '--collector', 'mark-sweep', '--duration-ms', '50'], {
      HEAPSCOPE_DB: db,
    });

    expect(existsSync(db)).toBe(true);
  });
});

describe('heapscope import', () => {
  it('imports a real Go trace as a complete session and prints it as JSON', () => {
    const db = join(tempDir(), 'import.db');

    const result = heapscope([
      'import',
      join(FIXTURES, 'go1.19.8_churn_forced.txt'),
      '--go-version',
      '1.19.8',
      '--json',
      '--db',
      db,
    ]);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const session = JSON.parse(result.stdout) as SessionDetail;
    expect(session).toMatchObject({
      name: 'go1.19.8_churn_forced',
      source: 'gctrace',
      status: 'complete',
      cycleCount: 15,
      sourceReport: { format: 'go1.18+', goVersion: '1.19.8', cycles: 15, forcedCycles: 4, skippedLines: 1 },
    });
    const stored = new Database(db, { readonly: true })
      .prepare("SELECT count(*) AS n FROM cycles WHERE session_id = ? AND trigger = 'forced'")
      .get(session.id) as { n: number };
    expect(stored.n).toBe(4);
  });

  it('reads stdin for "-", and `show` tells what the import read', () => {
    const db = join(tempDir(), 'stdin.db');
    const log = readFileSync(join(FIXTURES, 'go1.19.8_scav.txt'), 'utf8');

    const imported = heapscope(['import', '-', '--name', 'piped', '--db', db], {}, log);
    const shown = heapscope(['show', '1', '--db', db]);

    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/^Session 1: piped \(complete\)/);
    expect(shown.stdout).toMatch(/imported\s+go1\.18\+ log from stdin: 8 cycles in 18 lines/);
    expect(shown.stdout).toMatch(/skipped\s+1 line of program output, 0 malformed/);
    expect(shown.stdout).toMatch(/precision\s+heap 1\.0 MiB, start times 1\.00 ms/);
    expect(shown.stdout).toMatch(/scavenger\s+9 lines, /);
  });

  it('reads a pacer trace: `show` counts its pacer lines apart from program output, and a trailing one is a warning', () => {
    const db = join(tempDir(), 'pacer.db');
    const log = readFileSync(join(FIXTURES, 'go1.19.8_churn_pacertrace.txt'), 'utf8');
    const trailing = `${log}${log.split('\n')[0]!}\n`;

    const imported = heapscope(['import', '-', '--db', db], {}, trailing);
    const shown = heapscope(['show', '1', '--db', db]);

    expect(imported.status).toBe(0);
    expect(imported.stderr.trim().split('\n')).toEqual([
      'heapscope: warning: 1 pacer line had no gc line after it and went into no cycle (line 17: the log ends before a gc line takes it)',
    ]);
    expect(shown.stdout).toMatch(/skipped\s+1 line of program output, 0 malformed/);
    expect(shown.stdout).toMatch(
      /pacer\s+11 gcpacertrace lines for 5 cycles \(assist ratio, exact trigger, stack and globals bytes\), 1 with no gc line after them/,
    );
  });

  it('warns on stderr about lines it skipped, and still imports the rest', () => {
    const db = join(tempDir(), 'warn.db');
    const log = `${readFileSync(join(FIXTURES, 'go1.19.8_churn_gomaxprocs4.txt'), 'utf8')}gc 12 @0.036s 3%: 0.014+1.5+\n`;

    const result = heapscope(['import', '-', '--db', db], {}, log);

    expect(result.status).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      'heapscope: warning: 1 line looked like trace lines but did not parse and were skipped (line 13: expected a clock time in ms)',
    ]);
  });

  const refused: [string, string, RegExp][] = [
    [
      'a JSON file',
      '{"sessions": []}\n',
      /^heapscope: .*notes: not a gctrace log: expected GODEBUG=gctrace=1 output .*, found JSON without gc lines$/,
    ],
    ['a program log without trace lines', 'listening on :8080\n', /found 1 line of text without a gc line/],
    ['an empty file', '', /found an empty input/],
  ];
  for (const [what, content, message] of refused) {
    it(`refuses ${what}: one line on stderr, exit 1, no database written`, () => {
      const dir = tempDir();
      const file = join(dir, 'notes');
      writeFileSync(file, content);
      const db = join(dir, 'untouched.db');

      const result = heapscope(['import', file, '--db', db]);

      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr.trim()).toMatch(message);
      expect(result.stdout).toBe('');
      expect(existsSync(db)).toBe(false);
    });
  }

  it('refuses binary data on stdin the same way', () => {
    const db = join(tempDir(), 'untouched.db');

    const result = heapscope(['import', '-', '--db', db], {}, '\u0000\u0001\u0002'.repeat(1000));

    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^heapscope: stdin: not a gctrace log: .*found binary data \(NUL bytes\)$/,
    );
    expect(existsSync(db)).toBe(false);
  });

  const usage: [string, string[], RegExp][] = [
    ['a missing file', ['import', 'no/such/trace.txt'], /no\/such\/trace\.txt: no such file/],
    ['a directory', ['import', FIXTURES], /is a directory, not a gctrace log/],
    ['no file at all', ['import'], /missing required argument 'file'/],
    [
      'an unreadable Go version',
      ['import', '-', '--go-version', 'latest'],
      /'latest' is invalid\. expected a Go release/,
    ],
  ];
  for (const [what, args, message] of usage) {
    it(`refuses ${what} as a usage error (exit 2), writing nothing`, () => {
      const db = join(tempDir(), 'untouched.db');

      const result = heapscope([...args, '--db', db], {}, '');

      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(existsSync(db)).toBe(false);
    });
  }
});

describe('pipes', () => {
  it('stops quietly when the reader closes the pipe early', () => {
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" scenarios | head -n 1`], {
      encoding: 'utf8',
      timeout: 60_000,
    });

    expect(result.stdout).toMatch(/^steady /);
    expect(result.stderr).toBe('');
  });
});

describe('bad input', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'an unknown scenario',
      ['--scenario', 'nope', '--collector', 'mark-sweep'],
      /^heapscope: unknown scenario "nope"; valid scenarios: steady, /,
    ],
    [
      'a mistyped scenario, suggesting the nearest preset',
      ['--scenario', 'stedy', '--collector', 'mark-sweep'],
      /unknown scenario "stedy" \(did you mean "steady"\?\)/,
    ],
    [
      'a scenario file that does not exist',
      ['--scenario', 'missing/scenario.json', '--collector', 'mark-sweep'],
      /--scenario missing\/scenario\.json: no such file/,
    ],

    [
      'an unknown collector',
      ['--scenario', 'steady', '--collector', 'boehm'],
      /^heapscope: .*'boehm' is invalid\. Allowed choices are mark-sweep/,
    ],
    [
      'a non-numeric GOGC',
      ['--scenario', 'steady', '--collector', 'mark-sweep', '--gogc', 'lots'],
      /^heapscope: .*'lots' is invalid\. expected a percentage from 1 to 10000, or off$/m,
    ],
    [
      'a memory limit below what the scenario keeps live from its start, naming the flag',
      ['--scenario', 'go-churn', '--collector', 'go', '--memory-limit', '8MiB'],
      /^heapscope: --memory-limit: GOMEMLIMIT 8\.0 MiB is below the 16\.4 MiB scenario go-churn keeps live/,
    ],
    [
      'a negative GOGC other than off',
      ['--scenario', 'steady', '--collector', 'mark-sweep', '--gogc', '-5'],
      /'-5' is invalid\. GOGC must be a percentage from 1 to 10000, or off$/m,
    ],
    [
      'an out-of-range GOMAXPROCS',
      ['--scenario', 'steady', '--collector', 'mark-sweep', '--procs', '0'],
      /'0' is invalid\. GOMAXPROCS must be from 1 to 256/,
    ],
    [
      'GOGC=0',
      ['--scenario', 'steady', '--collector', 'mark-sweep', '--gogc', '0'],
      /--gogc 0 .* is not supported/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(`rejects ${what} with one line on stderr, exit 2, and writes nothing`, () => {
      const db = join(tempDir(), 'untouched.db');

      const result = heapscope(['run', ...args, '--db', db]);

      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
      expect(existsSync(db)).toBe(false);
    });
  }

  it("prefixes the parser's own errors as the command's are: an unknown option, an unknown command", () => {
    const db = join(tempDir(), 'untouched.db');

    const option = heapscope(['sessions', '--bogus', '--db', db]);
    const command = heapscope(['frobnicate', '--db', db]);

    expect(option.status).toBe(2);
    expect(option.stderr.trim()).toBe("heapscope: unknown option '--bogus'");
    expect(command.status).toBe(2);
    expect(command.stderr.trim()).toBe("heapscope: unknown command 'frobnicate'");
    expect(existsSync(db)).toBe(false);
  });

  it('explains a session ID that is not one by where IDs come from', () => {
    const db = join(tempDir(), 'untouched.db');

    const result = heapscope(['show', 'abc', '--db', db]);

    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      "heapscope: command-argument value 'abc' is invalid for argument 'id'. expected a session ID, a whole number from 1 (heapscope sessions lists them)",
    );
    expect(existsSync(db)).toBe(false);
  });

  it('refuses an invalid scenario file, listing every problem by JSON path, and writes nothing', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.json');
    const db = join(dir, 'untouched.db');
    const scenario = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'resources', 'scenarios', 'steady.json'), 'utf8'),
    );
    scenario.goroutines[0].count = -1;
    scenario.goroutines[0].sites[0].size.bytes = 'big';
    writeFileSync(file, JSON.stringify(scenario));

    const result = heapscope(['run', '--scenario', file, '--collector', 'mark-sweep', '--db', db]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/invalid scenario \(2 problems\)/);
    expect(result.stderr).toMatch(/goroutines\[0\]\.count: /);
    expect(result.stderr).toMatch(/goroutines\[0\]\.sites\[0\]\.size\.bytes: /);
    expect(existsSync(db)).toBe(false);
  });

  it('refuses an empty --db rather than falling back to the per-user database', () => {
    const home = tempDir();

    const result = heapscope(['run', '--scenario', 'steady', '--collector', 'mark-sweep', '--db', ''], {
      HOME: home,
      XDG_DATA_HOME: '',
    });

    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('heapscope: --db needs a file path');
    expect(existsSync(join(home, '.local'))).toBe(false);
  });

  it('runs a scenario from a JSON file and records it under its own name', () => {
    const dir = tempDir();
    const file = join(dir, 'mine.json');
    const scenario = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'resources', 'scenarios', 'steady.json'), 'utf8'),
    );
    writeFileSync(file, JSON.stringify({ ...scenario, name: 'my-service', durationMs: 100 }));

    const result = heapscope([
      'run',
      '--scenario',
      file,
      '--collector',
      'mark-sweep',
      '--json',
      '--db',
      join(dir, 'x.db'),
    ]);

    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ scenario: 'my-service', status: 'complete' });
  });

  it('reads without creating: `show` and `sessions` on a database that does not exist write nothing', () => {
    const db = join(tempDir(), 'typo', 'dir', 'x.db');

    const show = heapscope(['show', '1', '--db', db]);
    const list = heapscope(['sessions', '--json', '--db', db]);

    expect(show.status).toBe(1);
    expect(show.stderr.trim()).toBe('heapscope: session 1 does not exist');
    expect(JSON.parse(list.stdout)).toEqual([]);
    expect(existsSync(join(db, '..'))).toBe(false);
  });

  it('refuses a database from a newer Heapscope and leaves it untouched', () => {
    const db = join(tempDir(), 'future.db');
    const future = new Database(db);
    future.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    future.close();
    const before = readFileSync(db);

    const result = heapscope(['sessions', '--db', db]);

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/written by a newer Heapscope/);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('says a session does not exist', () => {
    const db = join(tempDir(), 'empty.db');
    writeFileSync(db, '');

    const result = heapscope(['show', '42', '--db', db]);

    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('heapscope: session 42 does not exist');
  });
});

describe('heapscope compare', () => {
  const CHURN = join(FIXTURES, 'go1.19.8_churn_gogc100.txt');
  const run = (collector: string, db: string) =>
    heapscope(['run', '--scenario', 'go-churn', '--collector', collector, '--procs', '2', '--db', db]);
  type Report = { rows: { seq: number; judged: boolean }[]; verdict: { pass: boolean } };
  type Compared = {
    stats: {
      baselineId: number;
      sessions: { id: number }[];
      rows: {
        key: string;
        values: (number | null)[];
        deltas: ({ difference: number; relative: number | null; verdict: string } | null)[];
      }[];
    };
    fidelity: Report | null;
  };
  const compareJson = (args: string[]) =>
    JSON.parse(heapscope(['compare', ...args, '--json']).stdout) as Compared;

  it('passes a real trace compared with itself: the table, PASS, exit 0 with and without --check', () => {
    const db = join(tempDir(), 'compare.db');
    expect(heapscope(['import', CHURN, '--db', db]).status).toBe(0);
    expect(heapscope(['import', CHURN, '--db', db]).status).toBe(0);

    const plain = heapscope(['compare', '1', '2', '--db', db]);
    const checked = heapscope(['compare', '1', '2', '--check', '--db', db]);

    expect(plain.status).toBe(0);
    expect(checked.status).toBe(0);
    expect(plain.stdout).toMatch(
      /^SEQ +SIM MB h0->h1->h2 +GOAL +REAL MB h0->h1->h2 +GOAL +GOAL ERR +MARKED ERR$/m,
    );
    expect(plain.stdout).toMatch(/^ +4 +26\.0->28\.0->17\.0 +31\.0 +26->28->17 +31 +0\.0 % +0\.0 %$/m);
    expect(plain.stdout).toMatch(/^ +1 .* \(0\.0 %\) +\(0\.0 %\)$/m);
    expect(plain.stdout).toContain('ok   cycles: 33 simulated, 33 real (ratio 1.00; ±15 %)');
    expect(plain.stdout).toMatch(/PASS: the simulation matches the trace\n$/);
    expect(checked.stdout).toBe(plain.stdout);
  }, 60_000);

  it('puts a mark-sweep simulation beside the real trace; --check exits 1 exactly when the verdict fails', () => {
    const db = join(tempDir(), 'compare.db');
    expect(heapscope(['import', CHURN, '--db', db]).status).toBe(0);
    expect(run('mark-sweep', db).status).toBe(0);

    const text = heapscope(['compare', '2', '1', '--db', db]);
    const report = compareJson(['2', '1', '--db', db]).fidelity!;
    const checked = heapscope(['compare', '2', '1', '--check', '--db', db]);

    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(
      /^ +5 +\d+\.\d->\d+\.\d->\d+\.\d +\d+\.\d +\d+->\d+->\d+ +\d+ +!? ?\d+\.\d %/m,
    );
    expect(text.stdout).toMatch(/^(ok {2}|FAIL) heap goal after gc 3: worst \d+\.\d % at gc \d+ \(±10 %\)$/m);
    expect(text.stdout).toContain(
      report.verdict.pass
        ? 'PASS: the simulation matches the trace'
        : 'FAIL: the simulation does not match the trace',
    );
    expect(report.rows.find((r) => r.seq === 5)).toMatchObject({ judged: true });
    expect(checked.status).toBe(report.verdict.pass ? 0 : 1);
    expect(checked.stdout).toBe(text.stdout);
  }, 60_000);

  it('holds the go collector to the same trace: PASS, --check exits 0', () => {
    const db = join(tempDir(), 'compare.db');
    expect(heapscope(['import', CHURN, '--db', db]).status).toBe(0);
    expect(run('go', db).status).toBe(0);

    const checked = heapscope(['compare', '2', '1', '--check', '--db', db]);

    expect(checked.status).toBe(0);
    expect(checked.stdout).toContain('PASS: the simulation matches the trace');
  }, 60_000);

  it('says which session does not exist (exit 1, as `show` does) and finds the trace in either order', () => {
    const db = join(tempDir(), 'compare.db');
    expect(heapscope(['compare', '1', '2', '--db', db])).toMatchObject({
      status: 1,
      stderr: 'heapscope: session 1 does not exist\n',
    });
    expect(existsSync(db)).toBe(false);
    heapscope(['import', CHURN, '--db', db]);
    run('go', db);

    const missing = heapscope(['compare', '2', '99', '--db', db]);
    const swapped = heapscope(['compare', '1', '2', '--db', db]);
    const inOrder = heapscope(['compare', '2', '1', '--db', db]);

    expect(missing).toMatchObject({ status: 1, stderr: 'heapscope: session 99 does not exist\n' });
    expect(swapped).toMatchObject({ status: 0, stderr: '' });
    expect(swapped.stdout).toContain('Simulated: session 2 ');
    expect(swapped.stdout.slice(swapped.stdout.indexOf('Simulated:'))).toBe(
      inOrder.stdout.slice(inOrder.stdout.indexOf('Simulated:')),
    );
    expect(heapscope(['compare', '1', 'x', '--db', db]).status).toBe(2);
  }, 60_000);

  it('puts three sessions side by side with deltas against the baseline, and no fidelity table', () => {
    const db = join(tempDir(), 'compare.db');
    expect(heapscope(['import', CHURN, '--db', db]).status).toBe(0);
    expect(run('go', db).status).toBe(0);
    expect(run('mark-sweep', db).status).toBe(0);
    const shown = [1, 2, 3].map(
      (id) => JSON.parse(heapscope(['show', String(id), '--json', '--db', db]).stdout) as SessionDetail,
    );

    const text = heapscope(['compare', '1', '2', '3', '--baseline', '2', '--db', db]);
    const { stats, fidelity } = compareJson(['1', '2', '3', '--baseline', '2', '--db', db]);

    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^ +#1 go1\.19\.8_churn_gogc100 +#2 .* \(baseline\) +#3 /);
    expect(text.stdout).not.toContain('SEQ');
    expect(fidelity).toBeNull();
    expect(stats.baselineId).toBe(2);
    const row = (key: string) => stats.rows.find((r) => r.key === key)!;
    for (const key of [
      'cycles',
      'pauseP50Ns',
      'pauseP95Ns',
      'pauseP99Ns',
      'pauseMaxNs',
      'peakHeapBytes',
    ] as const) {
      expect(row(key).values).toEqual(shown.map((s) => s.stats[key]));
    }
    const p99 = row('pauseP99Ns');
    expect(p99.deltas[1]).toBeNull();
    expect(p99.deltas[2]).toMatchObject({
      difference: shown[2]!.stats.pauseP99Ns - shown[1]!.stats.pauseP99Ns,
      verdict: shown[2]!.stats.pauseP99Ns > shown[1]!.stats.pauseP99Ns ? 'worse' : 'better',
    });
    expect(row('poolHitRate').values[0]).toBeNull();
  }, 60_000);

  it('refuses fewer than 2 or more than 8 IDs, a repeated ID, a foreign baseline and --check without a trace', () => {
    const db = join(tempDir(), 'compare.db');
    run('go', db);
    run('mark-sweep', db);

    expect(heapscope(['compare', '1', '--db', db])).toMatchObject({
      status: 2,
      stderr: 'heapscope: compare needs 2 to 8 session IDs, got 1\n',
    });
    expect(heapscope(['compare', ...'123456789'.split(''), '--db', db])).toMatchObject({
      status: 2,
      stderr: 'heapscope: compare takes at most 8 sessions side by side, got 9\n',
    });
    expect(heapscope(['compare', '1', '1', '--db', db]).stderr).toBe('heapscope: session 1 is given twice\n');
    expect(heapscope(['compare', '1', '2', '--baseline', '3', '--db', db])).toMatchObject({
      status: 2,
      stderr: 'heapscope: --baseline 3 is not one of the compared sessions (1, 2)\n',
    });
    expect(heapscope(['compare', '1', '2', '--check', '--db', db]).status).toBe(2);
  }, 60_000);

  it('refuses a session that is still recording (exit 1)', () => {
    const db = join(tempDir(), 'compare.db');
    run('go', db);
    run('mark-sweep', db);
    const sqlite = new Database(db);
    // A live recorder: this test's own process, so the next start does not mark it interrupted.
    sqlite
      .prepare("UPDATE sessions SET status = 'recording', recorder_pid = ? WHERE id = 2")
      .run(process.pid);
    sqlite.close();

    expect(heapscope(['compare', '1', '2', '--db', db])).toMatchObject({
      status: 1,
      stderr: 'heapscope: session 2 is still recording: compare it once its run has finished\n',
    });
  }, 60_000);

  it('documents --check and the exit statuses in --help', () => {
    const help = heapscope(['compare', '--help']);

    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--check');
    expect(help.stdout).toMatch(/exit 1 when the verdict\s+is\s+FAIL/);
    expect(help.stdout).toContain('[34, 35) MiB');
  }, 60_000);
});

describe('heapscope run collector options', () => {
  it('takes GOMEMLIMIT in Go’s syntax, the barrier and the cycle collector, and refuses a bad limit before writing anything', () => {
    const db = join(tempDir(), 'options.db');
    const bad = heapscope([
      'run',
      '--scenario',
      'steady',
      '--collector',
      'go',
      '--memory-limit',
      '64MB',
      '--db',
      db,
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('expected a byte count with an optional unit (B, KiB, MiB, GiB, TiB)');
    expect(existsSync(db)).toBe(false);

    const limited = heapscope([
      'run',
      '--scenario',
      'go-churn',
      '--collector',
      'go',
      '--gogc',
      'off',
      '--memory-limit',
      '48MiB',
      '--duration-ms',
      '60',
      '--json',
      '--db',
      db,
    ]);
    expect(limited.status).toBe(0);
    const session = JSON.parse(limited.stdout) as SessionDetail;
    expect(session.config).toMatchObject({ gogc: -1, memoryLimitBytes: 48 * 2 ** 20 });
    expect(session.stats.cycles).toBeGreaterThan(3);

    const yuasa = heapscope([
      'run',
      '--scenario',
      'steady',
      '--collector',
      'incremental',
      '--barrier',
      'yuasa',
      '--duration-ms',
      '50',
      '--json',
      '--db',
      db,
    ]);
    expect(yuasa.status).toBe(0);
    expect((JSON.parse(yuasa.stdout) as SessionDetail).config).toMatchObject({ barrier: 'yuasa' });
    const unknown = heapscope([
      'run',
      '--scenario',
      'steady',
      '--collector',
      'incremental',
      '--barrier',
      'brooks',
      '--db',
      db,
    ]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('dijkstra, yuasa');

    const rc = heapscope([
      'run',
      '--scenario',
      'cyclic-garbage',
      '--collector',
      'refcount',
      '--cycle-collector',
      '--duration-ms',
      '50',
      '--json',
      '--db',
      db,
    ]);
    expect(rc.status).toBe(0);
    expect((JSON.parse(rc.stdout) as SessionDetail).config).toMatchObject({ cycleCollector: true });
  });

  it('refuses a bad limit or an option its collector lacks with exit 2, adding no session to an existing database', () => {
    const db = join(tempDir(), 'options.db');
    expect(
      heapscope(['run', '--scenario', 'steady', '--collector', 'go', '--duration-ms', '20', '--db', db])
        .status,
    ).toBe(0);
    const base = ['run', '--scenario', 'steady', '--db', db];

    const refused = [
      heapscope([...base, '--collector', 'go', '--memory-limit', '1.5GiB']),
      heapscope([...base, '--collector', 'go', '--memory-limit', '512KiB']),
      heapscope([...base, '--collector', 'go', '--barrier', 'yuasa']),
      heapscope([...base, '--collector', 'mark-sweep', '--cycle-collector']),
    ];

    expect(refused.map((r) => r.status)).toEqual([2, 2, 2, 2]);
    expect(refused[0]!.stderr).toContain(
      '"1.5GiB" is not a memory limit: expected a byte count with an optional unit',
    );
    expect(refused[1]!.stderr).toContain('below 1048576 bytes (1 MiB)');
    expect(refused[2]!.stderr).toContain('--barrier is an option of the incremental collector');
    expect(refused[3]!.stderr).toContain('--cycle-collector is an option of the refcount collector');
    expect(JSON.parse(heapscope(['sessions', '--json', '--db', db]).stdout)).toHaveLength(1);
  }, 60_000);

  it('takes --memory-limit off and a plain byte count, and --gogc beside it', () => {
    const db = join(tempDir(), 'options.db');
    const args = [
      'run',
      '--scenario',
      'steady',
      '--collector',
      'go',
      '--duration-ms',
      '20',
      '--json',
      '--db',
      db,
    ];

    const off = heapscope([...args, '--memory-limit', 'off', '--gogc', '50']);
    const bytes = heapscope([...args, '--memory-limit', '67108864B']);

    expect(off.status).toBe(0);
    expect((JSON.parse(off.stdout) as SessionDetail).config).toMatchObject({ gogc: 50 });
    expect((JSON.parse(off.stdout) as SessionDetail).config?.memoryLimitBytes ?? null).toBeNull();
    expect((JSON.parse(bytes.stdout) as SessionDetail).config).toMatchObject({
      memoryLimitBytes: 64 * 2 ** 20,
    });
  }, 60_000);

  it('runs every preset under every collector', () => {
    const db = join(tempDir(), 'all.db');
    const collectors = ['mark-sweep', 'go', 'incremental', 'refcount'];
    const presets = (JSON.parse(heapscope(['scenarios', '--json']).stdout) as { name: string }[]).map(
      (s) => s.name,
    );
    expect(presets.length).toBeGreaterThanOrEqual(14);
    for (const collector of collectors) {
      for (const scenario of presets) {
        const result = heapscope([
          'run',
          '--scenario',
          scenario,
          '--collector',
          collector,
          '--procs',
          '2',
          '--duration-ms',
          '15',
          '--json',
          '--db',
          db,
        ]);
        expect(`${collector} ${scenario}: ${result.status} ${result.stderr}`).toBe(
          `${collector} ${scenario}: 0 `,
        );
        expect((JSON.parse(result.stdout) as SessionDetail).status).toBe('complete');
      }
    }
  }, 300_000);
});

describe('heapscope replay', () => {
  it('re-simulates a session and finds every cycle reproduced, or names the first cycle and field that differ', () => {
    const db = join(tempDir(), 'replay.db');
    expect(
      heapscope([
        'run',
        '--scenario',
        'pointer-trees',
        '--collector',
        'go',
        '--duration-ms',
        '120',
        '--db',
        db,
      ]).status,
    ).toBe(0);

    const same = heapscope(['replay', '1', '--verify', '--db', db]);
    expect(same.status).toBe(0);
    expect(same.stdout).toMatch(
      /^session 1: all \d+ recorded cycles reproduced exactly \(engine \d+\.\d+\.\d+\)/,
    );

    const sqlite = new Database(db);
    sqlite
      .prepare('UPDATE cycles SET heap_marked_bytes = heap_marked_bytes + 8 WHERE session_id = 1 AND seq = 2')
      .run();
    sqlite.close();
    const tampered = heapscope(['replay', '1', '--verify', '--json', '--db', db]);
    expect(tampered.status).toBe(1);
    expect(JSON.parse(tampered.stdout)).toMatchObject({
      outcome: 'differs',
      engineChanged: false,
      firstDifference: { seq: 2, field: 'heapMarkedBytes' },
    });

    const old = new Database(db);
    old.prepare("UPDATE sessions SET engine_version = '0.1.0' WHERE id = 1").run();
    old.close();
    expect(heapscope(['replay', '1', '--verify', '--db', db]).stdout).toContain(
      'recorded by engine 0.1.0, re-run by',
    );

    const again = heapscope(['replay', '1', '--json', '--db', db]);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      id: 2,
      name: expect.stringContaining('replay of #1') as string,
    });
    expect(heapscope(['replay', '7', '--verify', '--db', db]).stderr).toContain('session 7 does not exist');
  }, 60_000);
});
