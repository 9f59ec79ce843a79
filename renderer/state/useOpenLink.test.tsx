// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseInfo, RecentCase } from '../../shared/contract/caseApi.js';
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

function renderWith(recent: RecentCase[] = [], opened: CaseInfo = withUuid(OTHER)) {
  stubLayout();
  return renderApp({
    getCaseInfo: () => withUuid(OPEN),
    listRecentCases: () => recent,
    openCase: () => opened,
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
    const recent = [
      { path: '/cases/b.sscase', name: 'b.sscase', openedAt: '2026-11-20T00:00:00Z', exists: true },
    ];
    const { fake } = renderWith([{ ...recent[0]!, uuid: OTHER } as RecentCase]);
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

  it('without a known case, asks to open or locate it', async () => {
    const { fake } = renderWith([]);
    await screen.findByTestId('overview');
    act(() => fake.emit('openLink', { url: sessionsLink(OTHER) }));
    await screen.findByText(/Open or locate that case/);
    fireEvent.click(screen.getByRole('button', { name: 'Open a case…' }));
    await screen.findByTestId('case-path');
  });

  it('checks a link in the start-up hash against the served case', async () => {
    window.location.hash = sessionsLink(OPEN).replace('sessionscope://open?', '#');
    renderWith();
    await screen.findByTestId('sessions');
    screen.getByText('IP: 10.0.0.1');
  });

  it('refuses a tampered start-up hash with a message', async () => {
    window.location.hash = `#v=1&case=${OPEN}&view=sessions&f=%21%21`;
    renderWith();
    await screen.findByTestId('overview');
    const notice = await screen.findByTestId('link-notice');
    expect(notice.textContent).toMatch(/cannot be opened: .*damaged/);
  });
});
