import {
  API_PATH_PREFIX,
  EVENTS_PATH,
  isApiEvent,
  TOKEN_HEADER,
  TOKEN_QUERY,
  type ApiEvent,
  type ApiMethod,
  type ArgsOf,
  type PayloadOf,
  type ResultOf,
} from './contract';
import { ApiCallError, asApiErrorBody } from './api-error';
import { reconnectDelayMs } from './backoff';
import type { ClientTransport, ConnectionStatus } from './transport';

/** The part of the WebSocket API the transport uses, so tests can hand in a fake. */
export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

export interface HttpTransportOptions {
  /** `http://127.0.0.1:PORT`: the page's own origin in browser mode. */
  origin: string;
  token: string | null;
  fetch: typeof fetch;
  openSocket: (url: string) => SocketLike;
  /** Reports a listener that threw; one bad listener must not starve the others. */
  onListenerError?: (error: unknown) => void;
}

type Listener = (payload: unknown) => void;

export function eventsUrl(origin: string, token: string | null): string {
  const url = new URL(EVENTS_PATH, origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (token) url.searchParams.set(TOKEN_QUERY, token);
  return url.toString();
}

async function readReply(method: string, response: Response): Promise<unknown> {
  let reply: unknown;
  try {
    reply = await response.json();
  } catch {
    throw new ApiCallError('internal', `${method}: the server replied HTTP ${response.status} without JSON`);
  }
  if (typeof reply === 'object' && reply !== null) {
    const { ok, result, error } = reply as Record<string, unknown>;
    if (ok === true && response.ok) return result;
    const body = asApiErrorBody(error);
    if (ok === false && body) {
      if (response.status === 401 || response.status === 403) {
        throw new ApiCallError(
          body.code,
          `The Heapscope server refused this page (${body.message}). Open the address printed by ` +
            '`heapscope serve`: it carries the access token.',
        );
      }
      throw new ApiCallError(body.code, body.message);
    }
  }
  throw new ApiCallError('internal', `${method}: unexpected reply from the server (HTTP ${response.status})`);
}

/**
 * Browser mode: one POST per call, and one WebSocket for every push event, opened on the first
 * subscription and reopened with back-off whenever it drops.
 */
export function createHttpTransport(options: HttpTransportOptions): ClientTransport {
  const listeners = new Map<ApiEvent, Set<Listener>>();
  const connectionListeners = new Set<(status: ConnectionStatus) => void>();
  let socket: SocketLike | null = null;
  let status: ConnectionStatus = 'connecting';
  let attempt = 0;
  let started = false;

  function setStatus(next: ConnectionStatus): void {
    status = next;
    for (const listener of connectionListeners) listener(next);
  }

  function dispatch(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { event, payload } = message as Record<string, unknown>;
    if (!isApiEvent(event)) return;
    for (const listener of listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        options.onListenerError?.(error);
      }
    }
  }

  function connect(): void {
    const current = options.openSocket(eventsUrl(options.origin, options.token));
    socket = current;
    current.onopen = () => {
      attempt = 0;
      setStatus('open');
    };
    current.onmessage = (event) => dispatch(event.data);
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      setStatus('reconnecting');
      setTimeout(connect, reconnectDelayMs(attempt++));
    };
  }

  function ensureStarted(): void {
    if (started) return;
    started = true;
    connect();
  }

  return {
    kind: 'browser',
    async call<M extends ApiMethod>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.token) headers[TOKEN_HEADER] = options.token;
      let response: Response;
      try {
        response = await options.fetch(new URL(API_PATH_PREFIX + method, options.origin).toString(), {
          method: 'POST',
          headers,
          body: JSON.stringify(args ?? {}),
        });
      } catch (reason) {
        const detail = reason instanceof Error ? reason.message : String(reason);
        throw new ApiCallError(
          'internal',
          `Cannot reach the Heapscope server (${detail}). Is it still running?`,
        );
      }
      return (await readReply(method, response)) as ResultOf<M>;
    },
    subscribe<E extends ApiEvent>(event: E, listener: (payload: PayloadOf<E>) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const wrapped: Listener = (payload) => listener(payload as PayloadOf<E>);
      set.add(wrapped);
      ensureStarted();
      return () => {
        set.delete(wrapped);
      };
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      ensureStarted();
      listener(status);
      return () => {
        connectionListeners.delete(listener);
      };
    },
  };
}
