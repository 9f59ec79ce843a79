import type { BrowserWindow, BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { CALL_NAMES, EVENT_NAMES } from '../../shared/contract/api.js';
import { bridgeArguments } from '../../shared/contract/ipcChannels.js';
import { APP_ENTRY_URL } from './appProtocol.js';

/** The only web preferences any Sessionscope window gets. */
export function hardenedWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    // The preload cannot load the contract; it learns the names to expose from here.
    additionalArguments: bridgeArguments({ calls: CALL_NAMES, events: EVENT_NAMES }),
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Sessionscope',
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: hardenedWebPreferences(preloadPath),
  };
}

type WindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/** The one window factory: hardened options, shown when painted, loading the app:// entry. */
export function createMainWindow(Ctor: WindowCtor, preloadPath: string): BrowserWindow {
  const win = new Ctor(mainWindowOptions(preloadPath));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
