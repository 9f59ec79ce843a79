import { describe, expect, it } from 'vitest';
import { fakeHistoryWindow } from '../testing/fakeHistoryWindow';
import { deferredHashWriter, HASH_IDLE_TIMEOUT_MS } from './hashWriter';

const replace = (hash: string, data: unknown = null) => ({ kind: 'replace' as const, hash, data });
const push = (hash: string, data: unknown = null) => ({ kind: 'push' as const, hash, data });

describe('deferredHashWriter', () => {
  it('writes nothing until idle, then only the latest hash, once', () => {
    const f = fakeHistoryWindow();
    const w = deferredHashWriter(f.win);
    w.write(replace('#v=a'));
    w.write(replace('#v=b'));
    w.write(replace('#v=c'));
    expect(f.writes).toEqual([]);
    expect(f.idle).toHaveLength(1);
    expect(f.idle[0]!.timeout).toBe(HASH_IDLE_TIMEOUT_MS);
    f.idle[0]!.cb();
    expect(f.writes).toEqual(['replace #v=c']);
    // A later change schedules a new idle write.
    w.write(replace('#v=d'));
    expect(f.idle).toHaveLength(2);
    f.idle[1]!.cb();
    expect(f.writes).toEqual(['replace #v=c', 'replace #v=d']);
  });

  it('skips a replace the entry already shows, and writes one whose kept data changed', () => {
    const f = fakeHistoryWindow({ hash: '#v=same', data: { n: 1 } });
    const w = deferredHashWriter(f.win);
    w.write(replace('#v=same', { n: 1 }));
    f.idle[0]!.cb();
    expect(f.writes).toEqual([]);
    w.write(replace('#v=same', { n: 2 }));
    f.idle[1]!.cb();
    expect(f.writes).toEqual(['replace #v=same']);
    expect(f.win.history.state).toEqual({ n: 2 });
  });

  it('keeps pushes in order with the replaces around them, each on its own entry', () => {
    const f = fakeHistoryWindow();
    const w = deferredHashWriter(f.win);
    // A filter change on the list, opening a session, a selection there, opening a request.
    w.write(replace('#list-filtered', 'list'));
    w.write(push('#session', 'session'));
    w.write(replace('#session-row-3', 'session, row 3'));
    w.write(push('#request', 'request'));
    expect(f.writes).toEqual([]);
    f.idle[0]!.cb();
    expect(f.writes).toEqual(['replace #list-filtered', 'push #session-row-3', 'push #request']);
    expect(f.entries()).toEqual([
      { hash: '#list-filtered', data: 'list' },
      { hash: '#session-row-3', data: 'session, row 3' },
      { hash: '#request', data: 'request' },
    ]);
  });

  it('writes at once on flush (before a Back), and nothing after drop (the entry was left)', () => {
    const f = fakeHistoryWindow();
    const w = deferredHashWriter(f.win);
    w.write(replace('#a'));
    w.write(push('#b'));
    w.flush();
    expect(f.writes).toEqual(['replace #a', 'push #b']);
    w.write(replace('#b2'));
    w.drop();
    f.idle[0]!.cb();
    expect(f.writes).toEqual(['replace #a', 'push #b']);
  });

  it('writes the pending hash at once when the page is left', () => {
    const f = fakeHistoryWindow();
    deferredHashWriter(f.win).write(push('#v=leaving'));
    f.pagehide();
    expect(f.writes).toEqual(['push #v=leaving']);
    // The idle callback that fires later finds nothing left to write.
    f.idle[0]!.cb();
    expect(f.writes).toEqual(['push #v=leaving']);
  });

  it('falls back to a timer where requestIdleCallback is missing', () => {
    const f = fakeHistoryWindow({ idle: false });
    deferredHashWriter(f.win).write(replace('#v=x'));
    expect(f.writes).toEqual([]);
    f.timers[0]!();
    expect(f.writes).toEqual(['replace #v=x']);
  });
});
