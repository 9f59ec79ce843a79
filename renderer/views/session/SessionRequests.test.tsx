// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionRequest } from '../../../shared/contract/analysisApi';
import type { FakeHandlers } from '../../api/client';
import { initialViewState, type ViewState } from '../../state/viewState';
import { caseInfo, renderApp, stubLayout } from '../../testing/renderWithApi';
import { sessionRequest } from '../../testing/sessionRequest';

const SID = 's00000000000000ef';
const T0 = Date.UTC(2026, 10, 20, 9) * 1000;

const request = (i: number): SessionRequest => sessionRequest(i, T0);

/** The session page on a server with these requests; the other panels stay loading. */
function open(requests: SessionRequest[], view: Partial<ViewState> = {}): void {
  const pending = (): Promise<never> => new Promise<never>(() => undefined);
  const handlers: FakeHandlers = {
    getCaseInfo: () => caseInfo(requests.length),
    getSession: pending,
    listSessionRequests: () => ({ requests, nextCursor: null }),
    requestHistogram: pending,
    getSessionVerdict: pending,
  };
  renderApp(handlers, {
    ...initialViewState(),
    view: 'session',
    sessionId: SID,
    sessionFilters: { ips: ['1.2.3.4'] },
    ...view,
  });
}

describe("a session's requests table", () => {
  afterEach(cleanup);

  it('says no request of the session matches, not that no session does', async () => {
    stubLayout();
    open([]);
    const pane = await screen.findByTestId('session-requests');
    await waitFor(() =>
      expect(pane.textContent).toContain('No requests of this session match these filters.'),
    );
    expect(pane.textContent).not.toContain('No sessions match');
  });

  it('scrolls a selected row that would sit behind the bottom edge into the view', async () => {
    // A 300 px view: the header's 28 px on top leave 272 for rows, so row 10 (260–286 px
    // below the header) is not fully shown and is centred in what the rows can use.
    stubLayout(300);
    open(
      Array.from({ length: 40 }, (_, i) => request(i)),
      { selected: { requests: 10 } },
    );
    const pane = await screen.findByTestId('session-requests');
    const scroller = pane.querySelector<HTMLElement>('.vtable-scroll')!;
    await waitFor(() => expect(scroller.scrollTop).toBe(260 - (272 - 26) / 2));
  });

  it('marks the free-text filter in what each request asked, as text', async () => {
    stubLayout();
    open(
      [
        { ...request(0), path: '/search', query: 'q=<img src=x onerror=alert(1)>&Q=IMG' },
        { ...request(1), path: '/home', query: null },
      ],
      { sessionFilters: { text: 'img' } },
    );
    const pane = await screen.findByTestId('session-requests');
    await waitFor(() => expect(pane.querySelectorAll('mark.search-match').length).toBe(2));
    expect([...pane.querySelectorAll('mark.search-match')].map((m) => m.textContent)).toEqual([
      'img',
      'IMG',
    ]);
    expect(pane.querySelector('img')).toBeNull();
    expect(pane.textContent).toContain('/search?q=<img src=x onerror=alert(1)>&Q=IMG');
  });

  it('marks the filter text as logged, URL-encoded, and brings a match far in into the cell', async () => {
    stubLayout();
    const far = `/search?${'x'.repeat(200)}&q=1%27%20UNION%20select`;
    open(
      [
        { ...request(0), path: null, query: null },
        { ...request(1), path: far, query: null },
      ],
      {
        sessionFilters: { text: "' union" },
      },
    );
    const pane = await screen.findByTestId('session-requests');
    await waitFor(() => expect(pane.querySelectorAll('mark.search-match').length).toBe(1));
    const mark = pane.querySelector('mark.search-match')!;
    // Found as the filter finds it: %27%20 for the quote and the space, any case.
    expect(mark.textContent).toBe('%27%20UNION');
    // One line, starting shortly before the match; the whole text is in the cell's title.
    const cell = mark.closest<HTMLElement>('[title]')!;
    expect(cell.title).toBe(far);
    const shown = mark.closest('.highlighted')!;
    expect(shown.classList.contains('one-line')).toBe(true);
    expect(shown.textContent).toBe(`…${far.slice(far.indexOf('%27') - 24)}`);
  });
});
