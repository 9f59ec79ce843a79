// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { useRef, type ReactNode } from 'react';
import { Brush, ComposedChart, Line } from 'recharts';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrushSelection } from './brushSelection';
import { useBrushHandleNames } from './useBrushHandleNames';

afterEach(cleanup);

const HANDLES: BrushSelection['handles'] = {
  start: { name: 'Start of the range', value: '11:02' },
  end: { name: 'End of the range', value: '11:06' },
};

function Box(props: { children: ReactNode }): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  useBrushHandleNames(ref, HANDLES);
  return <div ref={ref}>{props.children}</div>;
}

const named = (): [string | null, string | null][] =>
  screen
    .getAllByRole('slider')
    .map((s) => [s.getAttribute('aria-label'), s.getAttribute('aria-valuetext')]);

describe('brush handle names', () => {
  it('tells the start and end handles of a recharts Brush apart', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ t: i, total: i }));
    render(
      <Box>
        <ComposedChart width={400} height={200} data={rows}>
          <Line dataKey="total" isAnimationActive={false} dot={false} />
          <Brush dataKey="t" ariaLabel="same for both" />
        </ComposedChart>
      </Box>,
    );
    await waitFor(() => expect(screen.getAllByRole('slider')).toHaveLength(2));
    await waitFor(() =>
      expect(named()).toEqual([
        ['Start of the range', '11:02'],
        ['End of the range', '11:06'],
      ]),
    );
  });

  it('names by position when the start handle was dragged past the end, and again when reset', async () => {
    render(
      <Box>
        <svg>
          <g className="recharts-brush-traveller" role="slider" aria-valuenow={300} />
          <g className="recharts-brush-traveller" role="slider" aria-valuenow={100} />
        </svg>
      </Box>,
    );
    expect(named()).toEqual([
      ['End of the range', '11:06'],
      ['Start of the range', '11:02'],
    ]);
    // recharts puts its one label back (a new ariaLabel) or moves a handle on its own.
    const [first, second] = screen.getAllByRole('slider');
    first!.setAttribute('aria-label', 'same for both');
    second!.setAttribute('aria-valuenow', '400');
    await waitFor(() =>
      expect(named()).toEqual([
        ['Start of the range', '11:02'],
        ['End of the range', '11:06'],
      ]),
    );
  });
});
