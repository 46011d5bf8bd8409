/**
 * The `pacer_lines` table (migration 7): what an imported cycle's gcpacertrace lines printed beyond
 * its CycleRecord (GctraceCycle.pacer, formats/gctrace.ts), and the stop-the-world CPU its cycle
 * line printed, so that a gctrace export of the session prints the log again as it was read. Only
 * cycles that had pacer lines get a row: importing a plain log writes nothing here.
 */
import type { GctraceCycleExtras, PacerEnd, PacerStart, PacerSweepDone } from '../formats/gctrace';

/** The columns in the order rowValues binds them and decodeRow reads them. */
export const PACER_LINE_COLUMNS = [
  'session_id',
  'seq',
  'sweep_term_cpu_ns',
  'mark_term_cpu_ns',
  'heap_scan_mib',
  'initial_heap_live_mib',
  'heap_goal_mib',
  'dedicated_workers',
  'fractional_utilization_goal',
  'utilization_percent',
  'expected_utilization_percent',
  'heap_scan_work_bytes',
  'expected_scan_work_bytes',
  'heap_live_bytes',
  'goal_delta_bytes',
  'cons_mark',
  'controller_reset',
  'sweep_heap_live_mib',
  'sweep_allocated_mib',
  'sweep_pages_swept',
  'sweep_pages_per_byte',
] as const;

/** The values bound for a row, in PACER_LINE_COLUMNS order. */
export function pacerRowValues(sessionId: number, row: GctraceCycleExtras): unknown[] {
  const { sweepDone, start, end } = row.pacer;
  return [
    sessionId,
    row.seq,
    row.sweepTermCpuNs,
    row.markTermCpuNs,
    start?.heapScanMiB ?? null,
    start?.initialHeapLiveMiB ?? null,
    start?.heapGoalMiB ?? null,
    start?.dedicatedWorkers ?? null,
    start?.fractionalUtilizationGoal ?? null,
    end?.utilizationPercent ?? null,
    end?.expectedUtilizationPercent ?? null,
    end?.heapScanWorkBytes ?? null,
    end?.expectedScanWorkBytes ?? null,
    end?.heapLiveBytes ?? null,
    end?.goalDeltaBytes ?? null,
    end?.consMark ?? null,
    end === null ? null : end.controllerReset ? 1 : 0,
    sweepDone?.heapLiveMiB ?? null,
    sweepDone?.allocatedMiB ?? null,
    sweepDone?.pagesSwept ?? null,
    sweepDone?.pagesPerByte ?? null,
  ];
}

type Cell = number | null;

/** A row read back as PACER_LINE_COLUMNS without session_id (a `.raw()` read). */
export function decodePacerRow(cells: readonly Cell[]): GctraceCycleExtras {
  const [seq, sweepTermCpuNs, markTermCpuNs, ...rest] = cells;
  const [scanMiB, liveMiB, goalMiB, dedicated, fractional] = rest.slice(0, 5);
  const [utilization, expectedUtilization, heapScanWork, expectedWork, heapLive, goalDelta, consMark, reset] =
    rest.slice(5, 13);
  const [sweepLiveMiB, sweepAllocatedMiB, pagesSwept, pagesPerByte] = rest.slice(13);
  // Each line's columns are all set or all NULL: one tells.
  const sweepDone: PacerSweepDone | null =
    sweepLiveMiB === null || sweepLiveMiB === undefined
      ? null
      : {
          heapLiveMiB: sweepLiveMiB,
          allocatedMiB: sweepAllocatedMiB!,
          pagesSwept: pagesSwept!,
          pagesPerByte: pagesPerByte!,
        };
  const start: PacerStart | null =
    scanMiB === null || scanMiB === undefined
      ? null
      : {
          heapScanMiB: scanMiB,
          initialHeapLiveMiB: liveMiB!,
          heapGoalMiB: goalMiB!,
          dedicatedWorkers: dedicated!,
          fractionalUtilizationGoal: fractional!,
        };
  const end: PacerEnd | null =
    utilization === null || utilization === undefined
      ? null
      : {
          utilizationPercent: utilization,
          expectedUtilizationPercent: expectedUtilization!,
          heapScanWorkBytes: heapScanWork!,
          expectedScanWorkBytes: expectedWork!,
          heapLiveBytes: heapLive!,
          goalDeltaBytes: goalDelta!,
          consMark: consMark!,
          controllerReset: reset === 1,
        };
  return {
    seq: seq!,
    sweepTermCpuNs: sweepTermCpuNs ?? null,
    markTermCpuNs: markTermCpuNs ?? null,
    pacer: { sweepDone, start, end },
  };
}
