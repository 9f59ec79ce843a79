// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestDetail } from '../../../shared/contract/analysisApi';
import type { FakeTransport } from '../../api/client';
import { memoryViewHistory } from '../../state/viewHistory';
import { initialViewState } from '../../state/viewState';
import { endpointSummary } from '../../testing/endpointSummary';
import { requestDetail } from '../../testing/requestDetail';
import { attackItem } from '../../testing/attackItem';
import { caseInfo, renderApp, stubLayout } from '../../testing/renderWithApi';
import { sourceInfo } from '../../testing/sourceInfo';

const QUERY = `q=%3Cimg%20src%3Dx%3E&x=${'A'.repeat(3000)}`;

const REQUEST: RequestDetail = requestDetail({
  id: 9,
  path: '/search/<b>x</b>',
  query: QUERY,
  latencyMs: 10,
  respBytes: 100,
  userAgent: 'ua',
  template: '/search/{id}',
});

describe('request page heading', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('cuts a long path and query with an ellipsis, the whole line in its title, as text', async () => {
    renderApp(
      {
        getCaseInfo: () => caseInfo(10),
        getRequest: () => REQUEST,
        requestDetections: () => [],
        getEndpoint: () => new Promise<never>(() => undefined),
      },
      { ...initialViewState(), view: 'request', requestId: 9 },
    );
    const heading = await screen.findByRole('heading', { level: 1 });
    const line = `GET /search/<b>x</b>?${QUERY}`;
    expect(heading.textContent).toBe(line);
    expect(heading.title).toBe(line);
    expect(heading.classList.contains('text-clip')).toBe(true);
    expect(document.querySelector('b')).toBeNull();
  });

  it('says on hover which status class’s median a size outlier is judged by', async () => {
    renderApp(
      {
        getCaseInfo: () => caseInfo(10),
        getRequest: () => ({
          ...REQUEST,
          status: 404,
          respBytes: 23_188,
          outlier: true,
          size: { value: 23_188, median: 5_880, z: 6.6, outlier: true },
        }),
        requestDetections: () => [],
        getEndpoint: () => new Promise<never>(() => undefined),
      },
      { ...initialViewState(), view: 'request', requestId: 9 },
    );
    const bytes = await screen.findByText('23,188 ⚠');
    expect(bytes.title).toBe(
      '23,188 bytes vs median 5,880 bytes of 4xx responses on this endpoint, z 6.6',
    );
  });

  it('marks the free-text filter in the fields it searches, as text', async () => {
    renderApp(
      {
        getCaseInfo: () => caseInfo(10),
        getRequest: () => ({ ...REQUEST, userAgent: 'Mozilla <B>X</b> sqlmap/1.7', referer: null }),
        requestDetections: () => [],
        getEndpoint: () => new Promise<never>(() => undefined),
      },
      {
        ...initialViewState(),
        view: 'request',
        requestId: 9,
        // Opened from its session's requests, whose filters hold the needle.
        sessionId: REQUEST.sessionId,
        sessionFilters: { text: '<b>x' },
        filters: { text: 'elsewhere' },
      },
    );
    await screen.findByRole('heading', { level: 1 });
    // Case-insensitively, as the filter matches: in the path and the user agent, not elsewhere.
    const marked = [...document.querySelectorAll('mark.search-match')].map((m) => m.textContent);
    expect(marked).toEqual(['<b>x', '<B>X']);
    expect(document.querySelector('b')).toBeNull();
    // The marked value reads whole, as logged.
    const ua = [...document.querySelectorAll('td')].find((td) =>
      td.textContent?.startsWith('Mozilla'),
    );
    expect(ua?.textContent).toBe('Mozilla <B>X</b> sqlmap/1.7');
  });

  it("shows its endpoint's risk with the factors' names and its spec status", async () => {
    const endpoint = endpointSummary({
      host: 'shop.example',
      template: '/search/{id}',
      latencyMs: { count: 10, median: 5, p95: 9 },
      respBytes: { count: 10, median: 100, p95: 120 },
      risk: {
        score: 9,
        level: 'High',
        factors: [
          { id: 'succeeded-attack', weight: 9, detail: '2 flagged request(s) answered 2xx' },
          { id: 'bola', weight: 6, detail: 'object id in the path: {id}' },
        ],
      },
      spec: { status: 'zombie', reason: 'removed', specPath: '/search/{q}' },
    });
    renderApp(
      {
        getCaseInfo: () => caseInfo(10),
        getRequest: () => ({ ...REQUEST, endpointId: endpoint.id }),
        requestDetections: () => [],
        getEndpoint: () => endpoint,
      },
      { ...initialViewState(), view: 'request', requestId: 9 },
    );
    const risk = await screen.findByText('9 High');
    expect(risk.className).toBe('danger-text');
    const cell = risk.parentElement!;
    expect(cell.textContent).toBe('9 High · attack answered 2xx, object id in the path (BOLA)');
    expect(cell.title).toContain('attack answered 2xx (9): 2 flagged request(s) answered 2xx');
    expect(screen.getByText('zombie — removed in the newest spec')).toBeTruthy();
  });
});

