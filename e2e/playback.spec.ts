/**
 * The session view's playback bar: scrubbing to a cycle moves the cursor of every time chart to
 * that cycle's start (checked against the cycles fetched over the API), selects the cycle's heap
 * snapshot and highlights its row; stepping, playing and pausing move it a cycle at a time. Every
 * time axis names the session's clock: virtual time for a simulation, program time for a log.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { CycleRecord } from '../src-main/engine/record';
import { expect, SCREENSHOTS, screenshot, test, type Served } from './support/fixtures';

/** Charts whose x axis is the session's time; the runtime charts are added when the session drew them. */
const TIME_CHARTS = ['heap-chart', 'pause-chart', 'phase-timeline', 'gc-cpu-chart'];
const RUNTIME_CHARTS = ['pool-chart', 'alloc-rate-chart', 'roots-chart', 'memory-chart'];

function record(served: Served): number {
  const run = served.cli(['run', '--scenario', 'steady', '--collector', 'mark-sweep', '--json']);
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { id: number }).id;
}

async function fetchCycles(page: Page, served: Served, id: number): Promise<CycleRecord[]> {
  const response = await page.request.post(`${served.origin}/api/sessions.cycles`, {
    headers: { 'x-heapscope-token': served.token },
    data: { id },
  });
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { result: CycleRecord[] }).result;
}

async function drawnTimeCharts(page: Page): Promise<string[]> {
  const present = [...TIME_CHARTS];
  for (const id of RUNTIME_CHARTS) if ((await page.getByTestId(id).count()) > 0) present.push(id);
  for (const id of present) await expect(page.getByTestId(id)).toHaveAttribute('data-points', /^[1-9]\d*$/);
  return present;
}

async function expectCursorAt(page: Page, charts: string[], cycle: CycleRecord): Promise<void> {
  await expect(page.getByTestId('playback-bar')).toHaveAttribute('data-cursor-seq', String(cycle.seq));
  for (const id of charts) {
    await expect(page.getByTestId(id), id).toHaveAttribute('data-cursor-ns', String(cycle.startNs));
  }
  await expect(page.getByTestId('snapshot-cycle')).toContainText(`cycle ${cycle.seq} `);
  await expect(page.locator(`[data-testid="cycle-row"][data-seq="${cycle.seq}"]`)).toHaveAttribute(
    'aria-current',
    'true',
  );
}

/** Every time chart's x axis, as drawn, names `clock`; so do the heap chart's label and the playback time. */
async function expectClock(page: Page, charts: string[], clock: string): Promise<void> {
  for (const id of charts) {
    await expect(page.getByTestId(id), id).toHaveAttribute(
      'data-x-title',
      new RegExp(`^(cycle (start|end), )?${clock} \\(ms\\)$`),
    );
  }
  await expect(page.getByTestId('heap-chart')).toHaveAttribute('aria-label', new RegExp(`over ${clock},`));
  await expect(page.getByTestId('playback-time')).toContainText(`ms ${clock}`);
}

async function cursorSeq(page: Page): Promise<number> {
  return Number(await page.getByTestId('playback-bar').getAttribute('data-cursor-seq'));
}

