/**
 * Choosing a collector and its options on the New run form, running every collector on one
 * scenario, and comparing the sessions side by side — in browser mode, against the real server.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Catalog } from '../src-main/api/types';
import { TOKEN_HEADER } from '../src-main/api/http';
import { openDatabase } from '../src-main/store/database';
import { Recorder } from '../src-main/store/recorder';
import { SessionRepository } from '../src-main/store/sessions';
import { cycleRecord } from '../src-main/test-support/records';
import { expect, screenshot, test, type Served } from './support/fixtures';

/** The catalog as the server gives it, so the test follows whatever collectors exist. */
async function fetchCatalog(page: Page, served: Served): Promise<Catalog> {
  return page.evaluate(
    async ({ header, token }) => {
      const response = await fetch('/api/catalog.get', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [header]: token },
        body: '{}',
      });
      const reply = (await response.json()) as { ok: boolean; result: Catalog };
      return reply.result;
    },
    { header: TOKEN_HEADER, token: served.token },
  );
}

async function drawnPoints(page: Page, testId: string): Promise<number> {
  const chart = page.getByTestId(testId);
  await expect(chart).toHaveAttribute('data-points', /^[1-9]\d*$/);
  return Number(await chart.getAttribute('data-points'));
}

function recordShortRun(served: Served, name: string): void {
  const run = served.cli([
    'run',
    '--scenario',
    'steady',
    '--collector',
    'mark-sweep',
    '--name',
    name,
    '--duration-ms',
    '100',
  ]);
  expect(run.status).toBe(0);
}

test('each collector shows its own description under the picker', async ({ page, served }) => {
  await page.goto(`${served.url}#/new`);
  const catalog = await fetchCatalog(page, served);
  expect(catalog.collectors.length).toBeGreaterThan(0);
  await expect(page.getByTestId('collector').locator('option')).toHaveCount(catalog.collectors.length);

  for (const collector of [...catalog.collectors].reverse()) {
    await page.getByTestId('collector').selectOption(collector.name);

    await expect(page.getByTestId('collector-description')).toHaveText(collector.description);
  }
  await screenshot(page, 'new-run-collector');
});

test('option controls appear only for a collector that reads them', async ({ page, served }) => {
  await page.goto(`${served.url}#/new`);
  const catalog = await fetchCatalog(page, served);
  // incremental reads the barrier, refcount the cycle collector.
  expect(catalog.collectors.some((c) => c.options.length > 0)).toBe(true);

  for (const collector of catalog.collectors) {
    await page.getByTestId('collector').selectOption(collector.name);

    await expect(page.getByTestId('option-barrier')).toHaveCount(
      collector.options.includes('barrier') ? 1 : 0,
    );
    await expect(page.getByTestId('option-cycle-collector')).toHaveCount(
      collector.options.includes('cycleCollector') ? 1 : 0,
    );
    if (collector.options.length > 0) await screenshot(page, `new-run-options-${collector.name}`);
  }
});

test('a GOMEMLIMIT out of range is refused with the range in the message', async ({ page, served }) => {
  await page.goto(`${served.url}#/new`);
  await page.getByTestId('memory-limit').fill('0.5');

  await page.getByTestId('start-run').click();

  await expect(page.getByTestId('error-memoryLimitBytes')).toHaveText(
    'GOMEMLIMIT must be between 1 and 1,048,576 MiB, or empty for no limit',
  );
  await expect(page.getByTestId('memory-limit')).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/#\/new$/);
  await screenshot(page, 'new-run-memory-limit-error');

  await page.getByTestId('memory-limit').fill('64');
  await expect(page.getByTestId('error-memoryLimitBytes')).toHaveCount(0);
});

