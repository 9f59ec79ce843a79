import { describe, expect, it, vi } from 'vitest';
import { api, events } from '../../shared/contract/api.js';
import { hardenedWebPreferences } from './createMainWindow.js';

const exposed = vi.hoisted(() => ({ name: '', value: undefined as unknown }));
const ipc = vi.hoisted(() => {
  const listeners = new Set<(e: unknown, msg: unknown) => void>();
  return {
    listeners,
    invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'answer' })),
    on: vi.fn((_ch: string, l: (e: unknown, msg: unknown) => void) => listeners.add(l)),
    removeListener: vi.fn((_ch: string, l: (e: unknown, msg: unknown) => void) =>
      listeners.delete(l),
    ),
  };
});

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (name: string, value: unknown) => {
      exposed.name = name;
      exposed.value = value;
    },
  },
  ipcRenderer: ipc,
}));

// What Electron does: the window's additionalArguments end up in the preload's process.argv.
process.argv.push(...(hardenedWebPreferences('p').additionalArguments ?? []));
await import('./preload.js');
const bridge = exposed.value as Record<string, (...args: unknown[]) => unknown>;

describe('preload', () => {
  it("exposes exactly the contract's calls plus on, as window.sessionscope", () => {
    expect(exposed.name).toBe('sessionscope');
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(api), 'on'].sort());
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(bridge).not.toHaveProperty('ipcRenderer');
    expect(bridge).not.toHaveProperty('invoke');
  });

  it('sends each call on its own channel', async () => {
    expect(await bridge.openCase!({ path: '/a' })).toEqual({ ok: true, value: 'answer' });
    expect(ipc.invoke).toHaveBeenCalledWith('sessionscope:call:openCase', { path: '/a' });
  });

  it('delivers only the event asked for, until unsubscribed; unknown events are refused', () => {
    expect(Object.keys(events)).toContain('importDone');
    const cb = vi.fn();
    const off = bridge.on!('importDone', cb) as () => void;
    for (const l of ipc.listeners) l({}, { event: 'importProgress', payload: 1 });
    for (const l of ipc.listeners) l({}, { event: 'importDone', payload: 2 });
    expect(cb.mock.calls).toEqual([[2]]);
    off();
    expect(ipc.listeners.size).toBe(0);
    expect(() => bridge.on!('anything', cb)).toThrow(/Unknown event/);
    expect(() => bridge.on!('importDone', 'not a function')).toThrow();
  });
});
