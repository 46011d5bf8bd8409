import type { CycleRecord, HeapSample } from '../lib/contract';

const MiB = 1024 * 1024;

/**
 * A plausible simulated cycle record; tests override the fields they are about. The defaults keep
 * the record's own sums: stacksBytes ≤ stackInUseBytes, tail waste ≤ fragmentation, poolGets = the
 * four hit kinds + misses.
 */
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
    pauses: [
      { startNs: 10_000_000, durationNs: 20_000 },
      { startNs: 11_020_000, durationNs: 30_000 },
    ],
    assistCpuNs: 100_000,
    backgroundCpuNs: 1_000_000,
    idleCpuNs: 0,
    gcCpuFraction: 0.02,
    objectsFreed: 1000,
    bytesFreed: 2 * MiB,
    liveObjects: 500,
    fragmentationBytes: 1024,
    stackInUseBytes: 16_384,
    heapInUseBytes: 5 << 20,
    heapIdleBytes: 1 << 20,
    heapReleasedBytes: 0,
    tailWasteBytes: 512,
    internalWasteBytes: 8_249,
    heapAllocations: 4_000,
    heapAllocatedBytes: 4 << 20,
    stackAllocations: 1_000,
    stackAllocatedBytes: 64_000,
    tinyAllocations: 10,
    stackGrowths: 2,
    stackShrinks: 1,
    stackCopiedBytes: 3_072,
    poolGets: 100,
    poolHitsPrivate: 60,
    poolHitsShared: 10,
    poolHitsStolen: 5,
    poolHitsVictim: 5,
    poolMisses: 20,
    poolPuts: 90,
    poolDropped: 7,
    assistRatio: 0.5,
    markUtilization: 0.3,
    writeBarrierHits: 1_000,
    writeBarrierShades: 100,
    leakedObjects: null,
    leakedBytes: null,
    refcountFrees: null,
    cascadeMaxObjects: null,
    cascadeMaxNs: null,
    ...overrides,
  };
}

export function heapSample(tNs: number, heapAllocBytes: number): HeapSample {
  return { tNs, heapAllocBytes, heapInUseBytes: heapAllocBytes + 64 * 1024 };
}

/** A cycle as a gctrace import records it: every simulation-only field null. */
export function importedCycleRecord(overrides: Partial<CycleRecord> = {}): CycleRecord {
  return cycleRecord({
    objectsFreed: null,
    bytesFreed: null,
    liveObjects: null,
    fragmentationBytes: null,
    stackInUseBytes: null,
    heapInUseBytes: null,
    heapIdleBytes: null,
    heapReleasedBytes: null,
    tailWasteBytes: null,
    internalWasteBytes: null,
    heapAllocations: null,
    heapAllocatedBytes: null,
    stackAllocations: null,
    stackAllocatedBytes: null,
    tinyAllocations: null,
    stackGrowths: null,
    stackShrinks: null,
    stackCopiedBytes: null,
    poolGets: null,
    poolHitsPrivate: null,
    poolHitsShared: null,
    poolHitsStolen: null,
    poolHitsVictim: null,
    poolMisses: null,
    poolPuts: null,
    poolDropped: null,
    assistRatio: null,
    markUtilization: null,
    writeBarrierHits: null,
    writeBarrierShades: null,
    stacksBytes: 0,
    globalsBytes: 0,
    ...overrides,
  });
}
