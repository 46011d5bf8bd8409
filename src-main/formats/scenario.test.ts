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
      'goroutines[0].sites[0].lifetime.kind: expected "young" or "ring" or "forever", found "cached"',
    ]);
  });

  it('rejects unknown fields by name', () => {
    const json = withChanges([['goroutines', 0, 'colour'], 'red']);

    expect(problemsOf(json)).toEqual(['goroutines[0].colour: expected no such field, found "red"']);
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
      'goroutines[0].sites[1].escapes: expected true for a ring lifetime (an object stored in a global escapes to the heap), found false',
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
