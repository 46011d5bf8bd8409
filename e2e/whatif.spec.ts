/**
 * "Re-run as simulation…" in browser mode: an imported Go trace is fitted, simulated under another
 * GOGC and opened beside the trace in the compare view; the fitted scenario opens in the New run
 * form's editor; a bad GOGC is refused in the form. Screenshots go to reports/screenshots.
 */
import { join } from 'node:path';
import { expect, screenshot, test } from './support/fixtures';

const LOG_PATH = join(__dirname, '..', 'fixtures', 'gctrace', 'go1.19.8_churn_gogc100.txt');

test('re-runs an imported trace under GOGC=200 and compares the two', async ({ page, served }) => {
  // An import, a simulation and three views: a busy machine has taken over a minute.
  test.setTimeout(120_000);
  expect(served.cli(['import', LOG_PATH]).status).toBe(0);
  await page.goto(`${served.url}#/sessions/1`);

  await page.getByTestId('whatif-button').click();
  await expect(page.getByTestId('whatif-fitted')).toContainText('2 P, GOGC 100');
  await expect(page.getByTestId('whatif-gogc')).toHaveValue('100');
  await expect(page.getByTestId('whatif-phases').locator('li')).toHaveCount(2);
  await screenshot(page, 'whatif-form');
  await page.getByTestId('whatif-gogc').fill('200');
  await page.getByTestId('whatif-run').click();

  await expect(page).toHaveURL(/#\/compare\?ids=1,2$/);
  await expect(page.getByTestId('compare-recording')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('compare-column')).toHaveCount(2);
  await expect(page.getByTestId('compare-column').first()).toHaveAttribute('data-baseline', 'true');
  const cycles = page.getByTestId('compare-row-cycles').getByTestId('compare-value');
  await expect(cycles.first()).toHaveText('33');
  expect(Number(await cycles.nth(1).textContent())).toBeLessThan(25);
  await expect(page.getByTestId('compare-heap-chart')).toHaveAttribute('data-points', /^[1-9]/);
  // The trace is the baseline: the simulation is held to it cycle by cycle, as the CLI prints it.
  const fidelity = page.getByTestId('fidelity');
  await expect(fidelity.getByTestId('fidelity-row')).toHaveCount(33);
  await expect(fidelity.getByTestId('fidelity-row').first().locator('td').nth(3)).toHaveText('3 → 4 → 3');
  // GOGC=200 against a GOGC=100 trace: far fewer cycles, so the count check fails.
  await expect(fidelity.getByTestId('fidelity-verdict')).toHaveText('outside tolerance');
  await expect(fidelity.getByTestId('fidelity-check').first()).toContainText('33 real');
  await screenshot(page, 'whatif-compare');

  await page.goto(`${served.url}#/sessions/2`);
  await expect(page.getByTestId('session-meta')).toContainText('fit-1');
  await page.getByTestId('edit-scenario').click();
  await expect(page).toHaveURL(/#\/new$/);
  await expect(page.getByTestId('scenario-json')).toHaveValue(/"name": "fit-1"/);
  await expect(page.getByTestId('scenario-valid')).toContainText('fit-1');
  await expect(page.locator('#collector')).toHaveValue('go');
  await expect(page.locator('#gogc')).toHaveValue('200');
  await expect(page.locator('#procs')).toHaveValue('2');
  await screenshot(page, 'whatif-edit-scenario');
});

test('refuses GOGC 0 in the form and records nothing', async ({ page, served }) => {
  expect(served.cli(['import', LOG_PATH]).status).toBe(0);
  await page.goto(`${served.url}#/sessions/1`);

  await page.getByTestId('whatif-button').click();
  await page.getByTestId('whatif-gogc').fill('0');
  await page.getByTestId('whatif-run').click();

  await expect(page.getByTestId('whatif-error-gogc')).toHaveText(
    'GOGC: expected a whole number from 1 to 10000, or off',
  );
  expect(JSON.parse(served.cli(['sessions', '--json']).stdout)).toHaveLength(1);
});
