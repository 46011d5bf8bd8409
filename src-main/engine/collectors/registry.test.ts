import { testCollectorContext } from '../testing/context';
import { describe, expect, it } from 'vitest';
import { Heap } from '../heap';
import { Roots } from '../roots';
import { COLLECTORS, collectorNames, findCollector } from './registry';

describe('collector registry', () => {
  it('registers mark-sweep, under unique names', () => {
    const names = collectorNames();

    expect(names).toContain('mark-sweep');
    expect(new Set(names).size).toBe(names.length);
  });

  it('creates a collector that answers to its registered name', () => {
    const heap = new Heap(1);
    const roots = new Roots(1, 0);

    const collectors = COLLECTORS.map((c) => c.factory(testCollectorContext(heap, roots)));

    expect(collectors.map((c) => c.name)).toEqual(collectorNames());
  });

  it('describes every collector with a title and a paragraph', () => {
    for (const c of COLLECTORS) {
      expect(c.title.length).toBeGreaterThan(0);
      expect(c.description.length).toBeGreaterThan(100);
    }
  });

  it('finds nothing for an unknown name', () => {
    expect(findCollector('no-such-collector')).toBeUndefined();
  });
});
