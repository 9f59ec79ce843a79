// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestDetail, SessionListItem } from '../../shared/contract/analysisApi';
import type { CaseInfo } from '../../shared/contract/caseApi';
import type { AttackListItem } from '../../shared/contract/detectApi';
import { encodeLinkPayload } from '../../shared/links/linkCodec';
import type { FakeHandlers, FakeTransport } from '../api/client';
import { fakeHistoryWindow } from '../testing/fakeHistoryWindow';
import { caseInfo, renderApp, stubLayout } from '../testing/renderWithApi';
import { requestDetail } from '../testing/requestDetail';
import { attackItem } from '../testing/attackItem';
import { windowViewHistory } from './viewHistory';
import { initialViewState } from './viewState';

// The app on the window's history (a fake window: the browser's Back and address bar made
// explicit): Back, Forward and a pasted hash show the view their entry names.

const CASE = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const withUuid: CaseInfo = { ...caseInfo(10), meta: { ...caseInfo(10).meta, uuid: CASE } };
const SID = 's00000000000000ab';
const never = (): Promise<never> => new Promise<never>(() => undefined);

const request = (id: number): RequestDetail =>
  requestDetail({
    id,
    sessionId: SID,
    path: `/search/${id}`,
    latencyMs: 10,
    respBytes: 100,
    userAgent: 'ua',
    template: '/search/{id}',
  });

const finding: AttackListItem = attackItem(77, Date.UTC(2026, 10, 20, 9) * 1000);

const listed = (i: number): SessionListItem => ({
  id: `s${i.toString(16).padStart(16, '0')}`,
  keyKind: 'ip+ua',
  keyValue: 'abc',
  firstSeen: '',
  lastSeen: '',
  firstUs: Date.UTC(2026, 10, 20, 9, i) * 1000,
  lastUs: Date.UTC(2026, 10, 20, 9, i + 1) * 1000,
  durationMs: 60_000,
  requestCount: 10,
  matchedRequests: 10,
  ipCount: 1,
  firstIp: '10.0.0.1',
  userAgent: 'ua',
  hosts: ['shop.example'],
  user: `user${i}`,
  userCount: 1,
  users: [`user${i}`],
  role: null,
  flows: [],
  outlierCount: 0,
  attackCount: 0,
  matchedOutliers: 0,
  matchedAttacks: 0,
  flowShares: [],
  topEndpoints: [],
  endpointCount: 1,
});

const handlers: FakeHandlers = {
  getCaseInfo: () => withUuid,
  getRequest: ({ id }) => request(id),
  requestDetections: () => [],
  getEndpoint: never,
  listAttacks: () => ({
    types: [],
    groups: [],
    groupsTotal: 0,
    items: [finding],
    nextCursor: null,
  }),
  listSessions: () => ({ sessions: [listed(0), listed(1), listed(2)], nextCursor: null }),
  getSession: never,
  requestHistogram: never,
  listSessionRequests: never,
  getSessionVerdict: never,
};

/** The app in a window on `hash`; `requests` lists the request ids the pages asked for. */
function open(hash: string) {
  const f = fakeHistoryWindow({ hash });
  const { fake } = renderApp(handlers, undefined, windowViewHistory(f.win));
  const requests = (t: FakeTransport) =>
    t.calls.filter((c) => c.name === 'getRequest').map((c) => (c.input as { id: number }).id);
  return { f, fake, requests: () => requests(fake) };
}

const tab = (name: string): HTMLElement => screen.getByRole('button', { name });
const activeTab = (): string | null =>
  document.querySelector('.tabs [aria-current="page"]')?.textContent ?? null;
const esc = (): boolean => fireEvent.keyDown(document.body, { key: 'Escape' });

