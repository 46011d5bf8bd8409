import { Profile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import type { HeapSnapshot, SiteRow } from '../engine/snapshot';
import { encodeHeapProfile } from './pprof';

function site(name: string, overrides: Partial<SiteRow> = {}): SiteRow {
  return {
    name,
    goroutineKind: 'worker',
    heapAllocations: 10,
    heapBytes: 640,
    stackAllocations: 5,
    stackBytes: 80,
    liveObjects: 2,
    liveBytes: 128,
    ...overrides,
  };
}

/** Only what the profile reads of a snapshot matters here. */
const snapshot = (sites: SiteRow[]): HeapSnapshot =>
  ({ seq: 12, tNs: 5_000_000, sites }) as unknown as HeapSnapshot;

const decode = (sites: SiteRow[]): Profile =>
  Profile.decode(encodeHeapProfile(snapshot(sites), { startedAtMs: 1_700_000_000_000, comments: ['gc 12'] }));

describe('a heap snapshot as a pprof heap profile', () => {
  it('gives each site a sample of its alloc and inuse counts and bytes, leaf first', () => {
    const profile = decode([
      site('main.a: x = new(T)'),
      site('main.b: y = make([]int, 8)', { goroutineKind: 'server', liveBytes: 0, liveObjects: 0 }),
    ]);

    const s = profile.stringTable.strings;
    const functionName = (locationId: unknown): string => {
      const location = profile.location.find((l) => l.id === locationId)!;
      const fn = profile.function.find((f) => f.id === location.line[0]!.functionId)!;
      return s[Number(fn.name)]!;
    };
    expect(profile.sample.map((x) => x.locationId.map(functionName))).toEqual([
      ['main.a: x = new(T)', 'goroutine worker'],
      ['main.b: y = make([]int, 8)', 'goroutine server'],
    ]);
    expect(profile.sample.map((x) => x.value.map(Number))).toEqual([
      [10, 640, 2, 128],
      [10, 640, 0, 0],
    ]);
  });

  it('leaves out sites with nothing on the heap, and shares a goroutine frame', () => {
    const profile = decode([
      site('a'),
      site('b'),
      site('stack only', { heapAllocations: 0, heapBytes: 0, liveObjects: 0, liveBytes: 0 }),
    ]);

    expect(profile.sample).toHaveLength(2);
    expect(profile.location).toHaveLength(3);
  });

  it('records exact counts (period 1), inuse_space as the default and the snapshot time', () => {
    const profile = decode([site('a')]);

    const s = profile.stringTable.strings;
    expect(Number(profile.period)).toBe(1);
    expect(s[Number(profile.defaultSampleType)]).toBe('inuse_space');
    expect(BigInt(profile.timeNanos)).toBe(1_700_000_000_000_000_000n + 5_000_000n);
    expect(Number(profile.durationNanos)).toBe(5_000_000);
    expect(profile.comment.map((i) => s[Number(i)])).toEqual(['gc 12']);
  });
});
