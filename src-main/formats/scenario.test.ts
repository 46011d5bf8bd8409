import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScenarioError, parseScenario } from './scenario';

const PRESETS = fileURLToPath(new URL('../../resources/scenarios/', import.meta.url));

function valid(): Record<string, unknown> {
  return {
    formatVersion: 1,
    name: 'cache',
    title: 'A cache',
    description: 'Keeps a cache.',
    durationMs: 100,
    globalsBytes: 0,
    goroutines: [
      {
        name: 'worker',
        count: 2,
        allocBytesPerSec: 1e6,
        sites: [
          {
            name: 'main.handle: make([]byte, 64)',
            weight: 1,
            size: { kind: 'fixed', bytes: 64 },
            pointerFields: 0,
            escapes: true,
            lifetime: { kind: 'young' },
          },
          {
            name: 'main.handle: &node{}',
            weight: 1,
            size: { kind: 'uniform', minBytes: 32, maxBytes: 96 },
            pointerFields: 2,
            escapes: true,
            lifetime: { kind: 'ring', slots: 10, prefill: false },
          },
        ],
      },
    ],
  };
}

type Path = ReadonlyArray<string | number>;
const DELETE = Symbol('delete');

/** valid() with the value at each path replaced (or deleted). */
function withChanges(...changes: Array<[Path, unknown]>): unknown {
  const json: unknown = valid();
  for (const [path, value] of changes) {
    let parent = json as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = path.at(-1)!;
    if (value === DELETE) delete parent[last];
    else parent[last] = value;
  }
  return json;
}

