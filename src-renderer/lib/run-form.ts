import type { BarrierName, CollectorInfo, CollectorOptionName, RunLimits, RunRequest } from './contract';
import { MiB } from '../charts/series/format';

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
  /** The machine's CPUs the Ps share; null (empty) = as many as GOMAXPROCS. */
  cpus: number | null;
  seed: number | null;
  durationMs: number | null;
  name: string;
  /** Kept whichever collector is selected; sent only to collectors that read it. */
  barrier: BarrierName;
  cycleCollector: boolean;
  /** GOMEMLIMIT in MiB; null (empty) = no limit. */
  memoryLimitMiB: number | null;
}

export type RunFormField =
  | 'scenario'
  | 'collector'
  | 'gogc'
  | 'procs'
  | 'cpus'
  | 'seed'
  | 'durationMs'
  | 'name'
  | 'barrier'
  | 'cycleCollector'
  | 'memoryLimitBytes';
export type FieldErrors = Partial<Record<RunFormField, string>>;

export type RunFormResult = { ok: true; request: RunRequest } | { ok: false; errors: FieldErrors };

export const NAME_MAX_LENGTH = 200;

const FIELDS: readonly RunFormField[] = [
  'scenario',
  'collector',
  'gogc',
  'procs',
  'cpus',
  'seed',
  'durationMs',
  'name',
  'barrier',
  'cycleCollector',
  'memoryLimitBytes',
];

/** What the form needs to know of the catalog: the names, and which options each collector reads. */
export interface KnownNames {
  scenarios: readonly string[];
  collectors: readonly string[];
  /** Collector name → the run options it reads; a collector missing here reads none. */
  collectorOptions?: Readonly<Record<string, readonly CollectorOptionName[]>>;
}

export function knownFromCatalog(catalog: {
  scenarios: readonly { name: string }[];
  collectors: readonly CollectorInfo[];
}): Required<KnownNames> {
  return {
    scenarios: catalog.scenarios.map((s) => s.name),
    collectors: catalog.collectors.map((c) => c.name),
    collectorOptions: Object.fromEntries(catalog.collectors.map((c) => [c.name, c.options])),
  };
}

export const BARRIERS: readonly { name: BarrierName; title: string; explanation: string }[] = [
  {
    name: 'dijkstra',
    title: 'Dijkstra insertion',
    explanation:
      'Shades the new target of every pointer store, so a black object never points to a white one.',
  },
  {
    name: 'yuasa',
    title: 'Yuasa deletion',
    explanation:
      'Shades the old target a store overwrites, so everything reachable when marking began survives it.',
  },
];

export interface CollectorOptionValues {
  barrier: BarrierName;
  cycleCollector: boolean;
}

/**
 * The request for one collector: the collector's name and exactly the options it reads, so a
 * session's recorded config never claims a barrier its collector ignored.
 */
export function withCollector(
  request: RunRequest,
  collector: { name: string; options: readonly CollectorOptionName[] },
  options: CollectorOptionValues,
): RunRequest {
  const { barrier: _barrier, cycleCollector: _cycleCollector, ...rest } = request;
  const next: RunRequest = { ...rest, collector: collector.name };
  if (collector.options.includes('barrier')) next.barrier = options.barrier;
  if (collector.options.includes('cycleCollector')) next.cycleCollector = options.cycleCollector;
  return next;
}

/**
 * "Run all collectors": the same scenario and settings once per collector, in catalog order. A
 * name the user gave gets the collector appended so the sessions tell apart in the library.
 */
export function requestsForAllCollectors(
  request: RunRequest,
  collectors: readonly CollectorInfo[],
  options: CollectorOptionValues,
): RunRequest[] {
  return collectors.map((collector) => {
    const next = withCollector(request, collector, options);
    if (request.name !== null) {
      const suffix = ` · ${collector.name}`;
      next.name = request.name.slice(0, NAME_MAX_LENGTH - suffix.length) + suffix;
    }
    return next;
  });
}

export function formFromRequest(request: RunRequest): RunFormValues {
  const off = request.gogc < 0;
  return {
    scenario: request.scenario,
    collector: request.collector,
    gogc: off ? 100 : request.gogc,
    gogcOff: off,
    procs: request.procs,
    cpus: request.cpus ?? null,
    seed: request.seed,
    durationMs: request.durationMs,
    name: request.name ?? '',
    barrier: request.barrier ?? 'dijkstra',
    cycleCollector: request.cycleCollector ?? false,
    memoryLimitMiB:
      request.memoryLimitBytes === null || request.memoryLimitBytes === undefined
        ? null
        : request.memoryLimitBytes / MiB,
  };
}

/**
 * Seeds the form from a request whose scenario or collector may not exist (the last run's, from an
 * older catalog): unknown names fall back to the first available, so the form never opens invalid.
 */
export function formForCatalog(request: RunRequest, known: KnownNames): RunFormValues {
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

const mibFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/** GOMEMLIMIT in MiB (fractions allowed) as whole bytes; null = no limit. */
export function checkMemoryLimit(
  mib: number | null,
  limits: RunLimits,
): { ok: true; bytes: number | null } | { ok: false; error: string } {
  if (mib === null) return { ok: true, bytes: null };
  const bytes = Math.round(mib * MiB);
  if (!Number.isFinite(mib) || bytes < limits.memoryLimitMinBytes || bytes > limits.memoryLimitMaxBytes) {
    const min = mibFormat.format(limits.memoryLimitMinBytes / MiB);
    const max = mibFormat.format(limits.memoryLimitMaxBytes / MiB);
    return { ok: false, error: `GOMEMLIMIT must be between ${min} and ${max} MiB, or empty for no limit` };
  }
  return { ok: true, bytes };
}

export function validateRunForm(values: RunFormValues, limits: RunLimits, known: KnownNames): RunFormResult {
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

  if (values.cpus !== null) {
    const error = checkInteger(values.cpus, limits.procsMin, limits.procsMax, 'CPUs');
    if (error) errors.cpus = `${error}, or empty for as many as GOMAXPROCS`;
  }

  const seedError = checkInteger(values.seed, 0, limits.seedMax, 'Seed');
  if (seedError) errors.seed = seedError;

  if (values.durationMs !== null) {
    const error = checkInteger(values.durationMs, limits.durationMsMin, limits.durationMsMax, 'Duration');
    if (error) errors.durationMs = error;
  }

  const memoryLimit = checkMemoryLimit(values.memoryLimitMiB, limits);
  if (!memoryLimit.ok) errors.memoryLimitBytes = memoryLimit.error;

  const name = values.name.trim();
  if (name.length > NAME_MAX_LENGTH) errors.name = `Name must be at most ${NAME_MAX_LENGTH} characters`;

  if (Object.keys(errors).length > 0 || !memoryLimit.ok) return { ok: false, errors };
  const request: RunRequest = {
    scenario: values.scenario,
    customScenario: null,
    collector: values.collector,
    gogc: values.gogcOff ? -1 : (values.gogc as number),
    procs: values.procs as number,
    seed: values.seed as number,
    durationMs: values.durationMs,
    name: name === '' ? null : name,
    memoryLimitBytes: memoryLimit.bytes,
    // Only fewer CPUs than Ps changes a run; the request says nothing otherwise, as before.
    ...(values.cpus !== null && values.procs !== null && values.cpus < values.procs && { cpus: values.cpus }),
  };
  const options = known.collectorOptions?.[values.collector] ?? [];
  return { ok: true, request: withCollector(request, { name: values.collector, options }, values) };
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
