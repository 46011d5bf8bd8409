import { describe, expect, it } from 'vitest';
import type { SessionSummary } from './contract';
import {
  checkDraft,
  draftOf,
  filterSessions,
  parseTags,
  selectionAfterDelete,
  sortSessions,
  toggleSort,
} from './library';

function session(id: number, overrides: Partial<SessionSummary> = {}): SessionSummary {
  return {
    id,
    name: `session ${id}`,
    source: 'simulation',
    status: 'complete',
    scenario: 'steady',
    collector: 'go',
    createdAt: `2026-01-0${id}T10:00:00.000Z`,
    cycleCount: id * 10,
    durationNs: 1e9,
    notes: '',
    tags: [],
    sizeBytes: id * 1000,
    ...overrides,
  };
}

describe('filterSessions', () => {
  const sessions = [
    session(1, { name: 'baseline', collector: 'mark-sweep' }),
    session(2, { name: 'tuned', scenario: 'burst' }),
  ];

  it('matches every word against name, scenario and collector', () => {
    expect(filterSessions(sessions, 'steady mark').map((s) => s.id)).toEqual([1]);
    expect(filterSessions(sessions, 'BURST').map((s) => s.id)).toEqual([2]);
  });

  it('matches tags', () => {
    const tagged = [session(1, { tags: ['nightly'] }), session(2)];

    expect(filterSessions(tagged, 'night').map((s) => s.id)).toEqual([1]);
  });

  it('keeps everything for an empty query', () => {
    expect(filterSessions(sessions, '  ')).toHaveLength(2);
  });
});

describe('sortSessions', () => {
  const sessions = [session(2, { name: 'b' }), session(3, { name: 'a10' }), session(1, { name: 'a9' })];

  it('puts the newest first by default order of creation', () => {
    expect(sortSessions(sessions, { key: 'created', direction: 'desc' }).map((s) => s.id)).toEqual([3, 2, 1]);
  });

  it('sorts names naturally', () => {
    expect(sortSessions(sessions, { key: 'name', direction: 'asc' }).map((s) => s.name)).toEqual([
      'a9',
      'a10',
      'b',
    ]);
  });

  it('sorts cycle counts as numbers', () => {
    expect(sortSessions(sessions, { key: 'cycles', direction: 'asc' }).map((s) => s.cycleCount)).toEqual([
      10, 20, 30,
    ]);
  });
});

describe('sortSessions by size', () => {
  it('sorts by bytes on disk, and a fresh size column starts with the largest', () => {
    const sessions = [
      session(1, { sizeBytes: 5e6 }),
      session(2, { sizeBytes: 200 }),
      session(3, { sizeBytes: 9e3 }),
    ];

    expect(
      sortSessions(sessions, toggleSort({ key: 'name', direction: 'asc' }, 'size')).map((s) => s.id),
    ).toEqual([1, 3, 2]);
  });
});

describe('checkDraft', () => {
  const base = session(1, { name: 'run', tags: ['a', 'b'], notes: 'n' });

  it('sends only what changed, tags normalised and sorted', () => {
    expect(checkDraft(base, { ...draftOf(base), name: ' renamed ', tags: 'Zed, a  b' })).toEqual({
      ok: true,
      update: { name: 'renamed', tags: ['a', 'b', 'zed'] },
    });
  });

  it('sends nothing for an unchanged draft', () => {
    expect(checkDraft(base, { ...draftOf(base), tags: 'b a' })).toEqual({ ok: true, update: {} });
  });

  it.each([
    [{ name: '  ' }, 'name', /must not be empty/],
    [{ name: 'x'.repeat(201) }, 'name', /At most 200/],
    [{ tags: 'ok b@d' }, 'tags', /“b@d”: a tag is up to 40/],
    [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(' ') }, 'tags', /At most 20 tags/],
    [{ notes: 'x'.repeat(10_001) }, 'notes', /At most 10,000/],
  ])('refuses %j, naming the field', (change, field, message) => {
    const result = checkDraft(base, { ...draftOf(base), ...change });

    expect(result).toMatchObject({ ok: false, field });
    expect(result.ok ? '' : result.message).toMatch(message);
  });
});

describe('parseTags', () => {
  it('splits on commas and spaces, lower-cases and drops repeats', () => {
    expect(parseTags(' Prod,prod  go-1.19,, ')).toEqual(['prod', 'go-1.19']);
  });
});

describe('toggleSort', () => {
  it('flips the direction of the current column', () => {
    expect(toggleSort({ key: 'name', direction: 'asc' }, 'name')).toEqual({ key: 'name', direction: 'desc' });
  });

  it('starts a text column ascending and a number column descending', () => {
    expect(toggleSort({ key: 'created', direction: 'desc' }, 'scenario').direction).toBe('asc');
    expect(toggleSort({ key: 'name', direction: 'asc' }, 'cycles').direction).toBe('desc');
  });
});

describe('selectionAfterDelete', () => {
  const rows = [session(1), session(2), session(3)];

  it('selects the row below the deleted one', () => {
    expect(selectionAfterDelete(rows, 2)).toBe(3);
  });

  it('selects the row above when the last one goes', () => {
    expect(selectionAfterDelete(rows, 3)).toBe(2);
  });

  it('selects nothing when the only row goes', () => {
    expect(selectionAfterDelete([session(1)], 1)).toBeNull();
  });
});
