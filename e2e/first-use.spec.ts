/**
 * What a first-time user meets on a short walk through the app in browser mode: no script errors
 * or refused styles on the way, a session header whose labels line up, a keyboard path to tick
 * sessions for Compare, chart exports named as their panels are, and a filter box that shows its
 * whole hint. Screenshots go to reports/screenshots.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, screenshot, test, type Served } from './support/fixtures';

const LOG_PATH = join(__dirname, '..', 'fixtures', 'gctrace', 'go1.19.8_churn_gogc100.txt');

function record(served: Served, collector = 'go'): number {
  const run = served.cli(['run', '--scenario', 'steady', '--collector', collector, '--json']);
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { id: number }).id;
}

/** Every uncaught exception and console error the page raises from now on. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

test('a walk from the library through a session, its dialogs and back raises no errors', async ({
  page,
  served,
}) => {
  test.setTimeout(90_000);
  const simulated = record(served);
  expect(served.cli(['import', LOG_PATH]).status).toBe(0);
  const imported = simulated + 1;
  const errors = collectErrors(page);

  await page.goto(served.url);
  await expect(page.getByTestId('session-row')).toHaveCount(2);
  await page.getByTestId('profile-button').click();
  await expect(page.getByTestId('profile-dialog')).toBeVisible();
  // The dialog's width comes from its stylesheet, not from an inline style the CSP refuses.
  expect((await page.getByTestId('profile-dialog').boundingBox())!.width).toBeCloseTo(560, 0);
  await page.keyboard.press('Escape');

  await page.goto(`${served.url}#/sessions/${simulated}`);
  await expect(page.getByTestId('heap-chart')).toHaveAttribute('data-points', /^[1-9]/);
  // Leaving the session destroys its charts: the playback cursor must let go of them quietly.
  await page.getByRole('link', { name: 'Back to the library' }).click();
  await expect(page.getByTestId('session-row')).toHaveCount(2);

  await page.goto(`${served.url}#/sessions/${imported}`);
  await page.getByTestId('whatif-button').click();
  await expect(page.getByTestId('whatif-fitted')).toBeVisible();
  expect((await page.getByTestId('whatif-dialog').boundingBox())!.width).toBeCloseTo(680, 0);
  await page.keyboard.press('Escape');
  await page.goto(`${served.url}#/new`);
  await expect(page.locator('#scenario')).toBeVisible();

  expect(errors).toEqual([]);
});

test('the session header keeps every label on one baseline, monospace values included', async ({
  page,
  served,
}) => {
  const id = record(served);
  await page.goto(`${served.url}#/sessions/${id}`);
  const labels = page.getByTestId('session-meta').locator('dt');
  await expect(labels.filter({ hasText: 'Engine' })).toBeVisible();

  const bottoms = await labels.evaluateAll((dts) => dts.map((dt) => dt.getBoundingClientRect().bottom));
  expect(bottoms.length).toBeGreaterThan(5);
  for (const bottom of bottoms) expect(Math.abs(bottom - bottoms[0]!)).toBeLessThan(0.5);
  // The tiles' pause figures are per window; the chart's per-cycle maximum can be twice as large.
  await expect(page.locator('[data-stat="max"]')).toContainText('one window');
  await expect(page.locator('[data-stat="max"]')).toHaveAttribute('title', /every stop-the-world window/);
  await screenshot(page, 'session-meta-aligned');
});

test('Space on a library row ticks it for Compare, so two sessions compare without a mouse', async ({
  page,
  served,
}) => {
  const first = record(served, 'go');
  const second = record(served, 'mark-sweep');
  await page.goto(served.url);
  const row = (id: number) => page.locator(`[data-testid="session-row"][data-session-id="${id}"]`);
  await expect(page.getByTestId('library')).toContainText('Space to tick for Compare');

  await row(second).focus();
  // The rows' aria-selected is valid where it is: the table is a grid, each row a row of it, and
  // the selected one is the row the arrow keys are on.
  const grid = page.getByRole('grid', { name: 'Sessions' });
  await expect(grid.getByRole('row', { selected: true })).toHaveCount(1);
  await expect(grid.getByRole('row', { selected: true })).toHaveAttribute('data-session-id', String(second));
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await expect(row(first)).toBeFocused();
  await expect(grid.getByRole('row', { selected: true })).toHaveAttribute('data-session-id', String(first));
  await page.keyboard.press('Space');
  await expect(row(first).getByTestId('compare-tick')).toBeChecked();
  await expect(row(second).getByTestId('compare-tick')).toBeChecked();
  await expect(page.getByTestId('compare-selected')).toHaveText('Compare (2)');
  await screenshot(page, 'library-ticked-by-keyboard');

  await page.keyboard.press('Space');
  await expect(row(first).getByTestId('compare-tick')).not.toBeChecked();
  await page.keyboard.press('Space');
  await page.getByTestId('compare-selected').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/compare\\?ids=${second},${first}$`));
});

test('the Export menu names each chart by its panel, not by an internal id', async ({ page, served }) => {
  const id = record(served);
  await page.goto(`${served.url}#/sessions/${id}`);
  await expect(page.getByTestId('mmu-chart')).toBeVisible();

  await page.getByTestId('export-button').click();
  await expect(page.getByTestId('export-png-pause-histogram')).toHaveText('Pause distribution');
  await expect(page.getByTestId('export-png-mmu-chart')).toHaveText('Minimum mutator utilization');
  const labels = await page.locator('[data-testid^="export-png-"]').allTextContents();
  for (const label of labels) expect(label.trim()).toMatch(/^[A-Z]/);
});

test('the library filter shows its whole placeholder', async ({ page, served }) => {
  record(served);
  await page.goto(served.url);
  const filter = page.getByTestId('library-filter');
  await expect(filter).toBeVisible();

  // Typed in, the hint's text must not scroll: the same font and box as the placeholder.
  const hint = (await filter.getAttribute('placeholder')) ?? '';
  expect(hint).toMatch(/collector…$/);
  await filter.fill(hint);
  const { scrollPx, clientPx } = await filter.evaluate((input) => ({
    scrollPx: input.scrollWidth,
    clientPx: input.clientWidth,
  }));
  expect(scrollPx).toBeLessThanOrEqual(clientPx);
});

test('a log holding two program runs says which one the session shows', async ({ page, served }) => {
  // Two runs back to back, as a log appended to or a `go run` (the go command's trace, then the program's).
  const log = readFileSync(LOG_PATH, 'utf8');
  const path = join(tmpdir(), `heapscope-two-runs-${process.pid}.txt`);
  writeFileSync(path, log + log);
  const imported = served.cli(['import', path]);
  rmSync(path);
  expect(imported.status, imported.stderr).toBe(0);
  await page.goto(`${served.url}#/sessions/1`);

  await expect(page.getByTestId('session-runs-warning')).toContainText(
    "The log held 2 Go runtimes' traces (gc numbers restart at line 35): this session is the first, and 33 later cycles were skipped.",
  );
  // Every gctrace line ends "2 P": the header says so rather than a dash.
  await expect(page.getByTestId('session-procs')).toHaveText('2');
  // What an import knows, not a simulation's rows of dashes.
  await expect(page.getByTestId('session-runtime')).toHaveText(/^Go's collector, as recorded/);
  const labels = page.getByTestId('session-meta').locator('dt');
  await expect(labels).toHaveText(['Source', 'File', 'Runtime', 'GOMAXPROCS', 'Duration', 'Created']);
  await expect(page.getByTestId('session-meta').locator('dd')).not.toContainText(['—']);
  await screenshot(page, 'session-two-runs');
});

test('running every collector at once waits for free slots without a failed request', async ({
  page,
  served,
}) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });

  await page.goto(`${served.url}#/new`);
  await page.getByTestId('scenario').selectOption('steady');
  const collectors = await page.getByTestId('collector').locator('option').count();
  await page.getByTestId('run-all').click();

  // More collectors than this machine's slots wait their turn: an answer, not an error.
  await expect(page).toHaveURL(/#\/compare\?ids=\d+(,\d+)*$/, { timeout: 90_000 });
  await expect(page.getByTestId('compare-column')).toHaveCount(collectors);
  expect(failed).toEqual([]);
  expect(errors).toEqual([]);
});
