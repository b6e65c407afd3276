// The Electron main process: one window and the IPC bridge to the services, nothing else.
import { app, BrowserWindow, dialog, ipcMain, screen, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ipcChannels } from '@shared/api/ipc.ts';
import { startServices, type AppServices } from '../services/app-services.ts';
import { resolveDatabasePath } from '../storage/database-path.ts';
import { placeOnScreen, readWindowState, writeWindowState } from './window-state.ts';

/** better-sqlite3 rebuilt for Electron's ABI by `npm run electron:native` (see README). */
function electronSqliteBinding(): string | undefined {
  const path = process.env.DDRL_SQLITE_BINDING ?? join(app.getAppPath(), '.electron-native', 'better_sqlite3.node');
  return existsSync(path) ? path : undefined;
}

function databasePath(): string {
  // `--db PATH` or `--db=PATH` after `electron .`; Chromium's own switches are ignored.
  const { values } = parseArgs({ args: process.argv.slice(1), options: { db: { type: 'string' } }, strict: false, allowPositionals: true });
  // The same file as the CLI and the host use, so every tool sees the same experiments.
  return resolveDatabasePath(typeof values.db === 'string' ? values.db : undefined);
}

/** Only our own page may call the services (Electron's security checklist: validate IPC senders). */
function isAppFrame(url: string | undefined): boolean {
  if (!url) return false;
  const devServer = process.env.ELECTRON_RENDERER_URL;
  return devServer ? url.startsWith(devServer) : url.startsWith('file://');
}

const MIN_SIZE = { width: 900, height: 560 };

function createWindow(services: AppServices): void {
  // The size and place of the last window, where its display still is.
  const statePath = join(app.getPath('userData'), 'window-state.json');
  const saved = readWindowState(statePath);
  const bounds = saved
    ? placeOnScreen(
        saved.bounds,
        screen.getAllDisplays().map((d) => d.workArea),
        MIN_SIZE,
      )
    : null;
  const window = new BrowserWindow({
    ...(bounds ?? { width: 1280, height: 820 }),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    backgroundColor: '#0e1116',
    title: 'DDRL Studio',
    icon: join(app.getAppPath(), 'resources', 'icon.png'),
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  if (bounds && saved?.maximized) window.maximize();
  window.on('close', () => writeWindowState(statePath, { bounds: window.getNormalBounds(), maximized: window.isMaximized() }));
  const unsubscribe = services.events.subscribe((event) => window.webContents.send(ipcChannels.event, event));
  window.on('closed', unsubscribe);
  // Links open in the user's browser, never inside the app window.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (devServer) void window.loadURL(devServer);
  else void window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
}

app
  .whenReady()
  .then(async () => {
    const nativeBinding = electronSqliteBinding();
    const services = startServices({
      dbPath: databasePath(),
      runtime: 'electron',
      ...(nativeBinding ? { nativeBinding } : {}),
      // Runs execute in a plain Node.js (the one `npm start` runs, else `node` on PATH), where the WebGPU backend works.
      runPlace: { kind: 'process', node: process.env.DDRL_NODE ?? 'node', sourceRoot: app.getAppPath() },
    });
    // The dispatcher validates `input` against the call's schema before any service sees it.
    ipcMain.handle(ipcChannels.call, (event, call: unknown, input: unknown) => {
      if (!isAppFrame(event.senderFrame?.url)) {
        return { ok: false, error: { code: 'bad_message', message: `Calls are accepted only from the app's own pages, not ${event.senderFrame?.url}.` } };
      }
      return services.dispatch(typeof call === 'string' ? call : String(call), input);
    });
    await services.backend();
    createWindow(services);
    app.on('window-all-closed', () => {
      // An executing run stops as cancelled (resumable) rather than dying with the process.
      void services.stopRuns(5000).finally(() => {
        services.close();
        app.quit();
      });
    });
  })
  .catch((error: unknown) => {
    dialog.showErrorBox('DDRL Studio cannot start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
