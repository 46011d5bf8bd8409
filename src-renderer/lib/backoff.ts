/**
 * Delay before the next WebSocket reconnect attempt. The server is local, so the first retry is
 * quick; doubling up to a ceiling keeps a stopped server from being hammered while still noticing
 * a restart within seconds.
 */
export const RECONNECT_FIRST_DELAY_MS = 250;
export const RECONNECT_MAX_DELAY_MS = 8_000;

export function reconnectDelayMs(attempt: number): number {
  const exponent = Math.max(0, Math.floor(attempt));
  return Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_FIRST_DELAY_MS * 2 ** Math.min(exponent, 30));
}
