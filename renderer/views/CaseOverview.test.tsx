// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { initialViewState } from '../state/viewState';
import type { CaseInfo } from '../../shared/contract/caseApi';
import type { FakeHandlers, FakeTransport } from '../api/client';
import { endpointSummary } from '../testing/endpointSummary';
import { fakeHistogram } from '../testing/fakeHistogram';
import { rejectInfo, sourceInfo } from '../testing/sourceInfo';
import { caseInfo, renderApp, stubLayout } from '../testing/renderWithApi';

afterEach(cleanup);

function overview(
  analysisCurrent: boolean | undefined,
  more: FakeHandlers = {},
  info: CaseInfo = caseInfo(100),
): FakeTransport {
  return renderApp(
    {
      requestHistogram: () => ({
        total: 0,
        buckets: [],
        widthUs: 60e6,
        caseFirstUs: null,
        caseLastUs: null,
      }),
      flowTotals: () => [],
      ...more,
      getCaseInfo: () => ({ ...info, analysisCurrent }),
    },
    { ...initialViewState(), view: 'overview' },
  ).fake;
}

describe('case overview', () => {
  it('says when the analysis shown is out of date, beside the button that rebuilds it', async () => {
    overview(false);
    expect(
      await screen.findByText(/^The analysis shown was not made from this case’s requests/),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Rebuild analysis' })).toBeTruthy();
  });

  it('says why the analysis is out of date when the backend says', async () => {
    const said: [CaseInfo['analysisStale'], RegExp][] = [
      ['requests', /^Requests were imported into or removed from this case since/],
      ['version', /^The analysis shown was made by another version of Sessionscope, or marked/],
      ['settings', /^The analysis settings changed since the analysis shown was made/],
      ['never', /^This case has not been analysed yet/],
    ];
    for (const [stale, text] of said) {
      overview(false, {}, { ...caseInfo(100), analysisStale: stale });
      expect((await screen.findByTestId('analysis-stale')).textContent).toMatch(text);
      cleanup();
    }
  });

  it('says nothing of it while a rebuild runs (one after an import brings it up to date)', async () => {
    const fake = overview(false);
    await screen.findByText(/^The analysis shown/);
    act(() =>
      fake.emit('rebuildProgress', { rebuildId: 'r1', step: 'scan requests', index: 0, total: 19 }),
    );
    // The page may have mounted a moment before and subscribe to rebuilds only now (React's
    // effects run after the paint): once the progress shows, the note is gone in that render.
    await screen.findByTestId('rebuild-progress');
    expect(screen.queryByText(/^The analysis shown/)).toBeNull();
  });

  it('offers Cancel from the moment the rebuild button is pressed, before its first step', async () => {
    const fake = overview(false, {
      // The rebuild runs until it is cancelled; no step of it is heard yet.
      rebuild: () => new Promise(() => undefined),
      cancelRebuild: () => ({ cancelled: true }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Rebuild analysis' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(fake.calls.some((c) => c.name === 'cancelRebuild')).toBe(true));
    // Once a step is heard, the rebuild's own progress (with its Cancel) takes over: one Cancel.
    act(() =>
      fake.emit('rebuildProgress', { rebuildId: 'r1', step: 'scan requests', index: 0, total: 19 }),
    );
    await screen.findByTestId('rebuild-progress');
    expect(screen.queryByTestId('rebuild-starting')).toBeNull();
  });

  it('asks for the top flows again once a rebuild is done', async () => {
    const fake = overview(true);
    await screen.findByRole('button', { name: 'Rebuild analysis' });
    const flowCalls = () => fake.calls.filter((c) => c.name === 'flowTotals').length;
    await waitFor(() => expect(flowCalls()).toBe(1));
    act(() => fake.emit('rebuildDone', { rebuildId: 'r1', result: null, error: null }));
    await waitFor(() => expect(flowCalls()).toBe(2));
  });

  it('says nothing of it when the analysis is current, or not known', async () => {
    for (const current of [true, undefined]) {
      overview(current);
      await screen.findByRole('button', { name: 'Rebuild analysis' });
      expect(screen.queryByText(/^The analysis shown/)).toBeNull();
      cleanup();
    }
  });

  it('lists the riskiest endpoints with their factors, each opening the sessions that called it', async () => {
    const id = 'e00000000000000ab';
    const fake = overview(true, {
      listEndpointPage: () => ({
        items: [
          endpointSummary({
            id,
            template: '/<b>search</b>',
            requestCount: 490,
            risk: {
              score: 9,
              level: 'High',
              factors: [{ id: 'succeeded-attack', weight: 9, detail: '3 answered 2xx' }],
            },
          }),
        ],
        total: 1,
        nextCursor: null,
      }),
      listSessions: () => ({ sessions: [], nextCursor: null }),
    });
    const table = await screen.findByTestId('riskiest-endpoints');
    expect(fake.calls.find((c) => c.name === 'listEndpointPage')?.input).toEqual({
      sort: 'risk',
      dir: 'desc',
      limit: 8,
    });
    expect(table.textContent).toContain('9 High attack answered 2xx');
    expect(table.querySelector('b')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'GET /<b>search</b>' }));
    await waitFor(() =>
      expect(
        (fake.calls.find((c) => c.name === 'listSessions')?.input as { filters: unknown })?.filters,
      ).toEqual({ endpoints: [id] }),
    );
  });
});

describe('requests over time, with a line dated years from the rest', () => {
  it('charts where the requests are, says what lies outside, and shows the whole span on asking', async () => {
    const DAY = 86_400e6;
    const t0 = Date.UTC(2019, 5, 1) * 1000;
    // One request in 2019; 999 over three hours, years later.
    const busyFrom = t0 + 95 * 20 * DAY + 3_600e6;
    const times = [t0, ...Array.from({ length: 999 }, (_, k) => busyFrom + k * 10_800e3)];
    const fake = overview(true, {
      requestHistogram: ({ filters, buckets }) => fakeHistogram(times, filters, buckets ?? 96),
    });
    const note = await screen.findByTestId('chart-outside');
    expect(note.textContent).toContain('left out of this chart: 1 before');
    const asked = fake.calls
      .filter((c) => c.name === 'requestHistogram')
      .map((c) => c.input as { filters: { from?: number; to?: number }; buckets: number });
    // The whole span, then its busy part in the chart's 96 buckets: from its first request to
    // its last, as the whole span's buckets said them (no narrowing passes).
    expect(asked).toHaveLength(2);
    expect(asked[0]!.filters.from).toBeUndefined();
    expect(asked[1]).toEqual({ filters: { from: busyFrom, to: times.at(-1)! + 1 }, buckets: 96 });
    fireEvent.click(screen.getByRole('button', { name: 'Show the whole span' }));
    screen.getByRole('button', { name: 'Show where most requests are' });
  });
});

describe('rejected lines from the overview', () => {
  it('the Rejected lines figure lists them, the selected one shown whole', async () => {
    const source = sourceInfo(3, 'a.log', { assumedHost: 'shop.example.com' });
    const raw = '<script>x</script> '.repeat(20);
    overview(
      true,
      {
        listRejects: (input) => ({
          items:
            input.sourceId === undefined || input.sourceId === 3
              ? [
                  {
                    id: 1,
                    sourceId: 3,
                    lineNo: 7,
                    reason: 'does not match the combined/common layout',
                    raw,
                    rawLength: 9000,
                    truncated: true,
                  },
                ]
              : [],
          nextCursor: null,
        }),
      },
      { ...caseInfo(10), counts: { requests: 10, sources: 1, rejects: 2 }, sources: [source] },
    );
    fireEvent.click(await screen.findByRole('button', { name: /Rejected lines\s*2/ }));
    // The host assumed at import is shown with the source, as its time zone is.
    expect(screen.getByText('· host shop.example.com (assumed)')).toBeTruthy();
    const detail = await screen.findByTestId('reject-detail');
    expect(detail.textContent).toContain(
      'Line 7 · a.log · does not match the combined/common layout',
    );
    expect(detail.querySelector('pre')!.textContent).toBe(raw);
    expect(detail.querySelector('script')).toBeNull();
    expect(detail.textContent).toContain('The line held 9,000 bytes');
  });

  it('focuses the list it opens, so the arrow keys move its selection without a click', async () => {
    stubLayout();
    const source = (id: number, fileName: string) => sourceInfo(id, fileName);
    overview(
      true,
      {
        // One source's lines, or (no source asked) every source's, in id order.
        listRejects: (input) => ({
          items: (input.sourceId === undefined ? [3, 4] : [input.sourceId]).flatMap((s) => [
            rejectInfo(s, 3),
            rejectInfo(s, 9),
          ]),
          nextCursor: null,
        }),
      },
      {
        ...caseInfo(10),
        counts: { requests: 10, sources: 2, rejects: 4 },
        sources: [source(3, 'a.log'), source(4, 'b.log')],
      },
    );
    fireEvent.click(await screen.findByRole('button', { name: /Rejected lines\s*4/ }));
    await screen.findByText('Line 3');
    const grid = (): Element | null =>
      screen.getByTestId('rejects').querySelector('[data-table-focus]');
    await waitFor(() => expect(document.activeElement).toBe(grid()));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(screen.getByTestId('reject-detail').textContent).toContain('bad line 9 of 3');
    // Another source's lines, from the sources table: focused too, from their first line.
    const sources = screen.getByTestId('sources');
    const bRow = within(sources).getByText('b.log').closest('tr')!;
    fireEvent.click(
      within(bRow).getByRole('button', { name: 'Show the 2 rejected lines of b.log' }),
    );
    await screen.findByText(/bad line 3 of 4/, { selector: '.reject-detail div' });
    await waitFor(() => expect(document.activeElement).toBe(grid()));
  });

  it('the Rejected figure lists every source’s lines, each with its source; a switch takes one', async () => {
    stubLayout();
    const source = (id: number, fileName: string, rejected: number) =>
      sourceInfo(id, fileName, { accepted: 10 - rejected, rejected });
    const lines: Record<number, number[]> = { 3: [2], 4: [5, 8], 5: [] };
    const fake = overview(
      true,
      {
        listRejects: (input) => ({
          items: Object.entries(lines)
            .filter(([s]) => input.sourceId === undefined || Number(s) === input.sourceId)
            .flatMap(([s, ns]) => ns.map((n) => rejectInfo(Number(s), n))),
          nextCursor: null,
        }),
      },
      {
        ...caseInfo(10),
        counts: { requests: 10, sources: 3, rejects: 3 },
        sources: [source(3, 'a.log', 1), source(4, 'b.log', 2), source(5, 'c.log', 0)],
      },
    );
    fireEvent.click(await screen.findByRole('button', { name: /Rejected lines\s*3/ }));
    const list = await screen.findByTestId('rejects');
    await waitFor(() => expect(list.querySelectorAll('.vtable-row[role="row"]')).toHaveLength(3));
    const rowText = (): string[] =>
      [...screen.getByTestId('rejects').querySelectorAll('.vtable-row[role="row"]')].map(
        (r) => r.textContent ?? '',
      );
    // Every source's lines, each with its source, as the figure counts them.
    expect(rowText()).toEqual([
      'a.log2bad line 2 of 3x',
      'b.log5bad line 5 of 4x',
      'b.log8bad line 8 of 4x',
    ]);
    expect(fake.calls.find((c) => c.name === 'listRejects')?.input).toEqual({ limit: 200 });
    expect(screen.getByTestId('reject-detail').textContent).toContain(
      'Line 2 · a.log · bad line 2 of 3',
    );
    // The switch names each source that has rejected lines, with their count.
    const pick = screen.getByRole('combobox', { name: 'Source' }) as HTMLSelectElement;
    expect([...pick.options].map((o) => o.textContent)).toEqual([
      'All sources (3)',
      'a.log (1)',
      'b.log (2)',
    ]);
    fireEvent.change(pick, { target: { value: '4' } });
    await waitFor(() => expect(rowText()).toEqual(['5bad line 5 of 4x', '8bad line 8 of 4x']));
    expect(fake.calls.filter((c) => c.name === 'listRejects').at(-1)?.input).toEqual({
      sourceId: 4,
      limit: 200,
    });
    // A source's count in the sources table opens its own lines, the switch saying which.
    fireEvent.click(
      within(screen.getByTestId('sources')).getByRole('button', {
        name: 'Show the rejected line of a.log',
      }),
    );
    await waitFor(() => expect(rowText()).toEqual(['2bad line 2 of 3x']));
    expect(pick.value).toBe('3');
  });
});
