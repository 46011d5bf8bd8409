import type { CycleRecord, HeapSample } from '../lib/contract';

const MiB = 1024 * 1024;

/** A plausible cycle record; tests override the fields they are about. */
export function cycleRecord(overrides: Partial<CycleRecord> = {}): CycleRecord {
  return {
    seq: 1,
    startNs: 10_000_000,
    trigger: 'heap',
    heapStartBytes: 4 * MiB,
    heapEndBytes: 5 * MiB,
    heapMarkedBytes: 2 * MiB,
    heapGoalBytes: 4 * MiB,
    heapTriggerBytes: 3.5 * MiB,
    stacksBytes: 8192,
    globalsBytes: 4096,
    procs: 4,
    sweepTermNs: 20_000,
    markNs: 1_000_000,
    markTermNs: 30_000,
    pauseNs: 50_000,
    assistCpuNs: 100_000,
    backgroundCpuNs: 1_000_000,
    idleCpuNs: 0,
    gcCpuFraction: 0.02,
    objectsFreed: 1000,
    bytesFreed: 2 * MiB,
    liveObjects: 500,
    fragmentationBytes: 1024,
    ...overrides,
  };
}

export function heapSample(tNs: number, heapAllocBytes: number): HeapSample {
  return { tNs, heapAllocBytes, heapInUseBytes: heapAllocBytes + 64 * 1024 };
}
