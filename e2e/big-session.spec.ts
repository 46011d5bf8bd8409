/**
 * A session of 100,000 cycles (and 1.6 million heap samples, as the steady preset samples) opens
 * and charts without freezing the page: its charts draw series the main side reduced to their
 * width, the page answers a click while it loads, a zoom refines the charts down to per-cycle
 * panels, and the cycle table keeps only the rows in view in the DOM.
 */
import { expect, screenshot, test } from './support/fixtures';
import { openDatabase } from '../src-main/store/database';
import { recordBigSession } from '../src-main/test-support/big-session';

const CYCLES = 100_000;

test('a 100,000-cycle session charts within seconds and stays responsive', async ({ page, served }) => {
  test.setTimeout(180_000);
  const db = openDatabase(served.dbPath);
  const id = recordBigSession(db, { cycles: CYCLES, samplesPerCycle: 16, name: 'big session' });
  db.close();

  const openedMs = Date.now();
  await page.goto(`${served.url}#/sessions/${id}`);
  await expect(page.getByTestId('heap-chart')).toHaveAttribute('data-points', /^[1-9]\d*$/, {
    timeout: 20_000,
  });
  await expect(page.getByTestId('pause-chart')).toHaveAttribute('data-points', /^[1-9]\d*$/);
  const firstChartMs = Date.now() - openedMs;
  test.info().annotations.push({ type: 'first chart', description: `${firstChartMs} ms` });

  // The charts got buckets, not cycles: a few points per pixel at most.
  expect(Number(await page.getByTestId('heap-chart').getAttribute('data-points'))).toBeLessThan(20_000);
  expect(Number(await page.getByTestId('pause-chart').getAttribute('data-points'))).toBeLessThanOrEqual(
    4_096,
  );
  await expect(page.getByTestId('session-view')).toHaveAttribute('data-big-session', 'true');
  await expect(page.getByTestId('zoom-range')).toContainText('Whole session · 100,000 cycles');
  await expect(page.getByTestId('range-too-long')).toBeVisible();
  await expect(page.locator('[data-stat="cycles"]')).toContainText('100,000');

  // The page answers a click at once: the Zoom in button narrows the range.
  const clickedMs = Date.now();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect(page.getByTestId('zoom-range')).toContainText(' ms of ', { timeout: 5_000 });
  expect(Date.now() - clickedMs).toBeLessThan(5_000);

  // Zoomed far enough, the per-cycle panels draw the visible range's cycles.
  for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect(page.getByTestId('range-too-long')).toHaveCount(0);
  await expect(page.getByTestId('phase-timeline')).toHaveAttribute('data-points', /^[1-9]\d*$/);

  // A drag across the heap chart zooms further; Reset zoom returns to the whole session.
  const box = (await page.getByTestId('heap-chart').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('zoom-range')).not.toContainText('Whole session');
  await screenshot(page, 'big-session-zoomed');
  await page.getByTestId('zoom-reset').click();
  await expect(page.getByTestId('zoom-range')).toContainText('Whole session');

  // The table holds a screenful of rows, and scrolling to its end fetches the last page.
  const rows = page.getByTestId('cycle-row');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThan(100);
  await page.getByTestId('cycle-table-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator(`[data-testid="cycle-row"][data-seq="${CYCLES}"]`)).toBeVisible();
  expect(await rows.count()).toBeLessThan(100);
  await screenshot(page, 'big-session');
});
