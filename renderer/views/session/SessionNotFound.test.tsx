// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionDetail, SessionListItem } from '../../../shared/contract/analysisApi';
import { AppError } from '../../../shared/contract/errors';
import type { FakeHandlers } from '../../api/client';
import { windowViewHistory } from '../../state/viewHistory';
import { fakeHistoryWindow } from '../../testing/fakeHistoryWindow';
import { caseInfo, renderApp, stubLayout } from '../../testing/renderWithApi';
import { sessionRequest } from '../../testing/sessionRequest';

// A session the case does not hold, named by a pasted address or a link while another session
// is open: the page says so, with the id, and never shows the other session under it.

const KNOWN = 's00000000000000cd';
const MISSING = 'sdeadbeef00000000';
const SLOW = 's0000000000000abc';
const T0 = Date.UTC(2026, 10, 20, 9, 0) * 1000;
const never = (): Promise<never> => new Promise<never>(() => undefined);

const detail: SessionDetail = {
  session: {
    id: KNOWN,
    keyKind: 'ip+ua',
    keyValue: '10.9.8.7',
    firstSeen: '',
    lastSeen: '',
    firstUs: T0,
    lastUs: T0 + 1e6,
    durationMs: 1000,
    requestCount: 1,
    matchedRequests: 1,
    ipCount: 1,
    firstIp: '10.9.8.7',
    userAgent: 'known-agent/1.0',
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
  byMethod: [{ value: 'GET', count: 1 }],
  byStatus: [{ value: 200, count: 1 }],
  byIp: [{ value: '10.9.8.7', count: 1 }],
  byEndpoint: [],
};

const listed: SessionListItem = {
  ...detail.session,
  matchedOutliers: 0,
  matchedAttacks: 0,
  flowShares: [],
  topEndpoints: [],
  endpointCount: 1,
  user: 'listed-user',
  userCount: 1,
  users: ['listed-user'],
};

const noSuch = (id: string): never => {
  throw new AppError('NOT_FOUND', `No session ${id} (rebuild the analysis?)`);
};

const handlers: FakeHandlers = {
  getCaseInfo: () => caseInfo(2),
  getSession: ({ id }) => (id === KNOWN ? detail : id === SLOW ? never() : noSuch(id)),
  listSessionRequests: ({ id }) =>
    id === KNOWN ? { requests: [sessionRequest(0, T0)], nextCursor: null } : noSuch(id),
  requestHistogram: ({ filters }) =>
    filters?.sessionId === KNOWN
      ? {
          buckets: [
            { startUs: T0, endUs: T0 + 60e6, s2xx: 1, s3xx: 0, s4xx: 0, s5xx: 0, other: 0 },
          ],
          widthUs: 60e6,
          total: 1,
          caseFirstUs: T0,
          caseLastUs: T0 + 1e6,
        }
      : never(),
  getSessionVerdict: () => ({
    sessionId: KNOWN,
    level: 'none',
    botType: null,
    confidence: 0,
    reasons: [],
    review: null,
  }),
  listSessions: () => ({ sessions: [listed], nextCursor: null }),
};

function openOn(sessionId: string) {
  const f = fakeHistoryWindow({ hash: `#v=1&view=session&session=${sessionId}` });
  renderApp(handlers, undefined, windowViewHistory(f.win));
  return f;
}

describe('a session the case does not hold', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('says so with its id, and shows nothing of the session open before', async () => {
    const f = openOn(KNOWN);
    await screen.findByTestId('session-header');
    screen.getByText('known-agent/1.0');

    act(() => f.paste(`#v=1&view=session&session=${MISSING}`));
    const page = await screen.findByTestId('session-not-found');
    expect(page.textContent).toContain('Session not found.');
    expect(page.textContent).toContain(`There is no session ${MISSING} in this case.`);
    // No header, timeline, distributions, table or error to retry: only the missing state.
    expect(screen.queryByTestId('session-detail')).toBeNull();
    expect(screen.queryByTestId('session-header')).toBeNull();
    expect(screen.queryByText('known-agent/1.0')).toBeNull();
    expect(screen.queryByText(/10\.9\.8\.7/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();

    // The ways on: Back to the session before, or the sessions list.
    fireEvent.click(screen.getByRole('button', { name: 'Go to the sessions list' }));
    await screen.findByText('listed-user');
    expect(screen.queryByTestId('session-not-found')).toBeNull();
    f.runIdle();
    expect(f.win.location.hash).toBe('#v=1&view=sessions');
  });

  it('draws nothing of the previous session while the next one is still loading', async () => {
    const f = openOn(KNOWN);
    await screen.findByTestId('session-header');
    act(() => f.paste(`#v=1&view=session&session=${SLOW}`));
    await waitFor(() =>
      expect(screen.getByTestId('session-detail').textContent).toContain(`Session ${SLOW}`),
    );
    expect(screen.queryByTestId('session-header')).toBeNull();
    expect(screen.queryByText('known-agent/1.0')).toBeNull();
    expect(screen.queryByText(/10\.9\.8\.7/)).toBeNull();
  });

  it('opened on a missing session, offers the sessions list (there is nothing to go back to)', async () => {
    openOn(MISSING);
    const page = await screen.findByTestId('session-not-found');
    expect(page.textContent).toContain(MISSING);
    expect(screen.queryByRole('button', { name: 'Back' })).toBeNull();
    screen.getByRole('button', { name: 'Go to the sessions list' });
  });

  it('says a session view that names no session is not found, asking for nothing', async () => {
    const f = fakeHistoryWindow({ hash: '#v=1&view=session' });
    const { fake } = renderApp(handlers, undefined, windowViewHistory(f.win));
    await screen.findByTestId('session-not-found');
    expect(fake.calls.some((c) => c.name === 'getSession')).toBe(false);
  });
});
