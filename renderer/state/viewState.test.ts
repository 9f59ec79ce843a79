import { describe, expect, it } from 'vitest';
import { encodeLinkPayload } from '../../shared/links/linkCodec.js';
import {
  decodeViewState,
  encodeViewState,
  initialViewState,
  linkState,
  readEntry,
  type ViewState,
} from './viewState.js';

const CASE = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const SID = 's0123456789abcdef';
const hashOf = (state: unknown): string =>
  `#${encodeLinkPayload({ caseUuid: null, state: state as ViewState })}`;

/** Everything the app may carry along while the investigator moves around. */
const busy: ViewState = {
  view: 'start',
  filters: { statuses: ['4xx'], text: 'ログイン' },
  sessionFilters: { from: 1_700_000_000_000_000, ips: ['10.0.0.1'], text: 'admin' },
  sessionId: SID,
  requestId: 24605,
  sessionSort: { column: 'requests', dir: 'asc' },
  selected: { sessions: 4, requests: 2, attacks: 7, endpoints: 0 },
  listFilters: {},
  selectedIds: {},
};

describe('view state in the address bar', () => {
  const s: ViewState = {
    ...initialViewState(),
    view: 'session',
    sessionId: SID,
    sessionFilters: { ips: ['10.0.0.1'], from: 1_700_000_000_000_000, text: 'ログイン' },
    selected: { requests: 4 },
  };

  it('round-trips a view, including non-ASCII filter text, as a versioned payload', () => {
    const hash = encodeViewState(s);
    expect(hash).toMatch(/^#v=1&view=session&session=s0123456789abcdef&/);
    expect(decodeViewState(hash)).toEqual(s);
  });

  it('still restores the unversioned #v=<base64url JSON> hashes written before', () => {
    const legacy = `#v=${Buffer.from(JSON.stringify(s)).toString('base64url')}`;
    expect(decodeViewState(legacy)).toEqual(s);
  });

  it('leaves a link that names a case to useOpenLink, which checks the case first', () => {
    expect(decodeViewState(`#${encodeLinkPayload({ caseUuid: CASE, state: s })}`)).toBeNull();
  });

  it('refuses malformed or hostile links instead of half-applying them', () => {
    expect(decodeViewState('')).toBeNull();
    expect(decodeViewState('#v=%%%')).toBeNull();
    const bad = { ...initialViewState(), view: 'javascript:alert(1)' };
    expect(decodeViewState(hashOf(bad))).toBeNull();
    const badFilter = { ...initialViewState(), filters: { statuses: ['<script>'] } };
    expect(decodeViewState(hashOf(badFilter))).toBeNull();
    const legacyBad = `#v=${Buffer.from(JSON.stringify(bad)).toString('base64url')}`;
    expect(decodeViewState(legacyBad)).toBeNull();
  });
});

describe('what each view’s link carries', () => {
  const link = (view: ViewState['view']): ViewState => linkState({ ...busy, view });
  const bare = (view: ViewState['view']): ViewState => ({ ...initialViewState(), view });

  it('only the view for views that show no view state', () => {
    for (const view of ['start', 'import', 'rules', 'audit', 'settings'] as const) {
      expect(link(view)).toEqual(bare(view));
      expect(encodeViewState({ ...busy, view })).toBe(`#v=1&view=${view}`);
    }
  });

  it('the case-wide filters on the overview (its chart follows them), no session or request', () => {
    expect(link('overview')).toEqual({ ...bare('overview'), filters: busy.filters });
  });

  it('the sessions list’s filters, sort and selected row: no request opened earlier', () => {
    expect(link('sessions')).toEqual({
      ...bare('sessions'),
      filters: busy.filters,
      sessionSort: busy.sessionSort,
      selected: { sessions: 4 },
    });
    expect(encodeViewState({ ...busy, view: 'sessions' })).not.toMatch(/request=|session=|sf=/);
  });

  it('the sessions list’s selected session by id where it has one, not its row number', () => {
    const picked: ViewState = {
      ...busy,
      view: 'sessions',
      selectedIds: { sessions: SID, endpoints: 'e0123456789abcdef' },
    };
    expect(linkState(picked)).toEqual({
      ...bare('sessions'),
      filters: busy.filters,
      sessionSort: busy.sessionSort,
      selectedIds: { sessions: SID },
    });
    const hash = encodeViewState(picked);
    expect(decodeViewState(hash)?.selectedIds).toEqual({ sessions: SID });
    expect(encodeViewState(decodeViewState(hash)!)).toBe(hash);
  });

  it('the session, its filters and selected request: not the list behind it', () => {
    expect(link('session')).toEqual({
      ...bare('session'),
      sessionId: SID,
      sessionFilters: busy.sessionFilters,
      selected: { requests: 2 },
    });
  });

  it('a request with the text it marks: its session’s when shown in it, else the case’s', () => {
    expect(link('request')).toEqual({
      ...bare('request'),
      requestId: 24605,
      sessionId: SID,
      sessionFilters: { text: 'admin' },
    });
    expect(linkState({ ...busy, view: 'request', sessionId: null })).toEqual({
      ...bare('request'),
      requestId: 24605,
      filters: { text: 'ログイン' },
    });
    const plain = { ...initialViewState(), view: 'request' as const, requestId: 24605 };
    expect(encodeViewState(plain)).toBe('#v=1&view=request&request=24605');
  });

  it('a request opened from its session’s filters without text: neither the session nor sf', () => {
    // The page marks only the text; the rest of the session's filters it does not show.
    const noText = { ...busy, view: 'request' as const, sessionFilters: { ips: ['10.0.0.1'] } };
    expect(linkState(noText)).toEqual({ ...bare('request'), requestId: 24605 });
    expect(encodeViewState(noText)).toBe('#v=1&view=request&request=24605');
    expect(encodeViewState({ ...busy, view: 'request' })).toBe(
      `#v=1&view=request&session=${SID}&request=24605&sf=${Buffer.from('{"text":"admin"}').toString('base64url')}`,
    );
  });

  it('a list’s own selected row, left out when it is the first', () => {
    expect(link('attacks')).toEqual({ ...bare('attacks'), selected: { attacks: 7 } });
    expect(link('endpoints')).toEqual(bare('endpoints'));
  });

  it('a list view’s own filters, and its rows by id rather than by number', () => {
    const lists: ViewState = {
      ...busy,
      selected: { ...busy.selected, endpoints: 3, attackGroups: 2 },
      listFilters: {
        endpoints: { filters: { text: 'contest', levels: ['High'] } },
        attacks: { type: 'sqli' },
      },
      selectedIds: { endpoints: 'e0123456789abcdef', attackGroups: 'sqli\tGET\t/contest.php' },
    };
    expect(linkState({ ...lists, view: 'endpoints' })).toEqual({
      ...bare('endpoints'),
      listFilters: { endpoints: { filters: { text: 'contest', levels: ['High'] } } },
      selectedIds: { endpoints: 'e0123456789abcdef' },
    });
    // The findings' row has no id here (an older link's): it goes by number.
    expect(linkState({ ...lists, view: 'attacks' })).toEqual({
      ...bare('attacks'),
      listFilters: { attacks: { type: 'sqli' } },
      selected: { attacks: 7 },
      selectedIds: { attackGroups: 'sqli\tGET\t/contest.php' },
    });
    // Other views carry none of it.
    expect(linkState({ ...lists, view: 'sessions' }).listFilters).toEqual({});
    expect(linkState({ ...lists, view: 'sessions' }).selectedIds).toEqual({});
    const hash = encodeViewState({ ...lists, view: 'endpoints' });
    expect(encodeViewState(decodeViewState(hash)!)).toBe(hash);
  });

  it('is what the view restores: a link to a link is the same link', () => {
    for (const view of ['overview', 'sessions', 'session', 'request', 'attacks'] as const) {
      const hash = encodeViewState({ ...busy, view });
      expect(encodeViewState(decodeViewState(hash)!)).toBe(hash);
    }
  });
});

describe('an entry arrived at (Back, Forward, a pasted hash)', () => {
  const session: ViewState = { ...busy, view: 'session' };

  it('comes back with what the app kept with it when its hash is that view', () => {
    expect(readEntry({ hash: encodeViewState(session), kept: session })).toEqual({
      kind: 'view',
      state: session,
    });
  });

  it('knows the same view whatever order the kept filters were built in', () => {
    const built = { ...session, sessionFilters: { text: 'x', ips: ['10.0.0.1'] } };
    expect(readEntry({ hash: encodeViewState(built), kept: built })).toEqual({
      kind: 'view',
      state: { ...built, sessionFilters: { ips: ['10.0.0.1'], text: 'x' } },
    });
  });

  it('shows the hash when it was edited, whatever was kept', () => {
    const hash = '#v=1&view=request&request=24605';
    expect(readEntry({ hash, kept: session })).toEqual({
      kind: 'view',
      state: { ...initialViewState(), view: 'request', requestId: 24605 },
    });
  });

  it('hands a link naming a case to the case check, and refuses a damaged one', () => {
    const named = `#${encodeLinkPayload({ caseUuid: CASE, state: linkState(session) })}`;
    expect(readEntry({ hash: named, kept: null })).toEqual({
      kind: 'link',
      link: { caseUuid: CASE, state: linkState(session) },
    });
    const r = readEntry({ hash: '#v=1&view=request&request=-1', kept: session });
    expect(r).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/request id/) });
    expect(readEntry({ hash: '', kept: session })).toEqual({ kind: 'none' });
  });
});
