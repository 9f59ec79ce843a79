// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { ComposedChart, Line, XAxis, YAxis } from 'recharts';
import { afterEach, describe, expect, it } from 'vitest';
import { StackedBarsLayer } from './StackedBarsLayer';

const SERIES = [
  { key: 'ok', color: 'green' },
  { key: 'bad', color: 'red' },
];

/** Rects of one path's `d` ("M x,y h w V y2 h -w Z" each) as [x, top, width, bottom]. */
function rects(d: string | null): number[][] {
  return [...(d ?? '').matchAll(/M([\d.-]+),([\d.-]+)h([\d.-]+)V([\d.-]+)h[\d.-]+Z/g)].map((m) =>
    m.slice(1).map(Number),
  );
}

/** The vertical extent [top, bottom] of each mark (a path per "M…Z") in a path's `d`. */
function markSpans(d: string | null | undefined): { x: number; top: number; bottom: number }[] {
  return [...(d ?? '').matchAll(/M[^Z]*Z/g)].map((m) => {
    const points = [...m[0].matchAll(/([\d.-]+),([\d.-]+)/g)].map((p) => [+p[1]!, +p[2]!]);
    const ys = points.map((p) => p[1]!);
    return { x: points[0]![0]!, top: Math.min(...ys), bottom: Math.max(...ys) };
  });
}

const MARKS = [
  { key: 'outliers', color: 'cyan', shape: 'diamond' },
  { key: 'attacks', color: 'black', shape: 'triangle' },
] as const;

function chart(
  rows: Record<string, number>[],
  marker?: number,
  marks: readonly (typeof MARKS)[number][] = [MARKS[1]],
) {
  return render(
    <ComposedChart
      width={400}
      height={200}
      data={rows}
      margin={{ top: 0, right: 0, bottom: 0, left: 0 }}
    >
      <XAxis dataKey="t" scale="band" height={20} />
      <YAxis width={40} domain={[0, 10]} />
      <Line dataKey="total" isAnimationActive={false} dot={false} />
      <StackedBarsLayer rows={rows} xKey="t" series={SERIES} marks={marks} marker={marker} />
    </ComposedChart>,
  );
}

describe('StackedBarsLayer', () => {
  afterEach(cleanup);

  it('draws one path a series, a rectangle a non-zero count, stacked in order', async () => {
    const rows = [
      { t: 1, ok: 4, bad: 2, total: 6, attacks: 0 },
      { t: 2, ok: 0, bad: 5, total: 5, attacks: 1 },
      { t: 3, ok: 10, bad: 0, total: 10, attacks: 0 },
    ];
    const { container, findAllByText } = chart(rows);
    await findAllByText('10');
    const ok = container.querySelector('path.stacked-bar[fill="green"]');
    const bad = container.querySelector('path.stacked-bar[fill="red"]');
    const okRects = rects(ok?.getAttribute('d') ?? null);
    const badRects = rects(bad?.getAttribute('d') ?? null);
    expect(okRects).toHaveLength(2);
    expect(badRects).toHaveLength(2);
    // Plot: y from 0 (bottom, 180 px) to 10 (top, 0 px): 18 px a request.
    const [first, , third] = [okRects[0]!, null, okRects[1]!];
    expect(first[1]).toBeCloseTo(180 - 4 * 18);
    expect(first[3]).toBeCloseTo(180);
    expect(third[1]).toBeCloseTo(0);
    // The red part of bucket 1 sits on its green part.
    expect(badRects[0]![3]).toBeCloseTo(first[1]!);
    expect(badRects[0]![1]).toBeCloseTo(180 - 6 * 18);
    // Bars left to right, in their bands, not overlapping.
    expect(first[0]).toBeLessThan(badRects[1]![0]!);
    expect(first[0]! + first[2]!).toBeLessThanOrEqual(badRects[1]![0]!);
    // One mark, above the bucket with an attack.
    const marks = container.querySelector('path.bar-mark-attacks')?.getAttribute('d') ?? '';
    expect(marks.match(/M/g)).toHaveLength(1);
  });

  it('stacks the marks of a bar with both, in order upward, so neither hides the other', async () => {
    const rows = [
      { t: 1, ok: 4, bad: 0, total: 4, outliers: 1, attacks: 1 },
      { t: 2, ok: 2, bad: 0, total: 2, outliers: 1, attacks: 0 },
      { t: 3, ok: 3, bad: 0, total: 3, outliers: 0, attacks: 2 },
    ];
    const { container, findAllByText } = chart(rows, undefined, MARKS);
    await findAllByText('10');
    const outliers = markSpans(
      container.querySelector('path.bar-mark-outliers')?.getAttribute('d'),
    );
    const attacks = markSpans(container.querySelector('path.bar-mark-attacks')?.getAttribute('d'));
    expect(outliers).toHaveLength(2);
    expect(attacks).toHaveLength(2);
    // 18 px a request: bucket 1's bar tops out at 180 - 4 * 18; its outlier sits on it, its
    // attack above the outlier, both at the bar's middle.
    const top1 = 180 - 4 * 18;
    expect(outliers[0]!.bottom).toBeLessThan(top1);
    expect(attacks[0]!.bottom).toBeLessThan(outliers[0]!.top);
    expect(attacks[0]!.x).toBeCloseTo(outliers[0]!.x);
    // A mark alone sits right on its bar, as the first of a stack does: an attack alone is
    // not lifted to where it goes above an outlier.
    expect(180 - 2 * 18 - outliers[1]!.bottom).toBeCloseTo(top1 - outliers[0]!.bottom);
    const gap = 180 - 3 * 18 - attacks[1]!.bottom;
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThan(outliers[0]!.bottom - outliers[0]!.top);
  });

  it('draws nothing for a series with no requests, and no mark path without marks', async () => {
    const rows = [{ t: 1, ok: 3, bad: 0, total: 3, attacks: 0 }];
    const { container, findAllByText } = chart(rows);
    await findAllByText('10');
    expect(container.querySelectorAll('path.stacked-bar')).toHaveLength(1);
    expect(container.querySelector('path.bar-mark-attacks')).toBeNull();
  });

  it("marks the given category with a line across the plot, at its bar's middle", async () => {
    const rows = [
      { t: 1, ok: 4, bad: 2, total: 6 },
      { t: 2, ok: 1, bad: 0, total: 1 },
    ];
    const marked = chart(rows, 2);
    await marked.findAllByText('10');
    const line = marked.container.querySelector('.replay-marker line')!;
    const bar = rects(
      marked.container.querySelector('path.stacked-bar[fill="green"]')!.getAttribute('d'),
    )[1]!;
    expect(Number(line.getAttribute('x1'))).toBeCloseTo(bar[0]! + bar[2]! / 2);
    expect(line.getAttribute('x2')).toBe(line.getAttribute('x1'));
    expect(Number(line.getAttribute('y2')) - Number(line.getAttribute('y1'))).toBeCloseTo(180);
    cleanup();
    for (const marker of [undefined, 3]) {
      const none = chart(rows, marker);
      await none.findAllByText('10');
      expect(none.container.querySelector('.replay-marker')).toBeNull();
      cleanup();
    }
  });
});
