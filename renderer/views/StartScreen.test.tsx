// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseInfo, RecentCase } from '../../shared/contract/caseApi';
import { AppError } from '../../shared/contract/errors';
import { caseInfo, renderApp } from '../testing/renderWithApi';

afterEach(cleanup);

const DEMO: CaseInfo = {
  ...caseInfo(1853),
  path: '/data/demo/demo.sscase',
  name: 'demo.sscase',
  isDemo: true,
};

const recent = (path: string): RecentCase => ({
  path,
  name: path.slice(path.lastIndexOf('/') + 1),
  openedAt: '2026-11-20T09:00:00Z',
  exists: true,
  uuid: null,
});

/**
 * The start screen over `open` (null: no case open), the recent list `list`: with a case open,
 * reached as the investigator does, by the app's name in the top bar.
 */
async function start(open: CaseInfo | null, list: RecentCase[]) {
  const app = renderApp({
    getCaseInfo: () => {
      if (!open) throw new AppError('NOT_FOUND', 'No case is open.');
      return open;
    },
    listRecentCases: () => list,
  });
  if (open) {
    await screen.findByTestId('case-name');
    fireEvent.click(screen.getByRole('button', { name: 'Sessionscope' }));
  }
  return app;
}

const panel = async (): Promise<HTMLElement> =>
  (await screen.findByRole('heading', { name: 'Recent cases' })).closest<HTMLElement>('.panel') ??
  document.body;

describe('the start screen’s recent cases', () => {
  it('lists the open demo case, not "No recent cases", and goes back to it', async () => {
    const { hashes } = await start(DEMO, []);
    const open = await screen.findByTestId('open-case');
    expect(open.textContent).toContain('Demo case');
    expect(open.textContent).toContain('/data/demo/demo.sscase');
    expect(open.textContent).toContain('Open now · 1,853 requests');
    expect(screen.queryByText('No recent cases.')).toBeNull();
    fireEvent.click(within(open).getByRole('button'));
    await screen.findByTestId('overview');
    expect(hashes.at(-1)).toContain('view=overview');
  });

  it('lists the open case once, first, and the other recent cases after it', async () => {
    const mine = caseInfo(10);
    await start(mine, [recent('/cases/other.sscase'), recent(mine.path)]);
    await screen.findByText('other.sscase');
    const items = within(await panel())
      .getAllByRole('listitem')
      .map((li) => li.querySelector('.recent-name')!.textContent);
    expect(items).toEqual(['test.sscase', 'other.sscase']);
    expect(screen.getByTestId('open-case').querySelector('[aria-current="true"]')).not.toBeNull();
  });

  it('says there are none when no case is open and none was', async () => {
    await start(null, []);
    await screen.findByText('No recent cases.');
    expect(screen.queryByTestId('open-case')).toBeNull();
  });
});
