import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-renderer/**/*.test.ts'],
    environment: 'node',
    // Many tests run the built CLI as a user would (a process start, a SQLite file, a simulation):
    // ~1–4 s each on an idle 2-core machine, several times that when the machine is busy. A hang
    // still fails, just later than vitest's 5 s default.
    testTimeout: 30_000,
  },
});
