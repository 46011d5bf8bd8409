import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './routes';

describe('parseRoute', () => {
  it.each([
    ['', { name: 'library' }],
    ['#', { name: 'library' }],
    ['#/', { name: 'library' }],
    ['#/new', { name: 'new-run' }],
    ['#/sessions/42', { name: 'session', id: 42 }],
    ['#/sessions/42/', { name: 'session', id: 42 }],
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
    for (const route of [{ name: 'library' }, { name: 'new-run' }, { name: 'session', id: 9 }] as const) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
  });
});
