import { SESSION_EDIT_LIMITS as E, type SessionSummary } from './contract';
import { assertNever } from './routes';

/** Filtering, sorting and selection of the session library, apart from the view. */
export type SessionSortKey =
  'name' | 'source' | 'status' | 'scenario' | 'collector' | 'cycles' | 'size' | 'created';
export type SortDirection = 'asc' | 'desc';

export interface SessionSort {
  key: SessionSortKey;
  direction: SortDirection;
}

export const DEFAULT_SORT: SessionSort = { key: 'created', direction: 'desc' };

export function filterSessions(sessions: readonly SessionSummary[], query: string): SessionSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...sessions];
  return sessions.filter((s) => {
    const haystack = [
      s.name,
      ...s.tags,
      s.source,
      s.status,
      s.scenario ?? '',
      s.collector ?? '',
      String(s.id),
    ]
      .join(' ')
      .toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

function compareBy(key: SessionSortKey, a: SessionSummary, b: SessionSummary): number {
  switch (key) {
    case 'cycles':
      return a.cycleCount - b.cycleCount;
    case 'size':
      return a.sizeBytes - b.sizeBytes;
    case 'created':
      // ISO-8601 strings from one clock sort as text; the id breaks ties in creation order.
      return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id;
    case 'name':
    case 'source':
    case 'status':
    case 'scenario':
    case 'collector':
      return (a[key] ?? '').localeCompare(b[key] ?? '', undefined, { numeric: true, sensitivity: 'base' });
    default:
      return assertNever(key);
  }
}

export function sortSessions(sessions: readonly SessionSummary[], sort: SessionSort): SessionSummary[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...sessions].sort((a, b) => sign * compareBy(sort.key, a, b) || b.id - a.id);
}

/** Clicking the sorted column flips it; another column starts descending for numbers and dates. */
export function toggleSort(current: SessionSort, key: SessionSortKey): SessionSort {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: key === 'cycles' || key === 'size' || key === 'created' ? 'desc' : 'asc' };
}

/** After a row is deleted, select the row that took its place, or the one above at the end. */
export function selectionAfterDelete(rows: readonly SessionSummary[], deletedId: number): number | null {
  const index = rows.findIndex((row) => row.id === deletedId);
  if (index === -1) return rows[0]?.id ?? null;
  const next = rows[index + 1] ?? rows[index - 1];
  return next?.id ?? null;
}

/** What the library's editor holds while the user types: tags as one line of text. */
export interface SessionDraft {
  name: string;
  tags: string;
  notes: string;
}

export function draftOf(session: SessionSummary): SessionDraft {
  return { name: session.name, tags: session.tags.join(', '), notes: session.notes };
}

export type DraftCheck =
  | { ok: true; update: { name?: string; notes?: string; tags?: string[] } }
  | { ok: false; field: keyof SessionDraft; message: string };

/** Tags typed as one line, split on commas and spaces, lower-cased and deduplicated, in typed order. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .toLowerCase()
        .split(/[\s,]+/)
        .filter(Boolean),
    ),
  ];
}

/**
 * The same rules as the API's schema (src-main/api/schemas.ts), checked before sending so the
 * editor can point at the field; only what changed is sent. An unchanged draft is ok and empty.
 */
export function checkDraft(session: SessionSummary, draft: SessionDraft): DraftCheck {
  const name = draft.name.trim();
  if (name === '') return { ok: false, field: 'name', message: 'A name must not be empty.' };
  if (name.length > E.nameMax)
    return { ok: false, field: 'name', message: `At most ${E.nameMax} characters.` };
  if (draft.notes.length > E.notesMax)
    return {
      ok: false,
      field: 'notes',
      message: `At most ${E.notesMax.toLocaleString('en-US')} characters.`,
    };
  const tags = parseTags(draft.tags);
  const bad = tags.find((t) => t.length > E.tagMax || !E.tagPattern.test(t));
  if (bad !== undefined)
    return {
      ok: false,
      field: 'tags',
      message: `“${bad}”: a tag is up to ${E.tagMax} letters a–z, digits, “.”, “_” or “-”.`,
    };
  if (tags.length > E.tagsMax) return { ok: false, field: 'tags', message: `At most ${E.tagsMax} tags.` };
  const sorted = [...tags].sort();
  return {
    ok: true,
    update: {
      ...(name !== session.name && { name }),
      ...(draft.notes !== session.notes && { notes: draft.notes }),
      ...(sorted.join(' ') !== session.tags.join(' ') && { tags: sorted }),
    },
  };
}
