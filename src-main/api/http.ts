/**
 * The browser-mode wire protocol, shared by the server and the renderer's HTTP transport.
 *
 * - A method is `POST /api/<method>` with the JSON arguments as the body and the per-launch token in
 *   the TOKEN_HEADER header; the reply is an `HttpReply` (HTTP 200 for results, 4xx/5xx for errors).
 * - Push events arrive on the WebSocket at EVENTS_PATH (`?token=` in the URL, since browsers cannot set
 *   headers on a WebSocket) as `EventMessage` JSON texts.
 * - The app page is opened as `http://127.0.0.1:PORT/?token=TOKEN`; the renderer keeps the token in
 *   sessionStorage so a reload stays signed in.
 */
import type { ApiEvent } from './channels';
import type { ApiErrorBody } from './contract';

export const API_PATH_PREFIX = '/api/';
export const EVENTS_PATH = '/api/events';
export const TOKEN_HEADER = 'x-heapscope-token';
export const TOKEN_QUERY = 'token';

export type HttpReply<T> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };

export interface EventMessage {
  event: ApiEvent;
  payload: unknown;
}
