import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { api } from '../../shared/contract/api.js';
import { createBackend } from '../api/backend.js';
import { inProcessRunner } from '../api/importRunner.js';

vi.mock('electron', () => ({}));
const { handleIpcCall, registerIpcHandlers } = await import('./ipcHandlers.js');

const dir = mkdtempSync(path.join(tmpdir(), 'ss-ipc-'));
const backend = createBackend({
  mode: 'electron',
  userDataDir: dir,
  demoCaptureDir: dir,
  runner: inProcessRunner,
});
afterAll(async () => {
  await backend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

let nextId = 1;
function frame(url: string, parent: unknown = null) {
  return { url, parent, processId: 7, routingId: nextId++ };
}
function eventFrom(f: ReturnType<typeof frame> | null, main = f) {
  return { senderFrame: f, sender: { mainFrame: main } } as never;
}
const trusted = (): never => eventFrom(frame('app://sessionscope/index.html'));
const CH = 'sessionscope:call:';

describe('IPC handlers', () => {
  it('register one channel per contract call', () => {
    const handle = vi.fn();
    registerIpcHandlers({ handle, removeHandler: vi.fn() }, backend.ctx);
    expect(handle.mock.calls.map((c) => c[0]).sort()).toEqual(
      Object.keys(api)
        .map((n) => CH + n)
        .sort(),
    );
  });

  it('answer a trusted main frame of the app', async () => {
    const r = await handleIpcCall(CH + 'getAppInfo', trusted(), undefined, backend.ctx);
    expect(r).toMatchObject({ ok: true, value: { mode: 'electron' } });
  });

  it('refuse unknown senders: other origins, subframes, no frame', async () => {
    const main = frame('app://sessionscope/index.html');
    const senders = [
      eventFrom(frame('https://evil.example/')),
      eventFrom(frame('file:///tmp/x.html')),
      eventFrom(frame('app://other/index.html')),
      eventFrom(frame('app://sessionscope/index.html', main), main),
      eventFrom(frame('app://sessionscope/index.html'), frame('app://sessionscope/index.html')),
      eventFrom(null),
    ];
    for (const ev of senders) {
      const r = await handleIpcCall(CH + 'getAppInfo', ev, undefined, backend.ctx);
      expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
  });

  it('refuse channels that are not ours and malformed input', async () => {
    for (const ch of ['other:getAppInfo', CH + 'nope', CH + '__proto__', CH]) {
      const r = await handleIpcCall(ch, trusted(), undefined, backend.ctx);
      expect(r, ch).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
    for (const input of [{ path: 1 }, 'x', { path: '/a', more: 1 }, { path: 'a\0b' }]) {
      const r = await handleIpcCall(CH + 'openCase', trusted(), input, backend.ctx);
      expect(r, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    }
  });
});