describe('request page: what the log held, exactly', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);
  const show = (r: RequestDetail, view: Partial<ReturnType<typeof initialViewState>> = {}) =>
    renderApp(
      {
        getCaseInfo: () => caseInfo(10),
        getRequest: () => r,
        requestDetections: () => [],
        getEndpoint: () => new Promise<never>(() => undefined),
      },
      { ...initialViewState(), view: 'request', requestId: 9, ...view },
    );
  const field = (name: string): HTMLElement =>
    [...document.querySelectorAll<HTMLElement>('table.kv tr')]
      .find((tr) => tr.querySelector('th')?.textContent === name)!
      .querySelector('td')!;

  it('shows the latency by the app’s one rule, in the field and its hover title', async () => {
    show({
      ...REQUEST,
      latencyMs: 15.05,
      outlier: true,
      latency: { value: 15.05, median: 3.532, z: 9.1, outlier: true },
    });
    await screen.findByTestId('request-details');
    const latency = field('latency, ms');
    expect(latency.textContent).toBe('15 ⚠');
    expect(latency.querySelector('span')!.title).toBe('15 ms vs median 3.53 ms, z 9.1');
  });

  it('shows a NUL and other control characters visibly, as text, the filter’s marks in place', async () => {
    show(
      {
        ...REQUEST,
        path: '/nul\0byte/<b>x</b>',
        query: null,
        userAgent: 'curl\x1b[31m',
        headers: { 'x-evil': 'a\r\nSet-Cookie: x=1', 'x\0name': 'v' },
        reqBody: 'k=v\0&z=1\r\nnext',
      },
      { sessionId: REQUEST.sessionId, sessionFilters: { text: 'byte' } },
    );
    const heading = await screen.findByRole('heading', { level: 1 });
    expect(heading.textContent).toBe('GET /nul\\x00byte/<b>x</b>');
    expect(heading.title).toBe('GET /nul\\x00byte/<b>x</b>');
    expect(heading.querySelector('.hidden-char')?.textContent).toBe('\\x00');
    // The path field: the needle marked after the NUL, the NUL marked apart.
    const path = field('path');
    expect(path.textContent).toBe('/nul\\x00byte/<b>x</b>');
    expect(path.querySelector('mark')?.textContent).toBe('byte');
    expect(path.querySelector('.hidden-char')?.getAttribute('title')).toBe('U+0000 NUL');
    expect(field('user agent').textContent).toBe('curl\\x1B[31m');
    // A header value with a line break in it, and a header name with a NUL.
    expect(field('x-evil').textContent).toBe('a\\r\\nSet-Cookie: x=1');
    expect(field('x\\x00name').textContent).toBe('v');
    // A body keeps its lines.
    expect(screen.getByText(/^k=v/, { selector: 'pre' }).textContent).toBe('k=v\\x00&z=1\r\nnext');
    expect(document.querySelector('b')).toBeNull();
  });
});

