// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionListItem } from '../../../shared/contract/analysisApi';
import { caseInfo, renderApp, stubLayout } from '../../testing/renderWithApi';
import { decodeViewState, initialViewState } from '../../state/viewState';

function session(i: number): SessionListItem {
  const firstUs = Date.UTC(2026, 10, 20, 9, i) * 1000;
  return {
    id: `s${i.toString(16).padStart(16, '0')}`,
    keyKind: 'cookie:JSESSIONID',
    keyValue: 'abc',
    firstSeen: '',
    lastSeen: '',
    firstUs,
    lastUs: firstUs + 60e6,
    durationMs: 60_000,
    requestCount: 10 + i,
    matchedRequests: 10 + i,
    ipCount: 2,
    firstIp: '10.0.0.1',
    userAgent: '<script>alert(1)</script>',
    hosts: ['shop.example'],
    user: i === 1 ? '<b>mallory</b>' : null,
    userCount: i === 1 ? 1 : 0,
    users: i === 1 ? ['<b>mallory</b>'] : [],
    role: null,
    flows: ['Auth'],
    outlierCount: 0,
    attackCount: i === 1 ? 3 : 0,
    matchedOutliers: 0,
    matchedAttacks: i === 1 ? 3 : 0,
    // A share of the matching requests, as the backend counts it.
    flowShares: [{ flow: 'Auth', count: 4, percent: Math.round((4 / (10 + i)) * 1000) / 10 }],
    topEndpoints: [
      { method: 'POST', template: '/login', count: 4 },
      { method: 'GET', template: '/<img src=x>', count: 3 },
    ],
    endpointCount: 5,
  };
}

