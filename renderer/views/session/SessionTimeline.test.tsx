// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HistogramBucket } from '../../../shared/contract/analysisApi';
import type { BarMark } from '../../components/StackedBarsLayer';
import { SessionTimeline } from './SessionTimeline';

// happy-dom has no layout: the chart gets a size, and recharts' brush is a stand-in whose
// button reports a drag over buckets 2-5 the way recharts' Brush calls onChange.
vi.mock('../../hooks/useElementSize', () => ({
  useElementSize: () => ({ width: 800, height: 200 }),
}));
// The bars' layer, as a record of the marks it was given to draw.
const drawn = vi.hoisted(() => ({ marks: [] as readonly BarMark[] }));
vi.mock('../../components/StackedBarsLayer', () => ({
  markStackHeight: (n: number) => n * 12,
  StackedBarsLayer: (p: { marks: readonly BarMark[] }) => {
    drawn.marks = p.marks;
    return null;
  },
}));
vi.mock('recharts', () => {
  const none = (): null => null;
  return {
    ComposedChart: (p: { children: ReactNode }) => <div>{p.children}</div>,
    XAxis: (p: { tick?: { props?: { maxX?: number } } }) => (
      <div data-testid="x-axis" data-max-x={p.tick?.props?.maxX} />
    ),
    YAxis: (p: { ticks?: number[]; domain?: number[] }) => (
      <div data-testid="y-axis" data-ticks={p.ticks?.join()} data-domain={p.domain?.join()} />
    ),
    Line: none,
    Tooltip: none,
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

function buckets(n: number, status = 's2xx'): HistogramBucket[] {
  return Array.from({ length: n }, (_, i) => ({
    startUs: T0 + i * MIN,
    endUs: T0 + (i + 1) * MIN,
    s2xx: 0,
    s3xx: 0,
    s4xx: 0,
    s5xx: 0,
    other: 0,
    [status]: 1,
  }));
}

const filterTo = (): HTMLElement | null => screen.queryByRole('button', { name: /^Filter to / });

describe('session timeline brush', () => {
  it('offers the dragged range, and forgets it once the buckets change', () => {
    const onRange = vi.fn();
    const { rerender } = render(<SessionTimeline buckets={buckets(10)} onRange={onRange} />);
    expect(filterTo()).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'drag' }));
    expect(filterTo()).not.toBeNull();

    // "Show only 500": new buckets, as many as before; the brush redraws at full width.
    rerender(<SessionTimeline buckets={buckets(10, 's5xx')} onRange={onRange} />);
    expect(filterTo()).toBeNull();
    expect(onRange).not.toHaveBeenCalled();
  });

  it('names the colours it draws: the status classes and the marks present', () => {
    const data = buckets(6).map((b, i) =>
      i === 3 ? { ...b, s2xx: 0, s5xx: 2, attacks: 1, outliers: 0 } : b,
    );
    render(<SessionTimeline buckets={data} onRange={vi.fn()} />);
    const legend = screen.getByRole('list', { name: 'Colours' });
    expect([...legend.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      '2xx',
      '5xx',
      'Attacks',
    ]);
  });

  it('keys each mark with a swatch of its own colour and shape, where a bucket has both', () => {
    const data = buckets(6).map((b, i) =>
      i === 2 ? { ...b, s2xx: 0, s4xx: 3, attacks: 1, outliers: 1 } : b,
    );
    render(<SessionTimeline buckets={data} onRange={vi.fn()} />);
    const legend = screen.getByRole('list', { name: 'Colours' });
    const swatch = (label: string): HTMLElement =>
      [...legend.querySelectorAll('li')]
        .find((li) => li.textContent === label)!
        .querySelector<HTMLElement>('.legend-swatch')!;
    const byKey = new Map(drawn.marks.map((m) => [m.key, m]));
    for (const [label, key] of [
      ['Attacks', 'attacks'],
      ['Outliers', 'outliers'],
    ] as const) {
      const mark = byKey.get(key)!;
      expect(swatch(label).style.color, label).toBe(mark.color);
      expect(swatch(label).classList.contains(`legend-${mark.shape}`), label).toBe(true);
    }
    expect(drawn.marks).toHaveLength(2);
  });

  it('names its two handles apart, each with the time it holds, not microseconds', () => {
    render(<SessionTimeline buckets={buckets(10)} onRange={vi.fn()} />);
    const [start, end] = screen.getAllByRole('slider');
    expect(start!.getAttribute('aria-label')).toBe('Start of the selected time range');
    expect(end!.getAttribute('aria-label')).toBe('End of the selected time range');
    expect(start!.getAttribute('aria-valuetext')).toMatch(/11:00:00/);
    expect(end!.getAttribute('aria-valuetext')).toMatch(/11:10:00/);
    fireEvent.click(screen.getByRole('button', { name: 'drag' }));
    expect(start!.getAttribute('aria-valuetext')).toMatch(/11:02:00/);
    expect(end!.getAttribute('aria-valuetext')).toMatch(/11:06:00/);
  });

  it('applies the range once, then offers no button until the next drag', () => {
    const onRange = vi.fn();
    const data = buckets(10);
    const { rerender } = render(<SessionTimeline buckets={data} onRange={onRange} />);
    fireEvent.click(screen.getByRole('button', { name: 'drag' }));
    fireEvent.click(filterTo()!);
    expect(onRange).toHaveBeenCalledWith(T0 + 2 * MIN, T0 + 6 * MIN);
    expect(filterTo()).toBeNull();
    // The same buckets again (a replay step re-renders the page) bring nothing back.
    rerender(<SessionTimeline buckets={data} onRange={onRange} currentUs={T0} />);
    expect(filterTo()).toBeNull();
  });
});

describe('session timeline axes', () => {
  it('counts in whole requests up to the tallest bar: one request, an axis to 1', () => {
    render(<SessionTimeline buckets={buckets(10)} onRange={vi.fn()} />);
    const axis = screen.getByTestId('y-axis');
    expect(axis.dataset['ticks']).toBe('0,1');
    expect(axis.dataset['domain']).toBe('0,1');
  });

  it('keeps round steps for taller bars', () => {
    const data = buckets(10).map((b, i) => (i === 4 ? { ...b, s2xx: 30, s4xx: 2 } : b));
    render(<SessionTimeline buckets={data} onRange={vi.fn()} />);
    expect(screen.getByTestId('y-axis').dataset['ticks']).toBe('0,10,20,30,40');
  });

  it('fits the bars the brush shows: it zooms the chart to them', () => {
    const data = buckets(10).map((b, i) => (i === 8 ? { ...b, s2xx: 30 } : b));
    render(<SessionTimeline buckets={data} onRange={vi.fn()} />);
    expect(screen.getByTestId('y-axis').dataset['ticks']).toBe('0,10,20,30');
    // Buckets 2-5, one request each.
    fireEvent.click(screen.getByRole('button', { name: 'drag' }));
    expect(screen.getByTestId('y-axis').dataset['ticks']).toBe('0,1');
  });

  it('keeps its time labels inside the chart', () => {
    render(<SessionTimeline buckets={buckets(10)} onRange={vi.fn()} />);
    // The chart is 800 px wide here (useElementSize's stand-in).
    expect(screen.getByTestId('x-axis').dataset['maxX']).toBe('799');
  });
});