function problemsOf(json: unknown): readonly string[] {
  try {
    parseScenario(json);
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseScenario', () => {
  it('accepts a valid scenario unchanged', () => {
    expect(parseScenario(valid())).toEqual(valid());
  });

  it.each(readdirSync(PRESETS).filter((f) => f.endsWith('.json')))('accepts the preset %s', (file) => {
    const json: unknown = JSON.parse(readFileSync(`${PRESETS}${file}`, 'utf8'));

    expect(parseScenario(json).name).toBe(file.replace(/\.json$/, ''));
  });

  it('names the JSON path, what it expected and what it found', () => {
    const json = withChanges([['goroutines', 0, 'sites', 1, 'size'], { kind: 'fixed', bytes: -4 }]);

    expect(problemsOf(json)).toEqual([
      'goroutines[0].sites[1].size.bytes: expected an integer ≥ 1 (at most 1073741824), found -4',
    ]);
  });

  it('throws a ScenarioError whose message lists every problem', () => {
    const json = withChanges([['durationMs'], 0], [['goroutines', 0, 'count'], 1.5]);

    expect(() => parseScenario(json)).toThrow(ScenarioError);
    expect(() => parseScenario(json)).toThrow(
      /2 problems\):\n {2}durationMs: expected an integer ≥ 1 .*, found 0\n {2}goroutines\[0\]\.count: expected an integer ≥ 1 .*, found 1\.5/,
    );
  });

  it('reports a missing field as found nothing', () => {
    const json = withChanges([['goroutines', 0, 'sites', 0, 'escapes'], DELETE]);

    expect(problemsOf(json)).toEqual([
      'goroutines[0].sites[0].escapes: expected true or false, found nothing',
    ]);
  });

  it('reports a wrong type with the value found', () => {
    const json = withChanges([['goroutines', 0, 'allocBytesPerSec'], '1 MB/s']);

    expect(problemsOf(json)).toEqual([
      'goroutines[0].allocBytesPerSec: expected a number of bytes per second ≥ 0, found "1 MB/s"',
    ]);
  });

  it('lists the kinds a discriminated field accepts', () => {
    const json = withChanges([['goroutines', 0, 'sites', 0, 'lifetime'], { kind: 'cached' }]);

    expect(problemsOf(json)).toEqual([
      'goroutines[0].sites[0].lifetime.kind: expected "young" or "held" or "ring" or "forever" or "batch", found "cached"',
    ]);
  });

  it('rejects unknown fields by name', () => {
    const json = withChanges([['goroutines', 0, 'colour'], 'red']);

    expect(problemsOf(json)).toEqual(['goroutines[0].colour: expected no such field, found "red"']);
  });

  it('suggests the known field an unknown one is a typo of, as a preset typo suggests a preset', () => {
    const site = withChanges(
      [['goroutines', 0, 'sites', 0, 'pointerFields'], DELETE],
      [['goroutines', 0, 'sites', 0, 'pointerField'], 0],
    );
    const goroutine = withChanges(
      [['goroutines', 0, 'allocBytesPerSec'], DELETE],
      [['goroutines', 0, 'allocBytesPerSecond'], 1],
    );

    expect(problemsOf(site)).toContain(
      'goroutines[0].sites[0].pointerField: expected no such field (did you mean "pointerFields"?), found 0',
    );
    expect(problemsOf(goroutine)).toContain(
      'goroutines[0].allocBytesPerSecond: expected no such field (did you mean "allocBytesPerSec"?), found 1',
    );
    // Only a field the object lacks is offered: a site that has pointerFields gets no hint.
    expect(problemsOf(withChanges([['goroutines', 0, 'sites', 0, 'pointerField'], 0]))).toEqual([
      'goroutines[0].sites[0].pointerField: expected no such field, found 0',
    ]);
  });

  it('rejects another format version', () => {
    const json = withChanges([['formatVersion'], 2]);

    expect(problemsOf(json)).toEqual([
      'formatVersion: expected 1 (the scenario format this version of Heapscope reads), found 2',
    ]);
  });

  it('reports every problem at once', () => {
    const json = withChanges(
      [['name'], 'Has Spaces'],
      [['goroutines', 0, 'sites', 0, 'weight'], -1],
      [['goroutines', 0, 'sites', 1, 'pointerFields'], 'two'],
    );

    expect(problemsOf(json).map((p) => p.split(':')[0])).toEqual([
      'name',
      'goroutines[0].sites[0].weight',
      'goroutines[0].sites[1].pointerFields',
    ]);
  });

  it('rejects a uniform size whose maximum is below its minimum', () => {
    const json = withChanges([
      ['goroutines', 0, 'sites', 1, 'size'],
      { kind: 'uniform', minBytes: 96, maxBytes: 32 },
    ]);

    expect(problemsOf(json)).toEqual([
      'goroutines[0].sites[1].size.maxBytes: expected an integer ≥ minBytes (96), found 32',
    ]);
  });

  it('rejects more pointer fields than fit in the smallest object', () => {
    const json = withChanges([['goroutines', 0, 'sites', 1, 'pointerFields'], 5]);

    expect(problemsOf(json)).toEqual([
      'goroutines[0].sites[1].pointerFields: expected at most 4 (8 B per pointer field in a 32 B object), found 5',
    ]);
  });

  it('rejects a ring or leaked object that does not escape', () => {
    const json = withChanges([['goroutines', 0, 'sites', 1, 'escapes'], false]);

    expect(problemsOf(json)).toEqual([
      'goroutines[0].sites[1].escapes: expected true for a ring lifetime (an object kept past its frame escapes to the heap), found false',
    ]);
  });

  it('rejects a goroutine kind whose sites all weigh 0', () => {
    const json = withChanges(
      [['goroutines', 0, 'sites', 0, 'weight'], 0],
      [['goroutines', 0, 'sites', 1, 'weight'], 0],
    );

    expect(problemsOf(json)).toEqual([
      'goroutines[0].sites: expected at least one site with weight > 0, found a total weight of 0',
    ]);
  });

  it('rejects two goroutine kinds with the same name', () => {
    const json = withChanges([['goroutines', 1], (valid()['goroutines'] as unknown[])[0]]);

    expect(problemsOf(json)).toEqual([
      'goroutines[1].name: expected a name no other goroutine kind uses, found "worker"',
    ]);
  });

  it('reports a missing nested object without crashing the cross-field checks', () => {
    const json = withChanges(
      [['goroutines', 0, 'sites', 1, 'size'], DELETE],
      [['goroutines', 0, 'sites', 0, 'size'], 'big'],
    );

    expect(problemsOf(json)).toEqual([
      'goroutines[0].sites[0].size: expected a size object with "kind", found "big"',
      'goroutines[0].sites[1].size: expected a size object with "kind", found nothing',
    ]);
  });

  it('rejects something that is not a scenario at all', () => {
    expect(problemsOf([1, 2])).toEqual(['(scenario): expected a scenario object, found an array of 2']);
  });
});

