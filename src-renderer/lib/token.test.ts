import { describe, expect, it } from 'vitest';
import { resolveToken, TOKEN_STORAGE_KEY, urlWithoutToken } from './token';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
  };
}

describe('resolveToken', () => {
  it('takes the token from the query and stores it for reloads', () => {
    const storage = memoryStorage();

    expect(resolveToken('?token=abc123', storage)).toBe('abc123');
    expect(storage.data.get(TOKEN_STORAGE_KEY)).toBe('abc123');
  });

  it('falls back to the stored token when the query has none', () => {
    expect(resolveToken('', memoryStorage({ [TOKEN_STORAGE_KEY]: 'kept' }))).toBe('kept');
  });

  it('prefers a fresh token in the query over a stale stored one', () => {
    expect(resolveToken('?token=new', memoryStorage({ [TOKEN_STORAGE_KEY]: 'old' }))).toBe('new');
  });

  it('is null without a token anywhere', () => {
    expect(resolveToken('?x=1', memoryStorage())).toBeNull();
  });
});

describe('urlWithoutToken', () => {
  it('drops the token and keeps the rest of the address', () => {
    expect(urlWithoutToken('http://127.0.0.1:5000/?token=abc&x=1#/sessions/2')).toBe(
      'http://127.0.0.1:5000/?x=1#/sessions/2',
    );
  });

  it('is null when there is no token to drop', () => {
    expect(urlWithoutToken('http://127.0.0.1:5000/#/')).toBeNull();
  });
});
