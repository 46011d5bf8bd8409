/**
 * Getting real traces into the app in browser mode: "Import…" (a file picker) and a log dropped on
 * the library open the new session; a large log shows its progress and can be cancelled; a session
 * export imports back; a file that is not a log shows the importer's message in the library; a
 * `heapscope attach` in another process is followed live by the session view. Screenshots go to
 * reports/screenshots.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { CLI, expect, screenshot, test } from './support/fixtures';

const LOG_PATH = join(__dirname, '..', 'fixtures', 'gctrace', 'go1.19.8_churn_gogc100.txt');
const LOG_CYCLES = readFileSync(LOG_PATH, 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('gc ')).length;

/** A Go 1.19 gctrace log of `cycles` cycles with program output between them: some 170 bytes a cycle. */
function generatedLog(cycles: number): Buffer {
  const lines: string[] = [];
  for (let n = 1; n <= cycles; n++) {
    lines.push(
      `gc ${n} @${(n / 100).toFixed(3)}s 1%: 0.010+1.2+0.003 ms clock, 0.040+0.10/1.1/2.0+0.012 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 4 P`,
      `request ${n} served`,
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** 20 000 cycles, some 3.3 MB: seven pieces of 512 KiB. */
const BIG_LOG_CYCLES = 20_000;

/**
 * Holds every imports.append a while, as a slow disk or a busy machine would: each piece's progress
 * stays on screen long enough to be seen, and a cancel lands mid-import, however fast this machine is.
 */
async function slowAppends(page: Page): Promise<void> {
  await page.route('**/api/imports.append', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.continue();
  });
}

test('shows the progress of a large log, then opens its session', async ({ page, served }) => {
  const log = generatedLog(BIG_LOG_CYCLES);
  await slowAppends(page);
  await page.goto(served.url);

  await page
    .getByTestId('import-file')
    .setInputFiles({ name: 'big-service.log', mimeType: 'text/plain', buffer: log });

  await expect(page.getByTestId('import-progress')).toBeVisible();
  await expect(page.getByTestId('import-progress')).toContainText('Importing big-service.log');
  const total = (log.length / 2 ** 20).toFixed(1);
  await expect(page.getByTestId('import-progress-text')).toHaveText(
    new RegExp(`^(0\\.5|1\\.0) of ${total} MiB · [\\d,]+ lines · [\\d,]+ cycles$`),
  );
  await screenshot(page, 'import-progress');
  // The last piece's "3.0 of 3.0 MiB" may show for only a moment before the session opens.
  await expect(page.locator('#session-title')).toHaveText('big-service', { timeout: 60_000 });
  await expect(page.getByTestId('import-progress')).toHaveCount(0);
  const listed = JSON.parse(served.cli(['sessions', '--json']).stdout) as { cycleCount: number }[];
  expect(listed.map((s) => s.cycleCount)).toEqual([BIG_LOG_CYCLES]);
});

test('cancels a large import, saving nothing', async ({ page, served }) => {
  await slowAppends(page);
  await page.goto(served.url);

  await page
    .getByTestId('import-file')
    .setInputFiles({ name: 'big-service.log', mimeType: 'text/plain', buffer: generatedLog(BIG_LOG_CYCLES) });
  await expect(page.getByTestId('import-progress-text')).toContainText('cycles');
  await page.getByTestId('import-cancel').click();

  await expect(page.getByTestId('import-log')).toBeVisible();
  await expect(page.getByTestId('import-error')).toHaveCount(0);
  await expect(page).not.toHaveURL(/#\/sessions\/\d+$/);
  expect(JSON.parse(served.cli(['sessions', '--json']).stdout)).toEqual([]);
});

test('imports a session export back as the same session', async ({ page, served }) => {
  const imported = JSON.parse(
    served.cli(['import', LOG_PATH, '--name', 'exported churn', '--json']).stdout,
  ) as {
    id: number;
  };
  const exported = served.cli(['export', String(imported.id), '--format', 'json']).stdout;
  await page.goto(served.url);

  await page.getByTestId('import-file').setInputFiles({
    name: `heapscope-${imported.id}.json`,
    mimeType: 'application/json',
    buffer: Buffer.from(exported),
  });

  await expect(page).toHaveURL(new RegExp(`#/sessions/${imported.id + 1}$`));
  await expect(page.locator('#session-title')).toHaveText('exported churn');
  const listed = JSON.parse(served.cli(['sessions', '--json']).stdout) as { cycleCount: number }[];
  expect(listed.map((s) => s.cycleCount)).toEqual([LOG_CYCLES, LOG_CYCLES]);
});

test("shows the importer's message for a file that is not a gctrace log, and imports nothing", async ({
  page,
  served,
}) => {
  await page.goto(served.url);

  await page.getByTestId('import-file').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('shopping list\nmilk\neggs\n'),
  });

  await expect(page.getByTestId('import-error')).toContainText(
    'notes.txt: not a gctrace log: expected GODEBUG=gctrace=1 output from a Go program',
  );
  await expect(page).not.toHaveURL(/#\/sessions\/\d+$/);
  expect(JSON.parse(served.cli(['sessions', '--json']).stdout)).toEqual([]);
  await screenshot(page, 'import-not-a-log');
});

test('imports a log dropped on the library', async ({ page, served }) => {
  await page.goto(served.url);
  const text = readFileSync(LOG_PATH, 'utf8');
  // A DataTransfer built in the page (this file is typechecked without the DOM's types).
  const dataTransfer = await page.evaluateHandle(
    `(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([${JSON.stringify(text)}], 'dropped-churn.log', { type: 'text/plain' }));
      return transfer;
    })()`,
  );

  await page.dispatchEvent('[data-testid="library"]', 'dragover', { dataTransfer });
  await expect(page.getByTestId('library')).toHaveClass(/dragging/);
  await screenshot(page, 'import-drag-over');
  await page.dispatchEvent('[data-testid="library"]', 'drop', { dataTransfer });

  await expect(page.locator('#session-title')).toHaveText('dropped-churn');
  await expect(page.getByTestId('heap-chart')).toHaveAttribute('data-points', /^[1-9]/);
});

test('follows a heapscope attach recording from another process live', async ({ page, served }) => {
  test.skip(
    spawnSync('go', ['version']).status !== 0,
    'needs Go (apt-get install golang-go) to build churn.go',
  );
  const dir = mkdtempSync(join(tmpdir(), 'heapscope-e2e-churn-'));
  const churn = join(dir, 'churn');
  const source = join(__dirname, '..', 'fixtures', 'gctrace', 'src', 'churn.go');
  expect(spawnSync('go', ['build', '-o', churn, source], { timeout: 120_000 }).status).toBe(0);
  const attach = spawn(
    process.execPath,
    [CLI, 'attach', '--name', 'live churn', '--db', served.dbPath, '--', churn, '-total', '1000000'],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => attach.once('exit', resolve));
  try {
    const recordingId = (): number | undefined =>
      (
        JSON.parse(served.cli(['sessions', '--json']).stdout || '[]') as { id: number; status: string }[]
      ).find((s) => s.status === 'recording')?.id;
    await expect.poll(recordingId, { timeout: 15_000 }).toBeGreaterThan(0);
    await page.goto(`${served.url}#/sessions/${recordingId()}`);
    await expect(page.getByTestId('session-recording')).toBeVisible();
    const points = async (): Promise<number> =>
      Number(await page.getByTestId('heap-chart').getAttribute('data-points'));
    await expect.poll(points, { timeout: 15_000 }).toBeGreaterThan(0);
    const first = await points();
    await expect.poll(points, { timeout: 15_000 }).toBeGreaterThan(first);
    await screenshot(page, 'attach-live-session');

    attach.kill('SIGINT');
    await exited;
    await page.reload();
    await expect(page.getByTestId('session-recording')).toHaveCount(0);
    await expect(page.getByTestId('session-meta')).toContainText('attach');
  } finally {
    // SIGINT, not SIGKILL, so that attach stops churn too (a killed attach would leave it running).
    if (attach.exitCode === null) {
      attach.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
