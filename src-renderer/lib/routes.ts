/**
 * Hash routes: they work over file:// (Electron) and http:// (browser mode) alike, with no server
 * rewrite rules.
 */
export type Route =
  | { name: 'library' }
  | { name: 'new-run' }
  | { name: 'session'; id: number }
  /** Sessions side by side, in the order given; `#/compare?ids=3,4,5`. */
  | { name: 'compare'; ids: number[] }
  | { name: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/' || path === '') return { name: 'library' };
  if (path === '/new' || path === '/new/') return { name: 'new-run' };
  const session = /^\/sessions\/(\d{1,15})\/?$/.exec(path);
  if (session) {
    const id = Number(session[1]);
    if (Number.isSafeInteger(id) && id > 0) return { name: 'session', id };
  }
  const compare = /^\/compare\/?(?:\?(.*))?$/.exec(path);
  if (compare)
    return { name: 'compare', ids: parseIds(new URLSearchParams(compare[1] ?? '').get('ids') ?? '') };
  return { name: 'not-found', path };
}

/** Positive session ids from "3,4,5", in order, without repeats; anything else is dropped. */
function parseIds(list: string): number[] {
  const ids: number[] = [];
  for (const part of list.split(',')) {
    if (!/^\d{1,15}$/.test(part.trim())) continue;
    const id = Number(part.trim());
    if (Number.isSafeInteger(id) && id > 0 && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'library':
      return '#/';
    case 'new-run':
      return '#/new';
    case 'session':
      return `#/sessions/${route.id}`;
    case 'compare':
      return route.ids.length > 0 ? `#/compare?ids=${route.ids.join(',')}` : '#/compare';
    case 'not-found':
      return `#${route.path}`;
    default:
      return assertNever(route);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
