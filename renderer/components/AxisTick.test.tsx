// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { ComposedChart, Line, XAxis, YAxis } from 'recharts';
import { afterEach, describe, expect, it } from 'vitest';
import { AxisTick, bandTickInterval } from './AxisTick';

describe('bandTickInterval', () => {
  it('skips enough bands between two labels to give each its room', () => {
    // 60 bands on 600 px are 10 px each: a 90 px label needs 9 bands, so 8 skipped.
    expect(bandTickInterval(600, 60, 90)).toBe(8);
    // Bands wider than a label: every one labelled.
    expect(bandTickInterval(600, 5, 90)).toBe(0);
    // Exactly one label's room per band.
    expect(bandTickInterval(900, 10, 90)).toBe(0);
    expect(bandTickInterval(899, 10, 90)).toBe(1);
  });

  it('labels every band when there is nothing to space out', () => {
    expect(bandTickInterval(600, 1, 90)).toBe(0);
    expect(bandTickInterval(0, 60, 90)).toBe(0);
    expect(bandTickInterval(-5, 60, 90)).toBe(0);
  });
});

describe('AxisTick', () => {
  afterEach(cleanup);

  it('draws the formatted value as one text at the tick, shifted per anchor', () => {
    const { container } = render(
      <svg>
        <AxisTick
          x={10}
          y={20}
          textAnchor="middle"
          verticalAnchor="start"
          fontSize={11}
          payload={{ value: 7 }}
          index={3}
          tickFormatter={(v: number, i: number) => `v${v}@${i}`}
        />
        <AxisTick x={1} y={2} verticalAnchor="middle" payload={{ value: 'raw' }} />
      </svg>,
    );
    const [a, b] = [...container.querySelectorAll('text')];
    expect(a!.textContent).toBe('v7@3');
    expect(a!.getAttribute('x')).toBe('10');
    expect(a!.getAttribute('dy')).toBe('0.71em');
    expect(a!.getAttribute('text-anchor')).toBe('middle');
    expect(b!.textContent).toBe('raw');
    expect(b!.getAttribute('dy')).toBe('0.355em');
  });

  it('keeps a hostile label inert', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const { container } = render(
      <svg>
        <AxisTick payload={{ value: evil }} />
      </svg>,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('text')!.textContent).toBe(evil);
  });

  it('is what recharts draws the ticks with, at the interval given', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ t: i, total: i }));
    const { container, findByText } = render(
      <ComposedChart width={400} height={200} data={rows}>
        <XAxis
          dataKey="t"
          scale="band"
          tick={AxisTick}
          interval={3}
          tickFormatter={(v: number) => `t${v}`}
        />
        <YAxis tick={AxisTick} interval={0} />
        <Line dataKey="total" isAnimationActive={false} dot={false} />
      </ComposedChart>,
    );
    await findByText('t0');
    const labels = [...container.querySelectorAll('.recharts-xAxis-tick-labels text')].map(
      (el) => el.textContent,
    );
    expect(labels).toEqual(['t0', 't4', 't8']);
    // recharts' own Text would wrap each label in a tspan (after measuring its words).
    expect(container.querySelector('.recharts-cartesian-axis-tick-labels tspan')).toBeNull();
  });

  it('ends a label at the chart edge rather than cut it there', () => {
    const { container } = render(
      <svg>
        <AxisTick
          x={380}
          y={0}
          textAnchor="middle"
          fontSize={11}
          payload={{ value: '23:59:59' }}
          maxX={400}
        />
        <AxisTick
          x={300}
          y={0}
          textAnchor="middle"
          fontSize={11}
          payload={{ value: '23:58:00' }}
          maxX={400}
        />
      </svg>,
    );
    const [last, inside] = [...container.querySelectorAll('text')];
    // Centred at 380, its 8 characters (about 50 px) would pass 400.
    expect(last!.getAttribute('x')).toBe('400');
    expect(last!.getAttribute('text-anchor')).toBe('end');
    expect(inside!.getAttribute('x')).toBe('300');
    expect(inside!.getAttribute('text-anchor')).toBe('middle');
  });

  it('keeps the last label of a band axis inside the chart when given its edge', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ t: i, total: i }));
    const { container, findByText } = render(
      <ComposedChart
        width={400}
        height={200}
        data={rows}
        margin={{ top: 0, right: 0, bottom: 0, left: 0 }}
      >
        <XAxis
          dataKey="t"
          scale="band"
          tick={<AxisTick maxX={400} />}
          interval={0}
          tickFormatter={(v: number) => `12:00:${String(v).padStart(2, '0')}`}
        />
        <YAxis tick={AxisTick} interval={0} width={40} />
        <Line dataKey="total" isAnimationActive={false} dot={false} />
      </ComposedChart>,
    );
    await findByText('12:00:00');
    const last = [...container.querySelectorAll('.recharts-xAxis-tick-labels text')].at(-1)!;
    expect(last.textContent).toBe('12:00:11');
    expect(last.getAttribute('x')).toBe('400');
    expect(last.getAttribute('text-anchor')).toBe('end');
  });
});
