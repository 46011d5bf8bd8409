import { TOKEN_QUERY } from './contract';

export const TOKEN_STORAGE_KEY = 'heapscope.token';

type TokenStorage = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * The per-launch token arrives once in `?token=` (the URL `heapscope serve` prints) and is kept in
 * sessionStorage so a reload of the tab stays signed in. A token in the URL wins over a stored
 * one: it belongs to the server that just printed it.
 */
export function resolveToken(search: string, storage: TokenStorage | null): string | null {
  const fromUrl = new URLSearchParams(search).get(TOKEN_QUERY);
  if (fromUrl) {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage disabled: the token still works for this page load.
    }
    return fromUrl;
  }
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** The same URL without the token query parameter, or null when there is none to strip. */
export function urlWithoutToken(href: string): string | null {
  const url = new URL(href);
  if (!url.searchParams.has(TOKEN_QUERY)) return null;
  url.searchParams.delete(TOKEN_QUERY);
  return url.toString();
}
