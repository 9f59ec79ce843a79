// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import type { FakeHandlers } from '../../api/client';
import { windowViewHistory } from '../../state/viewHistory';
import { fakeHistoryWindow } from '../../testing/fakeHistoryWindow';
import { caseInfo, renderApp, stubLayout } from '../../testing/renderWithApi';
import { requestDetail } from '../../testing/requestDetail';

// A request the case does not hold, named by a pasted address or a link while another request
// is shown: the page says so, with the id, and never shows the other request in its place.

const KNOWN = 9;
const SLOW = 10;
const MISSING = 99_999_999;
const never = (): Promise<never> => new Promise<never>(() => undefined);

const handlers: FakeHandlers = {
  getCaseInfo: () => caseInfo(10),
  getRequest: ({ id }) => {
    if (id === KNOWN) return requestDetail({ id, path: '/known/path', template: '/known/path' });
    if (id === SLOW) return never();
    throw new AppError('NOT_FOUND', `No analysed request ${id}`);
  },
  requestDetections: () => [],
  getEndpoint: never,
  listSessions: () => ({ sessions: [], nextCursor: null }),
};

function openOn(hash: string) {
  const f = fakeHistoryWindow({ hash });
  renderApp(handlers, undefined, windowViewHistory(f.win));
  return f;
}

describe('a request the case does not hold', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('says so with its id, in place of the request shown before, with the ways on', async () => {
    const f = openOn(`#v=1&view=request&request=${KNOWN}`);
    await screen.findByTestId('request-details');
    screen.getAllByText('/known/path');

    act(() => f.paste(`#v=1&view=request&request=${MISSING}`));
    const page = await screen.findByTestId('request-not-found');
    expect(page.textContent).toContain('Request not found.');
    expect(page.textContent).toContain(`There is no request ${MISSING} in this case.`);
    expect(screen.queryByTestId('request-details')).toBeNull();
    expect(screen.queryByText('/known/path')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Go to the sessions list' }));
    await screen.findByTestId('sessions');
    f.runIdle();
    expect(f.win.location.hash).toBe('#v=1&view=sessions');
  });

  it('shows nothing of the previous request while the next one is loading', async () => {
    const f = openOn(`#v=1&view=request&request=${KNOWN}`);
    await screen.findByTestId('request-details');
    act(() => f.paste(`#v=1&view=request&request=${SLOW}`));
    await waitFor(() => expect(screen.queryByTestId('request-details')).toBeNull());
    screen.getByText('Loading…');
    expect(screen.queryByText('/known/path')).toBeNull();
  });

  it('says a request view that names no request is not found', async () => {
    openOn('#v=1&view=request');
    const page = await screen.findByTestId('request-not-found');
    expect(page.textContent).toContain('Request not found.');
  });
});