describe('the window’s history in the app', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('shows the view of a hash pasted into the address bar of the open app', async () => {
    const { f, requests } = open('#v=1&view=overview');
    await screen.findByTestId('overview');
    act(() => f.paste('#v=1&view=request&request=24605'));
    await screen.findByTestId('request-details');
    expect(requests()).toEqual([24605]);
    // And a link naming the open case, as the top bar copies it.
    const link = encodeLinkPayload({
      caseUuid: CASE,
      state: { ...initialViewState(), view: 'request', requestId: 31 },
    });
    act(() => f.paste(`#${link}`));
    await waitFor(() => expect(requests()).toEqual([24605, 31]));
    // The address bar then shows the app's own spelling (no case).
    f.runIdle();
    expect(f.win.location.hash).toBe('#v=1&view=request&request=31');
    expect(screen.queryByTestId('link-notice')).toBeNull();
  });

  it('refuses a damaged pasted hash with its reason and keeps the view', async () => {
    const { f } = open('#v=1&view=overview');
    await screen.findByTestId('overview');
    act(() => f.paste('#v=1&view=request&request=<img>'));
    expect((await screen.findByTestId('link-notice')).textContent).toMatch(/request id/);
    screen.getByTestId('overview');
    expect(document.querySelector('img')).toBeNull();
  });

  it('goes Overview → Attacks → a request, and Esc then Back return the same way', async () => {
    const { f, requests } = open('#v=1&view=overview');
    await screen.findByTestId('overview');
    fireEvent.click(tab('Attacks'));
    await screen.findByText('xss.tag');
    fireEvent.keyDown(document.querySelector('[data-table-focus]')!, { key: 'Enter' });
    await screen.findByTestId('request-details');
    expect(requests()).toEqual([77]);
    // A request opened from Attacks is no tab's (never Sessions').
    expect(activeTab()).toBeNull();
    f.runIdle();
    expect(f.entries().map((e) => e.hash)).toEqual([
      '#v=1&view=overview',
      '#v=1&view=attacks',
      '#v=1&view=request&request=77',
    ]);

    esc();
    act(() => f.settle());
    await screen.findByText('xss.tag');
    expect(activeTab()).toBe('Attacks');
    // The browser's Back button.
    act(() => {
      f.win.history.back();
      f.settle();
    });
    await screen.findByTestId('overview');
    expect(activeTab()).toBe('Overview');
    // Esc on the app's first entry stays (settle would throw on a Back out of the page).
    esc();
    act(() => f.settle());
    screen.getByTestId('overview');
  });

  it('brings the list back with its filters and row, which the session’s link leaves out', async () => {
    const { f } = open(
      `#v=1&view=sessions&f=${Buffer.from('{"ips":["10.0.0.1"]}').toString('base64url')}`,
    );
    await screen.findByText('user0');
    screen.getByText('IP: 10.0.0.1');
    const grid = document.querySelector('[data-table-focus]') as HTMLElement;
    fireEvent.keyDown(grid, { key: 'j' });
    fireEvent.keyDown(grid, { key: 'Enter' });
    await screen.findByTestId('session-detail');
    f.runIdle();
    expect(f.win.location.hash).toBe(
      `#v=1&view=session&session=${listed(1).id}&sf=${Buffer.from('{"ips":["10.0.0.1"]}').toString('base64url')}`,
    );
    act(() => {
      f.win.history.back();
      f.settle();
    });
    await waitFor(() => expect(screen.queryByTestId('session-detail')).toBeNull());
    screen.getByText('IP: 10.0.0.1');
    expect(document.querySelector('.vtable-row[aria-selected="true"]')?.textContent).toContain(
      'user1',
    );
    // Forward opens the session again.
    act(() => f.forward());
    await screen.findByTestId('session-detail');
  });

  it('Back to a view of the case open before asks about it, not shows it on this case', async () => {
    const OTHER = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const other: CaseInfo = { ...withUuid, meta: { ...withUuid.meta, uuid: OTHER } };
    let current = withUuid;
    const f = fakeHistoryWindow({ hash: '#v=1&view=overview' });
    renderApp(
      { ...handlers, getCaseInfo: () => current, openCase: () => (current = other) },
      undefined,
      windowViewHistory(f.win),
    );
    await screen.findByTestId('overview');
    fireEvent.click(tab('Attacks'));
    await screen.findByText('xss.tag');
    // Another case, opened from the start screen in the same tab.
    fireEvent.click(screen.getByRole('button', { name: /Sessionscope/ }));
    fireEvent.change(await screen.findByRole('textbox', { name: 'Case file path' }), {
      target: { value: '/cases/other.sscase' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Open case' }));
    await screen.findByTestId('overview');
    f.runIdle();
    // Back over the start screen to the first case's Attacks.
    act(() => {
      f.win.history.back();
      f.settle();
    });
    act(() => {
      f.win.history.back();
      f.settle();
    });
    expect((await screen.findByTestId('link-notice')).textContent).toContain(CASE);
    expect(screen.queryByText('xss.tag')).toBeNull();
  });
});
