/**
 * What a run can be made of: the preset scenarios shipped in resources/scenarios and the
 * registered collectors. Presets are validated when first read, so a broken preset fails loudly
 * in tests rather than at a user's first run.
 */
import steadyJson from '../../resources/scenarios/steady.json';
import type { Catalog, RunRequest } from '../api/types';
import { RUN_LIMITS } from '../api/limits';
import { COLLECTORS, collectorNames as engineCollectorNames, type Scenario } from '../engine';
import { parseScenario } from '../formats/scenario';

const PRESET_SOURCES: readonly unknown[] = [steadyJson];

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
    collectors: COLLECTORS.map(({ name, title, description }) => ({ name, title, description })),
    defaults: DEFAULT_RUN,
    limits: RUN_LIMITS,
  };
}
