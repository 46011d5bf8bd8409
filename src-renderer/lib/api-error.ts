import type { ApiErrorBody, ApiErrorCode } from './contract';

const API_ERROR_CODES: readonly ApiErrorCode[] = ['invalid-argument', 'not-found', 'conflict', 'internal'];

/**
 * A failed API call as the views see it, whichever transport delivered it. `code` tells bad input
 * (shown next to the form) from a missing session (a "not found" page) from a bug.
 */
export class ApiCallError extends Error {
  readonly code: ApiErrorCode;

  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
  }
}

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && (API_ERROR_CODES as readonly string[]).includes(value);
}

export function asApiErrorBody(value: unknown): ApiErrorBody | null {
  if (typeof value !== 'object' || value === null) return null;
  const { code, message } = value as Record<string, unknown>;
  if (!isApiErrorCode(code) || typeof message !== 'string') return null;
  return { code, message };
}

/**
 * Electron rejects `invoke` with an Error whose message carries the JSON error body; depending on
 * the Electron version the message is prefixed ("Error invoking remote method '…': Error: {…}"),
 * so the body is looked for between the first `{` and the last `}`.
 */
export function fromBridgeRejection(reason: unknown): ApiCallError {
  if (reason instanceof ApiCallError) return reason;
  const message = reason instanceof Error ? reason.message : String(reason);
  const open = message.indexOf('{');
  const close = message.lastIndexOf('}');
  if (open !== -1 && close > open) {
    try {
      const body = asApiErrorBody(JSON.parse(message.slice(open, close + 1)));
      if (body) return new ApiCallError(body.code, body.message);
    } catch {
      // Not JSON after all: fall through and keep the raw message.
    }
  }
  return new ApiCallError('internal', message);
}

export function toApiCallError(reason: unknown): ApiCallError {
  if (reason instanceof ApiCallError) return reason;
  return new ApiCallError('internal', reason instanceof Error ? reason.message : String(reason));
}
