#!/usr/bin/env node
// The `heapscope` command. The CLI itself is built with the app (`npm run build`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(
    'heapscope: the CLI is not built yet; run `npm run build` in the Heapscope folder first\n',
  );
  process.exit(1);
}
require(cli);
