// `npm test`: every check in CI order — format, lint, typecheck, build, unit, e2e — then one
// plain "N passed, N failed" line counting the unit and end-to-end tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { CHROMIUM_HELP, findChromium } from './chromium.mjs';

// Reports of an earlier run must not be counted if a step dies before writing its own.
rmSync('reports/unit.json', { force: true });
rmSync('reports/e2e.json', { force: true });
mkdirSync('reports', { recursive: true });
const failedSteps = [];
let passed = 0;
let failed = 0;

function step(name, command, args, env = {}) {
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (!ok) failedSteps.push(name);
  return ok;
}

function countVitest(file) {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  return true;
}

function countPlaywright(file) {
  if (!existsSync(file)) return false;
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  failed += stats.unexpected ?? 0;
  return true;
}

step('format', 'npx', ['prettier', '--check', '.']);
step('lint', 'npx', ['eslint', '--max-warnings', '0', '.']);
step('typecheck', 'npm', ['run', '-s', 'typecheck']);
const built = step('build', 'npx', ['electron-vite', 'build']);

const unitOk = step('unit', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=reports/unit.json',
]);
if (!countVitest('reports/unit.json') && !unitOk) failed += 1;

if (!built) {
  console.log('\n✘ e2e skipped: the build failed');
  failedSteps.push('e2e');
} else if (findChromium() === null) {
  console.error(`\n✘ e2e: ${CHROMIUM_HELP}`);
  failedSteps.push('e2e');
} else {
  const e2eOk = step('e2e', 'npx', ['playwright', 'test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: 'reports/e2e.json',
  });
  if (!countPlaywright('reports/e2e.json') && !e2eOk) failed += 1;
}

console.log('');
if (failedSteps.length > 0) console.log(`Failed steps: ${failedSteps.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length === 0 && failed === 0 ? 0 : 1);
