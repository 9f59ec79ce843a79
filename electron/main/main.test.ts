import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// The whole Electron surface main.ts touches, recorded so the wiring can be checked.
const electron = vi.hoisted(() => {
  const appHandlers = new Map<string, (...args: unknown[]) => void>();
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const windows: {
    options: unknown;
    url?: string;
    sent: unknown[];
  }[] = [];
  class BrowserWindow {
    record: (typeof windows)[number];
    webContents: unknown;
    constructor(options: unknown) {
      this.record = { options, sent: [] };
      windows.push(this.record);
      const rec = this.record;
      this.webContents = {
        send: (_ch: string, msg: unknown) => rec.sent.push(msg),
        isDestroyed: () => false,
      };
    }
    once() {}
    on() {}
    isMinimized() {
      return false;
    }
    focus() {}
    loadURL(url: string) {
      this.record.url = url;
      return Promise.resolve();
    }
  }
  return {
    appHandlers,
    readyResolve,
    windows,
    userData: '',
    app: {
      requestSingleInstanceLock: vi.fn(() => true),
      quit: vi.fn(),
      setPath: vi.fn(),
      getPath: vi.fn(() => electron.userData),
      getAppPath: vi.fn(() => electron.userData),
      setAsDefaultProtocolClient: vi.fn(),
      on: (name: string, fn: (...args: unknown[]) => void) => appHandlers.set(name, fn),
      whenReady: () => ready,
      isPackaged: true,
    },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
        webRequest: { onBeforeRequest: vi.fn() },
      },
    },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    dialog: {},
    shell: { openExternal: vi.fn() },
    BrowserWindow,
  };
});

vi.mock('electron', () => ({
  app: electron.app,
  protocol: electron.protocol,
  session: electron.session,
  ipcMain: electron.ipcMain,
  dialog: electron.dialog,
  shell: electron.shell,
  BrowserWindow: electron.BrowserWindow,
}));

describe('main process wiring', () => {
  it('locks to one instance, registers the schemes, guards contents and opens one hardened window', async () => {
    electron.userData = mkdtempSync(path.join(tmpdir(), 'ss-main-'));
    await import('./main.js');
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app' }),
    ]);
    expect(electron.app.setAsDefaultProtocolClient.mock.calls[0]![0]).toBe('sessionscope');
    expect(electron.appHandlers.has('web-contents-created')).toBe(true);

    electron.readyResolve();
    await vi.waitFor(() => expect(electron.windows).toHaveLength(1));
    const win = electron.windows[0]!;
    expect(win.url).toBe('app://sessionscope/index.html');
    expect((win.options as { webPreferences: object }).webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    expect(electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(electron.session.defaultSession.webRequest.onBeforeRequest).toHaveBeenCalled();
    expect(electron.ipcMain.handle).toHaveBeenCalledWith(
      'sessionscope:call:getAppInfo',
      expect.any(Function),
    );

    // A link that arrives before the page listens waits for takeOpenLinks; later ones are events.
    electron.appHandlers.get('second-instance')!({}, ['electron', 'sessionscope://view/abc']);
    expect(win.sent).toEqual([]);
    const handler = electron.ipcMain.handle.mock.calls.find(
      (c) => c[0] === 'sessionscope:call:takeOpenLinks',
    )![1] as (event: unknown, input: unknown) => Promise<unknown>;
    const frame = {
      url: 'app://sessionscope/index.html',
      parent: null,
      processId: 1,
      routingId: 1,
    };
    const event = { senderFrame: frame, sender: { mainFrame: frame } };
    expect(await handler(event, undefined)).toEqual({
      ok: true,
      value: { urls: ['sessionscope://view/abc'] },
    });
    electron.appHandlers.get('second-instance')!({}, ['electron', 'sessionscope://view/def']);
    expect(win.sent).toEqual([{ event: 'openLink', payload: { url: 'sessionscope://view/def' } }]);

    // Quitting waits for the backend to dispose (jobs rolled back, case closed), then quits
    // again, and that quit is let through.
    const willQuit = (): boolean => {
      const preventDefault = vi.fn();
      electron.appHandlers.get('will-quit')!({ preventDefault });
      return preventDefault.mock.calls.length > 0;
    };
    electron.app.quit.mockClear();
    expect(willQuit()).toBe(true);
    expect(electron.app.quit).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledTimes(1));
    expect(willQuit()).toBe(false);
  });
});
