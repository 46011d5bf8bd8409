/**
 * The sandboxed preload: exposes exactly the API contract to the renderer as `window.heapscope`,
 * plus `saveFile` (the native save dialog for an export), and nothing of Electron itself. It must
 * stay one CommonJS file that requires only `electron`.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_PREFIX, isApiEvent, isApiMethod } from '../api/channels';
import { SAVE_FILE_CHANNEL, type SaveFileResult } from '../api/desktop';

contextBridge.exposeInMainWorld('heapscope', {
  invoke(method: unknown, args: unknown): Promise<unknown> {
    if (!isApiMethod(method)) {
      return Promise.reject(
        new Error(JSON.stringify({ code: 'invalid-argument', message: `unknown method ${String(method)}` })),
      );
    }
    return ipcRenderer.invoke(IPC_PREFIX + method, args);
  },
  on(event: unknown, listener: (payload: unknown) => void): () => void {
    if (!isApiEvent(event) || typeof listener !== 'function') return () => undefined;
    const channel = IPC_PREFIX + event;
    const wrapped = (_e: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
  // The request is checked in the main process (schemas.ts saveFileRequestSchema), not trusted here.
  saveFile(request: unknown): Promise<SaveFileResult> {
    return ipcRenderer.invoke(SAVE_FILE_CHANNEL, request) as Promise<SaveFileResult>;
  },
});
