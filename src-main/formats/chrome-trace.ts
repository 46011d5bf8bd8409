/**
 * A session as Chrome trace-event JSON (the JSON Object Format), which Perfetto (ui.perfetto.dev) and
 * chrome://tracing open. Documented in docs/export-formats.md.
 *
 *  1. Metadata (ph M): the process is the session (its name); threads "GC" and "STW".
 *  2. Per cycle, on "GC": complete slices (ph X) for sweep termination, the concurrent mark
 *     ("GC 12 mark", whose args carry the cycle's heap sizes, trigger and mark CPU) and mark
 *     termination, laid end to end from startNs as a CycleRecord times them.
 *  3. Per cycle, on "STW": one slice per stop-the-world window (pauses[]), so the slices' total is
 *     the session's pause total.
 *  4. Counters (ph C): heap allocated and heap in use at every HeapSample; the heap goal at each
 *     cycle's start and the marked heap at its end.
 *  5. Every event sorted by ts (metadata first, at 0).
 *
 * Mark CPU is args, not slices: a cycle record holds per-cycle totals (assist, background, idle),
 * not when each P ran mark work, so per-P slices would be invented. ts and dur are microseconds
 * (the format's unit) as plain numbers, ns / 1000, so sub-µs pauses keep their precision.
 */
import type { CycleRecord, HeapSample } from '../engine/record';

export const CHROME_TRACE_FORMAT_VERSION = 1;

/** The process every event belongs to (a trace holds one session). */
export const TRACE_PID = 1;
/** Counter events are process-scoped; their tid names no thread. */
export const TRACE_COUNTER_TID = 0;
export const TRACE_GC_TID = 1;
export const TRACE_STW_TID = 2;

type ArgValue = string | number;

interface EventBase {
  name: string;
  /** Microseconds since the session started. */
  ts: number;
  pid: number;
  tid: number;
}

export interface CompleteEvent extends EventBase {
  ph: 'X';
  cat: 'gc' | 'stw';
  /** Microseconds, ≥ 0. */
  dur: number;
  args: Record<string, ArgValue>;
}

export interface CounterEvent extends EventBase {
  ph: 'C';
  args: Record<string, number>;
}

export interface MetadataEvent extends EventBase {
  ph: 'M';
  name: 'process_name' | 'thread_name' | 'thread_sort_index';
  args: { name: string } | { sort_index: number };
}

export type TraceEvent = CompleteEvent | CounterEvent | MetadataEvent;

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, ArgValue>;
}

export interface TraceSession {
  id: number;
  name: string;
  source: string;
  collector: string | null;
}

const us = (ns: number): number => ns / 1000;

function metadata(session: TraceSession): MetadataEvent[] {
  const base = { ph: 'M' as const, ts: 0, pid: TRACE_PID };
  const threads: [number, string][] = [
    [TRACE_GC_TID, 'GC'],
    [TRACE_STW_TID, 'STW'],
  ];
  return [
    { ...base, tid: 0, name: 'process_name', args: { name: session.name } },
    ...threads.flatMap(([tid, name]): MetadataEvent[] => [
      { ...base, tid, name: 'thread_name', args: { name } },
      { ...base, tid, name: 'thread_sort_index', args: { sort_index: tid } },
    ]),
  ];
}

function slice(
  tid: number,
  cat: CompleteEvent['cat'],
  name: string,
  startNs: number,
  durationNs: number,
  args: Record<string, ArgValue>,
): CompleteEvent {
  return { ph: 'X', cat, name, ts: us(startNs), dur: us(durationNs), pid: TRACE_PID, tid, args };
}

function counter(name: string, tNs: number, bytes: number): CounterEvent {
  return { ph: 'C', name, ts: us(tNs), pid: TRACE_PID, tid: TRACE_COUNTER_TID, args: { bytes } };
}

function cycleEvents(c: CycleRecord): TraceEvent[] {
  const markStartNs = c.startNs + c.sweepTermNs;
  const markEndNs = markStartNs + c.markNs;
  const endNs = markEndNs + c.markTermNs;
  const gc = { gc: c.seq };
  const markArgs: Record<string, ArgValue> = {
    ...gc,
    trigger: c.trigger,
    heapStartBytes: c.heapStartBytes,
    heapEndBytes: c.heapEndBytes,
    heapMarkedBytes: c.heapMarkedBytes,
    heapGoalBytes: c.heapGoalBytes,
    heapTriggerBytes: c.heapTriggerBytes,
    procs: c.procs,
    assistCpuNs: c.assistCpuNs,
    backgroundCpuNs: c.backgroundCpuNs,
    idleCpuNs: c.idleCpuNs,
    ...(c.markUtilization !== null && { markUtilization: c.markUtilization }),
  };
  const events: TraceEvent[] = [];
  if (c.sweepTermNs > 0)
    events.push(slice(TRACE_GC_TID, 'gc', `GC ${c.seq} sweep termination`, c.startNs, c.sweepTermNs, gc));
  events.push(slice(TRACE_GC_TID, 'gc', `GC ${c.seq} mark`, markStartNs, c.markNs, markArgs));
  if (c.markTermNs > 0)
    events.push(slice(TRACE_GC_TID, 'gc', `GC ${c.seq} mark termination`, markEndNs, c.markTermNs, gc));
  c.pauses.forEach((p, index) =>
    events.push(
      slice(TRACE_STW_TID, 'stw', `GC ${c.seq} pause`, p.startNs, p.durationNs, {
        ...gc,
        index,
        durationNs: p.durationNs,
      }),
    ),
  );
  events.push(counter('heap goal', c.startNs, c.heapGoalBytes));
  events.push(counter('heap marked', endNs, c.heapMarkedBytes));
  return events;
}

export function chromeTrace(
  session: TraceSession,
  cycles: CycleRecord[],
  samples: HeapSample[],
): ChromeTrace {
  const timed: TraceEvent[] = [
    ...cycles.flatMap(cycleEvents),
    ...samples.flatMap((s) => [
      counter('heap allocated', s.tNs, s.heapAllocBytes),
      counter('heap in use', s.tNs, s.heapInUseBytes),
    ]),
  ];
  // Array.prototype.sort is stable, so events at one instant keep their order.
  timed.sort((a, b) => a.ts - b.ts);
  return {
    traceEvents: [...metadata(session), ...timed],
    displayTimeUnit: 'ms',
    otherData: {
      heapscopeTraceVersion: CHROME_TRACE_FORMAT_VERSION,
      sessionId: session.id,
      sessionName: session.name,
      source: session.source,
      collector: session.collector ?? '',
      cycles: cycles.length,
      pauseTotalNs: cycles.reduce((sum, c) => sum + c.pauseNs, 0),
    },
  };
}

export function formatChromeTrace(
  session: TraceSession,
  cycles: CycleRecord[],
  samples: HeapSample[],
): string {
  return JSON.stringify(chromeTrace(session, cycles, samples));
}
