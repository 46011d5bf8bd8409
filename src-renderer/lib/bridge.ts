import type { SaveFileRequest, SaveFileResult } from './contract';

/**
 * What the Electron preload exposes on `window.heapscope`: the API contract's methods and events
 * by name, and the native save dialog for exports; nothing else. The renderer never sees
 * ipcRenderer itself.
 */
export interface HeapscopeBridge {
  invoke(method: string, args: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Only in the desktop app; a browser has no bridge at all. */
  saveFile?(request: SaveFileRequest): Promise<SaveFileResult>;
}

declare global {
  interface Window {
    heapscope?: HeapscopeBridge;
  }
}

export function findBridge(win: Window): HeapscopeBridge | null {
  const bridge = win.heapscope;
  if (bridge && typeof bridge.invoke === 'function' && typeof bridge.on === 'function') return bridge;
  return null;
}
