/**
 * A gctrace log recorded with GODEBUG=gcpacertrace=1 as well, imported through the library's
 * Import…: its cycles carry the assist ratio the pacer printed, so the session view draws the mark
 * assists panel for it, which a plain gctrace import (no assist ratio) does not show. Screenshots
 * go to reports/screenshots and the chart alone to the test's output folder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { paintedPixels } from './support/canvas';
import { expect, screenshot, test } from './support/fixtures';

const FIXTURES = join(__dirname, '..', 'fixtures', 'gctrace');
const PACER_LOG = 'go1.19.8_churn_pacertrace.txt';
const PLAIN_LOG = 'go1.19.8_churn_gogc100.txt';

async function importByUi(page: Page, name: string): Promise<void> {
  await page.getByTestId('import-file').setInputFiles({
    name,
    mimeType: 'text/plain',
    buffer: readFileSync(join(FIXTURES, name)),
  });
  await expect(page.locator('#session-title')).toHaveText(name.replace(/\.txt$/, ''));
}

test('an imported pacer trace draws the assist ratio its pacer lines printed', async ({ page, served }) => {
  await page.goto(served.url);

  await importByUi(page, PACER_LOG);

  await expect(page.getByTestId('session-runtime')).toContainText('with pacer trace');
  const chart = page.getByTestId('assist-chart');
  await expect(page.getByTestId('barrier-section')).toBeVisible();
  await expect(chart).toHaveAttribute('data-points', /^[1-9]\d*$/);
  expect(await paintedPixels(page, 'assist-chart')).toBeGreaterThan(0);
  const id = /#\/sessions\/(\d+)$/.exec(page.url())![1]!;
  // What the chart was drawn from: the ratios of the five startCycle lines, as stored.
  const exported = JSON.parse(served.cli(['export', id, '--format', 'json']).stdout) as {
    cycles: { assistRatio: number | null }[];
  };
  expect(exported.cycles.map((c) => c.assistRatio)).toEqual([
    1.1368, 0.3654616, 0.3509031, 0.2956413, 1.06683,
  ]);
  await chart.scrollIntoViewIfNeeded();
  await chart.screenshot({ path: test.info().outputPath('assist-chart.png') });
  await screenshot(page, 'pacer-import');
});

test('a plain gctrace import has no assist ratio, and no mark assists panel', async ({ page, served }) => {
  await page.goto(served.url);

  await importByUi(page, PLAIN_LOG);

  await expect(page.getByTestId('gc-cpu-chart')).toHaveAttribute('data-points', /^[1-9]\d*$/);
  await expect(page.getByTestId('assist-chart')).toHaveCount(0);
  await expect(page.getByTestId('session-runtime')).not.toContainText('pacer');
});
