/**
 * Getting real traces into the app in browser mode: "Import gctrace log…" (a file picker) and a log
 * dropped on the library open the new session; a file that is not a log shows the importer's
 * message in the library; a `heapscope attach` in another process is followed live by the session
 * view. Screenshots go to reports/screenshots.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, expect, screenshot, test } from './support/fixtures';

const LOG_PATH = join(__dirname, '..', 'fixtures', 'gctrace', 'go1.19.8_churn_gogc100.txt');
const LOG_CYCLES = readFileSync(LOG_PATH, 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('gc ')).length;

test('imports a log picked with "Import gctrace log…" and opens it', async ({ page, served }) => {
  await page.goto(served.url);
  await expect(page.getByTestId('import-log')).toHaveText('Import gctrace log…');
  await screenshot(page, 'import-empty-library');

  await page.getByTestId('import-file').setInputFiles(LOG_PATH);

  await expect(page).toHaveURL(/#\/sessions\/\d+$/);
  await expect(page.locator('#session-title')).toHaveText('go1.19.8_churn_gogc100');
  await expect(page.getByTestId('session-meta')).toContainText('gctrace');
  await expect(page.getByTestId('heap-chart')).toHaveAttribute('data-points', /^[1-9]/);
  const listed = JSON.parse(served.cli(['sessions', '--json']).stdout) as { cycleCount: number }[];
  expect(listed.map((s) => s.cycleCount)).toEqual([LOG_CYCLES]);
  await screenshot(page, 'import-opened-session');
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
