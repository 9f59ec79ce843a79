// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HistogramBucket } from '../../../shared/contract/analysisApi';
import { RequestsOverTime } from './RequestsOverTime';

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
    YAxis: (p: { width: number; tickFormatter: (v: number) => string }) => (
      <div data-testid="y-axis" data-width={p.width} data-tick={p.tickFormatter(400_000)} />
    ),
    Tooltip: none,
    Bar: none,
    Brush: (p: {
      onChange: (r: { startIndex: number; endIndex: number }) => void;
      ariaLabel?: string;
    }) => (
      <button
        type="button"
        data-label={p.ariaLabel}
        onClick={() => p.onChange({ startIndex: 2, endIndex: 5 })}
      >
        drag
      </button>
    ),
  };
});

afterEach(cleanup);

const T0 = Date.UTC(2026, 2, 12, 11, 0) * 1000;
const MIN = 60e6;

function buckets(n: number, s2xx = 1): HistogramBucket[] {
  return Array.from({ length: n }, (_, i) => ({
    startUs: T0 + i * MIN,
    endUs: T0 + (i + 1) * MIN,
    s2xx,
    s3xx: 0,
    s4xx: 0,
    s5xx: 0,
    other: 0,
  }));
}

const showRange = (): HTMLElement | null => screen.queryByRole('button', { name: /^Show / });

describe('overview y axis', () => {
  it('is wide enough for a large count, written in grouped digits', () => {
    render(<RequestsOverTime buckets={buckets(4, 590_000)} onRange={vi.fn()} />);
    const axis = screen.getByTestId('y-axis');
    expect(axis.dataset['tick']).toBe('400,000');
    // Seven characters of 11 px digits and commas, and the tick's gap.
    expect(Number(axis.dataset['width'])).toBeGreaterThanOrEqual(60);
  });

  it('keeps its narrow width for small counts', () => {
    render(<RequestsOverTime buckets={buckets(4, 12)} onRange={vi.fn()} />);
    expect(screen.getByTestId('y-axis').dataset['width']).toBe('44');
  });
});

describe('overview brush', () => {
  it('names the status classes it draws', () => {
    const data = buckets(4).map((b, i) => (i === 1 ? { ...b, s4xx: 3 } : b));
    render(<RequestsOverTime buckets={data} onRange={vi.fn()} />);
    const legend = screen.getByRole('list', { name: 'Colours' });
    expect([...legend.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['2xx', '4xx']);
  });

  it('labels the brush with the times it spans, not microseconds', () => {
    render(<RequestsOverTime buckets={buckets(96)} onRange={vi.fn()} />);
    const brush = screen.getByRole('button', { name: 'drag' });
    const full = brush.dataset['label'];
    expect(full).toMatch(/^Time range from .+ to .+/);
    expect(full).not.toMatch(/\d{13}/);
    fireEvent.click(brush);
    expect(brush.dataset['label']).toMatch(/^Time range from .+ to .+/);
    expect(brush.dataset['label']).not.toBe(full);
  });

  it('forgets a dragged range when the histogram is redrawn with as many buckets', () => {
    const onRange = vi.fn();
    const { rerender } = render(<RequestsOverTime buckets={buckets(96)} onRange={onRange} />);
    fireEvent.click(screen.getByRole('button', { name: 'drag' }));
    expect(showRange()).not.toBeNull();
    // A rebuild answers a new histogram of the same 96 buckets: the brush is at full width.
    rerender(<RequestsOverTime buckets={buckets(96, 2)} onRange={onRange} />);
    expect(showRange()).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'drag' }));
    fireEvent.click(showRange()!);
    expect(onRange).toHaveBeenCalledWith(T0 + 2 * MIN, T0 + 6 * MIN);
    expect(showRange()).toBeNull();
  });
});
