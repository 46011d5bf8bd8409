import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHttpTransport, eventsUrl, type SocketLike } from './transport-http';

class FakeSocket implements SocketLike {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  constructor(readonly url: string) {}
  close(): void {}
  open(): void {
    this.onopen?.({} as Event);
  }
  receive(data: unknown): void {
    this.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) } as MessageEvent);
  }
  drop(): void {
    this.onclose?.({} as CloseEvent);
  }
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function setup(fetchImpl: typeof fetch = vi.fn()) {
  const sockets: FakeSocket[] = [];
  const transport = createHttpTransport({
    origin: 'http://127.0.0.1:4321',
    token: 'tok',
    fetch: fetchImpl,
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
  });
  return { transport, sockets };
}

describe('HTTP calls', () => {
  it('POSTs the arguments as JSON with the token header and returns the result', async () => {
    const fetchImpl = vi.fn(async () => jsonResponse(200, { ok: true, result: { deleted: true } }));
    const { transport } = setup(fetchImpl);

    const result = await transport.call('sessions.delete', { id: 5 });

    expect(result).toEqual({ deleted: true });
    expect(fetchImpl).toHaveBeenCalledWith('http://127.0.0.1:4321/api/sessions.delete', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-heapscope-token': 'tok' },
      body: '{"id":5}',
    });
  });

  it('rejects with the error body the server sent', async () => {
    const { transport } = setup(async () =>
      jsonResponse(400, {
        ok: false,
        error: { code: 'invalid-argument', message: 'request.procs: too big' },
      }),
    );

    await expect(transport.call('sessions.get', { id: 1 })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: 'request.procs: too big',
    });
  });

  it('explains a refused token', async () => {
    const { transport } = setup(async () =>
      jsonResponse(401, { ok: false, error: { code: 'invalid-argument', message: 'bad token' } }),
    );

    await expect(transport.call('sessions.list', {})).rejects.toThrow(/heapscope serve/);
  });

  it('turns a reply that is not JSON into an internal error', async () => {
    const { transport } = setup(async () => new Response('<html>502</html>', { status: 502 }));

    await expect(transport.call('sessions.list', {})).rejects.toMatchObject({ code: 'internal' });
  });

  it('turns a network failure into an internal error that says what happened', async () => {
    const { transport } = setup(async () => {
      throw new TypeError('Failed to fetch');
    });

    await expect(transport.call('sessions.list', {})).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('Failed to fetch'),
    });
  });
});

describe('push events', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens the socket with the token in the URL', () => {
    expect(eventsUrl('http://127.0.0.1:4321', 'a b')).toBe('ws://127.0.0.1:4321/api/events?token=a+b');
  });

  it('delivers each event to the listeners of that event only', () => {
    const { transport, sockets } = setup();
    const progress: unknown[] = [];
    const changed: unknown[] = [];
    transport.subscribe('run.progress', (p) => progress.push(p));
    transport.subscribe('sessions.changed', (p) => changed.push(p));

    sockets[0]?.open();
    sockets[0]?.receive({
      event: 'run.progress',
      payload: { sessionId: 1, fraction: 0.5, cycles: 3, virtualNs: 9 },
    });
    sockets[0]?.receive({ event: 'nonsense', payload: {} });
    sockets[0]?.receive('not json');

    expect(sockets).toHaveLength(1);
    expect(progress).toEqual([{ sessionId: 1, fraction: 0.5, cycles: 3, virtualNs: 9 }]);
    expect(changed).toEqual([]);
  });

  it('stops delivering after unsubscribe', () => {
    const { transport, sockets } = setup();
    const seen: unknown[] = [];
    const off = transport.subscribe('sessions.changed', (p) => seen.push(p));

    off();
    sockets[0]?.receive({ event: 'sessions.changed', payload: {} });

    expect(seen).toEqual([]);
  });

  it('reconnects with growing delays and resets them once connected', () => {
    const { transport, sockets } = setup();
    const statuses: string[] = [];
    transport.onConnection((s) => statuses.push(s));
    transport.subscribe('sessions.changed', () => {});

    sockets[0]?.drop();
    vi.advanceTimersByTime(249);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);

    sockets[1]?.drop();
    vi.advanceTimersByTime(499);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);

    sockets[2]?.open();
    sockets[2]?.drop();
    vi.advanceTimersByTime(250);
    expect(sockets).toHaveLength(4);
    expect(statuses).toEqual(['connecting', 'reconnecting', 'reconnecting', 'open', 'reconnecting']);
  });

  it('keeps delivering to other listeners when one throws', () => {
    const { transport, sockets } = setup();
    const seen: unknown[] = [];
    transport.subscribe('sessions.changed', () => {
      throw new Error('boom');
    });
    transport.subscribe('sessions.changed', (p) => seen.push(p));

    sockets[0]?.receive({ event: 'sessions.changed', payload: {} });

    expect(seen).toEqual([{}]);
  });
});
