import { describe, expect, it } from 'vitest';
import { RUN_LIMITS } from './contract';
import {
  fieldErrorsFromServer,
  formForCatalog,
  formFromRequest,
  knownFromCatalog,
  randomSeed,
  requestsForAllCollectors,
  validateRunForm,
  withCollector,
  type RunFormValues,
} from './run-form';
import type { CollectorInfo, RunRequest } from './contract';

const known = { scenarios: ['steady', 'burst'], collectors: ['mark-sweep', 'go'] };

function values(overrides: Partial<RunFormValues> = {}): RunFormValues {
  return {
    scenario: 'steady',
    collector: 'go',
    gogc: 100,
    gogcOff: false,
    procs: 4,
    cpus: null,
    seed: 1,
    durationMs: null,
    name: '',
    barrier: 'dijkstra',
    cycleCollector: false,
    memoryLimitMiB: null,
    ...overrides,
  };
}

describe('validateRunForm', () => {
  it('builds the request from valid values', () => {
    const result = validateRunForm(values({ name: '  my run ', durationMs: 5000 }), RUN_LIMITS, known);

    expect(result).toEqual({
      ok: true,
      request: {
        scenario: 'steady',
        customScenario: null,
        collector: 'go',
        gogc: 100,
        procs: 4,
        seed: 1,
        durationMs: 5000,
        name: 'my run',
        memoryLimitBytes: null,
      },
    });
  });

  it('sends GOGC off as -1 and an empty name as null', () => {
    const result = validateRunForm(values({ gogcOff: true, gogc: null }), RUN_LIMITS, known);

    expect(result.ok && result.request).toMatchObject({ gogc: -1, name: null, durationMs: null });
  });

  it.each([
    [{ gogc: 10_001 }, 'gogc', 'GOGC must be between -1 and 10000'],
    [{ gogc: 0 }, 'gogc', 'GOGC=0 (collect continuously) is not supported: use 1 or more, or off'],
    [{ gogc: null }, 'gogc', 'GOGC is required'],
    [{ procs: 0 }, 'procs', 'GOMAXPROCS must be between 1 and 256'],
    [{ procs: 2.5 }, 'procs', 'GOMAXPROCS must be a whole number'],
    [{ cpus: 0 }, 'cpus', 'CPUs must be between 1 and 256, or empty for as many as GOMAXPROCS'],
    [{ cpus: 1.5 }, 'cpus', 'CPUs must be a whole number, or empty for as many as GOMAXPROCS'],
    [{ seed: -1 }, 'seed', 'Seed must be between 0 and 4294967295'],
    [{ durationMs: 0 }, 'durationMs', 'Duration must be between 1 and 3600000'],
    [{ name: 'x'.repeat(201) }, 'name', 'Name must be at most 200 characters'],
    [{ scenario: 'nope' }, 'scenario', 'Choose a scenario'],
    [{ collector: '' }, 'collector', 'Choose a collector'],
    [
      { memoryLimitMiB: 0.5 },
      'memoryLimitBytes',
      'GOMEMLIMIT must be between 1 and 1,048,576 MiB, or empty for no limit',
    ],
    [
      { memoryLimitMiB: 1_048_577 },
      'memoryLimitBytes',
      'GOMEMLIMIT must be between 1 and 1,048,576 MiB, or empty for no limit',
    ],
  ] as const)('rejects %j', (overrides, field, message) => {
    const result = validateRunForm(values(overrides), RUN_LIMITS, known);

    expect(result).toEqual({ ok: false, errors: { [field]: message } });
  });

  it('sends the CPUs only when fewer than the Ps (more leave a run as it was)', () => {
    const shared = validateRunForm(values({ procs: 4, cpus: 2 }), RUN_LIMITS, known);
    const more = validateRunForm(values({ procs: 4, cpus: 8 }), RUN_LIMITS, known);
    const same = validateRunForm(values({ procs: 4, cpus: 4 }), RUN_LIMITS, known);

    expect(shared.ok && shared.request.cpus).toBe(2);
    expect(more.ok && 'cpus' in more.request).toBe(false);
    expect(same.ok && 'cpus' in same.request).toBe(false);
  });

  it('round-trips a request on fewer CPUs than Ps through the form', () => {
    const request: RunRequest = {
      scenario: 'steady',
      customScenario: null,
      collector: 'go',
      gogc: 100,
      procs: 4,
      seed: 1,
      durationMs: null,
      name: null,
      memoryLimitBytes: null,
      cpus: 2,
    };

    expect(formFromRequest(request).cpus).toBe(2);
    expect(validateRunForm(formFromRequest(request), RUN_LIMITS, known)).toEqual({ ok: true, request });
  });

  it('round-trips a request through the form', () => {
    const request = {
      scenario: 'burst',
      customScenario: null,
      collector: 'mark-sweep',
      gogc: -1,
      procs: 8,
      seed: 7,
      durationMs: 100,
      name: 'x',
      memoryLimitBytes: 64 * 1024 * 1024,
    };

    const result = validateRunForm(formFromRequest(request), RUN_LIMITS, known);

    expect(result).toEqual({ ok: true, request });
  });
});

