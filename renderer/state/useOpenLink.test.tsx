// @vitest-environment happy-dom
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { caseInfo, renderApp, stubLayout } from '../testing/renderWithApi';
import { encodeViewState, initialViewState } from './viewState';

describe('links opened from outside', () => {
  afterEach(cleanup);

  it('restores the view a well-formed link carries, and ignores a hostile one', async () => {
    stubLayout();
    const { fake } = renderApp({
      getCaseInfo: () => caseInfo(5),
      listSessions: () => ({ sessions: [], nextCursor: null }),
      listRequests: () => ({ items: [], nextCursor: null }),
      listEndpoints: () => [],
    });
    await screen.findByTestId('overview');
    act(() => fake.emit('openLink', { url: 'sessionscope://open#v=not-base64!' }));
    expect(screen.queryByTestId('sessions')).toBeNull();
    const hash = encodeViewState({
      ...initialViewState(),
      view: 'sessions',
      filters: { ips: ['10.0.0.1'] },
    });
    act(() => fake.emit('openLink', { url: `sessionscope://open${hash}` }));
    await screen.findByTestId('sessions');
    screen.getByText('IP: 10.0.0.1');
  });
});
