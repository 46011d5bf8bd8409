import type { CycleRecord } from '../engine/record';

/** A plausible cycle record; tests override what they check. */
export function cycleRecord(overrides: Partial<CycleRecord> = {}): CycleRecord {
  return {
    seq: 1,
    startNs: 1_000_000,
    trigger: 'heap',
    heapStartBytes: 4 << 20,
    heapEndBytes: 4 << 20,
    heapMarkedBytes: 3 << 20,
    heapGoalBytes: 4 << 20,
    heapTriggerBytes: 3_997_696,
    stacksBytes: 8192,
    globalsBytes: 0,
    procs: 4,
    sweepTermNs: 20_000,
    markNs: 300_000,
    markTermNs: 30_000,
    pauseNs: 350_000,
    assistCpuNs: 0,
    backgroundCpuNs: 0,
    idleCpuNs: 0,
    gcCpuFraction: 0.05,
    objectsFreed: 1000,
    bytesFreed: 1 << 20,
    liveObjects: 3000,
    fragmentationBytes: 12_345,
    ...overrides,
  };
}
