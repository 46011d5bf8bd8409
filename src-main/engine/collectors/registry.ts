/**
 * Every collector a session can choose, in one place: name → title, description, factory. The
 * catalog the UI shows and the check that a run names a real collector both read this table.
 */
import type { CollectorFactory, CollectorOptions } from './collector';
import { GoCollector } from './go';
import { IncrementalCollector } from './incremental';
import { MarkSweepCollector } from './mark-sweep';
import { RefcountCollector } from './refcount';

export interface CollectorRegistration {
  /** Identifier used in run configs and on the command line. */
  readonly name: string;
  readonly title: string;
  /** One paragraph for a Go developer choosing between collectors. */
  readonly description: string;
  /** The CollectorOptions this collector reads (the form shows only these). */
  readonly options: readonly (keyof CollectorOptions)[];
  readonly factory: CollectorFactory;
}

export const COLLECTORS: readonly CollectorRegistration[] = [
  {
    name: 'mark-sweep',
    title: 'Stop-the-world mark-sweep',
    description:
      'The textbook tracing collector, and what Go does with GODEBUG=gcstoptheworld=2: when the heap ' +
      'reaches the GOGC trigger, every goroutine stops; the collector marks everything reachable from ' +
      'goroutine stacks and globals, sweeps every span, returns empty spans to the page heap, and only ' +
      'then lets the program run again. Heap goal and trigger follow Go 1.19’s pacer, so the heap ' +
      'sawtooth matches Go’s; the pause is the whole mark and sweep, which is what Go’s concurrent ' +
      'collector exists to avoid.',
    options: [],
    factory: (context) => new MarkSweepCollector(context),
  },
  {
    name: 'go',
    title: 'Go’s concurrent collector',
    description:
      'What every Go program runs (Go 1.19): two short stop-the-world pauses per cycle, and the ' +
      'marking in between done while the program runs — by background workers on 25 % of GOMAXPROCS, ' +
      'by idle Ps, and by goroutines that allocate faster than marking keeps up (mark assists, paid ' +
      'in their own time). A hybrid write barrier keeps the marking correct while pointers change; ' +
      'new objects are born marked; spans are swept lazily as they are reused. The pacer starts ' +
      'each cycle early enough (its cons/mark estimate) to finish near the heap goal, which GOGC and ' +
      'GOMEMLIMIT set.',
    options: [],
    factory: (context) => new GoCollector(context),
  },
  {
    name: 'refcount',
    title: 'Reference counting',
    description:
      'What Swift and CPython do instead of tracing: every pointer store adjusts the counts of the ' +
      'object it now points to and the one it no longer does, and an object whose count drops to ' +
      'zero is freed on the spot, together with everything only it kept alive. Memory comes back ' +
      'at once and there is no mark phase, but every store pays for its count updates, dropping ' +
      'the last reference to a long list frees the whole list in that goroutine’s time, and ' +
      'garbage that points at itself — a ring, a doubly linked list, two structs holding each ' +
      'other — never reaches zero: it leaks, and each cycle reports how much. Switch on the cycle ' +
      'collector to find such garbage by trial deletion (Bacon–Rajan) in a stop-the-world pause.',
    options: ['cycleCollector'],
    factory: (context) => new RefcountCollector(context),
  },
  {
    name: 'incremental',
    title: 'Incremental mark-sweep',
    description:
      'The step between stop-the-world and Go’s concurrent collector: marking is cut into slices of ' +
      'about 100 µs, each one a short stop-the-world pause, with the program running for three times ' +
      'as long between them (marking takes a quarter of the clock). A write barrier keeps the ' +
      'program from hiding objects from the marking between slices. Dijkstra’s insertion barrier ' +
      'shades every pointer stored into the heap or a global; stacks have no barrier, so the final ' +
      'pause rescans every goroutine stack — the rescan Go 1.5–1.7 paid before the hybrid barrier. ' +
      'Yuasa’s deletion barrier shades the pointer being overwritten and preserves the heap as it ' +
      'was when the cycle began: the first pause scans every stack, the final one has nothing to ' +
      'rescan, and garbage made during the mark survives until the next cycle. New objects are born ' +
      'marked under both.',
    options: ['barrier'],
    factory: (context) => new IncrementalCollector(context),
  },
];

export function findCollector(name: string): CollectorRegistration | undefined {
  return COLLECTORS.find((collector) => collector.name === name);
}

export function collectorNames(): string[] {
  return COLLECTORS.map((collector) => collector.name);
}
