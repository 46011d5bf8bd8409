import { describe, expect, it } from 'vitest';
import {
  checkStep,
  DRAFT_KEY,
  editorVerdict,
  initialCheck,
  insertIndent,
  lineColumn,
  loadDraft,
  locateJsonError,
  ownDurationMs,
  saveDraft,
  scenarioProblemsFromServer,
  splitProblem,
  withCustomScenario,
  type CheckState,
  type ScenarioCheck,
} from './scenario-editor';

const VALID: ScenarioCheck = { valid: true, name: 'my-service', problems: [] };
const INVALID: ScenarioCheck = {
  valid: false,
  name: null,
  problems: ['goroutines[0].count: expected an integer ≥ 1 (at most 100000), found 0'],
};

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
  };
}

describe('lineColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('locateJsonError', () => {
  it('accepts well-formed JSON of every kind', () => {
    const text = '{ "a": [1, -2.5e3, true, false, null], "b": { "c": "x\\n\\u00e9" } }\n';

    expect(locateJsonError(text)).toBeNull();
  });

  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'expected "," or "}", found "\\""'],
    ['{\n  "a": 1,\n}', 3, 1, 'expected another property (JSON allows no trailing comma), found "}"'],
    ['{ "a": tru }', 1, 11, 'expected "true", found " "'],
    ['{ a: 1 }', 1, 3, 'expected a property name in double quotes, found "a"'],
    ['[1, 2', 1, 6, 'expected "," or "]", found the end of the text'],
    ['{ "a": "open\n}', 1, 13, 'expected a closing quote, found "\\n"'],
    ['{} x', 1, 4, 'expected nothing after the value, found "x"'],
    ['', 1, 1, 'expected a value, found the end of the text'],
    ['{ "a": 01 }', 1, 9, 'expected "," or "}", found "1"'],
  ])('places the error in %j at line %i, column %i', (text, line, column, message) => {
    expect(locateJsonError(text)).toMatchObject({ line, column, message });
  });

  it('agrees with JSON.parse on what is JSON', () => {
    for (const text of ['{"a":1}', '[1,]', '{"a":"\\x"}', '"\\u12"', '-', '1.', '[] []', ' null ']) {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }

      expect(locateJsonError(text) === null, text).toBe(parses);
    }
  });
});

describe('checkStep', () => {
  function settle(state: CheckState): CheckState {
    return checkStep(state, { type: 'settled', seq: state.seq });
  }

  it('waits for typing to settle before checking', () => {
    const state = checkStep(initialCheck('{}'), { type: 'edit', text: '{"a": 1}' });

    expect(state).toEqual({ phase: 'typing', seq: 1, text: '{"a": 1}' });
  });

  it('ignores a timer set before the latest edit', () => {
    const first = checkStep(initialCheck(''), { type: 'edit', text: '{' });
    const second = checkStep(first, { type: 'edit', text: '{}' });

    expect(checkStep(second, { type: 'settled', seq: first.seq })).toBe(second);
  });

  it('stops at a syntax error without asking the server', () => {
    const state = settle(checkStep(initialCheck(''), { type: 'edit', text: '{\n  "a" 1\n}' }));

    expect(state).toMatchObject({ phase: 'syntax-error', error: { line: 2, column: 7 } });
  });

  it('validates parsed JSON and keeps the reply for the same text', () => {
    const validating = settle(checkStep(initialCheck(''), { type: 'edit', text: '{"name":"my-service"}' }));
    const checked = checkStep(validating, { type: 'validated', seq: validating.seq, check: VALID });

    expect(validating).toMatchObject({ phase: 'validating', scenario: { name: 'my-service' } });
    expect(checked).toMatchObject({ phase: 'checked', check: VALID, scenario: { name: 'my-service' } });
  });

  it('drops a reply for text that has since changed', () => {
    const validating = settle(checkStep(initialCheck(''), { type: 'edit', text: '{}' }));
    const edited = checkStep(validating, { type: 'edit', text: '{ }' });

    expect(checkStep(edited, { type: 'validated', seq: validating.seq, check: VALID })).toBe(edited);
  });

  it('does not restart the check when the text is unchanged', () => {
    const validating = settle(checkStep(initialCheck(''), { type: 'edit', text: '{}' }));

    expect(checkStep(validating, { type: 'edit', text: '{}' })).toBe(validating);
  });
});

