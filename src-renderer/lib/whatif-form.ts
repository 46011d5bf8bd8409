/**
 * The "Re-run as simulation…" form as plain data: it starts from the settings the trace's cycles
 * tell (its GOGC, no memory limit, the go collector) and validates to a `sessions.whatif` request.
 * The server checks the same again; these checks only keep a doomed request from being sent.
 */
import { MiB } from '../charts/series/format';
import type { BarrierName, CollectorInfo, FittedSettings, RunLimits, WhatIfRequest } from './contract';

export interface WhatIfFormValues {
  gogc: number | null;
  gogcOff: boolean;
  /** GOMEMLIMIT in MiB; null (empty) = no limit. */
  memoryLimitMiB: number | null;
  collector: string;
  barrier: BarrierName;
  cycleCollector: boolean;
}

export type WhatIfField = 'gogc' | 'memoryLimitMiB' | 'collector';
export type WhatIfErrors = Partial<Record<WhatIfField, string>>;
export type WhatIfFormResult = { ok: true; request: WhatIfRequest } | { ok: false; errors: WhatIfErrors };

export function whatIfDefaults(settings: FittedSettings): WhatIfFormValues {
  const off = settings.gogc < 0;
  return {
    gogc: off ? 100 : settings.gogc,
    gogcOff: off,
    memoryLimitMiB: null,
    collector: 'go',
    barrier: 'dijkstra',
    cycleCollector: false,
  };
}

export function validateWhatIf(
  id: number,
  values: WhatIfFormValues,
  limits: RunLimits,
  collectors: readonly CollectorInfo[],
): WhatIfFormResult {
  const errors: WhatIfErrors = {};
  if (!values.gogcOff) {
    const gogc = values.gogc;
    if (gogc === null || !Number.isInteger(gogc) || gogc < 1 || gogc > limits.gogcMax)
      errors.gogc = `GOGC: expected a whole number from 1 to ${limits.gogcMax}, or off`;
  }
  const mib = values.memoryLimitMiB;
  const minMiB = limits.memoryLimitMinBytes / MiB;
  const maxMiB = limits.memoryLimitMaxBytes / MiB;
  if (mib !== null && (!Number.isInteger(mib) || mib < minMiB || mib > maxMiB))
    errors.memoryLimitMiB = `GOMEMLIMIT: expected whole MiB from ${minMiB} to ${maxMiB}, or empty for none`;
  const collector = collectors.find((c) => c.name === values.collector);
  if (collector === undefined)
    errors.collector = `expected one of the collectors: ${collectors.map((c) => c.name).join(', ')}`;
  if (Object.keys(errors).length > 0 || collector === undefined) return { ok: false, errors };
  const request: WhatIfRequest = {
    id,
    gogc: values.gogcOff ? -1 : values.gogc!,
    memoryLimitBytes: mib === null ? null : mib * MiB,
    collector: collector.name,
  };
  if (collector.options.includes('barrier')) request.barrier = values.barrier;
  if (collector.options.includes('cycleCollector')) request.cycleCollector = values.cycleCollector;
  return { ok: true, request };
}