describe('request page: long values and where the line came from', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);
  const field = (name: string): HTMLElement =>
    [...document.querySelectorAll<HTMLElement>('table.kv tr')]
      .find((tr) => tr.querySelector('th')?.textContent === name)!
      .querySelector('td')!;
  const LONG = `p=${'A'.repeat(19_998)}`;
  const show = (r: RequestDetail) =>
    renderApp(
      {
        getCaseInfo: () => ({
          ...caseInfo(10),
          sources: [sourceInfo(1, 'access\x1b.log', { path: '/var/log/nginx/access\x1b.log' })],
        }),
        getRequest: () => r,
        requestDetections: () => [],
        getEndpoint: () => new Promise<never>(() => undefined),
      },
      { ...initialViewState(), view: 'request', requestId: 9 },
    );

  it('folds a 20,000-character query to its start, with keyboard toggles that show and copy it all', async () => {
    const copied: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: (s: string) => (copied.push(s), Promise.resolve()) },
    });
    show({ ...REQUEST, query: LONG, user: 'alice', headers: { 'x-long': 'h'.repeat(5000) } });
    await screen.findByTestId('request-details');
    const query = field('query');
    expect(query.textContent!.length).toBeLessThan(400);
    expect(query.textContent).toContain(`p=${'A'.repeat(298)}…`);
    // The fields after it are right there.
    expect(field('user').textContent).toBe('alice');
    const toggle = within(query).getByRole('button', { name: 'Show all (20,000 characters)' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(
      within(query).getByRole('button', { name: 'Copy all of query (20,000 characters)' }),
    );
    await waitFor(() => expect(copied).toEqual([LONG]));
    expect(within(query).getByRole('status').textContent).toBe('Copied');
    fireEvent.click(toggle);
    expect(query.textContent).toContain(LONG);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.textContent).toBe('Show less');
    // A header value is folded the same way.
    expect(field('x-long').textContent).toContain('Show all (5,000 characters)');
  });

  it('starts another request shown in its place folded, none of its values said copied', async () => {
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: () => Promise.resolve() },
    });
    const other = `o=${'B'.repeat(19_998)}`;
    const history = memoryViewHistory();
    const at = (requestId: number) => ({
      ...initialViewState(),
      view: 'request' as const,
      requestId,
    });
    renderApp(
      {
        getCaseInfo: () => caseInfo(10),
        getRequest: ({ id }: { id: number }) => ({
          ...REQUEST,
          id,
          query: id === 9 ? LONG : other,
        }),
        requestDetections: () => [],
        getEndpoint: () => new Promise<never>(() => undefined),
      },
      at(9),
      history,
    );
    await screen.findByTestId('request-details');
    const query = () => field('query');
    fireEvent.click(
      within(query()).getByRole('button', { name: 'Copy all of query (20,000 characters)' }),
    );
    await waitFor(() => expect(within(query()).getByRole('status').textContent).toBe('Copied'));
    fireEvent.click(within(query()).getByRole('button', { name: 'Show all (20,000 characters)' }));
    expect(query().textContent).toContain(LONG);
    // Request 10 arrives in the same page (Back to it, say). Today a "Loading" render comes
    // between the two and drops the values; the values' key (request id and field) keeps this
    // so if the page ever shows one request while the next loads.
    history.write(at(10), 'push');
    history.write(at(9), 'push');
    act(() => void history.back());
    await waitFor(() => expect(query().textContent).toContain('o=BBB'));
    expect(query().textContent).not.toContain(other);
    expect(within(query()).queryByRole('status')).toBeNull();
    expect(
      within(query())
        .getByRole('button', { name: 'Show all (20,000 characters)' })
        .getAttribute('aria-expanded'),
    ).toBe('false');
  });

  it("names the source line by its file's name and line number, the path on hover", async () => {
    show({ ...REQUEST, sourceId: 1, lineNo: 1266 });
    await screen.findByTestId('request-details');
    const cell = field('Source line');
    expect(cell.textContent).toBe('access\\x1B.log, line 1266');
    expect(cell.querySelector('[title]')!.getAttribute('title')).toBe(
      '/var/log/nginx/access\\x1B.log',
    );
  });
});

