/**
 * The session view's GC panels — phase timeline, pause distribution, GC CPU, MMU and the collector
 * panels — for every collector the CLI offers and for an imported gctrace log: what is drawn is
 * checked against the session's cycles fetched over the API, and screenshots are kept.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { CycleRecord } from '../src-main/engine/record';
import { formatNs } from '../src-renderer/charts/series/format';
import { paintedPixels } from './support/canvas';
import { expect, SCREENSHOTS, screenshot, test, type Served } from './support/fixtures';

function record(served: Served, collector: string, scenario = 'steady'): number {
  const run = served.cli(['run', '--scenario', scenario, '--collector', collector, '--json']);
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { id: number }).id;
}

async function fetchCycles(page: Page, served: Served, id: number): Promise<CycleRecord[]> {
  const response = await page.request.post(`${served.origin}/api/sessions.cycles`, {
    headers: { 'x-heapscope-token': served.token },
    data: { id },
  });
  expect(response.ok()).toBe(true);
  const reply = (await response.json()) as { ok: boolean; result: CycleRecord[] };
  expect(reply.ok).toBe(true);
  return reply.result;
}

/** Nearest rank, written out again here so the page's numbers are checked, not repeated. */
function nearestRank(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

async function drawnPoints(page: Page, testId: string): Promise<number> {
  const box = page.getByTestId(testId);
  await expect(box).toHaveAttribute('data-points', /^[1-9]\d*$/);
  return Number(await box.getAttribute('data-points'));
}

async function expectPercentilesOf(page: Page, cycles: CycleRecord[]): Promise<void> {
  const sorted = cycles.flatMap((c) => c.pauses.map((p) => p.durationNs)).sort((a, b) => a - b);
  const expected = {
    p50: nearestRank(sorted, 50),
    p95: nearestRank(sorted, 95),
    p99: nearestRank(sorted, 99),
    max: sorted.at(-1)!,
  };
  for (const [key, ns] of Object.entries(expected)) {
    const figure = page.getByTestId(`pause-hist-${key}`);
    await expect(figure).toHaveText(formatNs(ns));
    await expect(figure).toHaveAttribute('data-ns', String(ns));
  }
  await expect(page.getByTestId('pause-histogram')).toHaveAttribute('data-windows', String(sorted.length));
}

async function mmuCurve(page: Page): Promise<number[]> {
  await drawnPoints(page, 'mmu-chart');
  const text = (await page.getByTestId('mmu-chart').getAttribute('data-mmu')) ?? '';
  return text.split(' ').map(Number);
}

/** The GC panels alone, at full size: the whole page's screenshot shrinks them past reading. */
async function panelsScreenshot(page: Page, name: string): Promise<void> {
  const boxes = [];
  for (const id of [
    'phase-timeline-section',
    'pause-histogram-section',
    'gc-cpu-section',
    'mmu-section',
    'refcount-section',
    'barrier-section',
  ]) {
    const section = page.getByTestId(id);
    if ((await section.count()) > 0) boxes.push(await section.boundingBox());
  }
  const present = boxes.filter((box) => box !== null);
  const top = Math.min(...present.map((b) => b.y));
  const bottom = Math.max(...present.map((b) => b.y + b.height));
  const left = Math.min(...present.map((b) => b.x));
  const right = Math.max(...present.map((b) => b.x + b.width));
  const scroll = await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({
    path: join(SCREENSHOTS, `${name}.png`),
    fullPage: true,
    clip: { x: left - 4, y: top + scroll - 4, width: right - left + 8, height: bottom - top + 8 },
  });
}

function expectNonDecreasing(values: number[]): void {
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
}

/** Opens a session and checks what every collector's session shows; returns its cycles. */
async function checkCommonPanels(page: Page, served: Served, id: number): Promise<CycleRecord[]> {
  const cycles = await fetchCycles(page, served, id);
  await page.goto(`${served.url}#/sessions/${id}`);

  expect(await drawnPoints(page, 'phase-timeline')).toBeGreaterThan(0);
  expect(await paintedPixels(page, 'phase-timeline')).toBeGreaterThan(0);
  await expect(page.getByTestId('timeline-range')).toContainText(
    `cycles ${cycles[0]!.seq}–${cycles[Math.min(20, cycles.length) - 1]!.seq} of ${cycles.length}`,
  );
  expect(await drawnPoints(page, 'gc-cpu-chart')).toBeGreaterThan(0);
  const fraction = cycles.at(-1)!.gcCpuFraction;
  await expect(page.getByTestId('gc-cpu-fraction')).toHaveText(`${(fraction * 100).toFixed(2)}%`);

  const curve = await mmuCurve(page);
  expect(curve.length).toBeGreaterThan(10);
  expectNonDecreasing(curve);
  expect(curve.at(-1)!).toBeLessThanOrEqual(1);
  return cycles;
}

test('a mark-sweep session shows one pause per cycle, exact pause percentiles, GC CPU and a rising MMU curve', async ({
  page,
  served,
}) => {
  const id = record(served, 'mark-sweep');

  const cycles = await checkCommonPanels(page, served, id);

  const timeline = page.getByTestId('phase-timeline');
  const shown = Number(await timeline.getAttribute('data-cycles'));
  await expect(timeline).toHaveAttribute('data-pauses', String(shown));
  await expect(timeline).toHaveAttribute('data-marks', '0');
  expect(await drawnPoints(page, 'pause-histogram')).toBeGreaterThan(0);
  expect(await paintedPixels(page, 'pause-histogram')).toBeGreaterThan(0);
  await expectPercentilesOf(page, cycles);
  const curve = await mmuCurve(page);
  expect(curve[0]).toBe(0);
  await expect(page.getByTestId('refcount-section')).toHaveCount(0);
  await expect(page.getByTestId('barrier-section')).toHaveCount(0);
  await screenshot(page, 'gc-panels-mark-sweep');
  await panelsScreenshot(page, 'gc-panels-mark-sweep-panels');
});

test('the phase timeline moves through cycles with its buttons and the arrow keys', async ({
  page,
  served,
}) => {
  const id = record(served, 'mark-sweep');
  const cycles = await fetchCycles(page, served, id);
  expect(cycles.length, 'the steady scenario records more than one window of cycles').toBeGreaterThan(20);
  await page.goto(`${served.url}#/sessions/${id}`);
  const range = page.getByTestId('timeline-range');
  await expect(range).toContainText(`cycles 1–20 of ${cycles.length}`);

  await page.getByTestId('timeline-next').click();
  await expect(range).toContainText(`cycles ${Math.min(21, cycles.length - 19)}–`);
  await page.getByTestId('phase-timeline').focus();
  await page.keyboard.press('Home');
  await expect(range).toContainText('cycles 1–20 ');
  await page.keyboard.press('ArrowRight');
  await expect(range).toContainText('cycles 2–21 ');
  await page.keyboard.press('End');
  await expect(range).toContainText(`cycles ${cycles.length - 19}–${cycles.length} `);
  await expect(page.getByTestId('timeline-next')).toBeDisabled();

  const timeline = page.getByTestId('phase-timeline');
  const box = await timeline.boundingBox();
  await timeline.hover({ position: { x: box!.width * 0.5, y: box!.height * 0.45 } });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page
    .getByTestId('phase-timeline-section')
    .screenshot({ path: join(SCREENSHOTS, 'gc-panels-timeline-hover.png') });
});

test('an imported gctrace log shows two pauses per cycle on the timeline and a histogram', async ({
  page,
  served,
}) => {
  const imported = served.cli(['import', 'fixtures/gctrace/go1.19.8_churn_gogc100.txt', '--json']);
  expect(imported.status, imported.stderr).toBe(0);
  const { id } = JSON.parse(imported.stdout) as { id: number };

  const cycles = await checkCommonPanels(page, served, id);

  const timeline = page.getByTestId('phase-timeline');
  const shown = Number(await timeline.getAttribute('data-cycles'));
  expect(shown).toBe(Math.min(20, cycles.length));
  await expect(timeline).toHaveAttribute('data-pauses', String(2 * shown));
  expect(Number(await timeline.getAttribute('data-marks'))).toBeGreaterThan(0);
  expect(await drawnPoints(page, 'pause-histogram')).toBeGreaterThan(0);
  await expectPercentilesOf(page, cycles);
  await expect(page.getByTestId('refcount-section')).toHaveCount(0);
  await expect(page.getByTestId('barrier-section')).toHaveCount(0);
  await screenshot(page, 'gc-panels-gctrace');
  await panelsScreenshot(page, 'gc-panels-gctrace-panels');
});

test('Go’s concurrent collector shows both termination pauses, the concurrent mark, and its barrier panel', async ({
  page,
  served,
}) => {
  const id = record(served, 'go', 'go-churn');

  const cycles = await checkCommonPanels(page, served, id);

  const timeline = page.getByTestId('phase-timeline');
  const shown = cycles.slice(0, 20);
  await expect(timeline).toHaveAttribute(
    'data-pauses',
    String(shown.reduce((n, c) => n + c.pauses.length, 0)),
  );
  expect(Number(await timeline.getAttribute('data-marks'))).toBeGreaterThan(0);
  await expectPercentilesOf(page, cycles);
  if (cycles.some((c) => c.writeBarrierHits !== null))
    expect(await drawnPoints(page, 'barrier-chart')).toBeGreaterThan(0);
  if (cycles.some((c) => c.assistRatio !== null))
    expect(await drawnPoints(page, 'assist-chart')).toBeGreaterThan(0);
  await screenshot(page, 'gc-panels-go');
  await panelsScreenshot(page, 'gc-panels-go-panels');
});

test('the incremental collector shows many mark slices per cycle', async ({ page, served }) => {
  const id = record(served, 'incremental');

  const cycles = await checkCommonPanels(page, served, id);

  const shown = cycles.slice(0, 20);
  await expect(page.getByTestId('phase-timeline')).toHaveAttribute(
    'data-pauses',
    String(shown.reduce((n, c) => n + c.pauses.length, 0)),
  );
  expect(shown.some((c) => c.pauses.length > 2)).toBe(true);
  await expectPercentilesOf(page, cycles);
  await screenshot(page, 'gc-panels-incremental');
  await panelsScreenshot(page, 'gc-panels-incremental-panels');
});

test('reference counting shows its leak and cascade panel, and says when it never paused', async ({
  page,
  served,
}) => {
  const id = record(served, 'refcount', 'cyclic-garbage');

  const cycles = await fetchCycles(page, served, id);
  await page.goto(`${served.url}#/sessions/${id}`);

  expect(await drawnPoints(page, 'leak-chart')).toBeGreaterThan(0);
  expect(await drawnPoints(page, 'cascade-chart')).toBeGreaterThan(0);
  const windows = cycles.reduce((n, c) => n + c.pauses.length, 0);
  if (windows === 0) {
    await expect(page.getByTestId('pause-histogram-empty')).toContainText('never stopped the world');
    expect(await mmuCurve(page)).toEqual(expect.arrayContaining([1]));
  } else await expectPercentilesOf(page, cycles);
  expectNonDecreasing(await mmuCurve(page));
  await screenshot(page, 'gc-panels-refcount');
  await panelsScreenshot(page, 'gc-panels-refcount-panels');
});

test('a run whose memory limit the live heap cannot fit under shows the thrashing warning; a roomy one does not', async ({
  page,
  served,
}) => {
  // go-churn keeps its 16 MiB prefilled ring live: under 17 MiB the goal sits at the live heap and
  // the cycles run back to back; 64 MiB leaves room.
  const run = (limit: string) => {
    const result = served.cli([
      'run',
      '--scenario',
      'go-churn',
      '--collector',
      'go',
      '--procs',
      '2',
      '--memory-limit',
      limit,
      '--duration-ms',
      '40',
      '--json',
    ]);
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as { id: number; stats: { thrashing: boolean } };
  };
  const tight = run('17MiB');
  const roomy = run('64MiB');
  expect(tight.stats.thrashing).toBe(true);
  expect(roomy.stats.thrashing).toBe(false);

  await page.goto(`${served.url}#/sessions/${roomy.id}`);
  await expect(page.getByTestId('stats-strip')).toBeVisible();
  await expect(page.getByTestId('thrashing-warning')).toHaveCount(0);

  await page.goto(`${served.url}#/sessions/${tight.id}`);
  const warning = page.getByTestId('thrashing-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toHaveAttribute('role', 'alert');
  await expect(warning).toContainText('Thrashing:');
  await expect(warning).toContainText('the memory limit is below what this program keeps live');
  await screenshot(page, 'session-thrashing');
});
