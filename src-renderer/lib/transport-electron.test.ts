import { describe, expect, it, vi } from 'vitest';
import type { HeapscopeBridge } from './bridge';
import { createElectronTransport } from './transport-electron';

describe('createElectronTransport', () => {
  it('invokes the method by name with its arguments', async () => {
    const bridge: HeapscopeBridge = { invoke: vi.fn(async () => ({ deleted: true })), on: vi.fn() };

    const result = await createElectronTransport(bridge).call('sessions.delete', { id: 3 });

    expect(bridge.invoke).toHaveBeenCalledWith('sessions.delete', { id: 3 });
    expect(result).toEqual({ deleted: true });
  });

  it('rejects with the code and message the main side sent', async () => {
    const bridge: HeapscopeBridge = {
      invoke: () => Promise.reject(new Error('{"code":"conflict","message":"a run is active"}')),
      on: vi.fn(),
    };

    await expect(createElectronTransport(bridge).call('runs.active', {})).rejects.toMatchObject({
      code: 'conflict',
      message: 'a run is active',
    });
  });

  it('passes event payloads to the listener and returns the bridge unsubscribe', () => {
    let forward: ((payload: unknown) => void) | undefined;
    const off = vi.fn();
    const bridge: HeapscopeBridge = {
      invoke: vi.fn(),
      on: (_event, listener) => {
        forward = listener;
        return off;
      },
    };
    const seen: unknown[] = [];

    const unsubscribe = createElectronTransport(bridge).subscribe('sessions.changed', (p) => seen.push(p));
    forward?.({});
    unsubscribe();

    expect(seen).toEqual([{}]);
    expect(off).toHaveBeenCalledOnce();
  });
});
