/** The fit's summary as `heapscope whatif` prints it: no build needed, unlike whatif.test.ts. */
import { describe, expect, it } from 'vitest';
import { formatFit } from './whatif-command';

describe('the fit as the terminal prints it', () => {
  it("prints a phase's allocation rate as the app does: binary units at three significant digits", () => {
    const MiB = 1 << 20;
    const text = formatFit({
      sessionId: 1,
      scenario: {},
      settings: { gogc: 100, procs: 2, goalFitError: null, stackScanBytes: 0 },
      phases: [
        {
          firstSeq: 4,
          lastSeq: 33,
          startMs: 5,
          durationMs: 97,
          allocatedBytes: 499 * MiB,
          allocBytesPerSec: 5500 * MiB,
          liveStartBytes: 17.7 * MiB,
          liveEndBytes: 18.7 * MiB,
        },
      ],
      forcedCycles: 0,
    });

    expect(text).toContain('499.0 MiB at 5.37 GiB/s, live 17.7 MiB → 18.7 MiB');
  });
});
