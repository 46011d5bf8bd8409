import type { ResultOf, RunRequest } from './contract';
import { assertNever } from './routes';

/**
 * The scenario editor of the New run form as plain data:
 *
 * 1. `locateJsonError` finds where JSON text stops being JSON, as line and column. JSON.parse
 *    says so in words that differ between engines (and V8 often gives no position), so the text
 *    is scanned here instead.
 * 2. `checkStep` is the check loop as a pure (state, input) → state function: every edit waits
 *    for the typing to settle (the view's timer), then a syntax check, then `scenarios.validate`.
 *    Each edit bumps `seq`; a timer or reply carrying an older `seq` is dropped, so a slow reply
 *    never labels newer text.
 * 3. `editorVerdict` says whether the text may be run, and if not why; `withCustomScenario`
 *    puts it into the run request.
 * 4. Drafts are kept in sessionStorage so a reload does not lose work.
 */

export type ScenarioCheck = ResultOf<'scenarios.validate'>;

export interface JsonSyntaxError {
  message: string;
  /** 1-based, as editors count. */
  line: number;
  column: number;
  /** UTF-16 offset into the text, for placing the caret. */
  offset: number;
}

/** 1-based line and column of a UTF-16 offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The first syntax error in `text`, or null when it is one JSON value (RFC 8259). */
export function locateJsonError(text: string): JsonSyntaxError | null {
  let i = 0;
  const describe = (at: number): string =>
    at >= text.length ? 'the end of the text' : JSON.stringify(text[at]);
  const fail = (expected: string, at = i): never => {
    throw new Stop(at, `expected ${expected}, found ${describe(at)}`);
  };
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string): void => {
    for (const char of word) {
      if (text[i] !== char) fail(`"${word}"`);
      i++;
    }
  };
  const string = (): void => {
    i++;
    for (;;) {
      const char = text[i];
      if (char === undefined || char === '\n') fail('a closing quote');
      if (char === '"') break;
      if (char! < ' ') fail('no control characters in a string (escape them)');
      if (char === '\\') {
        const escape = text[i + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('4 hex digits after \\u', i + 2);
          i += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape))
          fail('an escape such as \\n or \\"', i + 1);
        i += 2;
        continue;
      }
      i++;
    }
    i++;
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail('a number');
    i += match![0].length;
  };
  const value = (): void => {
    space();
    const char = text[i];
    if (char === '{') object();
    else if (char === '[') array();
    else if (char === '"') string();
    else if (char === 't') literal('true');
    else if (char === 'f') literal('false');
    else if (char === 'n') literal('null');
    else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) number();
    else fail('a value');
  };
  const object = (): void => {
    i++;
    space();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      space();
      if (text[i] !== '"') fail('a property name in double quotes');
      string();
      space();
      if (text[i] !== ':') fail('":"');
      i++;
      value();
      space();
      if (text[i] === ',') {
        i++;
        space();
        if (text[i] === '}') fail('another property (JSON allows no trailing comma)');
        continue;
      }
      if (text[i] === '}') break;
      fail('"," or "}"');
    }
    i++;
  };
  const array = (): void => {
    i++;
    space();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      space();
      if (text[i] === ',') {
        i++;
        space();
        if (text[i] === ']') fail('another element (JSON allows no trailing comma)');
        continue;
      }
      if (text[i] === ']') break;
      fail('"," or "]"');
    }
    i++;
  };

  try {
    value();
    space();
    if (i < text.length) fail('nothing after the value');
    return null;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { message: error.reason, offset: error.offset, ...lineColumn(text, error.offset) };
  }
}

export type CheckState =
  /** Typing; waiting for it to settle. */
  | { phase: 'typing'; seq: number; text: string }
  | { phase: 'syntax-error'; seq: number; text: string; error: JsonSyntaxError }
  | { phase: 'validating'; seq: number; text: string; scenario: unknown }
  | { phase: 'checked'; seq: number; text: string; scenario: unknown; check: ScenarioCheck }
  /** `scenarios.validate` could not be reached; the server checks again when the run starts. */
  | { phase: 'unchecked'; seq: number; text: string; scenario: unknown; reason: string };

export type CheckInput =
  | { type: 'edit'; text: string }
  | { type: 'settled'; seq: number }
  | { type: 'validated'; seq: number; check: ScenarioCheck }
  | { type: 'validate-failed'; seq: number; reason: string };

export function initialCheck(text: string): CheckState {
  return { phase: 'typing', seq: 0, text };
}

