// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildMismatch, type BuildInfo } from './buildInfo';
import { appInfo, caseInfo, renderApp, stubLayout } from './testing/renderWithApi';
import { initialViewState } from './state/viewState';

// This page as a build would be (under tests it is 'dev', which never compares).
const page = vi.hoisted(() => ({ version: '1.4.0', buildId: 'aaaaaaaaaaaa' }));
vi.mock('./buildInfo', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./buildInfo')>()),
  PAGE_BUILD: page,
}));

/** What the app asks before it knows the backend's build (and the link handling's one). */
const BOOT_CALLS = ['getAppInfo', 'getOpenCase', 'takeOpenLinks'];

beforeEach(() => stubLayout());
afterEach(cleanup);

describe('a page and a backend of different builds', () => {
  it('says which two, instead of showing the app (whose calls could fail)', async () => {
    const { fake } = renderApp(
      {
        getAppInfo: () => ({ ...appInfo, version: '1.3.2', buildId: 'bbbbbbbbbbbb' }),
        getCaseInfo: () => caseInfo(10),
      },
      { ...initialViewState(), view: 'overview' },
    );
    const notice = await screen.findByTestId('other-build');
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.textContent).toContain(
      'This page is from Sessionscope 1.4.0 (build aaaaaaaaaaaa), but the server running is Sessionscope 1.3.2 (build bbbbbbbbbbbb): its calls could fail. Reload this page',
    );
    expect(screen.getByRole('button', { name: 'Reload page' })).toBeTruthy();
    // Nothing else is shown (no top bar, no view), so none of their calls is made.
    expect(document.querySelector('main')!.children).toHaveLength(1);
    expect(document.querySelector('header')).toBeNull();
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.calls.filter((c) => !BOOT_CALLS.includes(c.name))).toEqual([]);
  });

  it('counts a backend that reports no build id (older than the check) as another build', async () => {
    const { buildId: _none, ...old } = { ...appInfo, version: '1.4.0' };
    renderApp({ getAppInfo: () => old as typeof appInfo, getCaseInfo: () => caseInfo(10) });
    const notice = await screen.findByTestId('other-build');
    expect(notice.textContent).toContain('the server running is Sessionscope 1.4.0:');
  });

  it('shows the app for a backend of the same build', async () => {
    const { fake } = renderApp(
      {
        getAppInfo: () => ({ ...appInfo, version: '1.4.0', buildId: 'aaaaaaaaaaaa' }),
        getCaseInfo: () => caseInfo(10),
      },
      { ...initialViewState(), view: 'overview' },
    );
    // The overview asks for its figures: the app is there.
    await waitFor(() =>
      expect(fake.calls.filter((c) => !BOOT_CALLS.includes(c.name)).length).toBeGreaterThan(0),
    );
    expect(screen.queryByTestId('other-build')).toBeNull();
  });
});

describe('buildMismatch', () => {
  const built: BuildInfo = { version: '1.4.0', buildId: 'aaaaaaaaaaaa' };
  it('compares builds; a server from sources by version; an unbuilt page never', () => {
    expect(buildMismatch(built, { version: '1.4.0', buildId: 'aaaaaaaaaaaa' })).toBe(false);
    expect(buildMismatch(built, { version: '1.4.0', buildId: 'cccccccccccc' })).toBe(true);
    expect(buildMismatch(built, { version: '1.4.0' })).toBe(true);
    expect(buildMismatch(built, { version: '1.4.0', buildId: 'dev' })).toBe(false);
    expect(buildMismatch(built, { version: '1.3.0', buildId: 'dev' })).toBe(true);
    expect(buildMismatch({ version: 'dev', buildId: 'dev' }, { version: '9', buildId: 'x' })).toBe(
      false,
    );
  });
});
