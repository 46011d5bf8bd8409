/**
 * The session view's heap snapshot panel: a recorded run draws its size classes, span map and
 * allocation sites for the last cycle and follows the cycle picker; an imported log says it has none.
 */
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './support/fixtures';

async function drawn(page: Page, testId: string, attribute: 'data-points' | 'data-cells'): Promise<number> {
  const box = page.getByTestId(testId);
  await expect(box).toHaveAttribute(attribute, /^[1-9]\d*$/);
  return Number(await box.getAttribute(attribute));
}

test('a recorded session draws the heap snapshot of its last cycle and follows the cycle picker', async ({
  page,
  served,
}) => {
  const run = served.cli(['run', '--scenario', 'steady', '--collector', 'mark-sweep', '--json']);
  expect(run.status).toBe(0);
  const recorded = JSON.parse(run.stdout) as { id: number; stats: { cycles: number } };

  await page.goto(`${served.url}#/sessions/${recorded.id}`);

  const panel = page.getByTestId('snapshot-panel');
  const cycle = panel.getByTestId('snapshot-cycle');
  await expect(cycle).toContainText(`cycle ${recorded.stats.cycles} `);
  expect(await drawn(page, 'size-class-chart', 'data-points')).toBeGreaterThan(0);
  const lastCells = await drawn(page, 'span-map', 'data-cells');
  expect(lastCells).toBeGreaterThan(0);
  await expect(panel.getByTestId('site-row').first()).toBeVisible();
  expect(await panel.getByTestId('site-row').count()).toBeGreaterThan(0);
  await panel.scrollIntoViewIfNeeded();
  await panel.getByTestId('span-map').locator('canvas').hover();
  await expect(panel.getByTestId('span-map-hover')).toContainText(/^pages? \d+/);
  const headline = panel.getByTestId('snapshot-headline');
  const lastHeadline = await headline.textContent();
  await screenshot(page, 'snapshot-last-cycle');

  const slider = panel.getByTestId('snapshot-slider');
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(cycle).toContainText(`cycle ${recorded.stats.cycles - 1} `);
  await slider.press('Home');
  await expect(cycle).toContainText('cycle 1 ');
  await expect(headline).not.toHaveText(lastHeadline ?? '');
  expect(await drawn(page, 'size-class-chart', 'data-points')).toBeGreaterThan(0);
  expect(await drawn(page, 'span-map', 'data-cells')).toBeGreaterThan(0);
  await screenshot(page, 'snapshot-first-cycle');
});

test('the span map is read from the keyboard: arrows move a marked cell and the line below names its span', async ({
  page,
  served,
}) => {
  const run = served.cli(['run', '--scenario', 'steady', '--collector', 'mark-sweep', '--json']);
  expect(run.status).toBe(0);
  const recorded = JSON.parse(run.stdout) as { id: number };
  await page.goto(`${served.url}#/sessions/${recorded.id}`);
  const map = page.getByTestId('span-map');
  const hover = page.getByTestId('span-map-hover');
  const cells = await drawn(page, 'span-map', 'data-cells');

  await map.focus();
  await expect(hover).toContainText(/^pages? 0\b/);
  await expect(page.getByTestId('span-map-marker')).toBeVisible();
  const first = await hover.textContent();
  const marker = async () => (await page.getByTestId('span-map-marker').boundingBox())!;
  const start = await marker();
  await page.keyboard.press('ArrowDown');
  expect((await marker()).y).toBeGreaterThan(start.y);
  await page.keyboard.press('End');
  await expect(hover).not.toHaveText(first ?? '');
  expect((await marker()).y).toBeGreaterThan(start.y);
  await page.keyboard.press('Home');
  await expect(hover).toHaveText(first ?? '');
  expect(cells).toBeGreaterThan(1);
  await screenshot(page, 'snapshot-span-map-keyboard');

  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('span-map-marker')).toHaveCount(0);
  await expect(hover).toContainText('focus the map and use the arrow keys');
});

test('an imported gctrace log has no heap snapshots and says so', async ({ page, served }) => {
  const imported = served.cli(['import', 'fixtures/gctrace/go1.19.8_churn_gogc100.txt', '--json']);
  expect(imported.status).toBe(0);
  const session = JSON.parse(imported.stdout) as { id: number };

  await page.goto(`${served.url}#/sessions/${session.id}`);

  await expect(page.getByTestId('snapshot-empty')).toContainText(/no heap snapshots/);
  await expect(page.getByTestId('size-class-chart')).toHaveCount(0);
  await expect(page.getByTestId('span-map')).toHaveCount(0);
});