/** A scenario that uses every feature of the format. */
function everything(): Record<string, unknown> {
  return {
    formatVersion: 1,
    name: 'everything',
    title: 'Everything',
    description: 'Every feature.',
    durationMs: 100,
    globalsBytes: 4096,
    pools: [{ name: 'bufs', size: { kind: 'fixed', bytes: 4096 }, pointerFields: 0 }],
    goroutines: [
      {
        name: 'worker',
        count: 4,
        allocBytesPerSec: 1e8,
        stack: { frameBytes: 256, depth: { kind: 'uniform', minFrames: 2, maxFrames: 40 } },
        phases: [
          { kind: 'constant', ms: 10, factor: 1 },
          { kind: 'ramp', ms: 10, from: 1, to: 3 },
          { kind: 'step', ms: 10, factors: [1, 0] },
          { kind: 'oscillate', ms: 10, periodMs: 2, min: 0.5, max: 2 },
          { kind: 'random', ms: 10, intervalMs: 1, min: 0, max: 2 },
        ],
        repeatPhases: true,
        runtimeGC: { everyMs: 50 },
        totalBytes: 1e9,
        sites: [
          {
            name: 'tree',
            weight: 1,
            size: {
              kind: 'weighted',
              sizes: [
                { bytes: 32, weight: 1 },
                { bytes: 64, weight: 2 },
              ],
            },
            pointerFields: 2,
            escapes: true,
            lifetime: { kind: 'held', ms: 5 },
            structure: { kind: 'tree', fanout: 2, depth: 3 },
          },
          {
            name: 'batch',
            weight: 1,
            size: { kind: 'fixed', bytes: 128 },
            pointerFields: 1,
            escapes: true,
            lifetime: { kind: 'batch', objects: 100 },
            structure: { kind: 'cycle', nodes: 3 },
          },
          { name: 'buf', weight: 2, pool: 'bufs', lifetime: { kind: 'young' }, putPercent: 90 },
        ],
        script: [
          { op: 'alloc', site: 'tree', count: 10 },
          { op: 'get', pool: 'bufs', count: 2 },
          { op: 'put', pool: 'bufs' },
          { op: 'depth', frames: 10 },
          { op: 'sleep', ms: 1 },
          { op: 'drop' },
          { op: 'gc' },
          { op: 'freeOSMemory' },
        ],
      },
      {
        name: 'blocked',
        count: 10,
        allocBytesPerSec: 0,
        sites: [],
        stack: { frameBytes: 512, depth: { kind: 'fixed', frames: 30 } },
      },
    ],
  };
}

function everythingWith(...changes: Array<[ReadonlyArray<string | number>, unknown]>): unknown {
  const json: unknown = everything();
  for (const [path, value] of changes) {
    let parent = json as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = path.at(-1)!;
    if (value === DELETE) delete parent[last];
    else parent[last] = value;
  }
  return json;
}

