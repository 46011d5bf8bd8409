/**
 * The desktop shell: one window over the shared database, a single instance, a small menu,
 * and a renderer that can reach nothing but the API contract (sandboxed, context-isolated,
 * no Node integration, no navigation or new windows; its CSP is the meta tag of index.html, since
 * response headers do not apply to pages loaded from file://).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, Menu, session, type MenuItemConstructorOptions } from 'electron';
import { IPC_PREFIX } from '../api/channels';
import { createApp, type App } from '../services/app';
import { resolveDatabasePath } from '../store/location';
import { wireIpc } from './ipc';

/** better-sqlite3 rebuilt for Electron's ABI by `npm start` (scripts/start.mjs), beside the Node build. */
const ELECTRON_SQLITE_BINDING = join(__dirname, '..', 'electron-native', 'better_sqlite3.node');

const rendererIndex = join(__dirname, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;
const isAppUrl = (url: string): boolean => url.split('#')[0] === rendererUrl;

function buildMenu(window: BrowserWindow): Menu {
  const navigate = (route: string) => () => window.webContents.send(`${IPC_PREFIX}ui.navigate`, { route });
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'New run…', accelerator: 'CmdOrCtrl+N', click: navigate('#/new') },
        { label: 'Session library', accelerator: 'CmdOrCtrl+L', click: navigate('#/') },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
  ];
  return Menu.buildFromTemplate(template);
}

function createWindow(heapscope: App): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Heapscope',
    show: false,
    webPreferences: {
      preload: join(__dirname, '..', 'preload', 'index.js'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  const unwire = wireIpc(heapscope, window, isAppUrl);
  window.on('closed', unwire);
  Menu.setApplicationMenu(buildMenu(window));
  void window.loadFile(rendererIndex);
  return window;
}

/** "Profile a Go program…"'s Choose…: the native open dialog, for one executable file. */
async function pickProgram(window: BrowserWindow | null): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: 'Choose a Go program to profile',
    buttonLabel: 'Choose',
    properties: ['openFile', 'dontAddToRecent'],
  };
  const result =
    window === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(window, options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let heapscope: App | null = null;
  let window: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (window === null) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.whenReady().then(
    () => {
      session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) =>
        callback(false),
      );
      try {
        // The same database the CLI and browser mode use, so every session shows up everywhere.
        heapscope = createApp({
          dbPath: resolveDatabasePath(undefined),
          workerEntry: join(__dirname, 'run-worker.js'),
          nativeBinding: existsSync(ELECTRON_SQLITE_BINDING) ? ELECTRON_SQLITE_BINDING : undefined,
          pickProgram: () => pickProgram(window),
        });
      } catch (error) {
        dialog.showErrorBox(
          'Heapscope cannot open its database',
          error instanceof Error ? error.message : String(error),
        );
        app.quit();
        return;
      }
      window = createWindow(heapscope);
      window.on('closed', () => (window = null));
    },
    (error: unknown) => {
      dialog.showErrorBox('Heapscope failed to start', String(error));
    },
  );

  app.on('window-all-closed', () => app.quit());
  let closing = false;
  app.on('will-quit', (event) => {
    if (heapscope === null || closing) return;
    closing = true;
    event.preventDefault();
    void heapscope.close().finally(() => app.exit(0));
  });
}

main();
