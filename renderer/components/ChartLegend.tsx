import type { ReactNode } from 'react';

/** One colour of a chart and what it stands for; a mark's shape when it is not a bar. */
export interface LegendItem {
  label: string;
  color: string;
  shape?: 'triangle' | 'diamond';
}

/** The colours a chart draws with, named: a key beside it, as a list (read out in order). */
export function ChartLegend(props: { items: readonly LegendItem[]; label: string }): ReactNode {
  if (props.items.length === 0) return null;
  return (
    <ul className="chart-legend" aria-label={props.label}>
      {props.items.map((item) => (
        <li key={item.label}>
          <span
            className={`legend-swatch${item.shape ? ` legend-${item.shape}` : ''}`}
            style={{ color: item.color }}
            aria-hidden="true"
          />
          {item.label}
        </li>
      ))}
    </ul>
  );
}
