/**
 * Test fixtures: each test file gets its own database and a browser-mode server started exactly
 * as a user starts it (`heapscope serve`), plus a way to run the real CLI against that database.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type Page } from '@playwright/test';

export const CLI = join(__dirname, '..', '..', 'bin', 'heapscope.cjs');
export const SCREENSHOTS = join(__dirname, '..', '..', 'reports', 'screenshots');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface Served {
  url: string;
  origin: string;
  token: string;
  dbPath: string;
  cli(args: string[]): CliResult;
}

function startServe(dbPath: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--db', dbPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`heapscope serve did not start:\n${out}\n${err}`)),
      15_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /serving at (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`heapscope serve exited (${code}):\n${err}`)));
  });
}

export const test = base.extend<{ served: Served }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  served: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'heapscope-e2e-'));
    const dbPath = join(dir, 'sessions.db');
    const { child, url } = await startServe(dbPath);
    const parsed = new URL(url);
    await use({
      url,
      origin: parsed.origin,
      token: parsed.searchParams.get('token') ?? '',
      dbPath,
      cli: (args) => {
        const result = spawnSync(process.execPath, [CLI, ...args, '--db', dbPath], {
          encoding: 'utf8',
          timeout: 60_000,
        });
        return { status: result.status, stdout: result.stdout, stderr: result.stderr };
      },
    });
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
