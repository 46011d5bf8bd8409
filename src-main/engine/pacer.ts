/**
 * The GOGC pacer of Go ≥ 1.18 (mgcpacer.go, design 44167): when the next cycle must start and what
 * heap size it aims at. Reference §3.5 (goal) and §3.7 (trigger).
 *
 *  1. Goal. After a cycle marked heapMarked bytes,
 *       goal = heapMarked + (heapMarked + stacks + globals) · GOGC / 100     (integer division)
 *     and never less than heapMinimum = 4 MiB · GOGC / 100. GOGC = −1 (off) makes the goal infinite:
 *     the heap never triggers a cycle. Before the first cycle heapMarked = 0, so the goal is the
 *     minimum: 4 MiB at GOGC = 100.
 *  2. Trigger. With runway r (bytes the mutator is expected to allocate while the cycle's mark
 *     runs),
 *       minTrigger = max(sweepDistMinTrigger, heapMarked, heapMarked + (goal − heapMarked)/64·45)
 *       maxTrigger = max(minTrigger, heapMarked + (goal − heapMarked)/64·61, goal − 4 MiB if larger)
 *       trigger    = clamp(goal − r, minTrigger, maxTrigger)
 *     and trigger = goal when heapMarked ≥ goal. (goal − heapMarked)/64 is an integer division
 *     done before the multiply, exactly as Go does it.
 *  3. A cycle starts when heapLive ≥ trigger; Go tests it only when an allocation refills an mcache
 *     span or allocates a large object (the heap does the same, see heap.ts).
 *
 * Runway is 0 for now, so trigger = maxTrigger ≈ 0.95 of the way from heapMarked to the goal: the
 * runway comes from the cons/mark estimate, which only a concurrent collector produces (it
 * measures how much the mutator allocates per unit of mark work). A stop-the-world collector
 * sweeps everything inside its pause, so sweepDistMinTrigger (heapLive + 1 MiB while sweeping is
 * unfinished) is 0 too. The 64 KiB minRunway of a running cycle and the memory-limit goal
 * (GOMEMLIMIT) come with the collectors and the option that need them.
 */

/** defaultHeapMinimum: the goal never falls below 4 MiB · GOGC / 100. */
export const DEFAULT_HEAP_MINIMUM_BYTES = 4 << 20;
/** GOGC=off. */
export const GOGC_OFF = -1;
/** triggerRatioDen with the 0.7 (45/64) and 0.95 (61/64) bounds of the trigger. */
const TRIGGER_DEN = 64;
const MIN_TRIGGER_NUM = 45;
const MAX_TRIGGER_NUM = 61;

export interface PacerInputs {
  /** GOGC percent; −1 = off. */
  gogc: number;
  /** Bytes marked by the last cycle; 0 before the first one. */
  heapMarkedBytes: number;
  /** Goroutine stack bytes scanned by the last cycle (Go 1.19: lastStackScan). */
  stacksBytes: number;
  /** Scannable global bytes (globalsScan). */
  globalsBytes: number;
  /** Expected allocation during the mark phase; 0 until a concurrent collector estimates cons/mark. */
  runwayBytes: number;
  /** heapLive + 1 MiB while the previous cycle's sweep is unfinished, else 0. */
  sweepDistMinTriggerBytes: number;
}

export interface PacerDecision {
  /** Infinity when GOGC is off. */
  heapGoalBytes: number;
  /** Infinity when GOGC is off. */
  triggerBytes: number;
}

/** gcPercentHeapGoal with its heapMinimum floor. */
export function heapGoalBytes(
  gogc: number,
  heapMarkedBytes: number,
  stacksBytes: number,
  globalsBytes: number,
): number {
  if (gogc < 0) return Infinity;
  const goal = heapMarkedBytes + Math.floor(((heapMarkedBytes + stacksBytes + globalsBytes) * gogc) / 100);
  return Math.max(goal, heapMinimumBytes(gogc));
}

/** heapMinimum = defaultHeapMinimum · GOGC / 100. */
export function heapMinimumBytes(gogc: number): number {
  return Math.floor((DEFAULT_HEAP_MINIMUM_BYTES * gogc) / 100);
}

/** gcControllerState.trigger for a given goal. */
export function triggerBytes(
  goalBytes: number,
  heapMarkedBytes: number,
  runwayBytes: number,
  sweepDistMinTriggerBytes: number,
): number {
  if (!Number.isFinite(goalBytes)) return Infinity;
  if (heapMarkedBytes >= goalBytes) return goalBytes;
  const step = Math.floor((goalBytes - heapMarkedBytes) / TRIGGER_DEN);
  const minTrigger = Math.max(
    sweepDistMinTriggerBytes,
    heapMarkedBytes,
    heapMarkedBytes + step * MIN_TRIGGER_NUM,
  );
  let maxTrigger = heapMarkedBytes + step * MAX_TRIGGER_NUM;
  if (goalBytes > DEFAULT_HEAP_MINIMUM_BYTES && goalBytes - DEFAULT_HEAP_MINIMUM_BYTES > maxTrigger) {
    maxTrigger = goalBytes - DEFAULT_HEAP_MINIMUM_BYTES;
  }
  maxTrigger = Math.max(maxTrigger, minTrigger);
  const trigger = runwayBytes > goalBytes ? minTrigger : goalBytes - runwayBytes;
  return Math.min(Math.max(trigger, minTrigger), maxTrigger);
}

export function pace(inputs: PacerInputs): PacerDecision {
  const goal = heapGoalBytes(inputs.gogc, inputs.heapMarkedBytes, inputs.stacksBytes, inputs.globalsBytes);
  const goalWithSweep = Math.max(goal, inputs.sweepDistMinTriggerBytes);
  return {
    heapGoalBytes: goalWithSweep,
    triggerBytes: triggerBytes(
      goalWithSweep,
      inputs.heapMarkedBytes,
      inputs.runwayBytes,
      inputs.sweepDistMinTriggerBytes,
    ),
  };
}
