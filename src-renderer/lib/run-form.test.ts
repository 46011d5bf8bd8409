import { describe, expect, it } from 'vitest';
import { RUN_LIMITS } from './contract';
import {
  fieldErrorsFromServer,
  formForCatalog,
  formFromRequest,
  randomSeed,
  validateRunForm,
  type RunFormValues,
} from './run-form';

const known = { scenarios: ['steady', 'burst'], collectors: ['mark-sweep', 'go'] };

function values(overrides: Partial<RunFormValues> = {}): RunFormValues {
  return {
    scenario: 'steady',
    collector: 'go',
    gogc: 100,
    gogcOff: false,
    procs: 4,
    seed: 1,
    durationMs: null,
    name: '',
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
    [{ seed: -1 }, 'seed', 'Seed must be between 0 and 4294967295'],
    [{ durationMs: 0 }, 'durationMs', 'Duration must be between 1 and 3600000'],
    [{ name: 'x'.repeat(201) }, 'name', 'Name must be at most 200 characters'],
    [{ scenario: 'nope' }, 'scenario', 'Choose a scenario'],
    [{ collector: '' }, 'collector', 'Choose a collector'],
  ] as const)('rejects %j', (overrides, field, message) => {
    const result = validateRunForm(values(overrides), RUN_LIMITS, known);

    expect(result).toEqual({ ok: false, errors: { [field]: message } });
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
    };

    const result = validateRunForm(formFromRequest(request), RUN_LIMITS, known);

    expect(result).toEqual({ ok: true, request });
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
