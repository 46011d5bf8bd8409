/**
 * The names of every API method and push event. This file has no imports so the sandboxed
 * preload can bundle it without pulling in anything else.
 */

export const API_METHODS = [
  'catalog.get',
  'sessions.list',
  'sessions.get',
  'sessions.cycles',
  'sessions.samples',
  'sessions.series',
  'sessions.timeline',
  'sessions.delete',
  'sessions.restore',
  'sessions.update',
  'sessions.snapshots',
  'sessions.snapshot',
  'sessions.export',
  'sessions.import',
  'imports.start',
  'imports.append',
  'imports.finish',
  'imports.cancel',
  'sessions.fit',
  'sessions.whatif',
  'sessions.fidelity',
  'scenarios.get',
  'scenarios.validate',
  'runs.start',
  'runs.startWhenFree',
  'runs.cancel',
  'runs.active',
  'programs.start',
  'programs.stop',
  'programs.get',
  'programs.active',
  'programs.pick',
] as const;

/** `ui.navigate` is sent by the desktop menu (e.g. New run); browser mode never sends it. */
export const API_EVENTS = ['run.progress', 'run.finished', 'sessions.changed', 'ui.navigate'] as const;

export type ApiMethod = (typeof API_METHODS)[number];
export type ApiEvent = (typeof API_EVENTS)[number];

/** Electron IPC channel names are prefixed so the main side can ignore anything else. */
export const IPC_PREFIX = 'heapscope:';

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name);
}

export function isApiEvent(name: unknown): name is ApiEvent {
  return typeof name === 'string' && (API_EVENTS as readonly string[]).includes(name);
}