describe('parseScenario: the runtime model features', () => {
  it('accepts the complete example of docs/scenario-format.md', () => {
    const doc = readFileSync(
      fileURLToPath(new URL('../../docs/scenario-format.md', import.meta.url)),
      'utf8',
    );
    const example = /```json\n([\s\S]*?)```/.exec(doc)![1]!;

    expect(parseScenario(JSON.parse(example)).name).toBe('api-server');
  });

  it('accepts a scenario using every feature unchanged', () => {
    expect(parseScenario(everything())).toEqual(everything());
  });

  it.each<[string, Array<[ReadonlyArray<string | number>, unknown]>, string[]]>([
    [
      'a pool site with a size of its own',
      [[['goroutines', 0, 'sites', 2, 'size'], { kind: 'fixed', bytes: 8 }]],
      [
        "goroutines[0].sites[2].size: expected no such field on a pool site (its objects come from the pool's New), found an object",
      ],
    ],
    [
      'a pool site naming no declared pool',
      [[['goroutines', 0, 'sites', 2, 'pool'], 'nope']],
      ['goroutines[0].sites[2].pool: expected the name of a pool in "pools" ("bufs"), found "nope"'],
    ],
    [
      'a pooled object kept forever',
      [[['goroutines', 0, 'sites', 2, 'lifetime'], { kind: 'forever' }]],
      [
        'goroutines[0].sites[2].lifetime.kind: expected "young" or "held" for a pool site (a pooled object goes back to its pool), found "forever"',
      ],
    ],
    [
      'putPercent on an object site',
      [[['goroutines', 0, 'sites', 0, 'putPercent'], 50]],
      [
        'goroutines[0].sites[0].putPercent: expected no such field on an object site (putPercent belongs to pool sites), found 50',
      ],
    ],
    [
      'an object site without a size',
      [[['goroutines', 0, 'sites', 0, 'size'], DELETE]],
      ['goroutines[0].sites[0].size: expected a size object with "kind", found nothing'],
    ],
    [
      'a weighted size list whose weights are all 0',
      [[['goroutines', 0, 'sites', 0, 'size'], { kind: 'weighted', sizes: [{ bytes: 32, weight: 0 }] }]],
      [
        'goroutines[0].sites[0].size.sizes: expected at least one size with weight > 0, found a total weight of 0',
      ],
    ],
    [
      'a tree with fewer pointer fields than children',
      [[['goroutines', 0, 'sites', 0, 'pointerFields'], 1]],
      [
        "goroutines[0].sites[0].pointerFields: expected at least the tree's fanout (2), one field per child, found 1",
      ],
    ],
    [
      'a cycle without a pointer field to link it',
      [[['goroutines', 0, 'sites', 1, 'pointerFields'], 0]],
      [
        'goroutines[0].sites[1].pointerFields: expected at least 1 for a cycle (field 0 links a node to the next), found 0',
      ],
    ],
    [
      'a tree too big to build in one step',
      [[['goroutines', 0, 'sites', 0, 'structure'], { kind: 'tree', fanout: 2, depth: 20 }]],
      [
        'goroutines[0].sites[0].structure: expected a tree of at most 100000 nodes, found 2^0 + … + 2^20 = 2097151 nodes',
      ],
    ],
    [
      'a batch that does not escape',
      [[['goroutines', 0, 'sites', 1, 'escapes'], false]],
      [
        'goroutines[0].sites[1].escapes: expected true for a batch lifetime (an object kept past its frame escapes to the heap), found false',
      ],
    ],
    [
      'a non-escaping object over 10 MiB',
      [
        [['goroutines', 0, 'sites', 1, 'lifetime'], { kind: 'young' }],
        [['goroutines', 0, 'sites', 1, 'escapes'], false],
        [['goroutines', 0, 'sites', 1, 'size'], { kind: 'fixed', bytes: 11 << 20 }],
      ],
      [
        'goroutines[0].sites[1].escapes: expected true for objects over 10485760 B (Go puts variables over 10 MiB on the heap), found false',
      ],
    ],
    [
      'a call depth range upside down',
      [[['goroutines', 0, 'stack', 'depth'], { kind: 'uniform', minFrames: 9, maxFrames: 3 }]],
      ['goroutines[0].stack.depth.maxFrames: expected an integer ≥ minFrames (9), found 3'],
    ],
    [
      'a call chain deeper than any Go stack',
      [[['goroutines', 0, 'stack'], { frameBytes: 1 << 20, depth: { kind: 'fixed', frames: 1000 } }]],
      [
        "goroutines[0].stack.depth: expected at most 536870912 B of frames (Go's stacks stop at 1 GB), found 1000 frames × 1048576 B",
      ],
    ],
    [
      'an unknown phase kind',
      [[['goroutines', 0, 'phases', 0], { kind: 'sawtooth', ms: 1 }]],
      [
        'goroutines[0].phases[0].kind: expected "constant" or "ramp" or "step" or "oscillate" or "random", found "sawtooth"',
      ],
    ],
    [
      'an oscillation whose max is below its min',
      [[['goroutines', 0, 'phases', 3, 'max'], 0.1]],
      ['goroutines[0].phases[3].max: expected a factor ≥ min (0.5), found 0.1'],
    ],
    [
      'a negative rate factor',
      [[['goroutines', 0, 'phases', 0, 'factor'], -1]],
      ['goroutines[0].phases[0].factor: expected a rate factor from 0 to 1000, found -1'],
    ],
    [
      'runtimeGC with both triggers',
      [[['goroutines', 0, 'runtimeGC'], { everyMs: 5, everyBytes: 100 }]],
      ['goroutines[0].runtimeGC: expected exactly one of "everyBytes" and "everyMs", found both'],
    ],
    [
      'a script allocating from a site its kind does not have',
      [[['goroutines', 0, 'script', 0, 'site'], 'leaf']],
      [
        'goroutines[0].script[0].site: expected the name of one of this kind\'s sites ("tree", "batch", "buf"), found "leaf"',
      ],
    ],
    [
      'a script getting from an undeclared pool',
      [[['goroutines', 0, 'script', 1, 'pool'], 'other']],
      ['goroutines[0].script[1].pool: expected the name of a pool in "pools" ("bufs"), found "other"'],
    ],
    [
      'an unknown script op',
      [[['goroutines', 0, 'script', 4], { op: 'yield' }]],
      [
        'goroutines[0].script[4].op: expected "alloc" or "get" or "put" or "drop" or "gc" or "freeOSMemory" or "sleep" or "depth", found "yield"',
      ],
    ],
    [
      'a depth op in a kind without a stack',
      [
        [['goroutines', 0, 'stack'], DELETE],
        [['goroutines', 0, 'sites', 0, 'structure'], DELETE],
      ],
      [
        'goroutines[0].script[3]: expected a "stack" on the kind (its frameBytes) for a depth op, found no "stack"',
      ],
    ],
    [
      'two sites of one kind with the same name',
      [[['goroutines', 0, 'sites', 1, 'name'], 'tree']],
      ['goroutines[0].sites[1].name: expected a name no other site of this kind uses, found "tree"'],
    ],
    [
      'two pools with the same name',
      [[['pools', 1], { name: 'bufs', size: { kind: 'fixed', bytes: 8 }, pointerFields: 0 }]],
      ['pools[1].name: expected a name no other pool uses, found "bufs"'],
    ],
  ])('rejects %s, naming the path and the expected form', (_what, changes, expected) => {
    expect(problemsOf(everythingWith(...changes))).toEqual(expected);
  });
});

describe('parseScenario: ring stride and sites in turn', () => {
  it('accepts a ring stride and sitePick inTurn with whole-number weights', () => {
    expect(
      problemsOf(
        withChanges(
          [['goroutines', 0, 'sites', 1, 'lifetime', 'stride'], 8],
          [['goroutines', 0, 'sitePick'], 'inTurn'],
        ),
      ),
    ).toEqual([]);
  });

  it('refuses a stride that is not a positive integer and a sitePick it does not know', () => {
    const problems = problemsOf(
      withChanges(
        [['goroutines', 0, 'sites', 1, 'lifetime', 'stride'], 0],
        [['goroutines', 0, 'sitePick'], 'cycle'],
      ),
    );
    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.includes('stride'))).toMatch(/integer/);
    expect(problems.find((p) => p.includes('sitePick'))).toMatch(/"random" or "inTurn"/);
  });

  it('refuses fractional weights when sites are taken in turn, naming the site', () => {
    const problems = problemsOf(
      withChanges([['goroutines', 0, 'sitePick'], 'inTurn'], [['goroutines', 0, 'sites', 0, 'weight'], 1.5]),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/goroutines\[0\]\.sites\[0\]\.weight.*whole number/);
  });
});
