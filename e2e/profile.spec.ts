/**
 * "Profile a Go program…" in browser mode, on the real churn program built with Go: the session
 * opens at the program's first GC and fills live, its charts drawn; Stop ends a longer run
 * `interrupted`; a command that cannot start is refused in the dialog. Screenshots go to
 * reports/screenshots.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, screenshot, test, type Served } from './support/fixtures';

const hasGo = spawnSync('go', ['version']).status === 0;
let dir = '';
let churn = '';

test.beforeAll(() => {
  if (!hasGo) return;
  dir = mkdtempSync(join(tmpdir(), 'heapscope-e2e-profile-'));
  churn = join(dir, 'churn');
  const source = join(__dirname, '..', 'fixtures', 'gctrace', 'src', 'churn.go');
  expect(spawnSync('go', ['build', '-o', churn, source], { timeout: 120_000 }).status).toBe(0);
});

test.afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

async function profile(page: Page, served: Served, args: string, name: string): Promise<void> {
  await page.goto(served.url);
  await page.getByTestId('profile-button').click();
  await page.getByTestId('profile-command').fill(churn);
  await page.getByTestId('profile-args').fill(args);
  await page.getByTestId('profile-cwd').fill(dir);
  await page.getByTestId('profile-name').fill(name);
  await screenshot(page, `profile-dialog-${name.replace(/\W+/g, '-')}`);
  await page.getByTestId('profile-start').click();
  await expect(page).toHaveURL(/#\/sessions\/\d+$/);
  await expect(page.locator('#session-title')).toHaveText(name);
}

const heapPoints = (page: Page) => async (): Promise<number> =>
  Number(await page.getByTestId('heap-chart').getAttribute('data-points'));

test('profiles churn: its session fills live, then completes with its charts drawn', async ({
  page,
  served,
}) => {
  test.skip(!hasGo, 'needs Go (apt-get install golang-go) to build churn.go');
  test.setTimeout(120_000);
  await profile(page, served, '-total 15000', 'churn live');

  await expect(page.getByTestId('session-recording')).toContainText('Recording a running program');
  await expect.poll(heapPoints(page), { timeout: 15_000 }).toBeGreaterThan(0);
  const first = await heapPoints(page)();
  await expect.poll(heapPoints(page), { timeout: 15_000 }).toBeGreaterThan(first);
  await screenshot(page, 'profile-live-session');

  await expect(page.getByTestId('session-recording')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.locator('.title-row [data-status]')).toHaveText('complete');
  await expect(page.getByTestId('heap-chart')).toHaveAttribute('data-points', /^[1-9]/);
  await expect(page.getByTestId('pause-chart')).toHaveAttribute('data-points', /^[1-9]/);
  await expect(page.getByTestId('session-meta')).toContainText('attach');
  await screenshot(page, 'profile-complete-session');
});

test('Stop ends a longer run interrupted, keeping what it recorded', async ({ page, served }) => {
  test.skip(!hasGo, 'needs Go (apt-get install golang-go) to build churn.go');
  await profile(page, served, '-total 100000000', 'churn stopped');
  await expect.poll(heapPoints(page), { timeout: 15_000 }).toBeGreaterThan(0);

  await page.getByTestId('program-stop').click();

  await expect(page.locator('.title-row [data-status]')).toHaveText('interrupted');
  await expect(page.getByTestId('program-stop')).toHaveCount(0);
  await expect(
    page.getByRole('status').filter({ hasText: 'stopped before the program ended' }),
  ).toBeVisible();
  await expect(page.getByTestId('heap-chart')).toHaveAttribute('data-points', /^[1-9]/);
  const sessions = JSON.parse(served.cli(['sessions', '--json']).stdout) as {
    status: string;
    cycleCount: number;
  }[];
  expect(sessions).toMatchObject([{ status: 'interrupted' }]);
  expect(sessions[0]!.cycleCount).toBeGreaterThan(0);
  await screenshot(page, 'profile-stopped-session');
});

test('a command that cannot start is refused in the dialog, saying why', async ({ page, served }) => {
  await page.goto(served.url);
  await page.getByTestId('profile-button').click();
  await page.getByTestId('profile-start').click();
  await expect(page.getByTestId('profile-error-command')).toHaveText(
    'Command: expected the program to run (a path, or a name on PATH)',
  );

  await page.getByTestId('profile-command').fill('no-such-go-program');
  await page.getByTestId('profile-start').click();

  await expect(page.getByTestId('profile-error-command')).toHaveText(
    'command: cannot start no-such-go-program: command not found',
  );
  await page.getByTestId('profile-command').fill('sh');
  await page.getByTestId('profile-cwd').fill('/no/such/dir');
  await page.getByTestId('profile-start').click();
  await expect(page.getByTestId('profile-error-cwd')).toHaveText(
    'cwd: expected an existing directory, found no directory at /no/such/dir',
  );
  await screenshot(page, 'profile-refused');
  expect(JSON.parse(served.cli(['sessions', '--json']).stdout)).toEqual([]);
});
