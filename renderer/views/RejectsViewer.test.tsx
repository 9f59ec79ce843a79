// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RejectInfo } from '../../shared/contract/caseApi';
import { AppError } from '../../shared/contract/errors';
import { ApiProvider } from '../api/ApiContext';
import { createClient, createFakeTransport, type FakeHandlers } from '../api/client';
import { I18nProvider } from '../i18n/I18nContext';
import { stubLayout } from '../testing/renderWithApi';
import { rejectInfo } from '../testing/sourceInfo';
import { REASON_TRACK, RejectsViewer, fitTrack } from './RejectsViewer';

afterEach(cleanup);

// "caf\xe9 <\x80>" as read: Latin-1 é and a lone continuation byte, neither of them UTF-8.
const BYTES = btoa('caf\xe9 <\x80>');
const latin: RejectInfo = {
  ...rejectInfo(3, 9),
  raw: 'caf\uFFFD <\uFFFD>',
  rawLength: 7,
  notUtf8: true,
};

function renderRejects(over: FakeHandlers = {}, locale: 'en' | 'ja' = 'en') {
  stubLayout();
  const fake = createFakeTransport({
    listRejects: () => ({ items: [rejectInfo(3, 2), latin], nextCursor: null }),
    getRejectBytes: ({ id }) => {
      if (id !== latin.id) throw new AppError('NOT_FOUND', `No rejected line ${id}.`);
      return { id, rawBase64: BYTES };
    },
    ...over,
  });
  render(
    <ApiProvider client={createClient(fake)}>
      <I18nProvider locale={locale} zone="UTC">
        <RejectsViewer sourceId={3} />
      </I18nProvider>
    </ApiProvider>,
  );
  return fake;
}

const bytesAsked = (fake: ReturnType<typeof renderRejects>) =>
  fake.calls.filter((c) => c.name === 'getRejectBytes').map((c) => c.input);

async function selectSecond(): Promise<HTMLElement> {
  const detail = await screen.findByTestId('reject-detail');
  await screen.findByText('caf\uFFFD <\uFFFD>');
  const grid = screen.getByTestId('rejects').querySelector<HTMLElement>('[data-table-focus]')!;
  fireEvent.keyDown(grid, { key: 'ArrowDown' });
  await waitFor(() => expect(detail.textContent).toContain('Line 9'));
  return detail;
}

describe('a rejected line whose bytes are not UTF-8', () => {
  it('shows its bytes in base64 in its detail, asked for that line alone', async () => {
    const fake = renderRejects();
    const detail = await screen.findByTestId('reject-detail');
    // A UTF-8 line: its text is its bytes, nothing more to show or ask for.
    expect(detail.textContent).toContain('Line 2');
    expect(screen.queryByTestId('reject-bytes')).toBeNull();
    await selectSecond();
    const bytes = await screen.findByLabelText('The line’s bytes in base64');
    expect(bytes.textContent).toBe(BYTES);
    expect(screen.getByTestId('reject-bytes').textContent).toContain(
      'Its bytes are not valid UTF-8',
    );
    expect(bytesAsked(fake)).toEqual([{ id: latin.id }]);
    // The page asked for carried no bytes: the list call is the keyset page alone.
    expect(fake.calls.find((c) => c.name === 'listRejects')?.input).toEqual({
      sourceId: 3,
      limit: 200,
    });
    fireEvent.keyDown(
      screen.getByTestId('rejects').querySelector<HTMLElement>('[data-table-focus]')!,
      { key: 'ArrowUp' },
    );
    await waitFor(() => expect(screen.queryByTestId('reject-bytes')).toBeNull());
  });

  it('says why when its bytes cannot be had, in Japanese too', async () => {
    renderRejects(
      { getRejectBytes: () => Promise.reject(new AppError('NOT_FOUND', 'gone')) },
      'ja',
    );
    const detail = await screen.findByTestId('reject-detail');
    await screen.findByText('caf\uFFFD <\uFFFD>');
    fireEvent.keyDown(
      screen.getByTestId('rejects').querySelector<HTMLElement>('[data-table-focus]')!,
      { key: 'ArrowDown' },
    );
    await waitFor(() => expect(detail.textContent).toContain('9 行目'));
    const view = screen.getByTestId('reject-bytes');
    expect(view.textContent).toContain('有効な UTF-8 ではありません');
    await waitFor(() => expect(view.textContent).toContain('gone'));
    expect(screen.queryByLabelText('この行のバイト列（base64）')).toBeNull();
  });
});

describe('the rejected lines table', () => {
  // As the HAProxy reader words a non-request line: 66 letters.
  const HAPROXY_REASON = 'HAProxy message, not an HTTP log line: Proxy prod_http_in started.';

  it('gives the reason its text’s width before the raw text grows, not a quarter of the room', async () => {
    renderRejects({
      listRejects: () => ({
        items: [{ ...rejectInfo(3, 2), reason: HAPROXY_REASON }],
        nextCursor: null,
      }),
    });
    const cell = (await screen.findAllByText(HAPROXY_REASON))
      .map((e) => e.closest<HTMLElement>('[role="gridcell"]'))
      .find((e) => e !== null)!;
    const row = cell.closest<HTMLElement>('[role="row"]')!;
    // 66 letters at 6.7 px and the cell's padding; the raw text takes the rest.
    expect(row.style.gridTemplateColumns).toBe(
      '80px minmax(160px, min(459px, 40%)) minmax(240px, 3fr)',
    );
    // Whole on hover.
    expect(cell.title).toBe(HAPROXY_REASON);
  });

  it('grows the reason column to 40% of the table at most: the title and the detail hold the rest', () => {
    expect(fitTrack(['x'.repeat(300), 'short'], REASON_TRACK)).toBe(
      'minmax(160px, min(2026px, 40%))',
    );
    expect(fitTrack([], REASON_TRACK)).toBe('minmax(160px, min(160px, 40%))');
  });
});

describe('a rejected line’s number', () => {
  it('is shown as an identifier, ungrouped, in the table and the detail', async () => {
    renderRejects({
      listRejects: () => ({ items: [rejectInfo(3, 1011)], nextCursor: null }),
    });
    const detail = await screen.findByTestId('reject-detail');
    expect(detail.textContent).toContain('Line 1011 ·');
    const cell = (await screen.findAllByText('1011')).find(
      (e) => e.closest('[role="gridcell"]') !== null,
    );
    expect(cell).toBeDefined();
    expect(screen.getByTestId('rejects').textContent).not.toContain('1,011');
  });
});
