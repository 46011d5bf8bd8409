/**
 * The app in browser mode, as a user meets it: start the server, click through the UI in
 * Chromium, and check what is drawn (chart data-points, stats, rows) — with screenshots kept in
 * reports/screenshots for a human to look at.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { SessionSummary } from '../src-main/api/types';
import { expect, screenshot, test, type Served } from './support/fixtures';

async function drawnPoints(page: Page, testId: string): Promise<number> {
  const chart = page.getByTestId(testId);
  await expect(chart).toHaveAttribute('data-points', /^[1-9]\d*$/);
  return Number(await chart.getAttribute('data-points'));
}

function listSessions(served: Served): SessionSummary[] {
  const result = served.cli(['sessions', '--json']);
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as SessionSummary[];
}

/** Records a short steady session with the real CLI against the test's database. */
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

test('an empty library invites the first run', async ({ page, served }) => {
  await page.goto(served.url);

  await expect(page.getByTestId('empty-library')).toBeVisible();
  await screenshot(page, 'library-empty');
  await page
    .getByTestId('empty-library')
    .getByRole('link')
    .or(page.getByTestId('empty-library').getByRole('button'))
    .first()
    .click();

  await expect(page.getByTestId('run-form')).toBeVisible();
});

test('a run started from the form records a session whose heap and pause charts are drawn', async ({
  page,
  served,
}) => {
  await page.goto(`${served.url}#/new`);
  await expect(page.getByTestId('scenario')).toHaveValue('steady');
  await page.getByTestId('collector').selectOption('mark-sweep');
  await page.getByTestId('gogc').fill('100');
  await page.getByTestId('name').fill('first run from the UI');

  await page.getByTestId('start-run').click();

  await expect(page).toHaveURL(/#\/sessions\/\d+$/);
  const heapPoints = await drawnPoints(page, 'heap-chart');
  const pausePoints = await drawnPoints(page, 'pause-chart');
  const [session] = listSessions(served);
  expect(session).toMatchObject({ name: 'first run from the UI', status: 'complete' });
  expect(session!.cycleCount).toBeGreaterThanOrEqual(10);
  expect(pausePoints).toBe(session!.cycleCount);
  expect(heapPoints).toBeGreaterThan(session!.cycleCount);
  await expect(page.getByTestId('stats-strip')).toContainText(String(session!.cycleCount));
  await expect(page.getByTestId('cycle-row')).toHaveCount(session!.cycleCount);
  const shot = await screenshot(page, 'session-view');
  // `npm run docs:screenshot` refreshes the README's picture from this very test.
  if (process.env.HEAPSCOPE_DOCS_SCREENSHOT === '1')
    copyFileSync(shot, join(__dirname, '..', 'docs', 'screenshot.png'));
});

test('a session recorded by the CLI shows in the library and opens with both charts drawn', async ({
  page,
  served,
}) => {
  const run = served.cli([
    'run',
    '--scenario',
    'steady',
    '--collector',
    'mark-sweep',
    '--name',
    'from the CLI',
    '--json',
  ]);
  expect(run.status).toBe(0);
  const recorded = JSON.parse(run.stdout) as { id: number; stats: { cycles: number } };

  await page.goto(served.url);
  const row = page.getByTestId('session-row').filter({ hasText: 'from the CLI' });
  await expect(row).toBeVisible();
  await screenshot(page, 'library');
  await row.click();

  await expect(page).toHaveURL(new RegExp(`#/sessions/${recorded.id}$`));
  expect(await drawnPoints(page, 'pause-chart')).toBe(recorded.stats.cycles);
  expect(await drawnPoints(page, 'heap-chart')).toBeGreaterThan(recorded.stats.cycles);
});

test('a long run shows live progress and can be cancelled, keeping what was recorded', async ({
  page,
  served,
}) => {
  await page.goto(`${served.url}#/new`);
  await page.getByTestId('duration').fill('600000');
  await page.getByTestId('start-run').click();

  const progress = page.getByTestId('run-progress');
  await expect(progress).toBeVisible();
  await expect(page.getByTestId('run-progress-text')).toContainText(/[1-9]\d* cycles?/);
  await screenshot(page, 'run-progress');
  await page.getByTestId('cancel-run').click();

  await expect(page.getByTestId('run-outcome')).toHaveAttribute('data-status', 'interrupted');
  const [session] = listSessions(served);
  expect(session).toMatchObject({ status: 'interrupted' });
  expect(session!.cycleCount).toBeGreaterThan(0);
  await page.getByTestId('open-recorded').click();
  await expect(page).toHaveURL(new RegExp(`#/sessions/${session!.id}$`));
  expect(await drawnPoints(page, 'pause-chart')).toBe(session!.cycleCount);
});

test('a run on fewer CPUs than Ps records the CPUs and says so in the session header', async ({
  page,
  served,
}) => {
  await page.goto(`${served.url}#/new`);
  await page.getByTestId('collector').selectOption('go');
  await page.getByTestId('procs').fill('4');
  await expect(page.getByTestId('cpus')).toHaveAttribute('placeholder', '4');
  await page.getByTestId('cpus').fill('2');
  await page.getByTestId('duration').fill('50');
  await screenshot(page, 'new-run-cpus');

  await page.getByTestId('start-run').click();

  await expect(page).toHaveURL(/#\/sessions\/\d+$/);
  await expect(page.getByTestId('session-procs')).toHaveText('4 on 2 CPUs');
  await screenshot(page, 'session-on-fewer-cpus');
  const [session] = listSessions(served);
  expect(session).toMatchObject({ status: 'complete' });
});

test('out-of-range input is explained next to the field and starts nothing', async ({ page, served }) => {
  await page.goto(`${served.url}#/new`);
  await page.getByTestId('procs').fill('0');

  await page.getByTestId('start-run').click();

  await expect(page.getByTestId('error-procs')).toContainText(/1/);
  await expect(page).toHaveURL(/#\/new$/);
  expect(listSessions(served)).toEqual([]);
});

test('a session is deleted from the library after confirmation', async ({ page, served }) => {
  recordShortRun(served, 'keep me');
  recordShortRun(served, 'delete me');
  await page.goto(served.url);
  await expect(page.getByTestId('session-row')).toHaveCount(2);

  await page
    .getByTestId('session-row')
    .filter({ hasText: 'delete me' })
    .getByTestId('delete-session')
    .click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await page.getByTestId('confirm-button').click();

  await expect(page.getByTestId('session-row')).toHaveCount(1);
  await expect(page.getByTestId('session-row')).toContainText('keep me');
  expect(listSessions(served).map((s) => s.name)).toEqual(['keep me']);
});

test('the library is usable from the keyboard', async ({ page, served }) => {
  recordShortRun(served, 'older');
  recordShortRun(served, 'newer');
  const [newer, older] = listSessions(served);
  await page.goto(served.url);
  await expect(page.getByTestId('session-row')).toHaveCount(2);

  await page.getByTestId('session-row').first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(new RegExp(`#/sessions/${older!.id}$`));
  expect(newer!.name).toBe('newer');
});

test('a session that does not exist says so', async ({ page, served }) => {
  await page.goto(`${served.url}#/sessions/999`);

  await expect(page.getByText('Session not found')).toBeVisible();
  await expect(page.getByText(/no session 999/)).toBeVisible();
  await page
    .getByRole('link', { name: 'Back to the library' })
    .or(page.getByRole('button', { name: 'Back to the library' }))
    .click();
  await expect(page).toHaveURL(/#\/$/);
});

test('a pool-heavy session charts sync.Pool hits, allocation rate, stacks and memory', async ({
  page,
  served,
}) => {
  const run = served.cli(['run', '--scenario', 'pool-buffers', '--collector', 'mark-sweep', '--json']);
  expect(run.status).toBe(0);
  const recorded = JSON.parse(run.stdout) as { id: number; stats: { cycles: number } };

  await page.goto(`${served.url}#/sessions/${recorded.id}`);

  for (const chart of ['pool-chart', 'alloc-rate-chart', 'roots-chart', 'memory-chart']) {
    expect(await drawnPoints(page, chart), chart).toBeGreaterThan(0);
  }
  await expect(page.getByTestId('stats-strip')).toContainText(/Pool hits/i);
  await screenshot(page, 'session-runtime-charts');
});

test('an imported gctrace log charts like a simulation and explains what it cannot show', async ({
  page,
  served,
}) => {
  const imported = served.cli(['import', 'fixtures/gctrace/go1.19.8_churn_gogc100.txt', '--json']);
  expect(imported.status).toBe(0);
  const session = JSON.parse(imported.stdout) as { id: number; source: string; stats: { cycles: number } };
  expect(session).toMatchObject({ source: 'gctrace', stats: { cycles: 33 } });

  await page.goto(`${served.url}#/sessions/${session.id}`);

  expect(await drawnPoints(page, 'pause-chart')).toBe(33);
  expect(await drawnPoints(page, 'heap-chart')).toBeGreaterThan(33);
  await expect(page.getByTestId('pool-chart-empty')).toBeVisible();
  await screenshot(page, 'session-imported');
});