describe('editorVerdict', () => {
  function checked(check: ScenarioCheck): CheckState {
    return { phase: 'checked', seq: 1, text: '{}', scenario: {}, check };
  }

  it('runs a valid scenario under its own name', () => {
    expect(editorVerdict(checked(VALID))).toEqual({ runnable: true, scenario: {}, name: 'my-service' });
  });

  it('blocks a scenario with problems, counting them', () => {
    expect(editorVerdict(checked(INVALID))).toEqual({
      runnable: false,
      reason: "Fix the scenario's 1 problem to start.",
    });
  });

  it('blocks a syntax error, saying where it is', () => {
    const state = checkStep(checkStep(initialCheck(''), { type: 'edit', text: '[' }), {
      type: 'settled',
      seq: 1,
    });

    expect(editorVerdict(state)).toEqual({
      runnable: false,
      reason: 'The scenario is not valid JSON (line 1, column 2).',
    });
  });

  it('blocks while the check is still running', () => {
    expect(editorVerdict(initialCheck('{}')).runnable).toBe(false);
  });

  it('lets the server judge when it could not be asked beforehand', () => {
    const state: CheckState = {
      phase: 'unchecked',
      seq: 1,
      text: '{}',
      scenario: { a: 1 },
      reason: 'offline',
    };

    expect(editorVerdict(state)).toEqual({ runnable: true, scenario: { a: 1 }, name: null });
  });
});

describe('withCustomScenario', () => {
  const request = {
    scenario: 'steady',
    customScenario: null,
    collector: 'go',
    gogc: 100,
    procs: 4,
    seed: 1,
    durationMs: null,
    name: null,
  };

  it('sends the scenario and names the run after it', () => {
    const scenario = { name: 'my-service', durationMs: 100 };

    expect(withCustomScenario(request, { scenario, name: 'my-service' })).toEqual({
      ...request,
      scenario: 'my-service',
      customScenario: scenario,
    });
  });

  it("falls back to the object's own name when the check gave none", () => {
    expect(withCustomScenario(request, { scenario: { name: 'x' }, name: null }).scenario).toBe('x');
  });
});

describe('ownDurationMs', () => {
  it("reads the scenario's duration, if it has a numeric one", () => {
    expect(ownDurationMs({ durationMs: 100 })).toBe(100);
    expect(ownDurationMs({ durationMs: '100' })).toBeNull();
    expect(ownDurationMs(null)).toBeNull();
  });
});

describe('splitProblem', () => {
  it('separates the JSON path from what was expected', () => {
    expect(splitProblem(INVALID.problems[0]!)).toEqual({
      path: 'goroutines[0].count',
      detail: 'expected an integer ≥ 1 (at most 100000), found 0',
    });
  });

  it('keeps a problem without a path whole', () => {
    expect(splitProblem('not an object')).toEqual({ path: null, detail: 'not an object' });
  });
});

describe('scenarioProblemsFromServer', () => {
  it('lists each problem of an invalid custom scenario', () => {
    const message =
      'runs.start: request.customScenario: invalid scenario (2 problems):\n  name: expected a, found b\n  durationMs: expected c, found d';

    expect(scenarioProblemsFromServer(message)).toEqual([
      'name: expected a, found b',
      'durationMs: expected c, found d',
    ]);
  });

  it('keeps a one-line complaint about the argument', () => {
    expect(
      scenarioProblemsFromServer('request.customScenario: must be an object; request.gogc: too big'),
    ).toEqual(['must be an object']);
  });

  it('ignores messages about other arguments', () => {
    expect(scenarioProblemsFromServer('runs.start: request.gogc: too big')).toBeNull();
  });
});

describe('drafts', () => {
  it('survive a save and load', () => {
    const storage = memoryStorage();
    const draft = { open: true, preset: 'steady', text: '{ "name": "x" }' };

    saveDraft(storage, draft);

    expect(loadDraft(storage)).toEqual(draft);
  });

  it('are ignored when missing or malformed', () => {
    const storage = memoryStorage();
    storage.setItem(DRAFT_KEY, '{"open":"yes"}');

    expect(loadDraft(storage)).toBeNull();
    expect(loadDraft(memoryStorage())).toBeNull();
    expect(loadDraft(null)).toBeNull();
  });
});

describe('insertIndent', () => {
  it('replaces the selection with two spaces and puts the caret after them', () => {
    expect(insertIndent('abcd', 1, 3)).toEqual({ text: 'a  d', caret: 3 });
  });
});
