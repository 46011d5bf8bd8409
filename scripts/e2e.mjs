// Runs the Playwright suite against the built app, after checking a Chromium is there to drive.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_HELP, findChromium } from './chromium.mjs';

if (findChromium() === null) {
  console.error(CHROMIUM_HELP);
  process.exit(1);
}
if (!existsSync('out/main/cli.js') || !existsSync('out/renderer/index.html')) {
  console.error('The app is not built: run `npm run build` first (npm test does it for you).');
  process.exit(1);
}
const result = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
