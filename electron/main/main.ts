// Electron main process: one instance, the app:// protocol, one hardened window, IPC to the
// contract's dispatch. Everything else lives in plain-Node modules.
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import { createBackend, type Backend } from '../api/backend.js';
import { demoCaptureDir, defaultUserDataDir, rendererDir } from '../api/appPaths.js';
import type { FilePurpose } from '../api/context.js';
import { defaultImportRunner } from '../api/importRunner.js';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './appProtocol.js';
import { createMainWindow } from './createMainWindow.js';
import { CASE_FILTER, openDialogOptions } from './fileDialogs.js';
import { LINK_SCHEME, LinkInbox, linkFromArgv } from './deepLinks.js';
import { forwardEvents, registerIpcHandlers } from './ipcHandlers.js';
import { nativeBindingFor } from './nativeBinding.js';
import { quitAfterDispose } from './quitAfterDispose.js';
import { safeOpenExternal } from './openExternal.js';
import { createSaveCsvChooser } from './saveCsvDialog.js';
import { blockNetwork, denyAllPermissions, guardWebContents } from './webContentsGuards.js';

const links = new LinkInbox();
let mainWindow: BrowserWindow | null = null;
let backend: Backend | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Shared with `sessionscope serve`, so both list the same recent cases.
  app.setPath('userData', defaultUserDataDir());
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  registerLinkScheme();

  app.on('second-instance', (_event, argv) => {
    const link = linkFromArgv(argv);
    if (link) links.push(link);
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    links.push(url);
  });
  const first = linkFromArgv(process.argv);
  if (first) links.push(first);

  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, (url) => {
      void safeOpenExternal(url, { shell, dialog, parent: mainWindow });
    });
  });

  app.on('window-all-closed', () => app.quit());
  // An import, rebuild or text index still running is cancelled and rolled back, and the case
  // closed, before the process ends (at most QUIT_WAIT_MS).
  quitAfterDispose(app, () => backend?.dispose());

  void app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      dialog.showErrorBox('Sessionscope could not start', (err as Error).message ?? String(err));
      app.quit();
    });
}

function registerLinkScheme(): void {
  if (process.defaultApp && process.argv.length >= 2) {
    // Running from a checkout (`electron dist/electron/main.cjs`): the OS must launch Electron
    // with our entry script for the link to reach this app.
    app.setAsDefaultProtocolClient(LINK_SCHEME, process.execPath, [path.resolve(process.argv[1]!)]);
  } else {
    app.setAsDefaultProtocolClient(LINK_SCHEME);
  }
}

function start(): void {
  const root = app.getAppPath();
  denyAllPermissions(session.defaultSession);
  blockNetwork(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir(root)));

  const nativeBinding = nativeBindingFor({
    isPackaged: app.isPackaged,
    appRoot: root,
    electronVersion: process.versions.electron ?? '',
  });
  const emitLink = (url: string): void => backend?.ctx.events.emit('openLink', { url });
  backend = createBackend({
    mode: 'electron',
    userDataDir: app.getPath('userData'),
    demoCaptureDir: demoCaptureDir(root),
    runner: defaultImportRunner(nativeBinding),
    ...(nativeBinding ? { nativeBinding } : {}),
    chooseFiles,
    chooseSavePath: createSaveCsvChooser({
      dialog,
      parent: () => mainWindow,
      defaultDir: app.getPath('downloads'),
    }),
    takeOpenLinks: () => links.attach(emitLink),
  });
  registerIpcHandlers(ipcMain, backend.ctx);

  const win = createMainWindow(BrowserWindow, path.join(__dirname, 'preload.cjs'));
  mainWindow = win;
  const stopEvents = forwardEvents(backend.ctx, win.webContents);
  win.on('closed', () => {
    stopEvents();
    links.detach();
    mainWindow = null;
  });
}

async function chooseFiles(purpose: FilePurpose): Promise<string[]> {
  if (purpose === 'createCase') {
    const r = mainWindow
      ? await dialog.showSaveDialog(mainWindow, { filters: CASE_FILTER })
      : await dialog.showSaveDialog({ filters: CASE_FILTER });
    return r.canceled || !r.filePath ? [] : [r.filePath];
  }
  const options = openDialogOptions(purpose);
  const r = mainWindow
    ? await dialog.showOpenDialog(mainWindow, options)
    : await dialog.showOpenDialog(options);
  return r.canceled ? [] : r.filePaths;
}
