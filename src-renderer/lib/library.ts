import type { SessionSummary } from './contract';
import { assertNever } from './routes';

/** Filtering, sorting and selection of the session library, apart from the view. */
export type SessionSortKey = 'name' | 'source' | 'status' | 'scenario' | 'collector' | 'cycles' | 'created';
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
    const haystack = [s.name, s.source, s.status, s.scenario ?? '', s.collector ?? '', String(s.id)]
      .join(' ')
      .toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

function compareBy(key: SessionSortKey, a: SessionSummary, b: SessionSummary): number {
  switch (key) {
    case 'cycles':
      return a.cycleCount - b.cycleCount;
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
  return { key, direction: key === 'cycles' || key === 'created' ? 'desc' : 'asc' };
}

/** After a row is deleted, select the row that took its place, or the one above at the end. */
export function selectionAfterDelete(rows: readonly SessionSummary[], deletedId: number): number | null {
  const index = rows.findIndex((row) => row.id === deletedId);
  if (index === -1) return rows[0]?.id ?? null;
  const next = rows[index + 1] ?? rows[index - 1];
  return next?.id ?? null;
}
