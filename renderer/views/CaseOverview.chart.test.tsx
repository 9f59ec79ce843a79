// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HistogramBucket, RequestHistogram } from '../../shared/contract/analysisApi';
import { initialViewState } from '../state/viewState';
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
const times = [t0, ...Array.from({ length: 999 }, (_, k) => busyFrom + k * 10_800e3)];

/** The backend's histogram: n equal buckets over the filter's range (or the case's). */
function histogram(filters: { from?: number; to?: number } | undefined, n: number) {
  const from = filters?.from ?? t0;
  const to = filters?.to ?? times.at(-1)! + 1;
  const width = Math.ceil((to - from) / n);
  const counts = Array.from({ length: n }, () => 0);
  for (const ts of times) if (ts >= from && ts < to) counts[Math.floor((ts - from) / width)]!++;
  return {
    buckets: counts.map((s2xx, i) => ({
      startUs: from + i * width,
      endUs: from + (i + 1) * width,
      s2xx,
      s3xx: 0,
      s4xx: 0,
      s5xx: 0,
      other: 0,
    })),
    widthUs: width,
    total: counts.reduce((a, b) => a + b, 0),
    caseFirstUs: t0,
    caseLastUs: times.at(-1)!,
  };
}

describe('the overview chart, with a line dated years from the rest', () => {
  it('waits for the narrowed chart instead of drawing the squeezed whole span first', async () => {
    // The narrowing's fine histograms answer only when let go.
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
    // The whole span has come and the narrowing is under way.
    await waitFor(() =>
      expect(
        fake.calls.some(
          (c) => c.name === 'requestHistogram' && (c.input as { buckets: number }).buckets === 1000,
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
    expect(drawn.at(-1)![0]!.startUs).toBeGreaterThan(busyFrom - 3_600e6);
  });
});
