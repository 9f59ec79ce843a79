// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { initialViewState } from '../state/viewState';
import type { CaseInfo } from '../../shared/contract/caseApi';
import type { FakeHandlers, FakeTransport } from '../api/client';
import { endpointSummary } from '../testing/endpointSummary';
import { caseInfo, renderApp } from '../testing/renderWithApi';

afterEach(cleanup);

function overview(
  analysisCurrent: boolean | undefined,
  more: FakeHandlers = {},
  info: CaseInfo = caseInfo(100),
): FakeTransport {
  return renderApp(
    {
      ...more,
      getCaseInfo: () => ({ ...info, analysisCurrent }),
      requestHistogram: () => ({
        total: 0,
        buckets: [],
        widthUs: 60e6,
        caseFirstUs: null,
        caseLastUs: null,
      }),
      flowTotals: () => [],
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

  it('says nothing of it while a rebuild runs (one after an import brings it up to date)', async () => {
    const fake = overview(false);
    await screen.findByText(/^The analysis shown/);
    act(() =>
      fake.emit('rebuildProgress', { rebuildId: 'r1', step: 'scan requests', index: 0, total: 19 }),
    );
    expect(screen.queryByText(/^The analysis shown/)).toBeNull();
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

describe('rejected lines from the overview', () => {
  it('the Rejected lines figure lists them, the selected one shown whole', async () => {
    const source = {
      id: 3,
      path: '/logs/a.log',
      fileName: 'a.log',
      sizeBytes: 10,
      sha256: 'ab',
      format: 'combined',
      tz: null,
      assumedHost: 'shop.example.com',
      importedAt: '2026-11-27T10:00:00Z',
      lines: 12,
      accepted: 10,
      rejected: 2,
      status: 'complete' as const,
    };
    const raw = '<script>x</script> '.repeat(20);
    overview(
      true,
      {
        listRejects: (input) => ({
          items:
            input.sourceId === 3
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
    expect(detail.textContent).toContain('Line 7 · does not match the combined/common layout');
    expect(detail.querySelector('pre')!.textContent).toBe(raw);
    expect(detail.querySelector('script')).toBeNull();
    expect(detail.textContent).toContain('The line held 9,000 bytes');
  });
});
