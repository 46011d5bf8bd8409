/**
 * Hash routes: they work over file:// (Electron) and http:// (browser mode) alike, with no server
 * rewrite rules.
 */
export type Route =
  | { name: 'library' }
  | { name: 'new-run' }
  | { name: 'session'; id: number }
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
  return { name: 'not-found', path };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'library':
      return '#/';
    case 'new-run':
      return '#/new';
    case 'session':
      return `#/sessions/${route.id}`;
    case 'not-found':
      return `#${route.path}`;
    default:
      return assertNever(route);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
