import type { ApiTransport } from './contract';

/**
 * The state of the push-event channel. Electron IPC is always `open`; the browser's WebSocket
 * can drop and come back, and a view that missed events while it was down reloads on `open`.
 */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting';

export interface ClientTransport extends ApiTransport {
  readonly kind: 'electron' | 'browser' | 'none';
  onConnection(listener: (status: ConnectionStatus) => void): () => void;
}
