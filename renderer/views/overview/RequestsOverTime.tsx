import { useRef, useState, type ReactNode } from 'react';
import {
  Bar,
  BarChart,
  Brush,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { HistogramBucket } from '../../../shared/contract/analysisApi';
import { brushSelection, type BrushRange } from '../../components/brushSelection';
import { BrushFoot } from '../../components/BrushFoot';
import { useNoLayerTabStops } from '../../components/useNoLayerTabStops';
import { useBrushHandleNames } from '../../components/useBrushHandleNames';
import { useI18n } from '../../i18n/I18nContext';
import { brushedRows, countAxisProps } from '../../components/countTicks';
import { timeTickLabel } from './timeTickLabel';
import {
  gridProps,
  bucketCount,
  STATUS_SERIES,
  tooltipProps,
  xAxisProps,
  yAxisProps,
} from '../../components/chartStyle';
import { bucketRequests } from '../../../shared/analysis/histogramBucket';

/** A brush range of the chart, as the page around it counts it. */
export interface BrushedRange {
  /** The buckets it was dragged over: it holds for these only (new ones redraw the brush). */
  of: readonly HistogramBucket[];
  fromUs: number;
  toUs: number;
  /** The requests the chart counts in it (its buckets' sum: a bucket is [start, end)). */
  requests: number;
}

/** The requests of `buckets` from index `start` to `end`, both included. */
export function requestsBetween(
  buckets: readonly HistogramBucket[],
  start: number,
  end: number,
): number {
  let n = 0;
  for (const b of buckets.slice(start, end + 1)) n += bucketRequests(b);
  return n;
}

/**
 * Requests per time bucket across the case (the backend's histogram, so every request is
 * counted), stacked by status class. The brush below picks a range, reported to `onBrush`
 * (null when it spans the chart again) so the page's count can say what it holds; the button
 * under the chart turns it into the case-wide time filter.
 */
export function RequestsOverTime(props: {
  buckets: readonly HistogramBucket[];
  onRange?: (fromUs: number, toUs: number) => void;
  onBrush?: (range: BrushedRange | null) => void;
}): ReactNode {
  const { t, fmt } = useI18n();
  const data = props.buckets;
  const box = useRef<HTMLDivElement>(null);
  useNoLayerTabStops(box);
  const [range, setRange] = useState<BrushRange | null>(null);
  // The brush's pending selection belongs to the buckets it was dragged over: new buckets (a
  // rebuild, an import) redraw the brush at full width, so the selection goes too.
  const [rangeOf, setRangeOf] = useState(props.buckets);
  if (rangeOf !== props.buckets) {
    setRangeOf(props.buckets);
    setRange(null);
  }
  const { chosen, handles } = brushSelection(range, data, { t, fmt });
  useBrushHandleNames(box, handles);
  const tick = timeTickLabel(
    fmt,
    data.length > 0 ? data[data.length - 1]!.endUs - data[0]!.startUs : 0,
  );
  // Wide enough for the largest count's label (ticks round up to about as many digits), in
  // grouped digits: 44 px cut "400000" to "00000".
  const peakOf = (rows: readonly HistogramBucket[]): number =>
    rows.reduce((m, b) => Math.max(m, bucketRequests(b)), 0);
  // Whole requests, up to the tallest bar the brush shows (it zooms the chart): bars of one
  // request reach the top, not a quarter. The width stays the whole chart's, so the plot does
  // not shift under a drag.
  const yAxis = countAxisProps(peakOf(brushedRows(data, range)));
  const yWidth = Math.max(44, 14 + 7 * fmt.num(countAxisProps(peakOf(data)).domain[1]).length);
  // The status classes drawn, named.
  const legend = STATUS_SERIES.filter((s) => data.some((b) => bucketCount(b, s.key) > 0)).map(
    (s) => ({ label: t(s.label), color: s.color }),
  );
  return (
    <div className="timeline-wrap">
      <div className="chart" data-testid="requests-over-time" ref={box}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={data as HistogramBucket[]}
            margin={{ top: 6, right: 8, bottom: 0, left: 0 }}
            barCategoryGap={1}
            // Its keyboard layer (a tab stop: the arrow keys walk the buckets' tooltips), named.
            aria-label={t('session.timelineChart')}
          >
            <CartesianGrid {...gridProps} />
            <XAxis {...xAxisProps} tickFormatter={tick} />
            <YAxis
              {...yAxisProps}
              width={yWidth}
              ticks={yAxis.ticks}
              domain={yAxis.domain}
              tickFormatter={(v: number) => fmt.num(v)}
            />
            <Tooltip {...tooltipProps} labelFormatter={(v) => fmt.ts(Number(v))} />
            {STATUS_SERIES.map((s) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={t(s.label)}
                stackId="s"
                fill={s.color}
                isAnimationActive={false}
              />
            ))}
            {props.onRange && data.length > 1 ? (
              <Brush
                // Both handles' name until useBrushHandleNames tells them apart.
                ariaLabel={handles?.start.name}
                dataKey="startUs"
                height={18}
                stroke="var(--accent)"
                fill="var(--bg-sunken)"
                tickFormatter={tick}
                onChange={(r) => {
                  if (typeof r.startIndex === 'number' && typeof r.endIndex === 'number') {
                    const next = { start: r.startIndex, end: r.endIndex };
                    setRange(next);
                    const picked = brushSelection(next, data, { t, fmt }).chosen;
                    props.onBrush?.(
                      picked
                        ? {
                            of: data,
                            fromUs: picked.from,
                            toUs: picked.to,
                            requests: requestsBetween(data, next.start, next.end),
                          }
                        : null,
                    );
                  }
                }}
              />
            ) : null}
          </BarChart>
        </ResponsiveContainer>
      </div>
      {props.onRange ? (
        <BrushFoot
          legend={legend}
          chosen={chosen}
          applyKey="overview.showRange"
          onApply={(fromUs, toUs) => {
            setRange(null);
            props.onBrush?.(null);
            props.onRange?.(fromUs, toUs);
          }}
        />
      ) : null}
    </div>
  );
}
