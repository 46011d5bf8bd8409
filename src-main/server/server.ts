/**
 * Browser mode: the application API over HTTP + WebSocket, and the built renderer as static files.
 *
 * Only this machine can reach it (bound to 127.0.0.1). A page elsewhere cannot use it either:
 * every API request needs the per-launch token, and the Host and Origin headers must name this
 * server, which defeats DNS rebinding and cross-site requests.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError } from '../api/contract';
import { IMPORT_CHUNK_MAX_CHARS, IMPORT_TEXT_MAX_BYTES } from '../api/limits';
import {
  API_PATH_PREFIX,
  EVENTS_PATH,
  TOKEN_HEADER,
  TOKEN_QUERY,
  type EventMessage,
  type HttpReply,
} from '../api/http';
import { toApiError, type App } from '../services/app';

export interface ServerOptions {
  app: App;
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Fixed token (tests); a random one otherwise. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;
/** sessions.import carries a log: its text limit plus room for JSON's escapes (\n, \", \t…). */
const IMPORT_BODY_MAX_BYTES = IMPORT_TEXT_MAX_BYTES + (IMPORT_TEXT_MAX_BYTES >> 2);
/** imports.append carries a piece of a file: up to 4 UTF-8 bytes a character, plus JSON's escapes. */
const IMPORT_CHUNK_BODY_MAX_BYTES = IMPORT_CHUNK_MAX_CHARS * 5;
const HOST = '127.0.0.1';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const HTTP_STATUS: Record<ApiError['code'], number> = {
  'invalid-argument': 400,
  unauthorized: 401,
  'not-found': 404,
  conflict: 409,
  internal: 500,
};

function sameToken(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}

class BodyTooLarge extends Error {
  constructor(maxBytes: number) {
    super(`the request body exceeds ${maxBytes} bytes`);
  }
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** The request's path, or null when the request line is not a URL at all. */
function pathOf(req: IncomingMessage): string | null {
  try {
    return new URL(req.url ?? '/', `http://${HOST}`).pathname;
  } catch {
    return null;
  }
}

/** The largest body a method takes: most carry a few numbers; the import methods carry files. */
function bodyLimitOf(method: string): number {
  if (method === 'sessions.import') return IMPORT_BODY_MAX_BYTES;
  if (method === 'imports.append') return IMPORT_CHUNK_BODY_MAX_BYTES;
  return MAX_BODY_BYTES;
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
      reject(new BodyTooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new BodyTooLarge(maxBytes));
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  let port = options.port;
  const allowedHosts = (): string[] => [`${HOST}:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);

  /** Host must name this server; Origin, when a browser sends one, must be this server's. */
  const trustedRequest = (req: IncomingMessage): boolean => {
    if (!allowedHosts().includes(req.headers.host ?? '')) return false;
    const origin = req.headers.origin;
    return origin === undefined || allowedOrigins().includes(origin);
  };

  const serveStatic = (req: IncomingMessage, res: ServerResponse, pathname: string): void => {
    let relative: string;
    try {
      relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
    } catch {
      reply(res, 400, 'bad request: the path is not valid percent-encoding');
      return;
    }
    const file = normalize(join(options.rendererDir, relative));
    if (
      !file.startsWith(normalize(options.rendererDir) + sep) ||
      !existsSync(file) ||
      !statSync(file).isFile()
    ) {
      reply(res, 404, 'not found');
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
      // The page's meta CSP cannot forbid framing; the token in the URL must not leak as a referrer.
      'content-security-policy': "frame-ancestors 'none'",
      'referrer-policy': 'no-referrer',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, method: string): Promise<void> => {
    if (req.method !== 'POST') {
      sendJson(res, 405, {
        ok: false,
        error: { code: 'invalid-argument', message: 'API methods are called with POST' },
      });
      return;
    }
    if (!sameToken(req.headers[TOKEN_HEADER] as string | undefined, token)) {
      sendJson(res, 401, {
        ok: false,
        error: { code: 'unauthorized', message: 'missing or wrong API token' },
      });
      return;
    }
    try {
      const text = await readBody(req, bodyLimitOf(method));
      let args: unknown = {};
      if (text.trim() !== '') {
        try {
          args = JSON.parse(text);
        } catch {
          throw new ApiError('invalid-argument', `${method}: the request body is not JSON`);
        }
      }
      const result = await options.app.dispatch(method, args);
      sendJson(res, 200, { ok: true, result } satisfies HttpReply<unknown>);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        res.setHeader('connection', 'close');
        sendJson(res, 413, { ok: false, error: { code: 'invalid-argument', message: error.message } });
        return;
      }
      const apiError = toApiError(error);
      sendJson(res, HTTP_STATUS[apiError.code], {
        ok: false,
        error: apiError.toBody(),
      } satisfies HttpReply<unknown>);
    }
  };

  const server = createServer((req, res) => {
    if (!trustedRequest(req)) {
      reply(res, 403, 'forbidden: unexpected Host or Origin');
      return;
    }
    const pathname = pathOf(req);
    if (pathname === null) {
      reply(res, 400, 'bad request: unreadable URL');
    } else if (pathname.startsWith(API_PATH_PREFIX)) {
      void handleApi(req, res, pathname.slice(API_PATH_PREFIX.length));
    } else if (req.method === 'GET' || req.method === 'HEAD') {
      serveStatic(req, res, pathname);
    } else {
      res.writeHead(405).end();
    }
  });

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    let url: URL | null = null;
    try {
      url = new URL(req.url ?? '/', `http://${HOST}`);
    } catch {
      // refused below
    }
    if (
      url === null ||
      url.pathname !== EVENTS_PATH ||
      !trustedRequest(req) ||
      !sameToken(url.searchParams.get(TOKEN_QUERY), token)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
    });
  });
  const unsubscribe = options.app.events.subscribe((event, payload) => {
    const text = JSON.stringify({ event, payload } satisfies EventMessage);
    for (const ws of sockets) ws.send(text);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${HOST}:${port}/?${TOKEN_QUERY}=${token}`,
        port,
        token,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe();
            for (const ws of sockets) ws.terminate();
            wss.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