describe('sessions list', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('pages by keyset, moves with j/k and opens the selected session with Enter', async () => {
    const { fake, hashes } = renderApp(
      {
        getCaseInfo: () => caseInfo(100),
        listSessions: (input) =>
          input.cursor
            ? { sessions: [session(3)], nextCursor: null }
            : {
                sessions: [session(0), session(1), session(2)],
                nextCursor: `${Date.UTC(2026, 10, 20, 9, 2) * 1000}:${session(2).id}`,
              },
      },
      { ...initialViewState(), view: 'sessions' },
    );
    await screen.findByText('<b>mallory</b>');
    // The filter bar's search is there for "/" to focus: the keys' hint says so.
    expect(screen.getByText('j/k or ↑/↓ move · Enter open · Esc back · / search')).toBeTruthy();
    // The second page arrives when the end of the first is in view (until then the fourth
    // row is the "loading more" placeholder).
    await waitFor(() => expect(screen.getAllByText(/^Auth 4 · /)).toHaveLength(4));
    expect(screen.getAllByRole('row')).toHaveLength(5);
    expect(
      fake.calls
        .filter((c) => c.name === 'listSessions')
        .map((c) => (c.input as { cursor?: string }).cursor),
    ).toEqual([undefined, `${Date.UTC(2026, 10, 20, 9, 2) * 1000}:${session(2).id}`]);
    expect(document.querySelector('b')).toBeNull();
    // Flow shares and top endpoints of the listed sessions; a template is inert text.
    expect(screen.getAllByText(/^Auth 4 · /).map((c) => c.textContent)).toEqual([
      'Auth 4 · 40%',
      'Auth 4 · 36.4%',
      'Auth 4 · 33.3%',
      'Auth 4 · 30.8%',
    ]);
    expect(screen.getAllByText('GET /<img src=x>')).toHaveLength(4);
    expect(screen.getAllByText('+3 more')).toHaveLength(4);
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('.verdict-attack')?.textContent).toBe('Attack');

    const grid = document.querySelector('[data-table-focus]') as HTMLElement;
    fireEvent.keyDown(grid, { key: 'j' });
    fireEvent.keyDown(grid, { key: 'j' });
    fireEvent.keyDown(grid, { key: 'k' });
    expect(screen.getAllByRole('row')[2]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(grid, { key: 'Enter' });
    await waitFor(() => {
      const last = decodeViewState(hashes[hashes.length - 1]!);
      expect(last).toMatchObject({ view: 'session', sessionId: session(1).id });
    });
  });

  it('keeps the list behind an opened session, hidden, and shows the same one on Esc', async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(100),
        listSessions: () => ({ sessions: [session(0), session(1)], nextCursor: null }),
        // The session page stays loading: this test is about the list behind it.
        getSession: () => new Promise<never>(() => undefined),
      },
      { ...initialViewState(), view: 'sessions' },
    );
    await screen.findByText('<b>mallory</b>');
    const list = screen.getByTestId('sessions');
    const grid = document.querySelector('[data-table-focus]') as HTMLElement;
    fireEvent.keyDown(grid, { key: 'Enter' });
    await screen.findByTestId('session-detail');
    // Still in the document, hidden, and its rows were not fetched again.
    expect(list.isConnected).toBe(true);
    expect(list.style.display).toBe('none');
    expect(screen.queryByTestId('sessions')).toBe(list);
    // Inert while hidden, and the session's search box is the page's one primary search.
    await waitFor(() => expect(list.hasAttribute('inert')).toBe(true));
    expect(document.querySelectorAll('[data-search="primary"]')).toHaveLength(1);
    // "/" reaches the open session's search box, not the hidden list's.
    fireEvent.keyDown(document.body, { key: '/' });
    const focused = document.activeElement as HTMLElement;
    expect(focused.getAttribute('data-search')).toBe('primary');
    expect(screen.getByTestId('session-detail').contains(focused)).toBe(true);
    fireEvent.keyDown(document.body, { key: 'Escape' });
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('session-detail')).toBeNull());
    expect(screen.getByTestId('sessions')).toBe(list);
    expect(list.style.display).not.toBe('none');
    expect(list.hasAttribute('inert')).toBe(false);
    expect(list.querySelector('[data-search="primary"]')).not.toBeNull();
    // The row it was opened from is still the selected one.
    expect(screen.getAllByRole('row')[1]!.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByText('<b>mallory</b>')).toBeTruthy();
    expect(fake.calls.filter((c) => c.name === 'getSession')).toHaveLength(1);
  });

  it('opens the next view at its top, scrolling only when the page was scrolled', async () => {
    renderApp(
      {
        getCaseInfo: () => caseInfo(100),
        listSessions: () => ({ sessions: [session(0), session(1)], nextCursor: null }),
        getSession: () => new Promise<never>(() => undefined),
      },
      { ...initialViewState(), view: 'sessions' },
    );
    await screen.findByText('<b>mallory</b>');
    const main = document.querySelector('main')!;
    const scrolls: unknown[] = [];
    main.scrollTo = ((opts: unknown) => void scrolls.push(opts)) as typeof main.scrollTo;
    const grid = document.querySelector('[data-table-focus]') as HTMLElement;
    fireEvent.keyDown(grid, { key: 'Enter' });
    await screen.findByTestId('session-detail');
    // Never scrolled: nothing to reset (and no layout forced to find out).
    expect(scrolls).toEqual([]);
    main.scrollTop = 400;
    fireEvent.scroll(main);
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(scrolls).toEqual([{ top: 0 }]));
  });

  it('sorts by a column header and sends the sort to the backend', async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(100),
        listSessions: () => ({ sessions: [session(0)], nextCursor: null }),
      },
      { ...initialViewState(), view: 'sessions' },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Requests' }));
    await waitFor(() =>
      expect(fake.calls.at(-1)?.input).toMatchObject({ sort: 'requests', descending: true }),
    );
    // The sessions with the most attacks first.
    fireEvent.click(
      within(screen.getByTestId('sessions')).getByRole('button', { name: 'Attacks' }),
    );
    await waitFor(() =>
      expect(fake.calls.at(-1)?.input).toMatchObject({ sort: 'attacks', descending: true }),
    );
  });

  it('adds a filter chip from the bar, validated, and removes it again', async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(100),
        listSessions: () => ({ sessions: [], nextCursor: null }),
      },
      { ...initialViewState(), view: 'sessions' },
    );
    await screen.findByText('No sessions match these filters.');
    fireEvent.change(screen.getByRole('combobox', { name: 'Add filter' }), {
      target: { value: 'statuses' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: 'Status' }), { target: { value: '5xx' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add filter' }));
    await screen.findByText('Status: 5xx');
    await waitFor(() =>
      expect(fake.calls.at(-1)?.input).toMatchObject({ filters: { statuses: ['5xx'] } }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Remove filter Status: 5xx' }));
    await waitFor(() => expect(fake.calls.at(-1)?.input).toMatchObject({ filters: {} }));
  });

  it('counts the sessions of a list longer than it loaded, part after part', async () => {
    const page = Array.from({ length: 80 }, (_, i) => session(i));
    let parts = [
      { count: 1000, nextCursor: '1700000000000000:s0123456789abcdef' },
      { count: 234, nextCursor: null },
    ];
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(100),
        listSessions: () => ({ sessions: page, nextCursor: '1:s0123456789abcdef' }),
        countSessions: () => parts.shift()!,
      },
      { ...initialViewState(), view: 'sessions' },
    );
    expect(await screen.findByText('1,234 sessions')).toBeTruthy();
    const counts = fake.calls.filter((c) => c.name === 'countSessions');
    expect(counts.map((c) => c.input)).toEqual([
      { filters: {} },
      { filters: {}, cursor: '1700000000000000:s0123456789abcdef' },
    ]);
    cleanup();
    // Where the count fails, what was loaded, and that there is more.
    parts = [];
    renderApp(
      {
        getCaseInfo: () => caseInfo(100),
        listSessions: () => ({ sessions: page, nextCursor: '1:s0123456789abcdef' }),
        countSessions: () => {
          throw new Error('no count');
        },
      },
      { ...initialViewState(), view: 'sessions' },
    );
    expect(await screen.findByText('80+')).toBeTruthy();
  });

  it('shows no count of the previous filters while the new ones load', async () => {
    const page = Array.from({ length: 80 }, (_, i) => session(i));
    renderApp(
      {
        getCaseInfo: () => caseInfo(100),
        // The list under a status filter never arrives: its rows are the unfiltered ones.
        listSessions: (input) =>
          input.filters?.statuses?.length
            ? new Promise<never>(() => undefined)
            : { sessions: page, nextCursor: '1:s0123456789abcdef' },
        countSessions: () => ({ count: 2072, nextCursor: null }),
      },
      { ...initialViewState(), view: 'sessions' },
    );
    expect(await screen.findByText('2,072 sessions')).toBeTruthy();
    const bar = within(screen.getByTestId('sessions')).getByRole('search');
    fireEvent.change(within(bar).getByRole('combobox', { name: 'Add filter' }), {
      target: { value: 'statuses' },
    });
    fireEvent.change(within(bar).getByRole('textbox', { name: 'Status' }), {
      target: { value: '500' },
    });
    fireEvent.click(within(bar).getByRole('button', { name: 'Add filter' }));
    expect(await screen.findByText('counting…')).toBeTruthy();
    expect(screen.queryByText('2,072 sessions')).toBeNull();
  });

  it('counts one session in the singular, more in the plural', async () => {
    let sessions = [session(0)];
    renderApp(
      {
        getCaseInfo: () => caseInfo(100),
        listSessions: () => ({ sessions, nextCursor: null }),
      },
      { ...initialViewState(), view: 'sessions' },
    );
    expect(await screen.findByText('1 session')).toBeTruthy();
    cleanup();
    sessions = [session(0), session(1)];
    renderApp(
      {
        getCaseInfo: () => caseInfo(100),
        listSessions: () => ({ sessions, nextCursor: null }),
      },
      { ...initialViewState(), view: 'sessions' },
    );
    expect(await screen.findByText('2 sessions')).toBeTruthy();
  });

  it('says on hover what the request and attack figures count', async () => {
    const filtered = { ...session(1), matchedRequests: 4 };
    renderApp(
      {
        getCaseInfo: () => caseInfo(100),
        listSessions: () => ({ sessions: [session(0), filtered], nextCursor: null }),
      },
      { ...initialViewState(), view: 'sessions' },
    );
    expect(await screen.findByTitle('4 of 11 requests match the filters')).toBeTruthy();
    screen.getByTitle('3 requests with attacks in the session');
    screen.getByTitle('0 requests with attacks in the session');
  });

  it("shows the attacks and outliers of the matching requests beside the session's own", async () => {
    // Under a time range, 1 of the session's 3 attacked requests and 2 of its 5 outliers match.
    const filtered = {
      ...session(1),
      matchedRequests: 4,
      matchedAttacks: 1,
      outlierCount: 5,
      matchedOutliers: 2,
    };
    renderApp(
      {
        getCaseInfo: () => caseInfo(100),
        listSessions: () => ({ sessions: [filtered], nextCursor: null }),
      },
      { ...initialViewState(), view: 'sessions' },
    );
    const attacks = await screen.findByTitle(
      "1 of the session's 3 requests with attacks match the filters",
    );
    expect(attacks.textContent).toBe('1/3');
    const outliers = screen.getByTitle("2 of the session's 5 outliers match the filters");
    expect(outliers.textContent).toBe('2/5');
    // The headers say what the figures count and that a sort goes by the session's own.
    expect(within(screen.getByRole('grid')).getByRole('button', { name: 'Attacks' }).title).toBe(
      'Requests with attacks; under filters, those that match / all. Sorts by all',
    );
  });

  it('reads the sessions again after a rebuild, whoever started it', async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(100),
        listSessions: () => ({ sessions: [session(0)], nextCursor: null }),
      },
      { ...initialViewState(), view: 'sessions' },
    );
    await screen.findByText('1 session');
    const reads = (): number => fake.calls.filter((c) => c.name === 'listSessions').length;
    expect(reads()).toBe(1);
    act(() =>
      fake.emit('rebuildDone', {
        rebuildId: 'r1',
        result: { requests: 1, endpoints: 1, sessions: 1, outliers: 0 },
        error: null,
      }),
    );
    await waitFor(() => expect(reads()).toBe(2));
  });
});

