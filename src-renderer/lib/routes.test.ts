import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from './routes';

describe('parseRoute', () => {
  it.each([
    ['', { name: 'library' }],
    ['#', { name: 'library' }],
    ['#/', { name: 'library' }],
    ['#/new', { name: 'new-run' }],
    ['#/sessions/42', { name: 'session', id: 42 }],
    ['#/sessions/42/', { name: 'session', id: 42 }],
    ['#/compare?ids=3,4,5', { name: 'compare', ids: [3, 4, 5] }],
    ['#/compare', { name: 'compare', ids: [] }],
    ['#/compare?ids=4,x,0,4,-2,7', { name: 'compare', ids: [4, 7] }],
  ])('reads %j', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it.each(['#/sessions/0', '#/sessions/abc', '#/sessions/-3', '#/sessions/1.5', '#/elsewhere'])(
    'does not find %j',
    (hash) => {
      expect(parseRoute(hash).name).toBe('not-found');
    },
  );

  it('round-trips every route through its href', () => {
    const routes: Route[] = [
      { name: 'library' },
      { name: 'new-run' },
      { name: 'session', id: 9 },
      { name: 'compare', ids: [5, 2] },
      { name: 'compare', ids: [] },
    ];
    for (const route of routes) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
  });
});