describe('request page ways on', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  const ENDPOINT = 'e00000000000000c3';
  const never = () => new Promise<never>(() => undefined);
  const handlers = {
    getCaseInfo: () => caseInfo(10),
    getRequest: () => ({ ...REQUEST, endpointId: ENDPOINT }),
    requestDetections: () => [],
    getEndpoint: never,
    listSessions: () => ({ sessions: [], nextCursor: null }),
    // The session's requests, for the row it selects; the rest of its page stays loading.
    listSessionRequests: () => ({
      requests: [1, 2, 3, 4, 5].map((i) => ({ ...REQUEST, id: i, path: `/row${i}` })),
      nextCursor: null,
    }),
    getSession: never,
    requestHistogram: never,
    getSessionVerdict: never,
  };
  const sessionCall = (fake: FakeTransport) =>
    fake.calls.find((c) => c.name === 'getSession')?.input as
      { id: string; filters: unknown } | undefined;
  const opened = { ...initialViewState(), view: 'request' as const, requestId: 9 };

  it('opens its whole session from a link, keyboard reachable and named', async () => {
    const { fake } = renderApp(handlers, opened);
    const button = await screen.findByRole('button', { name: `Open session ${REQUEST.sessionId}` });
    expect(button.tagName).toBe('BUTTON');
    expect(button.textContent).toBe(REQUEST.sessionId);
    fireEvent.click(button);
    await screen.findByTestId('session-detail');
    await waitFor(() => expect(sessionCall(fake)).toMatchObject({ id: REQUEST.sessionId }));
    expect(sessionCall(fake)!.filters).toEqual({});
  });

  it('goes back to its session as it was left: its filters, the row opened selected', async () => {
    const { fake } = renderApp(handlers, {
      ...opened,
      sessionId: REQUEST.sessionId,
      sessionFilters: { statuses: ['2xx'] },
      selected: { requests: 3 },
    });
    fireEvent.click(
      await screen.findByRole('button', { name: `Open session ${REQUEST.sessionId}` }),
    );
    await screen.findByTestId('session-detail');
    await waitFor(() => expect(sessionCall(fake)?.filters).toEqual({ statuses: ['2xx'] }));
    await waitFor(() =>
      expect(document.querySelector('.vtable-row.selected')?.textContent).toContain('/row4'),
    );
  });

  it('opens the sessions that called its endpoint, in place of the filters set before', async () => {
    const { fake } = renderApp(handlers, {
      ...opened,
      filters: { ips: ['10.9.9.9'], attackTypes: ['xss'] },
    });
    fireEvent.click(
      await screen.findByRole('button', {
        name: `Sessions that called /search/{id} (${ENDPOINT})`,
      }),
    );
    await screen.findByTestId('sessions');
    await waitFor(() =>
      expect(
        (fake.calls.find((c) => c.name === 'listSessions')?.input as { filters: unknown })?.filters,
      ).toEqual({ endpoints: [ENDPOINT] }),
    );
  });

  it('goes to its session on Esc when opened from a link, with nothing to go back to', async () => {
    const { fake } = renderApp(handlers, opened);
    await screen.findByTestId('request-details');
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await screen.findByTestId('session-detail');
    await waitFor(() => expect(sessionCall(fake)?.filters).toEqual({}));
  });

  it('goes back on Esc to the list it was opened from', async () => {
    const { fake } = renderApp(
      {
        ...handlers,
        listAttacks: () => ({
          types: [],
          groups: [],
          groupsTotal: 0,
          items: [attackItem(9, REQUEST.tsUs)],
          nextCursor: null,
        }),
      },
      { ...initialViewState(), view: 'attacks' },
    );
    await screen.findByText('xss.tag');
    fireEvent.keyDown(document.querySelector('[data-table-focus]')!, { key: 'Enter' });
    await screen.findByTestId('request-details');
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await screen.findByTestId('attacks');
    expect(screen.queryByTestId('session-detail')).toBeNull();
    expect(sessionCall(fake)).toBeUndefined();
  });
});
