/**
 * A heap snapshot as a pprof heap profile (profile.proto, github.com/google/pprof/proto), so
 * `go tool pprof -top heap.pb.gz` and every pprof viewer read a simulated heap the way they read
 * a Go program's /debug/pprof/heap.
 *
 *  1. Sample types are Go's, in Go's order: alloc_objects/count, alloc_space/bytes,
 *     inuse_objects/count, inuse_space/bytes; the default is inuse_space, as for a Go heap profile.
 *  2. One sample per allocation site with anything on the heap. alloc_* are the site's cumulative
 *     heap allocations and requested bytes since the session started (SiteRow.heapAllocations,
 *     heapBytes); inuse_* are its objects allocated at the snapshot (liveObjects, liveBytes).
 *     Stack (non-escaping) allocations are not heap profile samples, as in Go.
 *  3. The sample's stack is two frames: the site (leaf), whose function name is the site's name
 *     ("main.main: sink = make([]byte, n)"), then its goroutine kind ("goroutine worker"), so
 *     -top ranks sites and -tree / flame graphs group them by goroutine.
 *  4. Counts are exact, not sampled: period 1 (Go samples one allocation per 512 KiB and scales).
 *  5. time_nanos is the snapshot's wall time when the session started at `startedAtMs`;
 *     duration_nanos is the virtual time of the snapshot since the session started.
 *
 * The encoding is pprof-format's (DataDog's pure-JS profile.proto encoder); gzip is the caller's.
 */
import { Function as PprofFunction, Location, Profile, StringTable, ValueType } from 'pprof-format';
import type { HeapSnapshot } from '../engine/snapshot';

export const PPROF_SAMPLE_TYPES = [
  ['alloc_objects', 'count'],
  ['alloc_space', 'bytes'],
  ['inuse_objects', 'count'],
  ['inuse_space', 'bytes'],
] as const;

export interface HeapProfileContext {
  /** Wall-clock start of the session (ms since the epoch), for time_nanos. */
  startedAtMs: number;
  /** Lines for the profile's comment field (session name, cycle). */
  comments: string[];
}

export function heapProfile(snapshot: HeapSnapshot, context: HeapProfileContext): Profile {
  const strings = new StringTable();
  const sampleType = PPROF_SAMPLE_TYPES.map(
    ([type, unit]) => new ValueType({ type: strings.dedup(type), unit: strings.dedup(unit) }),
  );
  const functions: PprofFunction[] = [];
  const locations: Location[] = [];
  const locationOf = new Map<string, number>();
  const frame = (name: string): number => {
    const known = locationOf.get(name);
    if (known !== undefined) return known;
    const id = locations.length + 1;
    const nameIndex = strings.dedup(name);
    functions.push(new PprofFunction({ id, name: nameIndex, systemName: nameIndex }));
    locations.push(new Location({ id, mappingId: 1, line: [{ functionId: id, line: 0 }] }));
    locationOf.set(name, id);
    return id;
  };

  const sample = snapshot.sites
    .filter((site) => site.heapAllocations > 0 || site.liveObjects > 0)
    .map((site) => ({
      locationId: [frame(site.name), frame(`goroutine ${site.goroutineKind}`)],
      value: [site.heapAllocations, site.heapBytes, site.liveObjects, site.liveBytes],
    }));

  return new Profile({
    sampleType,
    sample,
    mapping: [{ id: 1, filename: strings.dedup('heapscope-simulation'), hasFunctions: true }],
    location: locations,
    function: functions,
    stringTable: strings,
    timeNanos: BigInt(Math.round(context.startedAtMs)) * 1_000_000n + BigInt(Math.round(snapshot.tNs)),
    durationNanos: Math.round(snapshot.tNs),
    periodType: new ValueType({ type: strings.dedup('space'), unit: strings.dedup('bytes') }),
    period: 1,
    comment: context.comments.map((line) => strings.dedup(line)),
    defaultSampleType: strings.dedup('inuse_space'),
  });
}

/** The profile's protobuf bytes (not gzipped). */
export function encodeHeapProfile(snapshot: HeapSnapshot, context: HeapProfileContext): Uint8Array {
  return heapProfile(snapshot, context).encode();
}
