/**
 * The session view's Export menu in browser mode: every format downloads a file whose content is
 * the session's (checked through Playwright's download API), chart PNGs included, by mouse and by
 * keyboard; an imported log's pprof entry is disabled and says why.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { Profile } from 'pprof-format';
import { expect, screenshot, test } from './support/fixtures';

async function exportVia(page: Page, item: string): Promise<{ name: string; data: Buffer }> {
  await page.getByTestId('export-button').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(item).click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), data: readFileSync(path) };
}

test('exports a recorded session as JSON, CSV, gctrace, pprof of the picked snapshot and chart PNGs', async ({
  page,
  served,
}) => {
  const run = served.cli(['run', '--scenario', 'steady', '--collector', 'go', '--json']);
  expect(run.status).toBe(0);
  const session = JSON.parse(run.stdout) as { id: number; stats: { cycles: number } };
  const last = session.stats.cycles;
  await page.goto(`${served.url}#/sessions/${session.id}`);
  await expect(page.getByTestId('snapshot-cycle')).toContainText(`cycle ${last} `);
  await expect(page.getByTestId('heap-chart')).toHaveAttribute('data-points', /^[1-9]/);

  await page.getByTestId('export-button').click();
  await expect(page.getByTestId('export-pprof')).toHaveText(`pprof heap profile (gc ${last})`);
  await expect(page.getByTestId('export-png-heap-chart')).toBeVisible();
  await screenshot(page, 'export-menu');
  await page.keyboard.press('Escape');

  const json = await exportVia(page, 'export-json');
  const parsed = JSON.parse(json.data.toString('utf8')) as { formatVersion: number; cycles: unknown[] };
  expect(json.name).toBe(`heapscope-${session.id}.json`);
  expect(parsed.formatVersion).toBe(2);
  expect(parsed.cycles).toHaveLength(last);
  await expect(page.getByTestId('export-status')).toContainText(`Saved heapscope-${session.id}.json`);

  const csv = await exportVia(page, 'export-csv');
  const rows = csv.data.toString('utf8').split('\r\n');
  expect(rows[0]).toMatch(/^seq,start_ns,trigger,heap_start_bytes,/);
  expect(rows).toHaveLength(last + 2);

  const pauses = await exportVia(page, 'export-csv-pauses');
  expect(pauses.data.toString('utf8')).toMatch(/^seq,pause_index,start_ns,duration_ns\r\n1,0,/);

  const gctrace = await exportVia(page, 'export-gctrace');
  const lines = gctrace.data.toString('utf8').trimEnd().split('\n');
  expect(lines).toHaveLength(last);
  expect(lines[0]).toMatch(/^gc 1 @\d+\.\d{3}s \d+%: .* ms clock, .* MB goal, .* 4 P$/);
  expect(served.cli(['export', String(session.id), '--format', 'gctrace']).stdout).toBe(
    gctrace.data.toString('utf8'),
  );

  // Pick cycle 1 in the snapshot panel: the menu's pprof follows it.
  const slider = page.getByTestId('snapshot-slider');
  await slider.focus();
  await slider.press('Home');
  await expect(page.getByTestId('snapshot-cycle')).toContainText('cycle 1 ');
  const pprof = await exportVia(page, 'export-pprof');
  const profile = Profile.decode(gunzipSync(pprof.data));
  const strings = profile.stringTable.strings;
  expect(pprof.name).toBe(`heapscope-${session.id}-gc1.pb.gz`);
  expect(profile.comment.map((i) => strings[Number(i)])).toContain('heap snapshot at the end of gc 1');
  expect(profile.sampleType.map((t) => strings[Number(t.type)])).toEqual([
    'alloc_objects',
    'alloc_space',
    'inuse_objects',
    'inuse_space',
  ]);

  const png = await exportVia(page, 'export-png-heap-chart');
  expect(png.name).toBe(`heapscope-${session.id}-heap-chart.png`);
  expect(png.data.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.data.readUInt32BE(16)).toBeGreaterThan(100);
  await screenshot(page, 'export-saved');
});

test('the Export menu works from the keyboard', async ({ page, served }) => {
  const run = served.cli(['run', '--scenario', 'steady', '--collector', 'mark-sweep', '--json']);
  const session = JSON.parse(run.stdout) as { id: number };
  await page.goto(`${served.url}#/sessions/${session.id}`);
  await expect(page.getByTestId('snapshot-cycle')).toBeVisible();

  const button = page.getByTestId('export-button');
  await button.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('export-json')).toBeFocused();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('export-menu')).toHaveCount(0);
  await expect(button).toBeFocused();

  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('export-gctrace')).toBeFocused();
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toBe(`heapscope-${session.id}.gctrace.txt`);
  expect(readFileSync(await download.path(), 'utf8')).toMatch(/^gc 1 @/);
  await expect(button).toBeFocused();
});

test('an imported log exports its cycles; its pprof entry is disabled and says why', async ({
  page,
  served,
}) => {
  const imported = served.cli(['import', 'fixtures/gctrace/go1.19.8_stacks.txt', '--json']);
  expect(imported.status).toBe(0);
  const session = JSON.parse(imported.stdout) as { id: number };
  await page.goto(`${served.url}#/sessions/${session.id}`);
  await expect(page.getByTestId('snapshot-empty')).toBeVisible();

  await page.getByTestId('export-button').click();
  const pprof = page.getByTestId('export-pprof');
  await expect(pprof).toHaveAttribute('aria-disabled', 'true');
  await expect(pprof).toContainText('gctrace logs carry no heap snapshots');
  await screenshot(page, 'export-menu-imported');
  await page.keyboard.press('Escape');

  const gctrace = await exportVia(page, 'export-gctrace');
  // The stop-the-world CPU terms are not stored: an export prints procs × clock for them.
  const withoutStwCpu = (line: string): string =>
    line.replace(/, [\d.]+\+([\d./]+)\+[\d.]+ ms cpu/, ', _+$1+_ ms cpu');
  const original = readFileSync('fixtures/gctrace/go1.19.8_stacks.txt', 'utf8');
  const originalFirst = original.split('\n').find((line) => line.startsWith('gc 1 '))!;
  const exportedFirst = gctrace.data.toString('utf8').split('\n')[0]!;
  expect(withoutStwCpu(exportedFirst)).toBe(withoutStwCpu(originalFirst.trim()));
});