test('running all collectors on a short preset opens a comparison with one column per collector', async ({
  page,
  served,
}) => {
  await page.goto(`${served.url}#/new`);
  const catalog = await fetchCatalog(page, served);
  await expect(page.getByTestId('scenario')).toHaveValue('steady');
  await page.getByTestId('duration').fill('200');
  await page.getByTestId('memory-limit').fill('64');

  await page.getByTestId('run-all').click();

  await expect(page).toHaveURL(/#\/compare\?ids=\d+(,\d+)*$/, { timeout: 60_000 });
  await expect(page.getByTestId('compare-column')).toHaveCount(catalog.collectors.length);
  await expect(page.getByTestId('compare-collector')).toHaveText(catalog.collectors.map((c) => c.title));
  const cycles = await page.getByTestId('compare-row-cycles').getByTestId('compare-value').allTextContents();
  expect(cycles.every((text) => Number(text.replace(/,/g, '')) > 0)).toBe(true);
  expect(await drawnPoints(page, 'compare-pause-chart')).toBeGreaterThanOrEqual(cycles.length);
  expect(await drawnPoints(page, 'compare-heap-chart')).toBeGreaterThan(cycles.length);
  await expect(page.getByTestId('compare-table')).toContainText('GOMEMLIMIT=64.0 MiB');
  await screenshot(page, 'compare-all-collectors');
});

test('cancelling all collectors keeps each run’s outcome on the form, and what was recorded compares', async ({
  page,
  served,
}) => {
  await page.goto(`${served.url}#/new`);
  const catalog = await fetchCatalog(page, served);
  await page.getByTestId('duration').fill('600000');
  await page.getByTestId('run-all').click();

  const runs = page.getByTestId('batch-run');
  await expect(runs).toHaveCount(catalog.collectors.length);
  await expect(runs.first()).toHaveAttribute('data-phase', 'running');
  await expect(page.getByTestId('start-run')).toBeDisabled();
  await screenshot(page, 'run-all-progress');
  await page.getByTestId('batch-cancel').click();

  await expect(page.getByTestId('batch-compare')).toBeVisible();
  await expect(page).toHaveURL(/#\/new$/);
  for (const run of await runs.all()) {
    await expect(run).toHaveAttribute('data-phase', /^(finished|skipped)$/);
  }
  await expect(runs.first()).toHaveAttribute('data-status', 'interrupted');
  await screenshot(page, 'run-all-cancelled');
  await page.getByTestId('batch-compare').click();

  await expect(page).toHaveURL(/#\/compare\?ids=/);
  await expect(page.getByTestId('compare-column').first()).toContainText('interrupted');
});

test('sessions ticked in the library open side by side', async ({ page, served }) => {
  recordShortRun(served, 'left');
  recordShortRun(served, 'right');
  await page.goto(served.url);
  await expect(page.getByTestId('session-row')).toHaveCount(2);

  await page.getByTestId('compare-tick').nth(0).check();
  await page.getByTestId('compare-tick').nth(1).check();
  await screenshot(page, 'library-compare-ticked');
  await page.getByTestId('compare-selected').click();

  await expect(page).toHaveURL(/#\/compare\?ids=\d+,\d+$/);
  await expect(page.getByTestId('compare-column')).toHaveText([/right/, /left/]);
  await drawnPoints(page, 'compare-heap-chart');
  await drawnPoints(page, 'compare-pause-chart');
  await page.getByTestId('theme-toggle').click();
  await drawnPoints(page, 'compare-heap-chart');
  await screenshot(page, 'compare-library-dark');
});

test('an unknown session id says so instead of showing an empty comparison', async ({ page, served }) => {
  await page.goto(`${served.url}#/compare?ids=999`);

  await expect(page.getByTestId('compare-error')).toContainText('Session 999 does not exist');

  await page.goto(`${served.url}#/compare`);
  await expect(page.getByTestId('compare-empty')).toBeVisible();
});

interface ApiStats {
  cycles: number;
  pauseP50Ns: number;
  pauseP99Ns: number;
  peakHeapBytes: number;
}

async function fetchStats(page: Page, served: Served, id: number): Promise<ApiStats> {
  return page.evaluate(
    async ({ header, token, id }) => {
      const response = await fetch('/api/sessions.get', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [header]: token },
        body: JSON.stringify({ id }),
      });
      const reply = (await response.json()) as { ok: boolean; result: { stats: ApiStats } };
      return reply.result.stats;
    },
    { header: TOKEN_HEADER, token: served.token, id },
  );
}

/** The data-difference of each non-baseline cell of a row, in column order (null for the baseline). */
async function rowDifferences(page: Page, key: string): Promise<(number | null)[]> {
  const cells = await page.getByTestId(`compare-row-${key}`).locator('td').all();
  return Promise.all(
    cells.map(async (cell) => {
      const delta = cell.getByTestId('compare-delta');
      if ((await delta.count()) === 0) return null;
      return Number(await delta.getAttribute('data-difference'));
    }),
  );
}

test('three sessions of mixed sources: deltas against a chosen baseline, aligned by time or cycle', async ({
  page,
  served,
}) => {
  const runs = [
    ['run', '--scenario', 'steady', '--collector', 'mark-sweep', '--name', 'ms', '--duration-ms', '300'],
    ['run', '--scenario', 'pool-buffers', '--collector', 'go', '--name', 'pooled', '--duration-ms', '300'],
    ['import', join(__dirname, '..', 'fixtures', 'gctrace', 'go1.19.8_churn_gogc100.txt'), '--name', 'trace'],
  ];
  for (const args of runs) expect(served.cli(args).status).toBe(0);
  await page.goto(`${served.url}#/compare?ids=1,2,3`);
  const stats = await Promise.all([1, 2, 3].map((id) => fetchStats(page, served, id)));

  await expect(page.getByTestId('compare-column')).toHaveText([/ms/, /pooled/, /trace/]);
  await expect(page.getByTestId('compare-column').first()).toHaveAttribute('data-baseline', 'true');
  expect(await rowDifferences(page, 'pauseP99Ns')).toEqual([
    null,
    stats[1]!.pauseP99Ns - stats[0]!.pauseP99Ns,
    stats[2]!.pauseP99Ns - stats[0]!.pauseP99Ns,
  ]);
  await expect(page.getByTestId('compare-row-pauseP50Ns')).toBeVisible();
  await expect(page.getByTestId('compare-row-meanHeapBytes')).toBeVisible();
  await expect(page.getByTestId('compare-row-poolHitRate').locator('td').nth(1)).toContainText('%');
  await expect(page.getByTestId('compare-pool-missing')).toContainText(
    'trace — imported gctrace traces have no sync.Pool counters',
  );
  await drawnPoints(page, 'compare-pool-chart');
  await drawnPoints(page, 'compare-gc-cpu-chart');
  await expect(page.getByTestId('compare-heap-chart')).toHaveAttribute(
    'data-x-title',
    'time since start (ms)',
  );
  await expect(page.getByTestId('compare-pause-chart')).toHaveAttribute(
    'data-x-title',
    'cycle start, time since start (ms)',
  );
  await expect(page.getByTestId('compare-clock')).toHaveText([
    /^virtual time \(the simulator's clock\) for ms\b.*, pooled\b.*$/,
    /^program time \(the program's own clock, since it started\) for trace\b[^,]*$/,
  ]);
  await expect(page.getByTestId('compare-clocks')).toHaveText(
    /own clock:\s+virtual time .+; program time .+\.$/,
  );
  await screenshot(page, 'compare-three-baseline-first');

  await page.getByTestId('compare-baseline').selectOption('3');

  await expect(page.getByTestId('compare-column').nth(2)).toHaveAttribute('data-baseline', 'true');
  expect(await rowDifferences(page, 'peakHeapBytes')).toEqual([
    stats[0]!.peakHeapBytes - stats[2]!.peakHeapBytes,
    stats[1]!.peakHeapBytes - stats[2]!.peakHeapBytes,
    null,
  ]);
  const cyclesCell = page.getByTestId('compare-row-cycles').locator('td').first();
  await expect(cyclesCell.getByTestId('compare-delta')).toHaveAttribute(
    'data-difference',
    String(stats[0]!.cycles - stats[2]!.cycles),
  );
  const heapRow = page.getByTestId('compare-row-peakHeapBytes').locator('td').first();
  await expect(heapRow).toHaveAttribute(
    'data-verdict',
    stats[0]!.peakHeapBytes < stats[2]!.peakHeapBytes ? 'better' : 'worse',
  );
  await screenshot(page, 'compare-three-baseline-trace');

  const timePoints = await drawnPoints(page, 'compare-pause-chart');
  await page.getByTestId('compare-align-cycle').check();

  await expect(page.getByTestId('compare-pause-chart')).toHaveAttribute('data-align', 'cycle');
  expect(await drawnPoints(page, 'compare-pause-chart')).toBe(timePoints);
  expect(timePoints).toBe(stats.reduce((sum, s) => sum + s.cycles, 0));
  await expect(page.getByTestId('compare-heap-chart')).toHaveAttribute('data-align', 'cycle');
  await expect(page.getByTestId('compare-heap-chart')).toHaveAttribute('data-x-title', 'GC cycle');
  await expect(page.getByTestId('compare-clocks')).toHaveCount(0);
  await page.getByTestId('compare-heap-metric').selectOption('goal');
  await drawnPoints(page, 'compare-heap-chart');
  await screenshot(page, 'compare-three-by-cycle');

  await page.getByTestId('compare-align-cycle').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('compare-align')).toHaveAttribute('data-align', 'time');
});

test('sessions without pool counters say so instead of drawing an empty chart', async ({ page, served }) => {
  recordShortRun(served, 'one');
  expect(
    served.cli(['import', join(__dirname, '..', 'fixtures', 'gctrace', 'go1.19.8_churn_gogc100.txt')]).status,
  ).toBe(0);

  await page.goto(`${served.url}#/compare?ids=1,2`);

  await expect(page.getByTestId('compare-pool-chart')).toHaveCount(0);
  await expect(page.getByTestId('compare-pool-missing')).toContainText('No session has sync.Pool counters');
  await expect(page.getByTestId('compare-pool-missing')).toContainText(
    'imported gctrace traces have no sync.Pool counters',
  );
  await expect(page.getByTestId('compare-row-poolHitRate')).toHaveCount(0);
  await screenshot(page, 'compare-no-pool');
});

test('a session still recording shows its differences so far without calling them better or worse', async ({
  page,
  served,
}) => {
  // Seeded through the store: a finished baseline and a run caught after 2 of its cycles.
  const db = openDatabase(served.dbPath);
  const sessions = new SessionRepository(db);
  const seed = (name: string, cycles: number, finish: boolean): number => {
    const id = sessions.create({
      name,
      source: 'simulation',
      scenario: 'steady',
      collector: 'go',
      config: null,
      seed: 1,
      engineVersion: null,
      recorderPid: null,
    });
    const recorder = new Recorder(db, id);
    recorder.add(
      Array.from({ length: cycles }, (_, k) =>
        cycleRecord({ seq: k + 1, startNs: (k + 1) * 1e6, pauseNs: 50_000 * (k + 1) }),
      ),
      [],
    );
    recorder.flush();
    if (finish) sessions.finish(id, 'complete');
    return id;
  };
  const done = seed('finished', 10, true);
  const running = seed('still running', 2, false);
  db.close();

  await page.goto(`${served.url}#/compare?ids=${done},${running}`);
  await expect(page.getByTestId('compare-recording')).toContainText(`Session ${running} is still recording`);
  const deltas = page.locator(
    `[data-testid^="compare-row-"] td:not(.baseline) [data-testid="compare-delta"]`,
  );
  await expect(deltas.first()).toBeVisible();
  // Fewer cycles and less pause so far: differences, not improvements.
  await expect(page.getByTestId('compare-row-pauseTotalNs').getByTestId('compare-delta')).toContainText('−');
  for (const verdict of await deltas.evaluateAll((spans) => spans.map((s) => s.className)))
    expect(verdict).not.toMatch(/\b(better|worse)\b/);
  await screenshot(page, 'compare-recording');
});
