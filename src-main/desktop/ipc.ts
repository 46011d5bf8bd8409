/**
 * Wires the application API onto Electron IPC, and the desktop's save dialog beside it. Calls from
 * any frame other than the app's own page are refused; errors cross the bridge as JSON so the
 * renderer sees the same `{ code, message }` as in browser mode.
 */
import { app as electronApp, dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { API_METHODS, IPC_PREFIX } from '../api/channels';
import { ApiError } from '../api/contract';
import { SAVE_FILE_CHANNEL, type SaveFileResult } from '../api/desktop';
import { describeZodError, saveFileRequestSchema } from '../api/schemas';
import { toApiError, type App } from '../services/app';
import { saveDialogOptions, writeSavedFile } from './save-dialog';

export function wireIpc(app: App, window: BrowserWindow, isAppUrl: (url: string) => boolean): () => void {
  const fromApp = (event: IpcMainInvokeEvent): boolean =>
    event.sender === window.webContents &&
    event.senderFrame === window.webContents.mainFrame &&
    isAppUrl(event.senderFrame.url);

  for (const method of API_METHODS) {
    ipcMain.handle(IPC_PREFIX + method, async (event, args: unknown) => {
      try {
        if (!fromApp(event))
          throw new ApiError('unauthorized', 'call refused: not from the Heapscope window');
        return await app.dispatch(method, args);
      } catch (error) {
        throw new Error(JSON.stringify(toApiError(error).toBody()), { cause: error });
      }
    });
  }
  ipcMain.handle(SAVE_FILE_CHANNEL, async (event, args: unknown): Promise<SaveFileResult> => {
    try {
      if (!fromApp(event)) throw new ApiError('unauthorized', 'call refused: not from the Heapscope window');
      const parsed = saveFileRequestSchema.safeParse(args);
      if (!parsed.success)
        throw new ApiError('invalid-argument', `save file: ${describeZodError(parsed.error)}`);
      const options = saveDialogOptions(parsed.data, electronApp.getPath('downloads'));
      const chosen = await dialog.showSaveDialog(window, options);
      if (chosen.canceled || chosen.filePath === undefined || chosen.filePath === '')
        return { saved: false, path: null };
      await writeSavedFile(chosen.filePath, parsed.data);
      return { saved: true, path: chosen.filePath };
    } catch (error) {
      throw new Error(JSON.stringify(toApiError(error).toBody()), { cause: error });
    }
  });
  const unsubscribe = app.events.subscribe((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_PREFIX + event, payload);
  });
  return () => {
    unsubscribe();
    for (const method of API_METHODS) ipcMain.removeHandler(IPC_PREFIX + method);
    ipcMain.removeHandler(SAVE_FILE_CHANNEL);
  };
}
