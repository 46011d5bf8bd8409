/**
 * The session library as a user meets it in browser mode: rename, tag and annotate a session,
 * search and sort, delete with confirmation and undo — against a database seeded through the store,
 * with screenshots kept in reports/screenshots. A library of 1,000 sessions must stay fast.
 */
import type { Page } from '@playwright/test';
import type { SessionSummary } from '../src-main/api/types';
import { openDatabase } from '../src-main/store/database';
import { Recorder } from '../src-main/store/recorder';
import { SessionRepository } from '../src-main/store/sessions';
import { cycleRecord } from '../src-main/test-support/records';
import { expect, screenshot, test, type Served } from './support/fixtures';

interface Seed {
  name: string;
  scenario?: string;
  collector?: string;
  cycles?: number;
  tags?: string[];
}

/** Writes finished sessions straight into the test's database, oldest first; returns their ids. */
function seed(served: Served, seeds: readonly Seed[]): number[] {
  const db = openDatabase(served.dbPath);
  const sessions = new SessionRepository(db);
  const ids = db.transaction(() =>
    seeds.map((s, i) => {
      const id = sessions.create(
        {
          name: s.name,
          source: 'simulation',
          scenario: s.scenario ?? 'steady',
          collector: s.collector ?? 'go',
          config: null,
          seed: 1,
          engineVersion: null,
          recorderPid: null,
        },
        new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      );
      const recorder = new Recorder(db, id);
      recorder.add(
        Array.from({ length: s.cycles ?? 1 }, (_, k) => cycleRecord({ seq: k + 1, startNs: k * 1e6 })),
        [],
      );
      recorder.flush();
      sessions.finish(id, 'complete');
      if (s.tags) sessions.update(id, { tags: s.tags });
      return id;
    }),
  )();
  db.close();
  return ids;
}

function listSessions(served: Served): SessionSummary[] {
  const result = served.cli(['sessions', '--json']);
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as SessionSummary[];
}

const rows = (page: Page) => page.getByTestId('session-row');
const row = (page: Page, id: number) => page.locator(`[data-testid="session-row"][data-session-id="${id}"]`);

test('F2 renames a session in place, and the new name is stored', async ({ page, served }) => {
  const [id] = seed(served, [{ name: 'unnamed run' }]);
  await page.goto(served.url);
  await row(page, id!).focus();

  await page.keyboard.press('F2');
  await expect(page.getByTestId('edit-name')).toBeFocused();
  await page.getByTestId('edit-name').fill('GOGC=100 baseline');
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('session-editor')).toHaveCount(0);
  await expect(row(page, id!).getByTestId('session-name')).toHaveText('GOGC=100 baseline');
  await expect(row(page, id!)).toBeFocused();
  expect(listSessions(served)[0]!.name).toBe('GOGC=100 baseline');
});

test('tags and notes are edited together; a bad tag is refused in place', async ({ page, served }) => {
  const [id] = seed(served, [{ name: 'tuned' }]);
  await page.goto(served.url);
  await row(page, id!).hover();
  await row(page, id!).getByTestId('edit-session').click();

  await page.getByTestId('edit-tags').fill('Nightly, bad tag!');
  await page.getByTestId('edit-save').click();
  await expect(page.getByTestId('edit-error')).toContainText('“tag!”');
  await page.getByTestId('edit-tags').fill('Nightly, gogc-200');
  await page.getByTestId('edit-notes').fill('Pauses halve; heap doubles.');
  await screenshot(page, 'library-editor');
  await page.getByTestId('edit-notes').press('Control+Enter');

  await expect(row(page, id!).getByTestId('session-tag')).toHaveText(['gogc-200', 'nightly']);
  await expect(row(page, id!).getByTestId('session-has-notes')).toBeVisible();
  expect(listSessions(served)[0]).toMatchObject({
    tags: ['gogc-200', 'nightly'],
    notes: 'Pauses halve; heap doubles.',
  });
});

test('the search box filters by name, tag, scenario and collector', async ({ page, served }) => {
  seed(served, [
    { name: 'alpha', scenario: 'steady', collector: 'go', tags: ['prod'] },
    { name: 'beta', scenario: 'burst', collector: 'mark-sweep' },
    { name: 'gamma', scenario: 'steady', collector: 'refcount', tags: ['nightly'] },
  ]);
  await page.goto(served.url);
  await expect(rows(page)).toHaveCount(3);
  const names = () => rows(page).getByTestId('session-name');

  for (const [query, expected] of [
    ['alpha', ['alpha']],
    ['nightly', ['gamma']],
    ['burst', ['beta']],
    ['refcount', ['gamma']],
    ['steady go', ['alpha']],
  ] as const) {
    await page.getByTestId('library-filter').fill(query);
    await expect(names()).toHaveText([...expected]);
  }
  await page.getByTestId('library-filter').fill('');
  await rows(page).first().getByTestId('session-tag').click();
  await expect(page.getByTestId('library-filter')).toHaveValue('nightly');
  await expect(names()).toHaveText(['gamma']);
  await screenshot(page, 'library-search');
});

