/**
 * What a run can be made of: the preset scenarios shipped in resources/scenarios and the
 * registered collectors. Presets are validated when first read, so a broken preset fails loudly
 * in tests rather than at a user's first run.
 */
import steadyJson from '../../resources/scenarios/steady.json';
import leakJson from '../../resources/scenarios/leak.json';
import cacheChurnJson from '../../resources/scenarios/cache-churn.json';
import poolBuffersJson from '../../resources/scenarios/pool-buffers.json';
import pointerTreesJson from '../../resources/scenarios/pointer-trees.json';
import burstyBatchesJson from '../../resources/scenarios/bursty-batches.json';
import deepStacksJson from '../../resources/scenarios/deep-stacks.json';
import cyclicGarbageJson from '../../resources/scenarios/cyclic-garbage.json';
import goChurnJson from '../../resources/scenarios/go-churn.json';
import goStacksJson from '../../resources/scenarios/go-stacks.json';
import goPoolJson from '../../resources/scenarios/go-pool.json';
import goScavJson from '../../resources/scenarios/go-scav.json';
import goSizesJson from '../../resources/scenarios/go-sizes.json';
import goEscapeJson from '../../resources/scenarios/go-escape.json';
import type { Catalog, RunRequest } from '../api/types';
import { RUN_LIMITS } from '../api/limits';
import { COLLECTORS, collectorNames as engineCollectorNames, type Scenario } from '../engine';
import { parseScenario } from '../formats/scenario';

/** Every preset, in the order the catalog lists them: workloads first, then the Go fixture programs. */
const PRESET_SOURCES: readonly unknown[] = [
  steadyJson,
  leakJson,
  cacheChurnJson,
  poolBuffersJson,
  pointerTreesJson,
  burstyBatchesJson,
  deepStacksJson,
  cyclicGarbageJson,
  goChurnJson,
  goStacksJson,
  goPoolJson,
  goScavJson,
  goSizesJson,
  goEscapeJson,
];

let presets: Map<string, Scenario> | null = null;

export function presetScenarios(): Map<string, Scenario> {
  presets ??= new Map(
    PRESET_SOURCES.map((json) => {
      const scenario = parseScenario(json);
      return [scenario.name, scenario] as const;
    }),
  );
  return presets;
}

export function scenarioNames(): string[] {
  return [...presetScenarios().keys()];
}

export function collectorNames(): string[] {
  return engineCollectorNames();
}

export const DEFAULT_RUN: RunRequest = {
  scenario: 'steady',
  customScenario: null,
  collector: 'mark-sweep',
  gogc: 100,
  procs: 4,
  seed: 1,
  durationMs: null,
  name: null,
};

export function catalog(): Catalog {
  return {
    scenarios: [...presetScenarios().values()].map((s) => ({
      name: s.name,
      title: s.title,
      description: s.description,
      durationMs: s.durationMs,
    })),
    collectors: COLLECTORS.map(({ name, title, description, options }) => ({
      name,
      title,
      description,
      options: [...options],
    })),
    defaults: DEFAULT_RUN,
    limits: RUN_LIMITS,
  };
}
