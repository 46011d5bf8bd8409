import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
export const BUILT_CLI = join(ROOT, 'out', 'main', 'cli.js');
export const BUILT_WORKER = join(ROOT, 'out', 'main', 'run-worker.js');

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Tests that drive the built CLI or worker would otherwise test whatever an older build left in
 * out/: fail with the remedy instead.
 */
export function assertBuildIsCurrent(): void {
  if (!existsSync(BUILT_CLI) || !existsSync(BUILT_WORKER)) {
    throw new Error('The app is not built: run `npm run build` first (npm test does).');
  }
  const builtMs = Math.min(statSync(BUILT_CLI).mtimeMs, statSync(BUILT_WORKER).mtimeMs);
  if (newestSourceMs(join(ROOT, 'src-main')) > builtMs) {
    throw new Error('out/ is older than src-main: run `npm run build` first (npm test does).');
  }
}