test('scrubbing, stepping and playing move every chart, the snapshot and the cycle table together', async ({
  page,
  served,
}) => {
  const id = record(served);
  const cycles = await fetchCycles(page, served, id);
  expect(cycles.length, 'the steady scenario records enough cycles to scrub through').toBeGreaterThanOrEqual(
    8,
  );
  await page.goto(`${served.url}#/sessions/${id}`);
  const charts = await drawnTimeCharts(page);
  const bar = page.getByTestId('playback-bar');

  await expect(bar).not.toHaveAttribute('data-cursor-seq', /./);
  for (const chart of charts)
    await expect(page.getByTestId(chart)).not.toHaveAttribute('data-cursor-ns', /./);
  await expect(page.getByTestId('snapshot-cycle')).toContainText(`cycle ${cycles.at(-1)!.seq} `);

  const n = Math.floor(cycles.length / 2);
  const input = page.getByTestId('playback-seq-input');
  await input.fill(String(cycles[n]!.seq));
  await input.press('Enter');
  await expectCursorAt(page, charts, cycles[n]!);
  await expect(page.getByTestId('snapshot-cursor-note')).toContainText('at the playback cursor');
  await expectClock(page, charts, 'virtual time');
  await screenshot(page, 'playback-cursor');
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.getByTestId('heap-chart').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'playback-cursor-viewport.png') });

  await page.getByTestId('snapshot-panel').scrollIntoViewIfNeeded();
  await expect(bar).toBeInViewport();
  await page.screenshot({ path: join(SCREENSHOTS, 'playback-cursor-snapshot.png') });

  await page.getByTestId('playback-slider').focus();
  await page.keyboard.press('ArrowRight');
  await expectCursorAt(page, charts, cycles[n + 1]!);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expectCursorAt(page, charts, cycles[n - 1]!);
  await page.getByTestId('playback-next').click();
  await expectCursorAt(page, charts, cycles[n]!);
  await page.getByTestId('playback-prev').click();
  await expectCursorAt(page, charts, cycles[n - 1]!);

  await page.getByTestId('playback-home').click();
  await expectCursorAt(page, charts, cycles[0]!);
  await page.getByTestId('playback-slider').focus();
  await page.keyboard.press('End');
  await expectCursorAt(page, charts, cycles.at(-1)!);

  await page.getByTestId('playback-home').click();
  await page.getByTestId('playback-speed').selectOption('4');
  await page.getByTestId('playback-play').click();
  await expect(bar).toHaveAttribute('data-playing', 'true');
  await expect.poll(() => cursorSeq(page), { timeout: 10_000 }).toBeGreaterThanOrEqual(cycles[2]!.seq);
  await page.getByTestId('playback-play').click();
  await expect(bar).toHaveAttribute('data-playing', 'false');
  const stoppedAt = await cursorSeq(page);
  await page.waitForTimeout(600);
  expect(await cursorSeq(page)).toBe(stoppedAt);
  const stopped = cycles.find((c) => c.seq === stoppedAt)!;
  await expectCursorAt(page, charts, stopped);

  await bar.focus();
  await page.keyboard.press('Space');
  await expect(bar).toHaveAttribute('data-playing', 'true');
  await page.keyboard.press('Space');
  await expect(bar).toHaveAttribute('data-playing', 'false');

  await page.getByTestId('playback-hide').click();
  await expect(bar).not.toHaveAttribute('data-cursor-seq', /./);
  await expect(page.getByTestId('heap-chart')).not.toHaveAttribute('data-cursor-ns', /./);
});

test("an imported log's charts follow the cursor while its snapshot panel stays empty", async ({
  page,
  served,
}) => {
  const imported = served.cli(['import', 'fixtures/gctrace/go1.19.8_churn_gogc100.txt', '--json']);
  expect(imported.status, imported.stderr).toBe(0);
  const id = (JSON.parse(imported.stdout) as { id: number }).id;
  const cycles = await fetchCycles(page, served, id);
  await page.goto(`${served.url}#/sessions/${id}`);
  await expect(page.getByTestId('heap-chart')).toHaveAttribute('data-points', /^[1-9]\d*$/);

  await page.getByTestId('playback-slider').focus();
  await page.keyboard.press('ArrowRight');

  await expect(page.getByTestId('heap-chart')).toHaveAttribute('data-cursor-ns', String(cycles[0]!.startNs));
  await expect(page.getByTestId('snapshot-empty')).toBeVisible();
  const charts = await drawnTimeCharts(page);
  await expectClock(page, charts, 'program time');
  await expect(page.getByTestId('phase-timeline-section')).toContainText('on program time');
  await expect(page.locator('[data-x-title*="virtual"]')).toHaveCount(0);
  await screenshot(page, 'playback-imported-program-time');
});
