import { describe, expect, it } from 'vitest';
import { MiB } from '../charts/series/format';
import { RUN_LIMITS, type CollectorInfo } from './contract';
import { validateWhatIf, whatIfDefaults } from './whatif-form';

const collectors: CollectorInfo[] = [
  { name: 'go', title: 'Go', description: '', options: [] },
  { name: 'incremental', title: 'Incremental', description: '', options: ['barrier'] },
];
const settings = { gogc: 100, procs: 2, goalFitError: 0.02, stackScanBytes: 0 };

describe('the what-if form', () => {
  it('starts from the trace’s GOGC, no memory limit and the go collector', () => {
    expect(whatIfDefaults(settings)).toMatchObject({
      gogc: 100,
      gogcOff: false,
      memoryLimitMiB: null,
      collector: 'go',
    });
    expect(whatIfDefaults({ ...settings, gogc: -1 })).toMatchObject({ gogcOff: true });
  });

  it('sends GOGC, GOMEMLIMIT in bytes, and only the options the collector reads', () => {
    const values = { ...whatIfDefaults(settings), gogc: 200, memoryLimitMiB: 64, collector: 'incremental' };
    const off = { ...whatIfDefaults(settings), gogcOff: true, barrier: 'yuasa' as const };
    expect(validateWhatIf(3, values, RUN_LIMITS, collectors)).toEqual({
      ok: true,
      request: {
        id: 3,
        gogc: 200,
        memoryLimitBytes: 64 * MiB,
        collector: 'incremental',
        barrier: 'dijkstra',
      },
    });
    expect(validateWhatIf(3, off, RUN_LIMITS, collectors)).toEqual({
      ok: true,
      request: { id: 3, gogc: -1, memoryLimitBytes: null, collector: 'go' },
    });
  });

  it('names each field that is wrong and what it expects', () => {
    const values = { ...whatIfDefaults(settings), gogc: 0, memoryLimitMiB: 0.5, collector: 'g0' };
    const result = validateWhatIf(3, values, RUN_LIMITS, collectors);
    expect(result).toEqual({
      ok: false,
      errors: {
        gogc: 'GOGC: expected a whole number from 1 to 10000, or off',
        memoryLimitMiB: 'GOMEMLIMIT: expected whole MiB from 1 to 1048576, or empty for none',
        collector: 'expected one of the collectors: go, incremental',
      },
    });
  });
});
