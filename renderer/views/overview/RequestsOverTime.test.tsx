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
    YAxis: (p: { width: number; tickFormatter: (v: number) => string; ticks?: number[] }) => (
      <div
        data-testid="y-axis"
        data-width={p.width}
        data-tick={p.tickFormatter(400_000)}
        data-ticks={p.ticks?.join()}
      />
    ),
    Tooltip: none,
    Bar: none,
    // Its handles as recharts draws them: both given ariaLabel, their offsets as values.
    Brush: (p: {
      onChange: (r: { startIndex: number; endIndex: number }) => void;
      ariaLabel?: string;
    }) => (
      <div>
        <span
          className="recharts-brush-traveller"
          role="slider"
          aria-label={p.ariaLabel}
          aria-valuenow={65}
        />
        <span
          className="recharts-brush-traveller"
          role="slider"
          aria-label={p.ariaLabel}
          aria-valuenow={822}
        />
        <button type="button" onClick={() => p.onChange({ startIndex: 2, endIndex: 5 })}>
          drag
        </button>
      </div>
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

  it('counts in whole requests up to the tallest bar: one request, an axis to 1', () => {
    render(<RequestsOverTime buckets={buckets(4, 1)} onRange={vi.fn()} />);
    expect(screen.getByTestId('y-axis').dataset['ticks']).toBe('0,1');
  });

  it('fits the bars the brush shows, at the width the whole chart needs', () => {
    const data = buckets(96, 1).map((b, i) => (i === 50 ? { ...b, s2xx: 590_000 } : b));
    render(<RequestsOverTime buckets={data} onRange={vi.fn()} />);
    const width = screen.getByTestId('y-axis').dataset['width'];
    // Buckets 2-5, one request each.
    fireEvent.click(screen.getByRole('button', { name: 'drag' }));
    expect(screen.getByTestId('y-axis').dataset['ticks']).toBe('0,1');
    expect(screen.getByTestId('y-axis').dataset['width']).toBe(width);
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

  it('names its two handles apart, each with the time it holds, not microseconds', () => {
    render(<RequestsOverTime buckets={buckets(96)} onRange={vi.fn()} />);
    const handles = (): { name: string; value: string | null }[] =>
      screen.getAllByRole('slider').map((s) => ({
        name: s.getAttribute('aria-label') ?? '',
        value: s.getAttribute('aria-valuetext'),
      }));
    expect(handles().map((h) => h.name)).toEqual([
      'Start of the selected time range',
      'End of the selected time range',
    ]);
    expect(handles()[0]!.value).toMatch(/11:00:00/);
    expect(handles()[1]!.value).toMatch(/12:36:00/);
    fireEvent.click(screen.getByRole('button', { name: 'drag' }));
    expect(handles()[0]!.value).toMatch(/11:02:00/);
    expect(handles()[1]!.value).toMatch(/11:06:00/);
    expect(handles()[0]!.value).not.toMatch(/\d{13}/);
  });

  it('reports the brushed range with its requests, and none once applied', () => {
    const onBrush = vi.fn();
    const data = buckets(96).map((b, i) => ({ ...b, s4xx: i }));
    render(<RequestsOverTime buckets={data} onRange={vi.fn()} onBrush={onBrush} />);
    fireEvent.click(screen.getByRole('button', { name: 'drag' }));
    // Buckets 2-5: one 2xx each, and 2+3+4+5 4xx.
    expect(onBrush).toHaveBeenLastCalledWith({
      of: data,
      fromUs: T0 + 2 * MIN,
      toUs: T0 + 6 * MIN,
      requests: 4 + 14,
    });
    fireEvent.click(showRange()!);
    expect(onBrush).toHaveBeenLastCalledWith(null);
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
