import { memo, type ReactNode } from 'react';
import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';

/** One series of the stack: a key of the data rows and its fill. */
export interface StackSeries {
  key: string;
  color: string;
}

/**
 * A mark drawn above a bar whose row has `key` > 0 (attacks, outliers). A row with several
 * has them stacked upward in the marks' order, one above the other, so none hides another.
 */
export interface BarMark {
  key: string;
  color: string;
  shape: 'triangle' | 'diamond';
}

export type Row = Readonly<Record<string, unknown>>;

/** A row's number under `key`; 0 when it holds none (absent, null, not finite). */
export function rowNumber(row: Row, key: string): number {
  const v = row[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** Gap between neighbouring bars, in pixels. */
const BAR_GAP = 1;
/** Half a mark's height and width. */
const MARK_SIZE = 5;
/** Between a bar and its first mark, and between stacked marks. */
const MARK_GAP = 2;
/** How far above a bar the top of `n` stacked marks reaches, in pixels (for the chart's margin). */
export function markStackHeight(n: number): number {
  return n * (2 * MARK_SIZE + MARK_GAP);
}

function markPath(shape: BarMark['shape'], cx: number, cy: number): string {
  const s = MARK_SIZE;
  return shape === 'triangle'
    ? `M${cx},${cy - s}L${cx + s},${cy + s * 0.8}L${cx - s},${cy + s * 0.8}Z`
    : `M${cx},${cy - s}L${cx + s},${cy}L${cx},${cy + s}L${cx - s},${cy}Z`;
}

/**
 * Stacked bars for a chart on a category x axis (`scale="band"`), drawn as one SVG path per
 * series and one per mark kind instead of a recharts Bar per series: recharts renders every
 * rectangle of every series as its own component (tens of milliseconds for 60 buckets × 4
 * classes), these are a handful of elements, with an optional marker line (a replay's current
 * bucket) drawn here too rather than as one more recharts component. The axes, tooltip and
 * brush stay recharts'; a row outside the brushed range has no place on the x scale and is not
 * drawn.
 */
export const StackedBarsLayer = memo(function StackedBarsLayer(props: {
  rows: readonly Row[];
  /** Key of each row's category on the x axis (the XAxis dataKey). */
  xKey: string;
  series: readonly StackSeries[];
  marks?: readonly BarMark[];
  /** The category (x value) to mark with a vertical line across the plot, if any. */
  marker?: unknown;
  markerColor?: string;
}): ReactNode {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const plot = usePlotArea();
  if (!x || !y || !plot) return null;
  const placed: { left: number; row: Row }[] = [];
  for (const row of props.rows) {
    const left = x(row[props.xKey]);
    if (typeof left === 'number' && Number.isFinite(left)) placed.push({ left, row });
  }
  if (placed.length === 0) return null;
  const band = plot.width / placed.length;
  const width = Math.max(1, band - BAR_GAP);
  const base = y(0);
  if (typeof base !== 'number') return null;
  const markerRow =
    props.marker === undefined ? undefined : placed.find((p) => p.row[props.xKey] === props.marker);
  const paths = props.series.map(() => [] as string[]);
  const marks = (props.marks ?? []).map(() => [] as string[]);
  for (const { left, row } of placed) {
    let total = 0;
    props.series.forEach((s, i) => {
      const v = rowNumber(row, s.key);
      if (v <= 0) return;
      const top = y(total + v);
      const bottom = y(total);
      total += v;
      if (typeof top !== 'number' || typeof bottom !== 'number') return;
      paths[i]!.push(`M${left},${top}h${width}V${bottom}h${-width}Z`);
    });
    const topOfBar = y(total);
    if (typeof topOfBar !== 'number') continue;
    let stacked = 0;
    (props.marks ?? []).forEach((m, i) => {
      if (rowNumber(row, m.key) > 0) {
        const cy = topOfBar - markStackHeight(stacked) - MARK_GAP - MARK_SIZE;
        marks[i]!.push(markPath(m.shape, left + width / 2, cy));
        stacked++;
      }
    });
  }
  return (
    <g className="stacked-bars" data-bars={placed.length}>
      {props.series.map((s, i) =>
        paths[i]!.length > 0 ? (
          <path key={s.key} className="stacked-bar" d={paths[i]!.join('')} fill={s.color} />
        ) : null,
      )}
      {(props.marks ?? []).map((m, i) =>
        marks[i]!.length > 0 ? (
          <path
            key={m.key}
            className={`bar-mark bar-mark-${m.key}`}
            d={marks[i]!.join('')}
            fill={m.color}
          />
        ) : null,
      )}
      {markerRow ? (
        <g className="replay-marker">
          <line
            x1={markerRow.left + width / 2}
            x2={markerRow.left + width / 2}
            y1={plot.y}
            y2={plot.y + plot.height}
            stroke={props.markerColor ?? 'currentColor'}
            strokeWidth={2}
          />
        </g>
      ) : null}
    </g>
  );
});
