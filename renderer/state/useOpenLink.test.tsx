// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseInfo, RecentCase } from '../../shared/contract/caseApi.js';
import { AppError } from '../../shared/contract/errors.js';
import type { FakeHandlers } from '../api/client.js';
import { encodeDesktopLink } from '../../shared/links/linkCodec.js';
import { caseInfo, renderApp, stubLayout } from '../testing/renderWithApi.js';
import { initialViewState } from './viewState.js';

const OPEN = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const OTHER = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const withUuid = (uuid: string, requests = 5): CaseInfo => ({
  ...caseInfo(requests),
  meta: { ...caseInfo(requests).meta, uuid },
});
const sessionsLink = (caseUuid: string): string =>
  encodeDesktopLink({
    caseUuid,
    state: { ...initialViewState(), view: 'sessions', filters: { ips: ['10.0.0.1'] } },
  });

/** A recent case whose file is gone: never offered, whatever its UUID. */
const RECENT_GONE: RecentCase = {
  path: '/cases/gone.sscase',
  name: 'gone.sscase',
  openedAt: '2026-11-20T00:00:00Z',
  exists: false,
  uuid: OTHER,
};

function renderWith(
  recent: RecentCase[] = [],
  opened: CaseInfo = withUuid(OTHER),
  locateCase?: NonNullable<FakeHandlers['locateCase']>,
) {
  stubLayout();
  return renderApp({
    getCaseInfo: () => withUuid(OPEN),
    listRecentCases: () => recent,
    openCase: () => opened,
    ...(locateCase ? { locateCase } : {}),
    listSessions: () => ({ sessions: [], nextCursor: null }),
    listRequests: () => ({ items: [], nextCursor: null }),
    listEndpoints: () => [],
  });
}

describe('links opened from outside', () => {
  afterEach(() => {
    cleanup();
    window.location.hash = '';
  });

  it('restores the view a link to the open case carries', async () => {
    const { fake } = renderWith();
    await screen.findByTestId('overview');
    act(() => fake.emit('openLink', { url: sessionsLink(OPEN) }));
    await screen.findByTestId('sessions');
    screen.getByText('IP: 10.0.0.1');
    expect(screen.queryByTestId('link-notice')).toBeNull();
  });

  it('refuses a malformed or tampered link with its reason, as text, and changes nothing', async () => {
    const { fake } = renderWith();
    await screen.findByTestId('overview');
    act(() => fake.emit('openLink', { url: 'sessionscope://open#v=not-base64!' }));
    const notice = await screen.findByTestId('link-notice');
    expect(notice.textContent).toContain('This link cannot be opened');
    expect(notice.textContent).toContain('not a Sessionscope link');
    screen.getByTestId('overview');

    const hostile = sessionsLink(OPEN).replace('view=sessions', 'view=%3Cimg%20src%3Dx%3E');
    act(() => fake.emit('openLink', { url: hostile }));
    await screen.findByText(/names no known view/);
    expect(document.querySelector('img')).toBeNull();
    screen.getByTestId('overview');
  });

  it('asks for the other case and offers it from the recent list, then opens the view there', async () => {
    const { fake } = renderWith([
      {
        path: '/cases/b.sscase',
        name: 'b.sscase',
        openedAt: '2026-11-20T00:00:00Z',
        exists: true,
        uuid: OTHER,
      },
    ]);
    await screen.findByTestId('overview');
    act(() => fake.emit('openLink', { url: sessionsLink(OTHER) }));
    const notice = await screen.findByTestId('link-notice');
    expect(notice.textContent).toContain(`another case (ID ${OTHER})`);
    screen.getByTestId('overview'); // not applied to the wrong case
    fireEvent.click(await screen.findByRole('button', { name: 'Open b.sscase' }));
    await screen.findByTestId('sessions');
    screen.getByText('IP: 10.0.0.1');
    expect(fake.calls.some((c) => c.name === 'openCase')).toBe(true);
    expect(screen.queryByTestId('link-notice')).toBeNull();
  });

  it('without a known case, asks for the file and opens the view once its UUID matches', async () => {
    const located: unknown[] = [];
    const { fake } = renderWith([{ ...RECENT_GONE }], withUuid(OPEN), (input) => {
      located.push(input);
      return input.path === '/evidence/right.sscase'
        ? { opened: withUuid(OTHER), foundUuid: OTHER }
        : { opened: null, foundUuid: OPEN };
    });
    await screen.findByTestId('overview');
    act(() => fake.emit('openLink', { url: sessionsLink(OTHER) }));
    await screen.findByText(/Open or locate that case/);
    const field = await screen.findByRole('textbox', {
      name: 'Path of the case file on this computer',
    });

    // Another case's file: refused with both UUIDs, the view and the case stay.
    fireEvent.change(field, { target: { value: '/evidence/wrong.sscase' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open and check' }));
    const problem = await screen.findByTestId('locate-problem');
    expect(problem.textContent).toBe(
      `That file is case ${OPEN}, not the linked case ${OTHER}. It was not opened; choose the right file.`,
    );
    screen.getByTestId('overview');
    screen.getByTestId('link-notice');

    fireEvent.change(field, { target: { value: '/evidence/right.sscase' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open and check' }));
    await screen.findByTestId('sessions');
    screen.getByText('IP: 10.0.0.1');
    expect(located).toEqual([
      { path: '/evidence/wrong.sscase', uuid: OTHER },
      { path: '/evidence/right.sscase', uuid: OTHER },
    ]);
    expect(screen.queryByTestId('link-notice')).toBeNull();
  });

  it('a located file that is not a case says why', async () => {
    const { fake } = renderWith([], withUuid(OPEN), () => {
      throw new AppError('NOT_A_CASE', '/tmp/<b>x</b> is not a Sessionscope case.');
    });
    await screen.findByTestId('overview');
    act(() => fake.emit('openLink', { url: sessionsLink(OTHER) }));
    fireEvent.change(
      await screen.findByRole('textbox', { name: 'Path of the case file on this computer' }),
      { target: { value: '/tmp/<b>x</b>' } },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Open and check' }));
    expect((await screen.findByTestId('locate-problem')).textContent).toBe(
      'Could not open that file: /tmp/<b>x</b> is not a Sessionscope case.',
    );
    expect(document.querySelector('b')).toBeNull();
    screen.getByTestId('overview');
  });

  it('checks a link in the start-up hash against the served case', async () => {
    window.location.hash = sessionsLink(OPEN).replace('sessionscope://open?', '#');
    renderWith();
    await screen.findByTestId('sessions');
    screen.getByText('IP: 10.0.0.1');
  });

  it('says a start-up link needs the token when the page has no access, not "another case"', async () => {
    window.location.hash = sessionsLink(OPEN).replace('sessionscope://open?', '#');
    stubLayout();
    renderApp({
      getCaseInfo: () => {
        throw new AppError('UNAUTHORIZED', 'missing or wrong token');
      },
      listRecentCases: () => [],
    });
    const notice = await screen.findByTestId('link-notice');
    expect(notice.textContent).toContain('needs the address with its token');
    expect(notice.textContent).not.toContain('another case');
  });

  it('refuses a tampered start-up hash with a message', async () => {
    window.location.hash = `#v=1&case=${OPEN}&view=sessions&f=%21%21`;
    renderWith();
    await screen.findByTestId('overview');
    const notice = await screen.findByTestId('link-notice');
    expect(notice.textContent).toMatch(/cannot be opened: .*damaged/);
  });
});
