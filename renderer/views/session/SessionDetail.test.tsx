// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  HistogramBucket,
  SessionDetail,
  SessionRequest,
} from '../../../shared/contract/analysisApi';
import type { SessionVerdictDetail } from '../../../shared/contract/verdictApi';
import type { FakeHandlers } from '../../api/client';
import { initialViewState } from '../../state/viewState';
import { caseInfo, renderApp, stubLayout } from '../../testing/renderWithApi';
import { sessionRequest } from '../../testing/sessionRequest';

const SID = 's00000000000000cd';
const T0 = Date.UTC(2026, 10, 20, 9, 0) * 1000;

const request = (i: number): SessionRequest => sessionRequest(i, T0);

const BUCKETS: HistogramBucket[] = [
  { startUs: T0, endUs: T0 + 60e6, s2xx: 2, s3xx: 0, s4xx: 0, s5xx: 0, other: 0 },
];

const DETAIL: SessionDetail = {
  session: {
    id: SID,
    keyKind: 'ip+ua',
    keyValue: '10.0.0.1',
    firstSeen: '',
    lastSeen: '',
    firstUs: T0,
    lastUs: T0 + 1e6,
    durationMs: 1000,
    requestCount: 2,
    matchedRequests: 2,
    ipCount: 1,
    firstIp: '10.0.0.1',
    userAgent: 'curl/8',
    hosts: ['shop.example'],
    user: null,
    userCount: 0,
    users: [],
    role: null,
    flows: [],
    outlierCount: 0,
    attackCount: 0,
  },
  flows: [],
  byMethod: [{ value: 'GET', count: 2 }],
  byStatus: [{ value: 200, count: 2 }],
  byIp: [{ value: '10.0.0.1', count: 2 }],
  byEndpoint: [
    { endpointId: 'e1', method: 'GET', host: 'shop.example', template: '/items/{id}', count: 2 },
  ],
};

const VERDICT: SessionVerdictDetail = {
  sessionId: SID,
  level: 'none',
  botType: null,
  confidence: 0,
  reasons: [],
  review: null,
};

/** A server for the session page: these requests, the buckets, the verdict, this detail. */
function handlers(
  requests: SessionRequest[],
  detail: () => SessionDetail | Promise<SessionDetail>,
): FakeHandlers {
  return {
    getCaseInfo: () => caseInfo(2),
    getSession: detail,
    listSessionRequests: () => ({ requests, nextCursor: null }),
    requestHistogram: () => ({
      buckets: BUCKETS,
      widthUs: 60e6,
      total: 2,
      caseFirstUs: T0,
      caseLastUs: T0 + 1e6,
    }),
    getSessionVerdict: () => VERDICT,
  };
}

