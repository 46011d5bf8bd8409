/**
 * Every preset scenario runs under every collector from the UI: "Run all collectors" on the New
 * run form, for each preset the form offers, lands on a compare view with one complete session
 * per collector.
 */
import { expect, test } from './support/fixtures';

test('every preset runs under every collector from the New run form', async ({ page, served }) => {
  test.setTimeout(600_000);
  await page.goto(`${served.url}#/new`);
  const presets = await page
    .getByTestId('scenario')
    .locator('option')
    .evaluateAll((options) =>
      options.map((o) => (o as unknown as { value: string }).value).filter((v) => v !== ''),
    );
  const collectors = await page.getByTestId('collector').locator('option').count();
  expect(presets.length).toBeGreaterThanOrEqual(14);
  expect(collectors).toBeGreaterThanOrEqual(4);

  for (const preset of presets) {
    await page.goto(`${served.url}#/new`);
    await page.getByTestId('scenario').selectOption(preset);
    await page.getByTestId('duration').fill('25');
    await page.getByTestId('run-all').click();

    await expect(page, preset).toHaveURL(/#\/compare\?ids=\d+(,\d+)*$/, { timeout: 60_000 });
    await expect(page.getByTestId('compare-column'), preset).toHaveCount(collectors);
  }
  const sessions = served.cli(['sessions', '--json']);
  const list = JSON.parse(sessions.stdout) as { status: string; scenario: string; collector: string }[];
  expect(list).toHaveLength(presets.length * collectors);
  expect(list.filter((s) => s.status !== 'complete')).toEqual([]);
  expect(new Set(list.map((s) => `${s.scenario}/${s.collector}`)).size).toBe(presets.length * collectors);
});