test('columns sort by date, name, cycles and size', async ({ page, served }) => {
  seed(served, [
    { name: 'b-medium', cycles: 5 },
    { name: 'a-big', cycles: 40 },
    { name: 'c-small', cycles: 1 },
  ]);
  await page.goto(served.url);
  const names = () => rows(page).getByTestId('session-name');
  const header = (label: string) => page.getByRole('columnheader', { name: label }).getByRole('button');

  await expect(names()).toHaveText(['c-small', 'a-big', 'b-medium']);
  await header('Name').click();
  await expect(names()).toHaveText(['a-big', 'b-medium', 'c-small']);
  await header('Cycles').click();
  await expect(names()).toHaveText(['a-big', 'b-medium', 'c-small']);
  await header('Size').click();
  await expect(names()).toHaveText(['a-big', 'b-medium', 'c-small']);
  await header('Size').click();
  await expect(names()).toHaveText(['c-small', 'b-medium', 'a-big']);
  await expect(page.getByTestId('session-size').first()).toHaveText(/^\d+(\.\d)? (B|KiB)$/);
  await header('Created').click();
  await expect(names()).toHaveText(['c-small', 'a-big', 'b-medium']);
  await screenshot(page, 'library-sorted');
});

test('a deleted session comes back with Undo', async ({ page, served }) => {
  const [keep, doomed] = seed(served, [{ name: 'keep me' }, { name: 'delete me', tags: ['x'] }]);
  await page.goto(served.url);
  await row(page, doomed!).focus();

  await page.keyboard.press('Delete');
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(row(page, doomed!)).toHaveCount(0);
  await expect(page.getByTestId('undo-toast')).toContainText('delete me');
  expect(listSessions(served).map((s) => s.id)).toEqual([keep]);
  await screenshot(page, 'library-undo-toast');
  await page.getByTestId('undo-delete').click();

  await expect(row(page, doomed!)).toBeVisible();
  await expect(page.getByTestId('undo-toast')).toHaveCount(0);
  expect(listSessions(served).find((s) => s.id === doomed)).toMatchObject({ name: 'delete me', tags: ['x'] });
});

test('a deletion not undone stays deleted once its toast is gone', async ({ page, served }) => {
  const [keep, doomed] = seed(served, [{ name: 'keep me' }, { name: 'delete me' }]);
  await page.goto(served.url);
  await row(page, doomed!).hover();
  await row(page, doomed!).getByTestId('delete-session').click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('undo-toast')).toBeVisible();

  await expect(page.getByTestId('undo-toast')).toHaveCount(0, { timeout: 15_000 });
  await page.reload();

  await expect(rows(page)).toHaveCount(1);
  expect(listSessions(served).map((s) => s.id)).toEqual([keep]);
  expect(served.cli(['show', String(doomed)]).status).toBe(1);
});

test('1,000 sessions render, filter and sort quickly', async ({ page, served }) => {
  const seeds = Array.from({ length: 1000 }, (_, i) => ({
    name: `session ${i}`,
    scenario: ['steady', 'burst', 'cache'][i % 3]!,
    collector: ['go', 'mark-sweep', 'refcount', 'incremental'][i % 4]!,
    cycles: 1 + (i % 7),
    tags: i % 10 === 0 ? ['tenth'] : [],
  }));
  seed(served, seeds);

  const started = Date.now();
  await page.goto(served.url);
  await expect(page.getByTestId('session-table')).toHaveAttribute('data-rows', '1000', { timeout: 10_000 });
  await expect(rows(page).first()).toBeVisible();
  const renderMs = Date.now() - started;

  const filterStarted = Date.now();
  await page.getByTestId('library-filter').fill('tenth');
  await expect(page.getByTestId('session-table')).toHaveAttribute('data-rows', '100');
  await expect(rows(page).first().getByTestId('session-name')).toHaveText('session 990');
  const filterMs = Date.now() - filterStarted;

  await page.getByTestId('library-filter').fill('');
  await expect(page.getByTestId('session-table')).toHaveAttribute('data-rows', '1000');
  const sortStarted = Date.now();
  await page.getByRole('columnheader', { name: 'Size' }).getByRole('button').click();
  await expect(rows(page).first().getByTestId('session-name')).toHaveText('session 993');
  const sortMs = Date.now() - sortStarted;

  // Only the rows in view are in the DOM.
  expect(await rows(page).count()).toBeLessThan(100);
  await page.keyboard.press('Tab');
  await rows(page).first().focus();
  await page.keyboard.press('End');
  await expect(page.locator('[data-testid="session-row"]:focus').getByTestId('session-name')).toHaveText(
    'session 0',
  );
  test.info().annotations.push({
    type: 'library-1000',
    description: `load+render ${renderMs} ms, filter ${filterMs} ms, sort ${sortMs} ms`,
  });
  console.log(`1,000 sessions: load+render ${renderMs} ms, filter ${filterMs} ms, sort ${sortMs} ms`);
  expect(renderMs).toBeLessThan(5_000);
  expect(filterMs).toBeLessThan(2_000);
  expect(sortMs).toBeLessThan(2_000);
  await screenshot(page, 'library-1000');
});