describe('session page while it opens', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('draws the requests table and the timeline before the detail answers, asked first', async () => {
    let answerDetail: (d: SessionDetail) => void = () => undefined;
    const detail = new Promise<SessionDetail>((resolve) => (answerDetail = resolve));
    const { fake } = renderApp(
      handlers([request(0), request(1)], () => detail),
      { ...initialViewState(), view: 'session', sessionId: SID, sessionFilters: {} },
    );

    // Table rows and the chart, while the detail is still out: its panels say so.
    const rows = (): HTMLElement[] =>
      within(screen.getByTestId('session-requests')).getAllByRole('row');
    await waitFor(() => expect(rows()).toHaveLength(3)); // the header and two requests
    expect(rows()[2]!.querySelector('[title="shop.example/items/1"]')).not.toBeNull();
    await screen.findByTestId('timeline');
    expect(screen.queryByTestId('session-header')).toBeNull();
    expect(screen.getByRole('heading', { name: 'Requests (…)' })).toBeTruthy();

    // The server answers in the order it was asked: the table's page, the buckets, the detail.
    const order = fake.calls
      .map((c) => c.name)
      .filter((n) => ['listSessionRequests', 'requestHistogram', 'getSession'].includes(n));
    expect(order).toEqual(['listSessionRequests', 'requestHistogram', 'getSession']);
    // A first page that fills the window, not the 300 of later pages.
    const first = fake.calls.find((c) => c.name === 'listSessionRequests')!.input as {
      limit: number;
    };
    expect(first.limit).toBe(100);

    answerDetail(DETAIL);
    await screen.findByTestId('session-header');
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Requests (2)' })).toBeTruthy());
    expect(screen.getByTestId('replay-position').textContent).toContain('1 of 2');
  });

  it("marks each row's attacks from its own page, with no case-wide detection list read", async () => {
    const attacked = { ...request(1), attacks: ['sqli', 'xss'] };
    const { fake } = renderApp(
      handlers([request(0), attacked], () => DETAIL),
      { ...initialViewState(), view: 'session', sessionId: SID, sessionFilters: {} },
    );
    const table = await screen.findByTestId('session-requests');
    const chip = await within(table).findByTitle('sqli, xss');
    expect(chip.closest('[role="row"]')!.className).toContain('attack');
    const rows = within(table).getAllByRole('row');
    expect(rows[1]!.className).not.toContain('attack');
    await screen.findByTestId('session-header');
    expect(fake.calls.some((c) => c.name === 'listAttacks')).toBe(false);
  });

  it("asks for the distributions' top values and counts what was left out", async () => {
    const cut: SessionDetail = {
      ...DETAIL,
      session: { ...DETAIL.session, requestCount: 150_000, matchedRequests: 150_000 },
      byEndpoint: Array.from({ length: 8 }, (_, i) => ({
        endpointId: `e${i}`,
        method: 'GET',
        host: 'shop.example',
        template: `/scan/${i}`,
        count: 1,
      })),
      omitted: { byEndpoint: { values: 149_992, count: 149_992 } },
    };
    const { fake } = renderApp(
      handlers([request(0)], () => cut),
      { ...initialViewState(), view: 'session', sessionId: SID, sessionFilters: {} },
    );
    const panel = await screen.findByTestId('dist-Endpoints');
    expect(fake.calls.find((c) => c.name === 'getSession')!.input).toMatchObject({ top: 8 });
    expect(within(panel).getAllByTitle(/^GET \/scan\//)).toHaveLength(8);
    // Shares of every request, not of the eight listed (1 of 150,000: never a rounded 0%).
    expect(panel.textContent).toContain('1 · <0.1%');
    expect(panel.textContent).not.toContain('12.5%');
    expect(panel.textContent).toContain('+149,992 more');
  });

  it('gives attack types and flows as shares of the requests, as a request can hold several', async () => {
    const both: SessionDetail = {
      ...DETAIL,
      session: { ...DETAIL.session, requestCount: 360, matchedRequests: 360 },
      byStatus: [{ value: 200, count: 360 }],
      byAttack: [
        { value: 'scanner', count: 360 },
        { value: 'sqli', count: 360 },
      ],
      flows: [
        { flow: 'Auth', count: 180, percent: 50 },
        { flow: 'Admin', count: 180, percent: 50 },
      ],
    };
    renderApp(
      handlers([request(0)], () => both),
      { ...initialViewState(), view: 'session', sessionId: SID, sessionFilters: {} },
    );
    const attacks = await screen.findByTestId('dist-Attacks');
    expect(attacks.textContent).toContain('360 · 100%');
    expect(attacks.textContent).not.toContain('50%');
    expect(screen.getByTestId('dist-Flows').textContent).toContain('180 · 50%');
    // One value per request: shares of the values' sum, as before.
    expect(screen.getByTestId('dist-Status codes').textContent).toContain('360 · 100%');
  });

  it("shows each request's path and query as logged, as text", async () => {
    const hostile = { ...request(0), path: '/search', query: 'q=%27%20OR%201=1--&x=<img src=x>' };
    renderApp(
      handlers([hostile, request(1)], () => DETAIL),
      { ...initialViewState(), view: 'session', sessionId: SID, sessionFilters: {} },
    );
    const cell = await screen.findByTitle('/search?q=%27%20OR%201=1--&x=<img src=x>');
    expect(cell.textContent).toBe('/search?q=%27%20OR%201=1--&x=<img src=x>');
    expect(document.querySelector('img')).toBeNull();
    screen.getByTitle('/items/1');
  });
});
