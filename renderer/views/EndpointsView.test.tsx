// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EndpointSummary } from '../../shared/contract/analysisApi';
import { initialViewState } from '../state/viewState';
import { caseInfo, renderApp, stubLayout } from '../testing/renderWithApi';

function endpoint(k: number): EndpointSummary {
  return {
    id: `e${k.toString(16).padStart(16, '0')}`,
    method: 'GET',
    host: 'api.example',
    template: `/p${k}/{name}`,
    requestCount: 100 - k,
    firstSeen: '2024-05-01T00:00:00.000Z',
    lastSeen: '2024-05-01T01:00:00.000Z',
    statusMix: { '404': 100 - k },
    latencyMs: { count: 1, median: k, p95: k },
    respBytes: { count: 1, median: 10, p95: 10 },
    flows: [],
    autoFlows: [],
    params: [],
    outlierCount: 0,
  };
}

describe('endpoints view', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('asks the backend for sorted pages, shows the case total, and sorts by a header', async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => caseInfo(),
        listEndpointPage: (input) => ({
          items:
            input.cursor === undefined ? [endpoint(1), endpoint(2)] : [endpoint(3), endpoint(4)],
          total: 102_000,
          nextCursor: input.cursor === undefined ? endpoint(2).id : null,
        }),
      },
      { ...initialViewState(), view: 'endpoints' },
    );
    await screen.findByText('/p1/{name}');
    // When each endpoint was first and last called, as every time is shown (year first, UTC).
    expect(screen.getAllByText('2024-05-01 00:00:00.000').length).toBeGreaterThan(0);
    expect(screen.getAllByText('2024-05-01 01:00:00.000').length).toBeGreaterThan(0);
    // The total the backend counted, not the rows loaded so far.
    expect(await screen.findByText('102,000')).toBeTruthy();
    // The table asks for the next page on its own (the loaded rows fit on screen).
    await screen.findByText('/p4/{name}');
    const first = fake.calls.filter((c) => c.name === 'listEndpointPage').map((c) => c.input);
    expect(first).toEqual([
      { sort: 'requests', dir: 'desc', limit: 500 },
      { sort: 'requests', dir: 'desc', limit: 500, cursor: endpoint(2).id },
    ]);

    fireEvent.click(screen.getByRole('button', { name: /Median, ms/ }));
    await waitFor(() =>
      expect(
        fake.calls.filter((c) => c.name === 'listEndpointPage').map((c) => c.input)[2],
      ).toEqual({ sort: 'median', dir: 'desc', limit: 500 }),
    );
  });
});
