import type { ReactNode } from 'react';

/** What recharts passes a tick renderer (the fields this one reads). */
export interface AxisTickProps {
  x?: number | string;
  y?: number | string;
  textAnchor?: 'start' | 'middle' | 'end' | 'inherit';
  verticalAnchor?: 'start' | 'middle' | 'end';
  fontSize?: number | string;
  className?: string;
  payload?: { value?: unknown };
  index?: number;
  tickFormatter?: (value: never, index: number) => string;
  /**
   * The x a label may not pass (the chart's right edge): one centred on its tick whose half
   * would reach past it ends there instead. Recharts keeps a label inside only when it measures
   * them (an axis' default interval); with a number as the interval, the last was cut in half.
   */
  maxX?: number;
}

/** A label's width, estimated from its length: an 11 px digit is about 6.2 px. Generous. */
const CHAR_EM = 0.65;

/** The baseline shift recharts' Text applies for one line of text, per vertical anchor. */
const DY = { start: '0.71em', middle: '0.355em', end: '0' } as const;

/**
 * An axis label as one plain SVG text. Recharts' default tick is its Text component, which,
 * given the axis width as every tick is, measures each label's words in the DOM (a forced
 * layout per new label while the page renders); an axis label is one short word and is never
 * wrapped, so there is nothing to measure. In the muted text colour (recharts passes the axis
 * line's). Rendered as React text: inert whatever it holds.
 */
export function AxisTick(props: AxisTickProps): ReactNode {
  const value = props.payload?.value;
  const label =
    props.tickFormatter !== undefined
      ? props.tickFormatter(value as never, props.index ?? 0)
      : String(value ?? '');
  // Anchored at the edge, the label's end is exactly on it, whatever its real width.
  const x = Number(props.x);
  const halfPx = (label.length * CHAR_EM * Number(props.fontSize ?? 11)) / 2;
  const atEdge =
    props.maxX !== undefined &&
    props.textAnchor === 'middle' &&
    Number.isFinite(x) &&
    x + halfPx > props.maxX;
  return (
    <text
      x={atEdge ? props.maxX : props.x}
      y={props.y}
      dy={DY[props.verticalAnchor ?? 'end']}
      textAnchor={atEdge ? 'end' : props.textAnchor}
      fill="var(--text-muted)"
      fontSize={props.fontSize}
      className={props.className}
    >
      {label}
    </text>
  );
}

/**
 * A band axis' tick interval (recharts' `interval`: labels skipped between two shown) that
 * leaves each shown label `labelPx` of room on a plot `plotPx` wide with `count` bands. A
 * number, so recharts places the ticks without measuring every label's text in the DOM.
 */
export function bandTickInterval(plotPx: number, count: number, labelPx: number): number {
  if (count <= 1 || plotPx <= 0) return 0;
  return Math.max(0, Math.ceil(labelPx / (plotPx / count)) - 1);
}
