import { describe, expect, it } from 'vitest';
import { deferredHashWriter, HASH_IDLE_TIMEOUT_MS, type HashWindow } from './hashWriter';

function fakeWindow(withIdle = true) {
  const idle: { cb: () => void; timeout: number }[] = [];
  const timers: (() => void)[] = [];
  const listeners: (() => void)[] = [];
  const writes: string[] = [];
  const win: HashWindow = {
    location: { hash: '' },
    history: {
      replaceState: (_d, _u, url) => {
        writes.push(url);
        win.location.hash = url;
      },
    },
    setTimeout: (cb) => timers.push(cb),
    addEventListener: (_t, cb) => listeners.push(cb),
  };
  if (withIdle) win.requestIdleCallback = (cb, opts) => idle.push({ cb, timeout: opts.timeout });
  return { win, idle, timers, listeners, writes };
}

describe('deferredHashWriter', () => {
  it('writes nothing until idle, then only the latest hash, once', () => {
    const f = fakeWindow();
    const write = deferredHashWriter(f.win);
    write('#v=a');
    write('#v=b');
    write('#v=c');
    expect(f.writes).toEqual([]);
    expect(f.idle).toHaveLength(1);
    expect(f.idle[0]!.timeout).toBe(HASH_IDLE_TIMEOUT_MS);
    f.idle[0]!.cb();
    expect(f.writes).toEqual(['#v=c']);
    // A later change schedules a new idle write.
    write('#v=d');
    expect(f.idle).toHaveLength(2);
    f.idle[1]!.cb();
    expect(f.writes).toEqual(['#v=c', '#v=d']);
  });

  it('skips the write when the address bar already shows the hash', () => {
    const f = fakeWindow();
    f.win.location.hash = '#v=same';
    deferredHashWriter(f.win)('#v=same');
    f.idle[0]!.cb();
    expect(f.writes).toEqual([]);
  });

  it('writes the pending hash at once when the page is left', () => {
    const f = fakeWindow();
    deferredHashWriter(f.win)('#v=leaving');
    expect(f.listeners).toHaveLength(1);
    f.listeners[0]!();
    expect(f.writes).toEqual(['#v=leaving']);
    // The idle callback that fires later finds nothing left to write.
    f.idle[0]!.cb();
    expect(f.writes).toEqual(['#v=leaving']);
  });

  it('falls back to a timer where requestIdleCallback is missing', () => {
    const f = fakeWindow(false);
    deferredHashWriter(f.win)('#v=x');
    expect(f.writes).toEqual([]);
    f.timers[0]!();
    expect(f.writes).toEqual(['#v=x']);
  });
});
