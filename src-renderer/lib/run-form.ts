import type { RunLimits, RunRequest } from './contract';

/**
 * The New run form as plain data, its validation against the run limits, and the mapping of a
 * server `invalid-argument` message back onto the fields it names. Numbers are null while their
 * input is empty.
 */
export interface RunFormValues {
  scenario: string;
  collector: string;
  gogc: number | null;
  gogcOff: boolean;
  procs: number | null;
  seed: number | null;
  durationMs: number | null;
  name: string;
}

export type RunFormField = 'scenario' | 'collector' | 'gogc' | 'procs' | 'seed' | 'durationMs' | 'name';
export type FieldErrors = Partial<Record<RunFormField, string>>;

export type RunFormResult = { ok: true; request: RunRequest } | { ok: false; errors: FieldErrors };

export const NAME_MAX_LENGTH = 200;

const FIELDS: readonly RunFormField[] = [
  'scenario',
  'collector',
  'gogc',
  'procs',
  'seed',
  'durationMs',
  'name',
];

export function formFromRequest(request: RunRequest): RunFormValues {
  const off = request.gogc < 0;
  return {
    scenario: request.scenario,
    collector: request.collector,
    gogc: off ? 100 : request.gogc,
    gogcOff: off,
    procs: request.procs,
    seed: request.seed,
    durationMs: request.durationMs,
    name: request.name ?? '',
  };
}

/**
 * Seeds the form from a request whose scenario or collector may not exist (the last run's, from an
 * older catalog): unknown names fall back to the first available, so the form never opens invalid.
 */
export function formForCatalog(
  request: RunRequest,
  known: { scenarios: readonly string[]; collectors: readonly string[] },
): RunFormValues {
  const values = formFromRequest(request);
  if (!known.scenarios.includes(values.scenario)) values.scenario = known.scenarios[0] ?? '';
  if (!known.collectors.includes(values.collector)) values.collector = known.collectors[0] ?? '';
  return values;
}

function checkInteger(value: number | null, min: number, max: number, label: string): string | null {
  if (value === null || !Number.isFinite(value)) return `${label} is required`;
  if (!Number.isInteger(value)) return `${label} must be a whole number`;
  if (value < min || value > max) return `${label} must be between ${min} and ${max}`;
  return null;
}

export function validateRunForm(
  values: RunFormValues,
  limits: RunLimits,
  known: { scenarios: readonly string[]; collectors: readonly string[] },
): RunFormResult {
  const errors: FieldErrors = {};
  if (!known.scenarios.includes(values.scenario)) errors.scenario = 'Choose a scenario';
  if (!known.collectors.includes(values.collector)) errors.collector = 'Choose a collector';

  if (!values.gogcOff) {
    // -1 is how GOGC=off is spelled; the checkbox is the friendlier way to say it.
    const error = checkInteger(values.gogc, Math.max(limits.gogcMin, -1), limits.gogcMax, 'GOGC');
    if (error) errors.gogc = error;
    else if (values.gogc === 0)
      errors.gogc = 'GOGC=0 (collect continuously) is not supported: use 1 or more, or off';
  }

  const procsError = checkInteger(values.procs, limits.procsMin, limits.procsMax, 'GOMAXPROCS');
  if (procsError) errors.procs = procsError;

  const seedError = checkInteger(values.seed, 0, limits.seedMax, 'Seed');
  if (seedError) errors.seed = seedError;

  if (values.durationMs !== null) {
    const error = checkInteger(values.durationMs, limits.durationMsMin, limits.durationMsMax, 'Duration');
    if (error) errors.durationMs = error;
  }

  const name = values.name.trim();
  if (name.length > NAME_MAX_LENGTH) errors.name = `Name must be at most ${NAME_MAX_LENGTH} characters`;

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      scenario: values.scenario,
      customScenario: null,
      collector: values.collector,
      gogc: values.gogcOff ? -1 : (values.gogc as number),
      procs: values.procs as number,
      seed: values.seed as number,
      durationMs: values.durationMs,
      name: name === '' ? null : name,
    },
  };
}

/**
 * The server reports bad arguments as `runs.start: request.gogc: …; request.procs: …`. Parts
 * naming a form field go next to it; anything else is shown above the buttons.
 */
export function fieldErrorsFromServer(message: string): { fields: FieldErrors; other: string | null } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  const body = message.replace(/^[\w.]+: (?=request\b)/, '');
  for (const part of body.split(/;\s+/)) {
    const match = /^request\.(\w+): (.+)$/s.exec(part.trim());
    const field = match?.[1] as RunFormField | undefined;
    if (match && field && FIELDS.includes(field)) {
      fields[field] = fields[field] ? `${fields[field]}; ${match[2]}` : match[2];
    } else if (part.trim() !== '') {
      other.push(part.trim());
    }
  }
  return { fields, other: other.length > 0 ? other.join('; ') : null };
}

/** A uniformly drawn seed in [0, seedMax]. */
export function randomSeed(limits: RunLimits, random: () => number = Math.random): number {
  return Math.min(limits.seedMax, Math.floor(random() * (limits.seedMax + 1)));
}
