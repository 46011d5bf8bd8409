/** The preset scenarios in resources/scenarios, read and validated, for tests that run them all. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../engine/scenario';
import { parseScenario } from '../formats/scenario';

const DIR = join(__dirname, '..', '..', 'resources', 'scenarios');

export const PRESET_NAMES: readonly string[] = readdirSync(DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -'.json'.length))
  .sort();

export function presetScenario(name: string): Scenario {
  return parseScenario(JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')));
}
