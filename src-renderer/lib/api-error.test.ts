import { describe, expect, it } from 'vitest';
import { ApiCallError, fromBridgeRejection } from './api-error';

describe('fromBridgeRejection', () => {
  it('reads the code and message from a JSON error message', () => {
    const error = fromBridgeRejection(new Error('{"code":"not-found","message":"no session 7"}'));

    expect(error).toBeInstanceOf(ApiCallError);
    expect(error.code).toBe('not-found');
    expect(error.message).toBe('no session 7');
  });

  it('finds the JSON body behind the prefix Electron adds', () => {
    const error = fromBridgeRejection(
      new Error(
        'Error invoking remote method \'heapscope:runs.start\': Error: {"code":"invalid-argument","message":"request.procs: too big"}',
      ),
    );

    expect(error.code).toBe('invalid-argument');
    expect(error.message).toBe('request.procs: too big');
  });

  it('keeps a message that carries no error body as an internal error', () => {
    const error = fromBridgeRejection(new Error('worker exited {unexpectedly}'));

    expect(error.code).toBe('internal');
    expect(error.message).toBe('worker exited {unexpectedly}');
  });

  it('does not trust an unknown code', () => {
    expect(fromBridgeRejection(new Error('{"code":"teapot","message":"x"}')).code).toBe('internal');
  });
});
