/** Messages between the run service and its worker threads. */
import type { SessionStatus } from '../api/types';
import type { SimulationConfig } from '../engine';

export interface RunWorkerData {
  dbPath: string;
  nativeBinding: string | undefined;
  sessionId: number;
  config: SimulationConfig;
}

export type ToWorker = { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; fraction: number; cycles: number; virtualNs: number }
  | { type: 'done'; status: Exclude<SessionStatus, 'recording'>; error: string | null };
