import { describe, expect, it } from 'vitest';
import { IMPORT_TEXT_MAX_BYTES } from './contract';
import { logFileProblem } from './log-import';

describe('logFileProblem', () => {
  it('lets a log within the limit through', () => {
    expect(logFileProblem({ name: 'api.log', size: IMPORT_TEXT_MAX_BYTES })).toBeNull();
  });

  it('sends a log past the limit to the command line', () => {
    expect(logFileProblem({ name: 'big.log', size: IMPORT_TEXT_MAX_BYTES + 1 })).toMatch(
      /^big\.log is 32\.0 MiB; the app imports logs of up to 32 MiB\. Import it with: heapscope import big\.log$/,
    );
  });

  it('refuses an empty file', () => {
    expect(logFileProblem({ name: 'empty.log', size: 0 })).toMatch(/^empty\.log is empty/);
  });
});
