/**
 * The live view: while a run records, its session view follows it — the charts gain points as
 * cycles arrive, without a reload — and settles when the run ends.
 */
import type { Page } from '@playwright/test';
import type { SessionSummary } from '../src-main/api/types';
import { expect, screenshot, test } from './support/fixtures';

async function points(page: Page, testId: string): Promise<number> {
  return Number((await page.getByTestId(testId).getAttribute('data-points')) ?? '0');
}

test('a recording session’s charts grow as its cycles arrive, then settle when it is cancelled', async ({
  page,
  served,
}) => {
  await page.goto(`${served.url}#/new`);
  await page.getByTestId('duration').fill('600000');
  await page.getByTestId('start-run').click();
  await expect(page.getByTestId('run-progress-text')).toContainText(/[1-9]\d* cycles?/);

  const list = JSON.parse(served.cli(['sessions', '--json']).stdout) as SessionSummary[];
  const recording = list.find((s) => s.status === 'recording')!;
  expect(recording).toBeDefined();
  await page.goto(`${served.url}#/sessions/${recording.id}`);
  await expect(page.getByTestId('session-recording')).toContainText('The charts follow the recording');
  await expect(page.getByTestId('pause-chart')).toHaveAttribute('data-points', /^[1-9]\d*$/);
  const before = await points(page, 'pause-chart');

  // The page is never reloaded: the same chart gains the cycles recorded since.
  await expect.poll(() => points(page, 'pause-chart'), { timeout: 15_000 }).toBeGreaterThan(before + 2);
  await expect.poll(() => points(page, 'heap-chart'), { timeout: 15_000 }).toBeGreaterThan(before);
  // The stats follow too: the cycle count shown grows with the chart.
  await expect
    .poll(async () =>
      Number((await page.locator('[data-stat="cycles"] dd').textContent())?.replace(/,/g, '')),
    )
    .toBeGreaterThan(before);
  await screenshot(page, 'live-session');

  await page.goto(`${served.url}#/new`);
  await page.getByTestId('cancel-run').click();
  await expect(page.getByTestId('run-outcome')).toHaveAttribute('data-status', 'interrupted');
  await page.goto(`${served.url}#/sessions/${recording.id}`);
  const final = JSON.parse(served.cli(['show', String(recording.id), '--json']).stdout) as {
    stats: { cycles: number };
  };
  await expect(page.getByTestId('pause-chart')).toHaveAttribute('data-points', String(final.stats.cycles));
});
