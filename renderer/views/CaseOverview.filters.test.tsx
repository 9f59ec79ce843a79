// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestHistogram } from '../../shared/contract/analysisApi';
import type { Filters } from '../../shared/query/filterModel';
import type { FakeHandlers } from '../api/client';
import { endpointSummary } from '../testing/endpointSummary';
import { initialViewState } from '../state/viewState';
import { caseInfo, renderApp } from '../testing/renderWithApi';

afterEach(cleanup);

const CASE = 939_788;
const T0 = Date.UTC(2024, 4, 1) * 1000;

/** The whole case, or its Auth flow's requests when filtered to it. */
function histogram(filters: Filters | undefined): RequestHistogram {
  const n = filters?.flows?.includes('Auth') ? 4_660 : CASE;
  return {
    buckets: [{ startUs: T0, endUs: T0 + 60e6, s2xx: n, s3xx: 0, s4xx: 0, s5xx: 0, other: 0 }],
    widthUs: 60e6,
    total: n,
    caseFirstUs: T0,
    caseLastUs: T0 + 59e6,
  };
}

function overview(filters: Filters, more: FakeHandlers = {}) {
  return renderApp(
    {
      getCaseInfo: () => ({ ...caseInfo(CASE), analysisCurrent: true }),
      requestHistogram: ({ filters: f }) => histogram(f),
      flowTotals: () => [
        { flow: 'Auth', requests: 4_660 },
        { flow: 'Acc mgmt', requests: 237 },
      ],
      listEndpointPage: () => ({
        items: [endpointSummary({ requestCount: 53_020 })],
        total: 1,
        nextCursor: null,
      }),
      ...more,
    },
    { ...initialViewState(), view: 'overview', filters },
  );
}

const panel = async (title: string): Promise<HTMLElement> =>
  (await screen.findByRole('heading', { name: title })).closest('section')!;

describe('the overview under the Sessions list’s filters', () => {
  it('says on the chart which filters it counts through, and that the other panels do not', async () => {
    overview({ flows: ['Auth'] });
    const chart = await panel('Requests over time');
    await waitFor(() =>
      expect(within(chart).getByTestId('chart-total').textContent).toBe(
        '4,660 of 939,788 requests match',
      ),
    );
    const line = within(chart).getByTestId('overview-filters');
    expect(line.textContent).toContain('Chart filtered as in Sessions:');
    expect(line.textContent).toContain('Flow: Auth');
    // The figures counted over the whole case say so while a filter is set.
    expect(within(await panel('Top flows')).getByText('Whole case')).toBeTruthy();
    expect(within(await panel('Riskiest endpoints')).getByText('Whole case')).toBeTruthy();
  });

  it('drops a filter from its chip, and all of them from Clear filters', async () => {
    const { fake } = overview({ flows: ['Auth'], methods: ['POST'] });
    const chart = await panel('Requests over time');
    await within(chart).findByText('Clear filters');
    fireEvent.click(screen.getByRole('button', { name: 'Remove filter Method: POST' }));
    await waitFor(() =>
      expect(fake.calls.filter((c) => c.name === 'requestHistogram').at(-1)?.input).toMatchObject({
        filters: { flows: ['Auth'] },
      }),
    );
    fireEvent.click(within(chart).getByRole('button', { name: 'Clear filters' }));
    await waitFor(() =>
      expect(within(chart).getByTestId('chart-total').textContent).toBe('939,788'),
    );
    expect(screen.queryByTestId('overview-filters')).toBeNull();
    expect(screen.queryByText('Whole case')).toBeNull();
  });

  it('shows nothing of filters, and the plain total, when none is set', async () => {
    overview({});
    await waitFor(() => expect(screen.getByTestId('chart-total').textContent).toBe('939,788'));
    expect(screen.queryByTestId('overview-filters')).toBeNull();
    expect(screen.queryByText('Whole case')).toBeNull();
  });

  it('says when no request matches, rather than draw an empty axis', async () => {
    overview(
      { flows: ['Billing'] },
      { requestHistogram: () => ({ ...histogram({}), buckets: [], total: 0 }) },
    );
    expect(await screen.findByText('No request matches these filters.')).toBeTruthy();
    expect(screen.queryByTestId('requests-over-time')).toBeNull();
  });
});

describe('the overview while it loads', () => {
  it('marks each panel busy and says Loading, never an empty chart or a dash', async () => {
    let letGo = (): void => undefined;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const { fake } = overview(
      {},
      {
        requestHistogram: async ({ filters }) => {
          await held;
          return histogram(filters);
        },
        flowTotals: async () => {
          await held;
          return [{ flow: 'Auth', requests: 4_660 }];
        },
        listEndpointPage: async () => {
          await held;
          return { items: [endpointSummary({})], total: 1, nextCursor: null };
        },
      },
    );
    await waitFor(() => expect(fake.calls.some((c) => c.name === 'listEndpointPage')).toBe(true));
    for (const title of ['Requests over time', 'Top flows', 'Riskiest endpoints']) {
      const p = await panel(title);
      expect(p.getAttribute('aria-busy')).toBe('true');
      expect(within(p).getByText('Loading…')).toBeTruthy();
      expect(within(p).queryByText('—')).toBeNull();
    }
    expect(screen.queryByTestId('requests-over-time')).toBeNull();
    letGo();
    await screen.findByTestId('top-flows');
    await screen.findByTestId('riskiest-endpoints');
    await screen.findByTestId('requests-over-time');
    for (const title of ['Requests over time', 'Top flows', 'Riskiest endpoints']) {
      expect((await panel(title)).hasAttribute('aria-busy')).toBe(false);
    }
  });

  it('asks for the flows and the riskiest endpoints before the chart’s counts', async () => {
    // The backend answers in turn: the quick calls first, not queued behind every request read.
    const { fake } = overview({});
    await screen.findByTestId('top-flows');
    const names = fake.calls.map((c) => c.name);
    const at = (n: string): number => names.indexOf(n as (typeof names)[number]);
    expect(at('flowTotals')).toBeGreaterThanOrEqual(0);
    expect(at('flowTotals')).toBeLessThan(at('requestHistogram'));
    expect(at('listEndpointPage')).toBeLessThan(at('requestHistogram'));
  });

  it('never shows 0% for a flow with requests', async () => {
    overview({});
    const table = await screen.findByTestId('top-flows');
    const row = within(table).getByRole('button', { name: 'Acc mgmt' }).closest('tr')!;
    expect(row.textContent).toBe('Acc mgmt237<0.1%');
    expect(table.textContent).toContain('0.5%');
  });
});
