import type { HistoryWindow } from '../state/viewHistory';

type Listener = (e: Event) => void;

/**
 * A window whose session history is a list of entries, for the history writer's and the view
 * history's tests: `writes` logs each pushState/replaceState; Back is asynchronous as in a
 * browser (`settle` completes it, firing popstate and then hashchange when the hash changed);
 * `paste` is a hash typed into the address bar (a new entry without data, the same two events).
 */
export function fakeHistoryWindow(opts: { idle?: boolean; hash?: string; data?: unknown } = {}) {
  const idle: { cb: () => void; timeout: number }[] = [];
  const timers: (() => void)[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const writes: string[] = [];
  const entries: { hash: string; data: unknown }[] = [
    { hash: opts.hash ?? '', data: opts.data ?? null },
  ];
  let at = 0;
  let backs = 0;

  const fire = (type: string, e: Event): void => {
    for (const cb of [...(listeners.get(type) ?? [])]) cb(e);
  };
  const arrive = (from: string): void => {
    fire('popstate', new Event('popstate'));
    const to = entries[at]!.hash;
    if (to !== from) {
      fire('hashchange', Object.assign(new Event('hashchange'), { newURL: `http://x/${to}` }));
    }
  };

  const win: HistoryWindow = {
    location: {
      get hash() {
        return entries[at]!.hash;
      },
    },
    history: {
      get state() {
        return entries[at]!.data;
      },
      pushState: (data, _u, url) => {
        writes.push(`push ${url}`);
        entries.splice(at + 1, entries.length, { hash: url, data: structuredClone(data) });
        at += 1;
      },
      replaceState: (data, _u, url) => {
        writes.push(`replace ${url}`);
        entries[at] = { hash: url, data: structuredClone(data) };
      },
      back: () => void (backs += 1),
    },
    setTimeout: (cb) => timers.push(cb),
    addEventListener: (type: string, cb: Listener) => {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type)!.add(cb);
    },
    removeEventListener: (type: string, cb: Listener) => void listeners.get(type)?.delete(cb),
  };
  if (opts.idle !== false) {
    win.requestIdleCallback = (cb, o) => idle.push({ cb, timeout: o.timeout });
  }
  return {
    win,
    idle,
    timers,
    writes,
    entries: () => entries,
    at: () => at,
    listenerCount: (type: string) => listeners.get(type)?.size ?? 0,
    /** Runs the idle callbacks asked for so far. */
    runIdle() {
      for (const { cb } of idle.splice(0)) cb();
    },
    /** Completes the Backs asked for (never past the first entry, as leaving the page would). */
    settle() {
      for (; backs > 0; backs--) {
        if (at === 0) throw new Error('Back past the first entry: the page would be left');
        const from = entries[at]!.hash;
        at -= 1;
        arrive(from);
      }
    },
    /** The browser's Forward button. */
    forward() {
      if (at === entries.length - 1) return;
      const from = entries[at]!.hash;
      at += 1;
      arrive(from);
    },
    paste(hash: string) {
      const from = entries[at]!.hash;
      entries.splice(at + 1, entries.length, { hash, data: null });
      at += 1;
      arrive(from);
    },
    pagehide() {
      fire('pagehide', new Event('pagehide'));
    },
  };
}
