import type { RunRequest } from '../api/types';

/** A short steady run: enough cycles to be meaningful, fast enough for unit tests. */
export const SHORT_RUN: RunRequest = {
  scenario: 'steady',
  customScenario: null,
  collector: 'mark-sweep',
  gogc: 100,
  procs: 2,
  seed: 3,
  durationMs: 200,
  name: null,
};