describe('a sessions link', () => {
  beforeEach(() => {
    stubLayout();
    // Room to scroll: happy-dom lays nothing out.
    Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
      configurable: true,
      get: () => 100_000,
    });
  });
  afterEach(() => {
    cleanup();
    delete (HTMLElement.prototype as { scrollHeight?: number }).scrollHeight;
  });

  // 80 sessions, then 200 more: the list as the backend pages it.
  const first = Array.from({ length: 80 }, (_, i) => session(i));
  const second = Array.from({ length: 200 }, (_, i) => session(80 + i));
  const open = (selected: Record<string, number>, selectedIds: Record<string, string>) =>
    renderApp(
      {
        getCaseInfo: () => caseInfo(100),
        listSessions: (input) =>
          input.cursor
            ? { sessions: second, nextCursor: null }
            : { sessions: first, nextCursor: '1:s0123456789abcdef' },
        countSessions: () => ({ count: 280, nextCursor: null }),
      },
      { ...initialViewState(), view: 'sessions', selected, selectedIds },
    );
  const selectedRows = (): Element[] => [
    ...screen.getByRole('grid', { name: 'Sessions' }).querySelectorAll('[aria-selected="true"]'),
  ];
  const lastState = (hashes: string[]) => decodeViewState(hashes[hashes.length - 1]!);

  it('selects its session by id wherever it now is, on a later page, and shows it', async () => {
    // Made when the session was the fourth row; in this list it is row 150.
    const { fake, hashes } = open({ sessions: 3 }, { sessions: session(150).id });
    const table = (): HTMLElement =>
      screen.getByTestId('sessions').querySelector<HTMLElement>('[data-table-focus]')!;
    await waitFor(() =>
      expect(table().getAttribute('aria-activedescendant')).toBe(`row-${session(150).id}`),
    );
    // The second page was read to find it, and the list scrolled down to it.
    expect(fake.calls.filter((c) => c.name === 'listSessions')).toHaveLength(2);
    await waitFor(() => expect(table().scrollTop).toBeGreaterThan(100 * 26));
    // The browser tells the table it scrolled (happy-dom does not): its rows are those in view.
    fireEvent.scroll(table());
    expect(selectedRows().map((r) => r.id)).toEqual([`row-${session(150).id}`]);
    expect(document.getElementById(`row-${session(3).id}`)).toBeNull();
    expect(screen.queryByTestId('selection-missing')).toBeNull();
    // The address bar keeps the session by id.
    await waitFor(() =>
      expect(lastState(hashes)?.selectedIds).toEqual({ sessions: session(150).id }),
    );
  });

  it('selects nothing and says why when its session is not in the list', async () => {
    open({ sessions: 3 }, { sessions: 's00000000000fffff' });
    expect((await screen.findByTestId('selection-missing')).textContent).toBe(
      'The session this link selected is not in this list: a rebuild may have removed it, or the filters leave it out. No row is selected.',
    );
    expect(selectedRows()).toEqual([]);
  });

  it('still selects an older link’s row by number', async () => {
    open({ sessions: 2 }, {});
    await waitFor(() => expect(selectedRows().map((r) => r.id)).toEqual([`row-${session(2).id}`]));
    expect(screen.queryByTestId('selection-missing')).toBeNull();
  });

  it('keeps a session picked here by id, and starts over on a new sort', async () => {
    const { hashes } = open({}, {});
    fireEvent.click(await screen.findByText('<b>mallory</b>'));
    await waitFor(() =>
      expect(lastState(hashes)?.selectedIds).toEqual({ sessions: session(1).id }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Requests' }));
    await waitFor(() => expect(lastState(hashes)?.sessionSort?.column).toBe('requests'));
    expect(lastState(hashes)?.selectedIds).toEqual({});
  });
});
