/**
 * The scenario editor of the New run form: a preset's JSON edited in place, checked while typing,
 * and run as a custom scenario recorded under its own name.
 */
import type { Page } from '@playwright/test';
import type { SessionSummary } from '../src-main/api/types';
import { expect, screenshot, test } from './support/fixtures';

async function openEditor(page: Page, url: string): Promise<void> {
  await page.goto(`${url}#/new`);
  await expect(page.getByTestId('scenario')).toHaveValue('steady');
  await page.getByTestId('scenario-customise').click();
  await expect(page.getByTestId('scenario-editor')).toBeVisible();
  await expect(page.getByTestId('scenario-valid')).toHaveText('valid · steady');
}

async function jsonOf(page: Page): Promise<Record<string, unknown>> {
  return JSON.parse(await page.getByTestId('scenario-json').inputValue()) as Record<string, unknown>;
}

async function writeJson(page: Page, scenario: unknown): Promise<void> {
  await page.getByTestId('scenario-json').fill(JSON.stringify(scenario, null, 2));
}

test('an edited scenario is checked while typing and runs under its own name', async ({ page, served }) => {
  await openEditor(page, served.url);
  const steady = await jsonOf(page);
  expect(steady).toMatchObject({ name: 'steady', formatVersion: 1 });
  await screenshot(page, 'scenario-editor-preset');

  const goroutines = steady.goroutines as Record<string, unknown>[];
  await writeJson(page, { ...steady, goroutines: [{ ...goroutines[0], count: 0 }] });

  const problems = page.getByTestId('scenario-problems');
  await expect(problems.getByTestId('scenario-problem')).toHaveCount(1);
  await expect(problems.locator('code.path')).toHaveText('goroutines[0].count');
  await expect(problems).toContainText('expected an integer ≥ 1');
  await expect(page.getByTestId('start-run')).toBeDisabled();
  await expect(page.getByTestId('start-blocked')).toHaveText("Fix the scenario's 1 problem to start.");
  await screenshot(page, 'scenario-editor-problem');

  await writeJson(page, { ...steady, name: 'my-service', durationMs: 100 });

  await expect(page.getByTestId('scenario-valid')).toHaveText('valid · my-service');
  await expect(page.getByTestId('scenario-problems')).toHaveCount(0);
  await expect(page.getByTestId('start-run')).toBeEnabled();
  await expect(page.getByTestId('duration')).toHaveAttribute('placeholder', '100 (default)');
  await screenshot(page, 'scenario-editor-valid');
  await page.getByTestId('start-run').click();

  await expect(page).toHaveURL(/#\/sessions\/\d+$/);
  await expect(page.getByTestId('pause-chart')).toHaveAttribute('data-points', /^[1-9]\d*$/);
  const list = served.cli(['sessions', '--json']);
  expect(list.status).toBe(0);
  const [session] = JSON.parse(list.stdout) as SessionSummary[];
  expect(session).toMatchObject({ scenario: 'my-service', status: 'complete' });
});

test('a syntax error is placed by line and column and blocks the run', async ({ page, served }) => {
  await openEditor(page, served.url);
  const text = await page.getByTestId('scenario-json').inputValue();

  await page.getByTestId('scenario-json').fill(text.replace('"durationMs": 500,', '"durationMs": 500'));

  await expect(page.getByTestId('scenario-syntax-error')).toContainText('Line 7, column 3:');
  await expect(page.getByTestId('start-run')).toBeDisabled();
  await expect(page.getByTestId('start-blocked')).toContainText('not valid JSON (line 7, column 3)');
});

test('edits survive a reload, and Reset to preset brings the preset back', async ({ page, served }) => {
  await openEditor(page, served.url);
  await writeJson(page, { ...(await jsonOf(page)), name: 'kept-across-reload' });
  await expect(page.getByTestId('scenario-valid')).toHaveText('valid · kept-across-reload');

  await page.reload();

  await expect(page.getByTestId('scenario-valid')).toHaveText('valid · kept-across-reload');
  await page.getByTestId('scenario-reset').click();
  await expect(page.getByTestId('scenario-valid')).toHaveText('valid · steady');
});

test('changing the preset replaces an unedited text but asks before replacing edits', async ({
  page,
  served,
}) => {
  await openEditor(page, served.url);
  await page.getByTestId('scenario').selectOption('leak');
  await expect(page.getByTestId('scenario-valid')).toHaveText('valid · leak');

  await writeJson(page, { ...(await jsonOf(page)), name: 'my-leak' });
  await page.getByTestId('scenario').selectOption('steady');

  await expect(page.getByTestId('scenario-replace-notice')).toBeVisible();
  await expect(page.getByTestId('scenario-valid')).toHaveText('valid · my-leak');
  await page.getByTestId('scenario-replace').click();
  await expect(page.getByTestId('scenario-valid')).toHaveText('valid · steady');
});

test('Tab indents inside the editor, Escape then Tab leaves it, Ctrl+Enter starts the run', async ({
  page,
  served,
}) => {
  await openEditor(page, served.url);
  const editor = page.getByTestId('scenario-json');
  await writeJson(page, { ...(await jsonOf(page)), name: 'from-the-keyboard', durationMs: 50 });
  await expect(page.getByTestId('scenario-valid')).toHaveText('valid · from-the-keyboard');

  await editor.press('Control+Home');
  await editor.press('Tab');
  expect(await editor.inputValue()).toMatch(/^ {2}\{/);
  await expect(editor).toBeFocused();
  await editor.press('Escape');
  await editor.press('Tab');
  await expect(editor).not.toBeFocused();

  await editor.focus();
  await expect(page.getByTestId('scenario-valid')).toHaveText('valid · from-the-keyboard');
  await editor.press('Control+Enter');
  await expect(page).toHaveURL(/#\/sessions\/\d+$/);
});

test('a field typo names the field meant, and the preset description steps aside for the edit', async ({
  page,
  served,
}) => {
  await openEditor(page, served.url);
  const description = page.getByTestId('scenario-description');
  await expect(description).toContainText('Four goroutines keep a 16 MiB cache');
  const steady = await jsonOf(page);
  const goroutines = steady.goroutines as { sites: Record<string, unknown>[] }[];
  const { pointerFields, ...site } = goroutines[0]!.sites[0]!;
  const typo = { ...site, pointerField: pointerFields };
  await writeJson(page, {
    ...steady,
    goroutines: [
      { ...goroutines[0], sites: [typo, ...goroutines[0]!.sites.slice(1)] },
      ...goroutines.slice(1),
    ],
  });

  await expect(page.getByTestId('scenario-problems')).toContainText(
    'expected no such field (did you mean "pointerFields"?)',
  );
  await expect(description).not.toContainText('Four goroutines keep a 16 MiB cache');
  await expect(description).toContainText('Edited from the preset');
  await screenshot(page, 'scenario-editor-field-typo');

  // Back to the preset's own text: its description applies again.
  await page.getByTestId('scenario-reset').click();
  await expect(description).toContainText('Four goroutines keep a 16 MiB cache');
});
