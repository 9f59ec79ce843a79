/** The few window members the writer uses (a fake in tests). */
export interface HashWindow {
  location: { hash: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  requestIdleCallback?: (cb: () => void, opts: { timeout: number }) => number;
  setTimeout: (cb: () => void, ms: number) => unknown;
  addEventListener(type: 'pagehide', cb: () => void): void;
}

/** Longest a view change waits for an idle moment before the address bar follows it. */
export const HASH_IDLE_TIMEOUT_MS = 500;

/**
 * Keeps the address bar's hash following the view, off the critical path: `replaceState` is
 * a synchronous round trip to the browser process (tens of milliseconds while a view's data
 * is arriving), so the latest hash is written once the page is idle — coalesced, at most
 * HASH_IDLE_TIMEOUT_MS late — and at once if the page is being left.
 */
export function deferredHashWriter(win: HashWindow): (hash: string) => void {
  let pending: string | null = null;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const hash = pending;
    pending = null;
    if (hash !== null && win.location.hash !== hash) win.history.replaceState(null, '', hash);
  };
  win.addEventListener('pagehide', flush);
  return (hash) => {
    pending = hash;
    if (scheduled) return;
    scheduled = true;
    if (win.requestIdleCallback) win.requestIdleCallback(flush, { timeout: HASH_IDLE_TIMEOUT_MS });
    else win.setTimeout(flush, 0);
  };
}
