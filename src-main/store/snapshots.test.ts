import { beforeEach, describe, expect, it } from 'vitest';
import { createSimulation, type CycleRecord, type Scenario } from '../engine';
import { cycleRecord } from '../test-support/records';
import { CYCLE_FIELDS } from './cycle-columns';
import { openDatabase, type Db } from './database';
import { Recorder } from './recorder';
import { SessionRepository } from './sessions';
import { SnapshotRepository, decodeSnapshot, encodeSnapshot } from './snapshots';

const scenario: Scenario = {
  formatVersion: 1,
  name: 'store',
  title: 'store',
  description: 'store',
  durationMs: 40,
  globalsBytes: 4096,
  pools: [{ name: 'p', size: { kind: 'fixed', bytes: 512 }, pointerFields: 0 }],
  goroutines: [
    {
      name: 'g',
      count: 2,
      allocBytesPerSec: 512 * 2 ** 20,
      sites: [
        {
          name: 'kept',
          weight: 1,
          size: { kind: 'fixed', bytes: 64 },
          pointerFields: 1,
          escapes: true,
          lifetime: { kind: 'ring', slots: 2000, prefill: true },
          structure: { kind: 'list', nodes: 2 },
        },
        {
          name: 'garbage',
          weight: 6,
          size: { kind: 'fixed', bytes: 1024 },
          pointerFields: 0,
          escapes: true,
          lifetime: { kind: 'young' },
        },
        { name: 'pooled', weight: 1, pool: 'p', lifetime: { kind: 'young' }, putPercent: 50 },
      ],
    },
  ],
};

const output = createSimulation(
  { scenario, collector: 'mark-sweep', gogc: 100, procs: 2, seed: 9, durationNs: 40e6 },
  { snapshots: { graphEveryCycles: 2 } },
).advance(Infinity);

let db: Db;
let sessionId: number;

beforeEach(() => {
  db = openDatabase(':memory:');
  sessionId = new SessionRepository(db).create({
    name: 'snapshots',
    source: 'simulation',
    scenario: 'store',
    collector: 'mark-sweep',
    config: null,
    seed: 9,
    engineVersion: null,
    recorderPid: null,
  });
});

describe('snapshots in SQLite', () => {
  it('round-trip exactly through the recorder and the repository, graphs included', () => {
    const recorder = new Recorder(db, sessionId);

    recorder.add(output.cycles, output.samples, output.snapshots);
    recorder.flush();

    const repository = new SnapshotRepository(db);
    const list = repository.list(sessionId);
    expect(output.snapshots.length).toBeGreaterThan(3);
    expect(list.map((s) => s.seq)).toEqual(output.snapshots.map((s) => s.seq));
    expect(list.map((s) => s.hasGraph)).toEqual(output.snapshots.map((s) => s.graph !== null));
    expect(list.some((s) => s.hasGraph) && list.some((s) => !s.hasGraph)).toBe(true);
    for (const s of output.snapshots) expect(repository.get(sessionId, s.seq)).toEqual(s);
    expect(repository.get(sessionId, 9999)).toBeNull();
  });

  it('are stored compressed, several times smaller than their JSON', () => {
    const recorder = new Recorder(db, sessionId);
    recorder.add([], [], output.snapshots);
    recorder.flush();

    const list = new SnapshotRepository(db).list(sessionId);

    for (const s of list) expect(s.storedBytes * 3).toBeLessThan(s.jsonBytes);
  });

  it('go with their session when it is deleted', () => {
    const recorder = new Recorder(db, sessionId);
    recorder.add(output.cycles, [], output.snapshots);
    recorder.flush();

    new SessionRepository(db).delete(sessionId);

    expect(db.prepare('SELECT count(*) FROM snapshots').pluck().get()).toBe(0);
  });

  it('are written with their batch or not at all', () => {
    const recorder = new Recorder(db, sessionId);
    const first = output.snapshots[0]!;
    recorder.add([cycleRecord({ seq: 1 })], [], [first, first]); // duplicate key

    expect(() => recorder.flush()).toThrow(/UNIQUE/);
    expect(new SnapshotRepository(db).list(sessionId)).toEqual([]);
    expect(new SessionRepository(db).cycles(sessionId)).toEqual([]);
  });

  it('are flushed early once a batch holds many compressed bytes', () => {
    const [a, b, c] = output.snapshots;
    const twoBytes = encodeSnapshot(a!).data.length + encodeSnapshot(b!).data.length;
    const recorder = new Recorder(db, sessionId, 1_000_000, twoBytes + 1);

    recorder.add([], [], [a!, b!]);
    const afterTwo = new SnapshotRepository(db).list(sessionId).length;
    recorder.add([], [], [c!]);

    expect(afterTwo).toBe(0);
    expect(new SnapshotRepository(db).list(sessionId).map((s) => s.seq)).toEqual([a!.seq, b!.seq, c!.seq]);
  });

  it('refuse to decode something that is not a snapshot of this version', () => {
    const encoded = encodeSnapshot({ ...output.snapshots[0]!, version: 2 as 1 });

    expect(decodeSnapshot(encoded.data)).toBeNull();
    expect(decodeSnapshot(Buffer.from('not deflate'))).toBeNull();
  });
});

const NEW_NULLABLE_FIELDS = [
  'stackInUseBytes',
  'heapInUseBytes',
  'heapIdleBytes',
  'heapReleasedBytes',
  'tailWasteBytes',
  'internalWasteBytes',
  'heapAllocations',
  'heapAllocatedBytes',
  'stackAllocations',
  'stackAllocatedBytes',
  'tinyAllocations',
  'stackGrowths',
  'stackShrinks',
  'stackCopiedBytes',
  'poolGets',
  'poolHitsPrivate',
  'poolHitsShared',
  'poolHitsStolen',
  'poolHitsVictim',
  'poolMisses',
  'poolPuts',
  'poolDropped',
] as const satisfies readonly (keyof CycleRecord)[];

describe('cycle records in SQLite', () => {
  it('round-trip every field of a simulated cycle, and every new field as null (an imported cycle)', () => {
    const imported: CycleRecord = {
      ...output.cycles[1]!,
      ...Object.fromEntries(NEW_NULLABLE_FIELDS.map((f) => [f, null])),
    };
    const recorder = new Recorder(db, sessionId);

    recorder.add([output.cycles[0]!, imported], []);
    recorder.flush();

    expect(CYCLE_FIELDS).toEqual(expect.arrayContaining([...NEW_NULLABLE_FIELDS]));
    expect(NEW_NULLABLE_FIELDS.every((f) => typeof output.cycles[0]![f] === 'number')).toBe(true);
    expect(new SessionRepository(db).cycles(sessionId)).toEqual([output.cycles[0], imported]);
  });
});
