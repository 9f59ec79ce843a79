// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HistogramBucket, RequestHistogram } from '../../shared/contract/analysisApi';
import { initialViewState } from '../state/viewState';
import { fakeHistogram } from '../testing/fakeHistogram';
import { caseInfo, renderApp } from '../testing/renderWithApi';

// Every set of buckets the overview hands its chart, in order (happy-dom draws no chart).
const drawn = vi.hoisted(() => [] as (readonly HistogramBucket[])[]);
vi.mock('./overview/RequestsOverTime', () => ({
  RequestsOverTime: (p: { buckets: readonly HistogramBucket[] }) => {
    drawn.push(p.buckets);
    return <div data-testid="requests-over-time" data-buckets={p.buckets.length} />;
  },
}));

afterEach(() => {
  cleanup();
  drawn.length = 0;
});

const DAY = 86_400e6;
const t0 = Date.UTC(2019, 5, 1) * 1000;
// One request in 2019; 999 over three hours, years later.
const busyFrom = t0 + 95 * 20 * DAY + 3_600e6;
const oneFarOff = [t0, ...Array.from({ length: 999 }, (_, k) => busyFrom + k * 10_800e3)];

/** The backend's histogram of `times` (by default one far off, then the busy hours). */
function histogram(
  filters: { from?: number; to?: number } | undefined,
  n: number,
  times: readonly number[] = oneFarOff,
): RequestHistogram {
  return fakeHistogram(times, filters, n);
}

describe('the overview chart, with a line dated years from the rest', () => {
  it('waits for the narrowed chart instead of drawing the squeezed whole span first', async () => {
    // The busy part's histogram answers only when let go.
    let letGo = (): void => undefined;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const { fake } = renderApp(
      {
        getCaseInfo: () => ({ ...caseInfo(1000), analysisCurrent: true }),
        flowTotals: () => [],
        requestHistogram: async ({ filters, buckets }): Promise<RequestHistogram> => {
          if (filters?.from !== undefined) await held;
          return histogram(filters, buckets ?? 96);
        },
      },
      { ...initialViewState(), view: 'overview' },
    );
    // The whole span has come and the busy part's is asked for.
    await waitFor(() =>
      expect(
        fake.calls.some(
          (c) =>
            c.name === 'requestHistogram' &&
            (c.input as { filters?: { from?: number } }).filters?.from !== undefined,
        ),
      ).toBe(true),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getByTestId('overview').querySelector('.panel-actions')?.textContent).toBe(
      '1,000',
    );
    const squeezed = (b: readonly HistogramBucket[]): boolean => b[0]?.startUs === t0;
    expect(drawn.some(squeezed)).toBe(false);
    // Said to be loading, not drawn empty.
    expect(screen.getByTestId('chart-loading').textContent).toBe('Loading…');
    expect(screen.queryByTestId('requests-over-time')).toBeNull();
    letGo();
    await screen.findByTestId('chart-outside');
    await waitFor(() =>
      expect(screen.getByTestId('requests-over-time').dataset.buckets).toBe('96'),
    );
    // Never the squeezed span: Loading, then the busy hours.
    expect(drawn.some(squeezed)).toBe(false);
    expect(drawn.at(-1)![0]!.startUs).toBe(busyFrom);
  });
});

describe('the overview chart, with two logs years apart', () => {
  // 800 requests over an hour in 2019, 1,200 over two hours in 2026.
  const from2019 = Date.UTC(2019, 2, 1, 8) * 1000;
  const from2026 = Date.UTC(2026, 10, 20, 9) * 1000;
  const twoLogs = [
    ...Array.from({ length: 800 }, (_, k) => from2019 + k * 4_500e3),
    ...Array.from({ length: 1200 }, (_, k) => from2026 + k * 6_000e3),
  ];

  it('offers each period alone, and the whole span again', async () => {
    const { fake } = renderApp(
      {
        getCaseInfo: () => ({ ...caseInfo(2000), analysisCurrent: true }),
        flowTotals: () => [],
        requestHistogram: ({ filters, buckets }) => histogram(filters, buckets ?? 96, twoLogs),
      },
      { ...initialViewState(), view: 'overview' },
    );
    const picker = await screen.findByTestId('chart-periods');
    const buttons = within(picker).getAllByRole('button');
    // Named by their first and last request (each within a day: the day, then both times).
    expect(buttons.map((b) => b.textContent)).toEqual([
      '2019-03-01 08:00:00 – 08:59:55, 800 requests',
      '2026-11-20 09:00:00 – 10:59:54, 1,200 requests',
    ]);
    // The whole span first: both slivers.
    expect(drawn.at(-1)![0]!.startUs).toBe(from2019);
    const total = (): string | null => screen.getByTestId('chart-total').textContent;
    expect(total()).toBe('2,000');

    fireEvent.click(buttons[1]!);
    expect(buttons[1]!.getAttribute('aria-pressed')).toBe('true');
    expect(buttons[0]!.getAttribute('aria-pressed')).toBe('false');
    // Its own chart: from its first request to its last, none of 2019's.
    await waitFor(() => expect(drawn.at(-1)![0]!.startUs).toBe(from2026));
    expect(drawn.at(-1)!.at(-1)!.endUs).toBeLessThan(from2026 + 3 * 3_600e6);
    const counted = drawn.at(-1)!.reduce((n, b) => n + b.s2xx, 0);
    expect(counted).toBe(1200);
    expect(total()).toBe('1,200 of 2,000 requests in the selected range');
    const asked = fake.calls.filter((c) => c.name === 'requestHistogram').at(-1)!.input as {
      filters: { from: number; to: number };
    };
    expect(asked.filters).toEqual({ from: from2026, to: from2026 + 1199 * 6_000e3 + 1 });

    fireEvent.click(within(picker).getByRole('button', { name: 'Show the whole span' }));
    await waitFor(() => expect(drawn.at(-1)![0]!.startUs).toBe(from2019));
    expect(total()).toBe('2,000');
    expect(within(picker).queryByRole('button', { name: 'Show the whole span' })).toBeNull();
  });

  it('offers none for one log, however long', async () => {
    const steady = Array.from({ length: 500 }, (_, k) => from2019 + k * DAY);
    renderApp(
      {
        getCaseInfo: () => ({ ...caseInfo(500), analysisCurrent: true }),
        flowTotals: () => [],
        requestHistogram: ({ filters, buckets }) => histogram(filters, buckets ?? 96, steady),
      },
      { ...initialViewState(), view: 'overview' },
    );
    await screen.findByTestId('requests-over-time');
    expect(screen.queryByTestId('chart-periods')).toBeNull();
  });
});
