// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseInfo, SourceInfo } from '../../shared/contract/caseApi';
import { AppError } from '../../shared/contract/errors';
import type { FakeHandlers, FakeTransport } from '../api/client';
import { initialViewState } from '../state/viewState';
import { caseInfo, renderApp } from '../testing/renderWithApi';
import { sourceInfo } from '../testing/sourceInfo';

afterEach(cleanup);

function source(id: number, fileName: string, accepted: number, rejected: number): SourceInfo {
  return sourceInfo(id, fileName, {
    path: `/evidence/${fileName}`,
    lines: accepted + rejected,
    accepted,
    rejected,
  });
}

/**
 * The overview of a case of `sources`, on a backend that removes them as asked: a removal of a
 * source that gave requests leaves the analysis out of date until a rebuild.
 */
function overviewOf(
  sources: SourceInfo[],
  more: FakeHandlers = {},
): { fake: FakeTransport; hashes: string[] } {
  let held = [...sources];
  let current = true;
  const info = (): CaseInfo => {
    const base = caseInfo(held.reduce((n, s) => n + s.accepted, 0));
    return {
      ...base,
      counts: {
        ...base.counts,
        sources: held.length,
        rejects: held.reduce((n, s) => n + s.rejected, 0),
      },
      sources: held,
      analysisCurrent: current,
    };
  };
  const { fake, hashes } = renderApp(
    {
      requestHistogram: () => ({
        total: 0,
        buckets: [],
        widthUs: 60e6,
        caseFirstUs: null,
        caseLastUs: null,
      }),
      flowTotals: () => [],
      listEndpointPage: () => ({ items: [], total: 0, nextCursor: null }),
      getCaseInfo: info,
      removeSource: ({ sourceId }) => {
        const gone = held.find((s) => s.id === sourceId);
        if (!gone) throw new AppError('NOT_FOUND', `No source ${sourceId} in this case.`);
        held = held.filter((s) => s !== gone);
        if (gone.accepted > 0) current = false;
        return { removed: true };
      },
      rebuild: () => {
        current = true;
        return { requests: 0, endpoints: 0, sessions: 0, outliers: 0 };
      },
      ...more,
    },
    { ...initialViewState(), view: 'overview' },
  );
  return { fake, hashes };
}

const A = source(1, 'a.log', 480, 0);
const B = source(2, 'b.log', 120, 3);
const names = (fake: FakeTransport): string[] => fake.calls.map((c) => c.name);

async function openDialog(file: string): Promise<HTMLElement> {
  fireEvent.click(await screen.findByRole('button', { name: `Remove ${file} from the case…` }));
  return screen.getByRole('dialog', { name: `Remove ${file} from the case?` });
}

