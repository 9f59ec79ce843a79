// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RequestHistogram } from '../../shared/contract/analysisApi';
import type { Filters } from '../../shared/query/filterModel';
import { endpointSummary } from '../testing/endpointSummary';
import { initialViewState } from '../state/viewState';
import { caseInfo, renderApp } from '../testing/renderWithApi';

// happy-dom has no layout: recharts is a stand-in whose brush button reports a drag over
// buckets 2-5 the way recharts' Brush calls onChange.
vi.mock('recharts', () => {
  const none = (): null => null;
  const box = (p: { children?: ReactNode }) => <div>{p.children}</div>;
  return {
    ResponsiveContainer: box,
    BarChart: box,
    CartesianGrid: none,
    XAxis: none,
    YAxis: none,
    Tooltip: none,
    Bar: none,
    Brush: (p: { onChange: (r: { startIndex: number; endIndex: number }) => void }) => (
      <button type="button" onClick={() => p.onChange({ startIndex: 2, endIndex: 5 })}>
        drag
      </button>
    ),
  };
});

afterEach(cleanup);

const CASE = 5_000;
const T0 = Date.UTC(2024, 4, 1) * 1000;
const MIN = 60e6;

/** Ten minutes of 100 requests each, or of 10 under the Auth flow's filter. */
function histogram(filters: Filters | undefined): RequestHistogram {
  const per = filters?.flows?.includes('Auth') ? 10 : 100;
  return {
    buckets: Array.from({ length: 10 }, (_, i) => ({
      startUs: T0 + i * MIN,
      endUs: T0 + (i + 1) * MIN,
      s2xx: per - 1,
      s3xx: 0,
      s4xx: 1,
      s5xx: 0,
      other: 0,
    })),
    widthUs: MIN,
    total: per * 10,
    caseFirstUs: T0,
    caseLastUs: T0 + 10 * MIN - 1,
  };
}

function overview(filters: Filters) {
  return renderApp(
    {
      getCaseInfo: () => ({ ...caseInfo(CASE), analysisCurrent: true }),
      requestHistogram: ({ filters: f }) => histogram(f),
      flowTotals: () => [],
      listEndpointPage: () => ({ items: [endpointSummary({})], total: 1, nextCursor: null }),
    },
    { ...initialViewState(), view: 'overview', filters },
  );
}

const total = (): string | null => screen.getByTestId('chart-total').textContent;

describe('the overview chart’s count under a brushed range', () => {
  it('counts the brushed range, and says so', async () => {
    overview({});
    await waitFor(() => expect(total()).toBe('1,000'));
    fireEvent.click(await screen.findByRole('button', { name: 'drag' }));
    expect(total()).toBe('400 of 1,000 requests in the selected range');
  });

  it('counts the matching requests of the range under filters', async () => {
    overview({ flows: ['Auth'] });
    await waitFor(() => expect(total()).toBe('100 of 5,000 requests match'));
    fireEvent.click(await screen.findByRole('button', { name: 'drag' }));
    expect(total()).toBe('40 of 100 matching requests in the selected range');
  });

  it('counts the chart again once its filters change under the brushed range', async () => {
    const { fake } = overview({ flows: ['Auth'] });
    await waitFor(() => expect(total()).toBe('100 of 5,000 requests match'));
    fireEvent.click(await screen.findByRole('button', { name: 'drag' }));
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() =>
      expect(fake.calls.filter((c) => c.name === 'requestHistogram').at(-1)?.input).toMatchObject({
        filters: {},
      }),
    );
    await waitFor(() => expect(total()).toBe('1,000'));
  });
});
