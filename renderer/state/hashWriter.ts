/** The few window members the writer uses (a fake in tests). */
export interface HashWindow {
  location: { hash: string };
  history: {
    readonly state: unknown;
    pushState(data: unknown, unused: string, url: string): void;
    replaceState(data: unknown, unused: string, url: string): void;
  };
  requestIdleCallback?: (cb: () => void, opts: { timeout: number }) => number;
  setTimeout: (cb: () => void, ms: number) => unknown;
  addEventListener(type: 'pagehide', cb: () => void): void;
}

/** Longest a view change waits for an idle moment before the address bar follows it. */
export const HASH_IDLE_TIMEOUT_MS = 500;

/**
 * One write of the address bar: a new history entry (`push`: the investigator went somewhere)
 * or the current entry changed in place (`replace`), with the data kept in the entry.
 */
export interface HashWrite {
  kind: 'push' | 'replace';
  hash: string;
  data: unknown;
}

export interface HashWriter {
  write(w: HashWrite): void;
  /** Writes what is queued now: before a Back, so the entry it leaves is the one shown. */
  flush(): void;
  /**
   * Forgets what is queued: the browser moved to another entry (Back, Forward, a pasted hash)
   * and the queue described the one it left, which can no longer be written.
   */
  drop(): void;
}

/**
 * Keeps the address bar's hash following the view, off the critical path: `replaceState` and
 * `pushState` are a synchronous round trip to the browser process (tens of milliseconds while
 * a view's data is arriving), so writes wait for the page to be idle — at most
 * HASH_IDLE_TIMEOUT_MS — and happen at once if the page is being left.
 *
 * Waiting must not lose or reorder an entry: writes are queued in order, and a replace merges
 * into the write before it (a push followed by changes within the new view is one push of the
 * latest state; a replace before a push still lands on the entry the push leaves). A replace
 * the entry already shows is skipped.
 */
export function deferredHashWriter(win: HashWindow): HashWriter {
  let queue: HashWrite[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const writes = queue;
    queue = [];
    for (const w of writes) {
      if (w.kind === 'push') win.history.pushState(w.data, '', w.hash);
      else if (win.location.hash !== w.hash || !sameData(win.history.state, w.data)) {
        win.history.replaceState(w.data, '', w.hash);
      }
    }
  };
  win.addEventListener('pagehide', flush);
  return {
    write(w) {
      const last = queue[queue.length - 1];
      if (w.kind === 'replace' && last)
        queue[queue.length - 1] = { ...last, hash: w.hash, data: w.data };
      else queue.push(w);
      if (scheduled) return;
      scheduled = true;
      if (win.requestIdleCallback)
        win.requestIdleCallback(flush, { timeout: HASH_IDLE_TIMEOUT_MS });
      else win.setTimeout(flush, 0);
    },
    flush,
    drop() {
      queue = [];
    },
  };
}

/** The data kept with an entry is small and plain (structured-cloned by the browser). */
function sameData(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
