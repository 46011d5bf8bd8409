import type { ApiEvent, ApiMethod, ArgsOf, PayloadOf, ResultOf } from './contract';
import { ApiCallError } from './api-error';
import { findBridge } from './bridge';
import { resolveToken, urlWithoutToken } from './token';
import type { ClientTransport, ConnectionStatus } from './transport';
import { createElectronTransport } from './transport-electron';
import { createHttpTransport } from './transport-http';

export { ApiCallError } from './api-error';
export type { ConnectionStatus } from './transport';

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function unavailableTransport(): ClientTransport {
  return {
    kind: 'none',
    call() {
      return Promise.reject(
        new ApiCallError(
          'internal',
          'No Heapscope API here: open this page from the desktop app or from the address `heapscope serve` prints.',
        ),
      );
    },
    subscribe: () => () => {},
    onConnection: () => () => {},
  };
}

/** Electron when the preload bridge is there, HTTP + WebSocket when served over http(s). */
function createTransport(): ClientTransport {
  const bridge = findBridge(window);
  if (bridge) return createElectronTransport(bridge);
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return unavailableTransport();

  const token = resolveToken(location.search, sessionStorageOrNull());
  // Keep the token out of the address bar and history; the tab keeps it in sessionStorage.
  const clean = urlWithoutToken(location.href);
  if (clean) history.replaceState(history.state, '', clean);

  return createHttpTransport({
    origin: location.origin,
    token,
    fetch: (input, init) => fetch(input, init),
    openSocket: (url) => new WebSocket(url),
    onListenerError: (error) => console.error('Heapscope event listener failed', error),
  });
}

let transport: ClientTransport | null = null;

function current(): ClientTransport {
  transport ??= createTransport();
  return transport;
}

/** The renderer's one API client; which transport carries it is decided on first use. */
export const api = {
  get kind(): ClientTransport['kind'] {
    return current().kind;
  },
  call<M extends ApiMethod>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
    return current().call(method, args);
  },
  subscribe<E extends ApiEvent>(event: E, listener: (payload: PayloadOf<E>) => void): () => void {
    return current().subscribe(event, listener);
  },
  onConnection(listener: (status: ConnectionStatus) => void): () => void {
    return current().onConnection(listener);
  },
};