describe('GOMEMLIMIT and collector options', () => {
  const withOptions = {
    ...known,
    collectorOptions: { go: [], incremental: ['barrier'], refcount: ['cycleCollector'] } as const,
  };
  const names = { ...withOptions, collectors: ['go', 'incremental', 'refcount'] };

  it('converts GOMEMLIMIT from MiB to whole bytes', () => {
    const result = validateRunForm(values({ memoryLimitMiB: 1.5 }), RUN_LIMITS, names);

    expect(result.ok && result.request.memoryLimitBytes).toBe(1_572_864);
  });

  it('sends the barrier only to a collector that reads it', () => {
    const incremental = validateRunForm(
      values({ collector: 'incremental', barrier: 'yuasa', cycleCollector: true }),
      RUN_LIMITS,
      names,
    );
    const go = validateRunForm(values({ collector: 'go', barrier: 'yuasa' }), RUN_LIMITS, names);

    expect(incremental.ok && incremental.request).toMatchObject({ barrier: 'yuasa' });
    expect(incremental.ok && 'cycleCollector' in incremental.request).toBe(false);
    expect(go.ok && ('barrier' in go.request || 'cycleCollector' in go.request)).toBe(false);
  });

  it('sends the cycle-collector switch only to a collector that reads it', () => {
    const result = validateRunForm(
      values({ collector: 'refcount', cycleCollector: true }),
      RUN_LIMITS,
      names,
    );

    expect(result.ok && result.request).toMatchObject({ collector: 'refcount', cycleCollector: true });
    expect(result.ok && 'barrier' in result.request).toBe(false);
  });

  it('reads the options each collector takes from the catalog', () => {
    const collectors: CollectorInfo[] = [
      { name: 'incremental', title: 'Incremental', description: '', options: ['barrier'] },
    ];

    expect(knownFromCatalog({ scenarios: [{ name: 'steady' }], collectors })).toEqual({
      scenarios: ['steady'],
      collectors: ['incremental'],
      collectorOptions: { incremental: ['barrier'] },
    });
  });
});

describe('requestsForAllCollectors', () => {
  const base: RunRequest = {
    scenario: 'steady',
    customScenario: null,
    collector: 'mark-sweep',
    gogc: 100,
    procs: 4,
    seed: 1,
    durationMs: 200,
    name: null,
    memoryLimitBytes: 8 * 1024 * 1024,
  };
  const collectors: CollectorInfo[] = [
    { name: 'mark-sweep', title: 'Mark-sweep', description: '', options: [] },
    { name: 'incremental', title: 'Incremental', description: '', options: ['barrier'] },
    { name: 'refcount', title: 'Refcount', description: '', options: ['cycleCollector'] },
  ];

  it('makes one request per collector with the same settings and only the options each reads', () => {
    const requests = requestsForAllCollectors(base, collectors, { barrier: 'yuasa', cycleCollector: true });

    expect(requests).toEqual([
      { ...base, collector: 'mark-sweep' },
      { ...base, collector: 'incremental', barrier: 'yuasa' },
      { ...base, collector: 'refcount', cycleCollector: true },
    ]);
  });

  it('appends the collector to a name the user gave, within the name limit', () => {
    const requests = requestsForAllCollectors({ ...base, name: 'x'.repeat(200) }, collectors, {
      barrier: 'dijkstra',
      cycleCollector: false,
    });

    expect(requests.map((r) => r.name?.length)).toEqual([200, 200, 200]);
    expect(requests[1]?.name?.endsWith(' · incremental')).toBe(true);
  });

  it('drops options the new collector does not read', () => {
    const request = withCollector({ ...base, barrier: 'yuasa' }, collectors[0]!, {
      barrier: 'yuasa',
      cycleCollector: false,
    });

    expect('barrier' in request).toBe(false);
  });
});

describe('formForCatalog', () => {
  it('keeps names the catalog knows', () => {
    const request = {
      scenario: 'burst',
      customScenario: null,
      collector: 'mark-sweep',
      gogc: 100,
      procs: 4,
      seed: 1,
      durationMs: null,
      name: null,
    };

    expect(formForCatalog(request, known)).toMatchObject({ scenario: 'burst', collector: 'mark-sweep' });
  });

  it('falls back to the first scenario and collector for unknown names', () => {
    const request = {
      scenario: 'gone',
      customScenario: null,
      collector: 'gone',
      gogc: 100,
      procs: 4,
      seed: 1,
      durationMs: null,
      name: null,
    };

    expect(formForCatalog(request, known)).toMatchObject({ scenario: 'steady', collector: 'mark-sweep' });
  });
});

describe('fieldErrorsFromServer', () => {
  it('puts each named argument next to its field', () => {
    const parsed = fieldErrorsFromServer('runs.start: request.gogc: Too small; request.procs: Too big');

    expect(parsed).toEqual({ fields: { gogc: 'Too small', procs: 'Too big' }, other: null });
  });

  it('puts a GOMEMLIMIT problem next to its field', () => {
    const parsed = fieldErrorsFromServer('runs.start: request.memoryLimitBytes: Too big');

    expect(parsed.fields).toEqual({ memoryLimitBytes: 'Too big' });
  });

  it('keeps what names no field as a form-level message', () => {
    const parsed = fieldErrorsFromServer('runs.start: unknown scenario "x"');

    expect(parsed).toEqual({ fields: {}, other: 'runs.start: unknown scenario "x"' });
  });
});

describe('randomSeed', () => {
  it('spans the whole seed range', () => {
    expect(randomSeed(RUN_LIMITS, () => 0)).toBe(0);
    expect(randomSeed(RUN_LIMITS, () => 0.999999999999)).toBe(RUN_LIMITS.seedMax);
  });
});
