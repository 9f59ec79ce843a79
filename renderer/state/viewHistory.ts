import { z } from 'zod';
import { deferredHashWriter, type HashWindow } from './hashWriter';
import { encodeViewState, viewStateSchema, type HistoryEntry, type ViewState } from './viewState';

/**
 * The investigator's history of views. In the window it is the browser's own (Back, Forward,
 * the address bar, and Esc all move through the same entries); without one (component tests)
 * an in-memory list behaves the same way.
 */
export interface ViewHistory {
  /** The entry the app opens on. */
  readonly start: HistoryEntry;
  /**
   * `push`: the investigator went somewhere (another view, a session, a request), a new entry;
   * `replace`: a change within the view (filters, sort, selection), the same entry.
   */
  write(state: ViewState, kind: 'push' | 'replace', caseUuid?: string | null): void;
  /** One entry back, only to an entry the app made: false (and nothing) otherwise. */
  back(): boolean;
  /** Whether `back` would go somewhere; `subscribe` tells when this may have changed. */
  canGoBack(): boolean;
  subscribe(onChange: () => void): () => void;
  /** Calls `cb` with each entry the investigator arrives at: Back, Forward, a pasted hash. */
  listen(cb: (entry: HistoryEntry) => void): () => void;
}

/** What the app keeps in `history.state`: how many app entries lie behind this one, and the view. */
const entryDataSchema = z.object({
  depth: z.number().int().min(0),
  view: viewStateSchema,
  /** The case the view was of: Back to it from another case asks before showing it. */
  caseUuid: z.string().max(64).nullable().optional(),
});
type EntryData = z.infer<typeof entryDataSchema>;

/** The window members the history uses (a fake or happy-dom's in tests). */
export interface HistoryWindow extends HashWindow {
  history: HashWindow['history'] & { back(): void };
  addEventListener(type: 'pagehide' | 'popstate' | 'hashchange', cb: (e: Event) => void): void;
  removeEventListener(type: 'popstate' | 'hashchange', cb: (e: Event) => void): void;
}

/**
 * The browser's history, written through the deferred writer. Back and Forward (`popstate`) and
 * a hash typed or pasted into the address bar (`hashchange`) are reported to the listeners;
 * the app's own writes use pushState/replaceState, which fire neither, so they never come back.
 *
 * Esc goes back only over entries the app pushed (`depth` > 0, kept in the entry): never to
 * the page before the app (about:blank, another site) or out of Electron's window.
 */
export function windowViewHistory(win: HistoryWindow): ViewHistory {
  const writer = deferredHashWriter(win);
  const read = (data: unknown): EntryData | null => {
    const r = entryDataSchema.safeParse(data);
    return r.success ? r.data : null;
  };
  const startData = read(win.history.state);
  let depth = startData?.depth ?? 0;
  const listeners = new Set<(entry: HistoryEntry) => void>();
  const watchers = new Set<() => void>();
  const setDepth = (d: number): void => {
    const could = depth > 0;
    depth = d;
    if (could !== depth > 0) for (const cb of [...watchers]) cb();
  };
  // One fragment navigation fires popstate then hashchange: it is reported once.
  let popped: string | null = null;

  const arrived = (): void => {
    writer.drop();
    const data = read(win.history.state);
    setDepth(data?.depth ?? 0);
    const entry = {
      hash: win.location.hash,
      kept: data?.view ?? null,
      caseUuid: data?.caseUuid ?? null,
    };
    for (const cb of [...listeners]) cb(entry);
  };
  const onPopState = (): void => {
    popped = win.location.hash;
    arrived();
  };
  const onHashChange = (e: Event): void => {
    const to = 'newURL' in e && typeof e.newURL === 'string' ? hashOf(e.newURL) : win.location.hash;
    const seen = popped === to;
    popped = null;
    if (!seen) arrived();
  };

  return {
    start: { hash: win.location.hash, kept: startData?.view ?? null },
    write(state, kind, caseUuid = null) {
      if (kind === 'push') setDepth(depth + 1);
      const data: EntryData = { depth, view: state, caseUuid };
      writer.write({ kind, hash: encodeViewState(state), data });
    },
    back() {
      if (depth === 0) return false;
      writer.flush();
      // Until the entry arrives and says: a second Esc meanwhile stops at the app's first.
      setDepth(depth - 1);
      win.history.back();
      return true;
    },
    canGoBack: () => depth > 0,
    subscribe: (cb) => subscribeTo(watchers, cb),
    listen(cb) {
      if (listeners.size === 0) {
        win.addEventListener('popstate', onPopState);
        win.addEventListener('hashchange', onHashChange);
      }
      listeners.add(cb);
      return () => {
        listeners.delete(cb);
        if (listeners.size > 0) return;
        win.removeEventListener('popstate', onPopState);
        win.removeEventListener('hashchange', onHashChange);
      };
    },
  };
}

function hashOf(url: string): string {
  const i = url.indexOf('#');
  return i < 0 || i === url.length - 1 ? '' : url.slice(i);
}

/** Longest in-memory history; the browser keeps its own limit. */
const MAX_ENTRIES = 200;

/**
 * The same history without a window (component tests, anything with no address bar):
 * `onWrite` sees every hash written, as the address bar would.
 */
export function memoryViewHistory(
  onWrite?: (hash: string, kind: 'push' | 'replace') => void,
): ViewHistory {
  const entries: HistoryEntry[] = [];
  let at = -1;
  const listeners = new Set<(entry: HistoryEntry) => void>();
  const watchers = new Set<() => void>();
  const changed = (): void => {
    for (const cb of [...watchers]) cb();
  };
  return {
    start: { hash: '', kept: null },
    write(state, kind, caseUuid = null) {
      const entry = { hash: encodeViewState(state), kept: state, caseUuid };
      if (kind === 'replace' && at >= 0) entries[at] = entry;
      else {
        entries.splice(at + 1, entries.length, entry);
        if (entries.length > MAX_ENTRIES) entries.shift();
        at = entries.length - 1;
        changed();
      }
      onWrite?.(entry.hash, kind);
    },
    back() {
      if (at <= 0) return false;
      at -= 1;
      changed();
      const entry = entries[at]!;
      for (const cb of [...listeners]) cb(entry);
      return true;
    },
    canGoBack: () => at > 0,
    subscribe: (cb) => subscribeTo(watchers, cb),
    listen: (cb) => subscribeTo(listeners, cb),
  };
}

function subscribeTo<T>(set: Set<T>, cb: T): () => void {
  set.add(cb);
  return () => void set.delete(cb);
}
