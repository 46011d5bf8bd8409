import { describe, expect, it } from 'vitest';
import { RECONNECT_MAX_DELAY_MS, reconnectDelayMs } from './backoff';

describe('reconnectDelayMs', () => {
  it('doubles from a quick first retry', () => {
    expect([0, 1, 2, 3].map(reconnectDelayMs)).toEqual([250, 500, 1000, 2000]);
  });

  it('stops growing at the ceiling', () => {
    expect(reconnectDelayMs(10)).toBe(RECONNECT_MAX_DELAY_MS);
    expect(reconnectDelayMs(1000)).toBe(RECONNECT_MAX_DELAY_MS);
  });
});
