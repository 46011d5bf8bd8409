/**
 * Scenarios for the fixture program fixtures/gctrace/src/churn.go at any of its flags, built from
 * the go-churn preset (its defaults: -live 16 -total 512 -size 1024): the ring holds `live` MiB of
 * buffers, the program allocates `total` MiB, every 8th allocation replaces a ring entry, and
 * `-force N` calls runtime.GC() after every N MiB.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../engine/scenario';
import { parseScenario } from '../formats/scenario';

const MiB = 1 << 20;
const PRESET = join(__dirname, '..', '..', 'resources', 'scenarios', 'go-churn.json');

/**
 * The churn binary's data and bss segments (Go 1.19.8, linux/amd64): what its pacer counts as
 * globals scan work at every cycle ("pacer: … for 237792+7752+223504 B work",
 * go1.19.8_churn_pacertrace.txt), though gctrace prints "0 MB globals".
 */
export const CHURN_GLOBALS_BYTES = 223_504;

export interface ChurnFlags {
  liveMiB?: number;
  totalMiB?: number;
  forceEveryMiB?: number;
  objectBytes?: number;
}

/** `globalsBytes`: the scannable data+bss the scenario gives the program (the preset's 0 when absent). */
export function churnScenario(flags: ChurnFlags = {}, globalsBytes?: number): Scenario {
  const { liveMiB = 16, totalMiB = 512, forceEveryMiB = 0, objectBytes = 1024 } = flags;
  const scenario = parseScenario(JSON.parse(readFileSync(PRESET, 'utf8')));
  const main = scenario.goroutines[0]!;
  const ringSlots = Math.floor((liveMiB * MiB) / objectBytes);
  main.totalBytes = (liveMiB + totalMiB) * MiB;
  for (const site of main.sites) {
    if ('size' in site && site.size.kind === 'fixed') site.size.bytes = objectBytes;
    if (site.lifetime.kind === 'ring') site.lifetime.slots = ringSlots;
  }
  if (forceEveryMiB > 0) main.runtimeGC = { everyBytes: forceEveryMiB * MiB };
  if (globalsBytes !== undefined) scenario.globalsBytes = globalsBytes;
  // The run's length follows the allocation: the preset's rate, plus slack for the pauses.
  scenario.durationMs = Math.ceil((((liveMiB + totalMiB) * MiB) / main.allocBytesPerSec) * 1000 * 1.5) + 5;
  return scenario;
}
