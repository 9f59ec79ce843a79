import { describe, expect, it } from 'vitest';
import { fakeHistoryWindow } from '../testing/fakeHistoryWindow';
import { memoryViewHistory, windowViewHistory, type ViewHistory } from './viewHistory';
import { encodeViewState, initialViewState, type HistoryEntry, type ViewState } from './viewState';

const SID = 's0123456789abcdef';
const overview: ViewState = { ...initialViewState(), view: 'overview' };
const sessions: ViewState = { ...overview, view: 'sessions', filters: { ips: ['10.0.0.1'] } };
const session: ViewState = { ...sessions, view: 'session', sessionId: SID };
const request: ViewState = { ...session, view: 'request', requestId: 42 };

function arrivals(history: ViewHistory): HistoryEntry[] {
  const seen: HistoryEntry[] = [];
  history.listen((e) => seen.push(e));
  return seen;
}

describe('the window’s history', () => {
  it('adds an entry for each place gone to, keeping the whole state with its link', () => {
    const f = fakeHistoryWindow();
    const h = windowViewHistory(f.win);
    h.write(overview, 'replace');
    h.write(sessions, 'push');
    h.write({ ...sessions, selected: { sessions: 3 } }, 'replace');
    h.write(session, 'push');
    expect(f.writes).toEqual([]);
    f.runIdle();
    expect(f.entries()).toEqual([
      { hash: '#v=1&view=overview', data: { depth: 0, view: overview, caseUuid: null } },
      {
        hash: encodeViewState({ ...sessions, selected: { sessions: 3 } }),
        data: { depth: 1, view: { ...sessions, selected: { sessions: 3 } }, caseUuid: null },
      },
      // The session's link leaves the list's filters out; the entry keeps them for Back.
      {
        hash: `#v=1&view=session&session=${SID}`,
        data: { depth: 2, view: session, caseUuid: null },
      },
    ]);
  });

  it('goes back only over the app’s own entries, the pending ones written first', () => {
    const f = fakeHistoryWindow();
    const h = windowViewHistory(f.win);
    const seen = arrivals(h);
    h.write(sessions, 'replace');
    expect(h.back()).toBe(false);
    h.write(session, 'push');
    h.write(request, 'push');
    expect(h.canGoBack()).toBe(true);
    // Not idle yet: Back writes the two pushes before it leaves the request.
    expect(h.back()).toBe(true);
    expect(f.writes).toEqual([
      `replace ${encodeViewState(sessions)}`,
      expect.any(String),
      expect.any(String),
    ]);
    expect(h.back()).toBe(true);
    // A third Esc before the browser got there would leave the app: it does nothing.
    expect(h.back()).toBe(false);
    f.settle();
    expect(f.at()).toBe(0);
    // One entry per arrival, though each fired popstate and hashchange.
    expect(seen.map((e) => e.hash)).toEqual([encodeViewState(session), encodeViewState(sessions)]);
    expect(seen[1]!.kept).toEqual(sessions);
    expect(h.canGoBack()).toBe(false);
  });

  it('reports a pasted hash (no data kept) once, and drops writes meant for the entry left', () => {
    const f = fakeHistoryWindow();
    const h = windowViewHistory(f.win);
    const seen = arrivals(h);
    h.write(overview, 'replace');
    f.runIdle();
    h.write({ ...overview, filters: { ips: ['10.0.0.9'] } }, 'replace');
    f.paste('#v=1&view=request&request=24605');
    expect(seen).toEqual([{ hash: '#v=1&view=request&request=24605', kept: null, caseUuid: null }]);
    f.runIdle();
    expect(f.entries()[0]).toEqual({
      hash: '#v=1&view=overview',
      data: { depth: 0, view: overview, caseUuid: null },
    });
    // Esc never goes back past a pasted entry: the page before it may not be the app.
    expect(h.canGoBack()).toBe(false);
  });

  it('starts on the entry it is given, depth included (a reload keeps history.state)', () => {
    const f = fakeHistoryWindow({
      hash: encodeViewState(session),
      data: { depth: 2, view: session },
    });
    const h = windowViewHistory(f.win);
    expect(h.start).toEqual({ hash: encodeViewState(session), kept: session });
    expect(h.canGoBack()).toBe(true);
    // Data that is not the app's is ignored, never trusted.
    const other = fakeHistoryWindow({ hash: '#x', data: { depth: -1, view: { view: 'nope' } } });
    expect(windowViewHistory(other.win).start).toEqual({ hash: '#x', kept: null });
    expect(windowViewHistory(other.win).canGoBack()).toBe(false);
  });

  it('listens to the window only while someone listens to it', () => {
    const f = fakeHistoryWindow();
    const h = windowViewHistory(f.win);
    const off = h.listen(() => undefined);
    const off2 = h.listen(() => undefined);
    expect([f.listenerCount('popstate'), f.listenerCount('hashchange')]).toEqual([1, 1]);
    off();
    off2();
    expect([f.listenerCount('popstate'), f.listenerCount('hashchange')]).toEqual([0, 0]);
  });

  it('tells subscribers when Back becomes possible or impossible', () => {
    const f = fakeHistoryWindow();
    const h = windowViewHistory(f.win);
    let changes = 0;
    h.subscribe(() => changes++);
    h.write(overview, 'replace');
    h.write(sessions, 'push');
    h.write(session, 'push');
    expect(changes).toBe(1);
    h.back();
    h.back();
    expect(changes).toBe(2);
  });
});

describe('the in-memory history', () => {
  it('behaves as the window’s: entries for places, Back over them, never past the first', () => {
    const hashes: string[] = [];
    const h = memoryViewHistory((hash, kind) => hashes.push(`${kind} ${hash}`));
    const seen = arrivals(h);
    h.write(overview, 'replace');
    h.write(sessions, 'push');
    h.write(session, 'push');
    expect(hashes).toEqual([
      'replace #v=1&view=overview',
      `push ${encodeViewState(sessions)}`,
      `push ${encodeViewState(session)}`,
    ]);
    expect(h.back()).toBe(true);
    expect(h.back()).toBe(true);
    expect(h.back()).toBe(false);
    expect(seen.map((e) => e.kept)).toEqual([sessions, overview]);
    // Going somewhere from there drops the entries ahead, as a browser does.
    h.write(request, 'push');
    h.back();
    expect(seen.at(-1)!.kept).toEqual(overview);
  });
});
