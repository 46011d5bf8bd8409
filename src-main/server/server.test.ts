import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp, type App } from '../services/app';
import { useTempDir } from '../test-support/temp';
import { startServer, type RunningServer } from './server';

const tempDir = useTempDir();
let app: App;
let server: RunningServer;

interface Reply {
  status: number;
  body: string;
}

function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const call = (method: string, args: unknown, headers: Record<string, string> = {}) =>
  send(`/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-heapscope-token': server.token, ...headers },
    body: JSON.stringify(args),
  });

beforeEach(async () => {
  const dir = tempDir();
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Heapscope</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  app = createApp({ dbPath: join(dir, 'test.db') });
  server = await startServer({ app, rendererDir, port: 0, token: 'test-token' });
});

afterEach(async () => {
  await server.close();
  await app.close();
});

describe('browser-mode server', () => {
  it('binds 127.0.0.1 and prints a URL carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=test-token`);
  });

  it('answers a valid call with the result', async () => {
    const reply = await call('sessions.list', {});

    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, result: [] });
  });

  it('refuses a call without the token', async () => {
    const reply = await call('sessions.list', {}, { 'x-heapscope-token': 'wrong' });

    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body).error).toEqual({
      code: 'unauthorized',
      message: 'missing or wrong API token',
    });
  });

  it('refuses a request whose Origin is another site, even with the token', async () => {
    const reply = await call('sessions.list', {}, { origin: 'http://evil.example' });

    expect(reply.status).toBe(403);
  });

  it('refuses a request whose Host is not this server (DNS rebinding)', async () => {
    const reply = await call('sessions.list', {}, { host: `attacker.example:${server.port}` });

    expect(reply.status).toBe(403);
  });

  it('rejects malformed arguments naming the argument and what was expected', async () => {
    const reply = await call('sessions.get', { id: 'seven' });

    expect(reply.status).toBe(400);
    const { error } = JSON.parse(reply.body);
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toMatch(/^sessions\.get: id: .*number/);
  });

  it('rejects a body that is not JSON', async () => {
    const reply = await send('/api/sessions.list', {
      method: 'POST',
      headers: { 'x-heapscope-token': server.token },
      body: '{not json',
    });

    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).error.message).toMatch(/not JSON/);
  });

  it('reports an unknown method and a missing session distinctly', async () => {
    expect((await call('sessions.drop', {})).status).toBe(400);
    const missing = await call('sessions.get', { id: 99 });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error.message).toBe('session 99 does not exist');
  });

  it('serves the renderer but nothing outside its folder', async () => {
    expect((await send('/')).body).toContain('<title>Heapscope</title>');
    expect((await send('/../secret.txt')).status).toBe(404);
    expect((await send('/%2e%2e/secret.txt')).status).toBe(404);
  });

  it('answers malformed paths with 400 and keeps serving', async () => {
    expect((await send('/%ff')).status).toBe(400);
    expect((await send('/%E0%A4%A')).status).toBe(400);
    expect((await call('sessions.list', {})).status).toBe(200);
  });

  it('survives a request line that is not a URL', async () => {
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () =>
        socket.write(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`),
      );
      socket.once('data', (chunk) => {
        socket.destroy();
        resolve(chunk.toString());
      });
    });

    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await call('sessions.list', {})).status).toBe(200);
  });

  it('refuses an oversized body with 413 before reading it', async () => {
    const reply = await call('sessions.list', { padding: 'x'.repeat(2 << 20) });

    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).error.message).toMatch(/exceeds 1048576 bytes/);
  });

  it('forbids framing the app and leaking the token as a referrer', async () => {
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      request({ host: '127.0.0.1', port: server.port, path: '/' }, (res) => {
        res.resume();
        resolve(res.headers);
      })
        .on('error', reject)
        .end();
    });

    expect(headers['content-security-policy']).toBe("frame-ancestors 'none'");
    expect(headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses an event socket opened from another site, even with the token', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=test-token`, {
        origin: 'http://evil.example',
      });
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('refused'));
    });

    expect(outcome).toBe('refused');
  });

  it('accepts an event socket only with the token', async () => {
    const open = (token: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${token}`);
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('error', () => resolve('refused'));
      });

    expect(await open('wrong')).toBe('refused');
    expect(await open('test-token')).toBe('open');
  });

  it('pushes events to connected sockets', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=test-token`);
    await new Promise((resolve) => ws.on('open', resolve));
    const received = new Promise<unknown>((resolve) =>
      ws.on('message', (data: Buffer) => resolve(JSON.parse(data.toString()))),
    );

    app.events.emit('sessions.changed', {});

    expect(await received).toEqual({ event: 'sessions.changed', payload: {} });
    ws.close();
  });
});
