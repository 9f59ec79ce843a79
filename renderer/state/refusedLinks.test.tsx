// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseInfo } from '../../shared/contract/caseApi';
import { encodeLinkPayload } from '../../shared/links/linkCodec';
import type { FakeHandlers } from '../api/client';
import { fakeHistoryWindow } from '../testing/fakeHistoryWindow';
import { caseInfo, renderApp, stubLayout } from '../testing/renderWithApi';
import { windowViewHistory } from './viewHistory';
import { initialViewState } from './viewState';

// A hash the app does not show as it is (malformed, or a link to another case): the address
// bar is given back the view on screen, in place, and the notice about it lasts until the
// investigator goes elsewhere (or closes it).

const CASE = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const OTHER = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const withUuid = (uuid: string): CaseInfo => ({
  ...caseInfo(10),
  meta: { ...caseInfo(10).meta, uuid },
});
const never = (): Promise<never> => new Promise<never>(() => undefined);
const otherCaseLink = `#${encodeLinkPayload({
  caseUuid: OTHER,
  state: { ...initialViewState(), view: 'sessions', filters: { ips: ['10.0.0.1'] } },
})}`;

function open(hash = '#v=1&view=overview') {
  let current = withUuid(CASE);
  const handlers: FakeHandlers = {
    getCaseInfo: () => current,
    openCase: () => (current = withUuid(OTHER)),
    listRecentCases: () => [],
    listSessions: () => ({ sessions: [], nextCursor: null }),
    listAttacks: () => ({ types: [], groups: [], groupsTotal: 0, items: [], nextCursor: null }),
    getRequest: never,
    requestDetections: () => [],
    getEndpoint: never,
  };
  const f = fakeHistoryWindow({ hash });
  renderApp(handlers, undefined, windowViewHistory(f.win));
  return f;
}

const tab = (name: string): HTMLElement => screen.getByRole('button', { name });

describe('a hash the app refuses, in the address bar', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('is replaced (not pushed over) by the view still shown', async () => {
    const f = open();
    await screen.findByTestId('overview');
    f.runIdle();
    const before = f.writes.length;
    act(() => f.paste('#v=1&view=request&request=<img>'));
    await screen.findByTestId('link-notice');
    f.runIdle();
    expect(f.win.location.hash).toBe('#v=1&view=overview');
    expect(f.writes.slice(before)).toEqual(['replace #v=1&view=overview']);
    screen.getByTestId('overview');
  });

  it('a link naming another case is replaced by the view still shown, and asked about', async () => {
    const f = open();
    await screen.findByTestId('overview');
    act(() => f.paste(otherCaseLink));
    expect((await screen.findByTestId('link-notice')).textContent).toContain(OTHER);
    f.runIdle();
    expect(f.win.location.hash).toBe('#v=1&view=overview');
    expect(f.writes.at(-1)).toBe('replace #v=1&view=overview');
  });
});

describe('the notice about a link', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('goes when the investigator opens another view', async () => {
    const f = open();
    await screen.findByTestId('overview');
    act(() => f.paste('#v=1&view=nosuchview'));
    await screen.findByTestId('link-notice');
    fireEvent.click(tab('Attacks'));
    await screen.findByTestId('attacks');
    expect(screen.queryByTestId('link-notice')).toBeNull();
  });

  it('goes with Back, Forward or a pasted hash that shows another view', async () => {
    const f = open();
    await screen.findByTestId('overview');
    fireEvent.click(tab('Attacks'));
    await screen.findByTestId('attacks');
    f.runIdle();

    act(() => f.paste('#v=1&view=nosuchview'));
    await screen.findByTestId('link-notice');
    act(() => f.paste('#v=1&view=sessions'));
    await screen.findByTestId('sessions');
    expect(screen.queryByTestId('link-notice')).toBeNull();

    act(() => f.paste('#v=1&view=nosuchview'));
    await screen.findByTestId('link-notice');
    act(() => {
      f.win.history.back();
      f.settle();
    });
    await waitFor(() => expect(screen.queryByTestId('link-notice')).toBeNull());
  });

  it('stays while the view on screen only changes in place, until closed', async () => {
    const f = open('#v=1&view=sessions');
    await screen.findByTestId('sessions');
    act(() => f.paste('#v=1&view=nosuchview'));
    await screen.findByTestId('link-notice');
    // A filter added to the list on screen is no navigation.
    const box = screen.getByRole('searchbox', { name: 'Search (press / to focus)' });
    fireEvent.change(box, { target: { value: 'admin' } });
    fireEvent.submit(box.closest('form')!);
    await waitFor(() => {
      f.runIdle();
      expect(f.win.location.hash).toMatch(/^#v=1&view=sessions&f=/);
    });
    screen.getByTestId('link-notice');
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByTestId('link-notice')).toBeNull();
  });

  it('asking for another case stays on the start screen, where opening that case shows the link', async () => {
    const f = open();
    await screen.findByTestId('overview');
    act(() => f.paste(otherCaseLink));
    await screen.findByTestId('link-notice');
    fireEvent.click(screen.getByRole('button', { name: /Sessionscope/ }));
    fireEvent.change(await screen.findByRole('textbox', { name: 'Case file path' }), {
      target: { value: '/cases/other.sscase' },
    });
    screen.getByTestId('link-notice');
    fireEvent.click(screen.getByRole('button', { name: 'Open case' }));
    await screen.findByTestId('sessions');
    screen.getByText('IP: 10.0.0.1');
    expect(screen.queryByTestId('link-notice')).toBeNull();
  });
});