describe('removing a source from the overview', () => {
  it('asks first, saying what leaves the case and what does not, with Cancel focused', async () => {
    overviewOf([A, B]);
    const remove = await screen.findByRole('button', { name: 'Remove b.log from the case…' });
    expect(remove.textContent).toBe('Remove…');
    remove.focus();
    fireEvent.click(remove);
    const dialog = screen.getByRole('dialog', { name: 'Remove b.log from the case?' });
    expect(dialog.hasAttribute('open')).toBe(true);
    const text = dialog.textContent ?? '';
    expect(text).toContain('/evidence/b.log');
    expect(text).toContain('Its 120 requests and 3 rejected lines leave the case.');
    expect(text).toContain('The file on disk is not touched');
    expect(text).toContain('The removal is recorded in the audit log.');
    expect(text).toContain('The analysis is then rebuilt from the requests left.');
    // Enter pressed out of habit cancels: the destructive button is not where focus starts.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
  });

  it('does nothing on Cancel, or on Escape, and gives focus back to the row’s button', async () => {
    const { fake } = overviewOf([A, B]);
    let dialog = await openDialog('b.log');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();

    const opener = screen.getByRole('button', { name: 'Remove b.log from the case…' });
    opener.focus();
    fireEvent.click(opener);
    dialog = screen.getByRole('dialog');
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);

    expect(names(fake)).not.toContain('removeSource');
    expect(names(fake)).not.toContain('rebuild');
    expect(within(screen.getByTestId('sources')).getByText('b.log')).toBeTruthy();
  });

  it('closes on Escape without the app going back a view', async () => {
    overviewOf([A, B], { listSessions: () => ({ sessions: [], nextCursor: null }) });
    // Overview after Sessions: the app's Escape (Back) would return to Sessions.
    fireEvent.click(await screen.findByRole('button', { name: 'Sessions' }));
    await screen.findByTestId('sessions');
    fireEvent.click(screen.getByRole('button', { name: 'Overview' }));
    const dialog = await openDialog('b.log');
    fireEvent.keyDown(within(dialog).getByRole('button', { name: 'Cancel' }), { key: 'Escape' });
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('overview')).toBeTruthy();
    expect(screen.queryByTestId('sessions')).toBeNull();
  });

  it('removes that source, then rebuilds, refreshes the table and offers to import again', async () => {
    const { fake, hashes } = overviewOf([A, B]);
    const dialog = await openDialog('b.log');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove from case' }));

    const note = await screen.findByTestId('source-removed');
    expect(note.getAttribute('role')).toBe('status');
    expect(note.textContent).toContain('Removed b.log: 120 requests');
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(names(fake)).toContain('rebuild'));
    const removal = fake.calls.findIndex((c) => c.name === 'removeSource');
    expect(fake.calls[removal]!.input).toEqual({ sourceId: 2 });
    expect(fake.calls.findIndex((c) => c.name === 'rebuild')).toBeGreaterThan(removal);
    // The table and the figures follow: a.log alone, and its requests.
    const table = screen.getByTestId('sources');
    await waitFor(() => expect(within(table).queryByText('b.log')).toBeNull());
    expect(within(table).getByText('a.log')).toBeTruthy();
    await waitFor(() =>
      expect(
        screen.getByText('Requests', { selector: '.stat-label' }).nextSibling?.textContent,
      ).toBe('480'),
    );

    fireEvent.click(within(note).getByRole('button', { name: 'Import again' }));
    await screen.findByTestId('import-path');
    expect(hashes.at(-1)).toContain('view=import');
  });

  it('shows the rebuild it started, with Cancel', async () => {
    let finish = (): void => undefined;
    const { fake } = overviewOf([A, B], {
      rebuild: () =>
        new Promise((resolve) => {
          finish = () => resolve({ requests: 480, endpoints: 0, sessions: 0, outliers: 0 });
        }),
    });
    fireEvent.click(
      within(await openDialog('b.log')).getByRole('button', { name: 'Remove from case' }),
    );
    await waitFor(() => expect(names(fake)).toContain('rebuild'));
    act(() =>
      fake.emit('rebuildProgress', { rebuildId: 'r1', step: 'scan requests', index: 0, total: 19 }),
    );
    const progress = screen.getByTestId('rebuild-progress');
    expect(within(progress).getByRole('button', { name: 'Cancel' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Rebuilding…' })).toBeTruthy();
    await act(async () => {
      finish();
      fake.emit('rebuildDone', { rebuildId: 'r1', result: null, error: null });
      await Promise.resolve();
    });
    expect(screen.queryByTestId('rebuild-progress')).toBeNull();
  });

  it('says why when refused, keeps the source and the dialog, and rebuilds nothing', async () => {
    const { fake } = overviewOf([A, B], {
      removeSource: () => {
        throw new AppError('BUSY', 'Cannot remove a source while the analysis is being rebuilt.');
      },
    });
    const dialog = await openDialog('b.log');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove from case' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Busy with another task');
    expect(alert.textContent).toContain(
      'Cannot remove a source while the analysis is being rebuilt.',
    );
    // Another try, or Cancel, is one key away.
    expect(
      within(dialog).getByRole('button', { name: 'Remove from case' }).hasAttribute('disabled'),
    ).toBe(false);
    expect(names(fake)).not.toContain('rebuild');
    expect(screen.queryByTestId('source-removed')).toBeNull();
    expect(within(screen.getByTestId('sources')).getByText('b.log')).toBeTruthy();
  });

  it('rebuilds nothing when no request came from the file (the analysis stays current)', async () => {
    const wrongFormat = source(3, 'c.log', 0, 50);
    const { fake } = overviewOf([A, wrongFormat]);
    const dialog = await openDialog('c.log');
    expect(dialog.textContent).toContain('Its 0 requests and 50 rejected lines leave the case.');
    expect(dialog.textContent).toContain('No request came from it: the analysis stays as it is.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove from case' }));
    expect((await screen.findByTestId('source-removed')).textContent).toContain(
      'Removed c.log: 0 requests',
    );
    await waitFor(() =>
      expect(within(screen.getByTestId('sources')).queryByText('c.log')).toBeNull(),
    );
    expect(fake.calls.find((c) => c.name === 'removeSource')?.input).toEqual({ sourceId: 3 });
    expect(names(fake)).not.toContain('rebuild');
  });

  it('shows a file name’s control characters, in the button’s name and the dialog', async () => {
    overviewOf([A, source(4, 'evil\x1b[31m.log', 5, 0)]);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Remove evil\\x1B[31m.log from the case…' }),
    );
    const dialog = screen.getByRole('dialog');
    const title = dialog.querySelector('h2')!;
    expect(title.textContent).toBe('Remove evil\\x1B[31m.log from the case?');
    expect(title.querySelector('.hidden-char')?.textContent).toBe('\\x1B');
    expect(dialog.textContent).not.toContain('\x1b');
  });
});