export function checkStep(state: CheckState, input: CheckInput): CheckState {
  switch (input.type) {
    case 'edit':
      if (input.text === state.text) return state;
      return { phase: 'typing', seq: state.seq + 1, text: input.text };
    case 'settled': {
      if (state.phase !== 'typing' || input.seq !== state.seq) return state;
      const error = locateJsonError(state.text);
      if (error) return { phase: 'syntax-error', seq: state.seq, text: state.text, error };
      return {
        phase: 'validating',
        seq: state.seq,
        text: state.text,
        scenario: JSON.parse(state.text) as unknown,
      };
    }
    case 'validated':
      if (state.phase !== 'validating' || input.seq !== state.seq) return state;
      return { ...state, phase: 'checked', check: input.check };
    case 'validate-failed':
      if (state.phase !== 'validating' || input.seq !== state.seq) return state;
      return { ...state, phase: 'unchecked', reason: input.reason };
    default:
      return assertNever(input);
  }
}

export type EditorVerdict =
  { runnable: true; scenario: unknown; name: string | null } | { runnable: false; reason: string };

export function editorVerdict(state: CheckState): EditorVerdict {
  switch (state.phase) {
    case 'typing':
    case 'validating':
      return { runnable: false, reason: 'Checking the scenario…' };
    case 'syntax-error':
      return {
        runnable: false,
        reason: `The scenario is not valid JSON (line ${state.error.line}, column ${state.error.column}).`,
      };
    case 'checked':
      if (!state.check.valid) {
        const count = state.check.problems.length;
        return {
          runnable: false,
          reason: `Fix the scenario's ${count} problem${count === 1 ? '' : 's'} to start.`,
        };
      }
      return { runnable: true, scenario: state.scenario, name: state.check.name };
    case 'unchecked':
      return { runnable: true, scenario: state.scenario, name: null };
    default:
      return assertNever(state);
  }
}

/** The object's own `name`, which the server records a custom run under. */
function ownName(scenario: unknown): string | null {
  if (typeof scenario !== 'object' || scenario === null) return null;
  const name = (scenario as Record<string, unknown>).name;
  return typeof name === 'string' ? name : null;
}

/** The scenario's own `durationMs`, which a run uses unless it overrides it. */
export function ownDurationMs(scenario: unknown): number | null {
  if (typeof scenario !== 'object' || scenario === null) return null;
  const durationMs = (scenario as Record<string, unknown>).durationMs;
  return typeof durationMs === 'number' ? durationMs : null;
}

/** The form's request, running the edited scenario instead of the preset it names. */
export function withCustomScenario(
  request: RunRequest,
  custom: { scenario: unknown; name: string | null },
): RunRequest {
  return {
    ...request,
    scenario: custom.name ?? ownName(custom.scenario) ?? request.scenario,
    customScenario: custom.scenario,
  };
}

/** A preset as the editor shows it. */
export function scenarioText(scenario: unknown): string {
  return `${JSON.stringify(scenario, null, 2)}\n`;
}

/** `goroutines[0].count: expected …` → the path and the rest, so the view can emphasise the path. */
export function splitProblem(problem: string): { path: string | null; detail: string } {
  const match = /^([^\s:]+): (.*)$/s.exec(problem);
  return match ? { path: match[1]!, detail: match[2]! } : { path: null, detail: problem };
}

/**
 * The server rejects a custom scenario as `runs.start: request.customScenario: invalid scenario
 * (2 problems):\n  path: …\n  path: …`; this returns those problems, or null when the message is
 * about something else.
 */
export function scenarioProblemsFromServer(message: string): string[] | null {
  const at = message.indexOf('request.customScenario: ');
  if (at < 0) return null;
  const body = message.slice(at + 'request.customScenario: '.length);
  const lines = body.split('\n').map((line) => line.trim());
  if (/^invalid scenario \(\d+ problems?\):$/.test(lines[0] ?? '')) {
    return lines.slice(1).filter((line) => line !== '');
  }
  return [body.split(/;\s+request\./)[0]!.trim()];
}

export interface ScenarioDraft {
  open: boolean;
  /** The preset the text started from. */
  preset: string;
  text: string;
}

export const DRAFT_KEY = 'heapscope.scenarioDraft';

export function loadDraft(storage: Pick<Storage, 'getItem'> | null): ScenarioDraft | null {
  try {
    const raw = storage?.getItem(DRAFT_KEY);
    if (!raw) return null;
    const draft = JSON.parse(raw) as Partial<ScenarioDraft>;
    if (
      typeof draft.open !== 'boolean' ||
      typeof draft.preset !== 'string' ||
      typeof draft.text !== 'string'
    ) {
      return null;
    }
    return { open: draft.open, preset: draft.preset, text: draft.text };
  } catch {
    return null;
  }
}

export function saveDraft(storage: Pick<Storage, 'setItem'> | null, draft: ScenarioDraft): void {
  try {
    storage?.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch {
    // A full or disabled storage only costs the draft's survival across a reload.
  }
}

/** Two spaces in place of the selection, as Tab types them in the editor. */
export function insertIndent(
  text: string,
  selectionStart: number,
  selectionEnd: number,
): { text: string; caret: number } {
  return {
    text: `${text.slice(0, selectionStart)}  ${text.slice(selectionEnd)}`,
    caret: selectionStart + 2,
  };
}
