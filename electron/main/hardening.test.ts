import { describe, expect, it, vi } from 'vitest';
import type {
  BrowserWindow,
  BrowserWindowConstructorOptions,
  Session,
  WebContents,
} from 'electron';

import { api, events } from '../../shared/contract/api.js';
import { parseBridgeArguments } from '../../shared/contract/ipcChannels.js';

vi.mock('electron', () => ({}));

const { createMainWindow, hardenedWebPreferences } = await import('./createMainWindow.js');
const { blockNetwork, denyAllPermissions, guardWebContents } =
  await import('./webContentsGuards.js');

describe('the main window', () => {
  it('is created with the hardened options only and loads the app:// entry', () => {
    let seen: BrowserWindowConstructorOptions | undefined;
    const loadURL = vi.fn(async () => undefined);
    class FakeWindow {
      constructor(options: BrowserWindowConstructorOptions) {
        seen = options;
      }
      once = vi.fn();
      loadURL = loadURL;
    }
    createMainWindow(
      FakeWindow as unknown as new (o: BrowserWindowConstructorOptions) => BrowserWindow,
      '/x/preload.cjs',
    );
    expect(seen?.webPreferences).toMatchObject({
      preload: '/x/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(loadURL).toHaveBeenCalledWith('app://sessionscope/index.html');
  });

  it('hands the preload the contract names (and only names) as arguments', () => {
    const args = hardenedWebPreferences('p').additionalArguments ?? [];
    const names = parseBridgeArguments(args);
    expect(names.calls.sort()).toEqual(Object.keys(api).sort());
    expect(names.events.sort()).toEqual(Object.keys(events).sort());
    expect(parseBridgeArguments(['--sessionscope-calls=ok,__proto__,a b,x;y']).calls).toEqual([
      'ok',
    ]);
  });

  it('never turns a protection off', () => {
    const prefs = hardenedWebPreferences('p');
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs.sandbox && prefs.contextIsolation && !prefs.nodeIntegration).toBe(true);
  });
});

function fakeContents() {
  const handlers = new Map<string, (...args: unknown[]) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (name: string, fn: (...args: unknown[]) => void) => handlers.set(name, fn),
    setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn),
  };
  return {
    contents: contents as unknown as WebContents,
    fire(name: string, ...args: unknown[]) {
      handlers.get(name)!(...args);
    },
    open: (url: string) => openHandler!({ url }),
  };
}

describe('every webContents', () => {
  it('cannot navigate away from the app, attach webviews, or open windows', () => {
    const external = vi.fn();
    const c = fakeContents();
    guardWebContents(c.contents, external);
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html']) {
      const ev = { preventDefault: vi.fn() };
      c.fire('will-navigate', ev, url);
      expect(ev.preventDefault, url).toHaveBeenCalled();
    }
    const inApp = { preventDefault: vi.fn() };
    c.fire('will-navigate', inApp, 'app://sessionscope/index.html#/x');
    expect(inApp.preventDefault).not.toHaveBeenCalled();
    const wv = { preventDefault: vi.fn() };
    c.fire('will-attach-webview', wv);
    expect(wv.preventDefault).toHaveBeenCalled();

    expect(c.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(c.open('https://example.com/a')).toEqual({ action: 'deny' });
    expect(external.mock.calls).toEqual([['https://example.com/a']]);
  });

  it('gets every permission request and check refused', () => {
    let request: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    const session = {
      setPermissionRequestHandler: (fn: typeof request) => (request = fn),
      setPermissionCheckHandler: (fn: typeof check) => (check = fn),
      setDevicePermissionHandler: vi.fn(),
    };
    denyAllPermissions(session as unknown as Session);
    const cb = vi.fn();
    request!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(check!()).toBe(false);
  });

  it('cancels every web request of the session', () => {
    let filter: { urls: string[] } | undefined;
    let listener: ((d: unknown, cb: (r: { cancel: boolean }) => void) => void) | undefined;
    blockNetwork({
      webRequest: {
        onBeforeRequest: (f: typeof filter, l: typeof listener) => {
          filter = f;
          listener = l;
        },
      },
    } as unknown as Session);
    expect(filter!.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*']));
    const cb = vi.fn();
    listener!({ url: 'https://tracker.example/x.png' }, cb);
    expect(cb).toHaveBeenCalledWith({ cancel: true });
  });
});
