// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { useRef, type ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { useNoLayerTabStops } from './useNoLayerTabStops';

afterEach(cleanup);

function Box(props: { children: ReactNode }): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  useNoLayerTabStops(ref);
  return (
    <div ref={ref} data-testid="box">
      {props.children}
    </div>
  );
}

const layers = (root: ParentNode): Element[] => [
  ...root.querySelectorAll('g[class*="recharts-zIndex-layer_"]'),
];

describe('recharts layers out of the tab order', () => {
  it('gives the layers tabindex -1, those drawn later too, and leaves tab stops of its own', async () => {
    const { getByTestId } = render(
      <Box>
        <svg tabIndex={0} aria-label="chart">
          <g className="recharts-zIndex-layer_500" />
          <g className="recharts-layer recharts-brush-traveller" tabIndex={0} />
        </svg>
      </Box>,
    );
    const box = getByTestId('box');
    expect(layers(box).map((g) => g.getAttribute('tabindex'))).toEqual(['-1']);
    // A layer a part asks for later (the tooltip's cursor once engaged).
    const later = document.createElementNS('http://www.w3.org/2000/svg', 'g');
    later.setAttribute('class', 'recharts-zIndex-layer_1100');
    box.querySelector('svg')!.appendChild(later);
    await new Promise((r) => setTimeout(r, 0));
    expect(later.getAttribute('tabindex')).toBe('-1');
    // The chart's own keyboard layer and the brush's handles stay where they are.
    expect(box.querySelector('svg')!.getAttribute('tabindex')).toBe('0');
    expect(box.querySelector('.recharts-brush-traveller')!.getAttribute('tabindex')).toBe('0');
  });
});
