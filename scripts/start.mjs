// `npm start`: build, then open the desktop app; where the Electron runtime cannot be obtained
// (no internet on first use), say so once and serve the same UI in browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const electronSqlite = join(root, 'out', 'electron-native', 'better_sqlite3.node');

function run(command, args, options = {}) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options }).status === 0;
}

/** The Electron binary, downloading it first if needed; null where that is impossible. */
function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  const binary = () =>
    existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null;
  if (binary() !== null && existsSync(binary())) return binary();
  console.log('Fetching the Electron runtime (first start only)…');
  spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    stdio: 'ignore',
    timeout: 180_000,
  });
  return binary() !== null && existsSync(binary()) ? binary() : null;
}

/**
 * better-sqlite3 compiled for Electron's ABI, kept beside (not instead of) the Node build that the
 * CLI and tests load. Needs Electron's headers, hence the internet, once.
 */
function electronSqliteBinding() {
  if (existsSync(electronSqlite)) return true;
  const version = require(join(electronDir, 'package.json')).version;
  const work = mkdtempSync(join(tmpdir(), 'heapscope-sqlite-'));
  try {
    cpSync(dirname(require.resolve('better-sqlite3/package.json')), work, { recursive: true });
    console.log(`Building the SQLite addon for Electron ${version} (first start only)…`);
    const ok = run(
      'npm',
      [
        'exec',
        '--yes',
        '--',
        'node-gyp',
        'rebuild',
        '--release',
        `--target=${version}`,
        '--dist-url=https://electronjs.org/headers',
      ],
      { cwd: work, stdio: 'ignore', timeout: 600_000 },
    );
    if (!ok) return false;
    mkdirSync(dirname(electronSqlite), { recursive: true });
    copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), electronSqlite);
    return true;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function browserMode(reason) {
  console.log(
    `\n${reason} Heapscope opens in browser mode instead: open the address below in your browser.\n`,
  );
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'heapscope.cjs'), 'serve', ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  const forward = (signal) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (!run('npx', ['electron-vite', 'build'])) process.exit(1);

const binary = electronBinary();
if (binary === null) {
  browserMode(
    'The Electron runtime is not installed and could not be downloaded (is this machine offline?).',
  );
} else if (!electronSqliteBinding()) {
  browserMode(
    'The SQLite addon could not be built for Electron (its headers need an internet connection once).',
  );
} else {
  const child = spawn(binary, [root], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
