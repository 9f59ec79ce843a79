import { memo, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  Brush,
  ComposedChart,
  Line,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import type { NameType, ValueType } from 'recharts/types/component/DefaultTooltipContent';
import type { HistogramBucket } from '../../../shared/contract/analysisApi';
import { brushSelection, type BrushRange } from '../../components/brushSelection';
import { BrushFoot } from '../../components/BrushFoot';
import { useI18n } from '../../i18n/I18nContext';
import {
  BAR_MARKS,
  bucketCount,
  STATUS_SERIES,
  tooltipProps,
  xAxisProps,
  yAxisProps,
} from '../../components/chartStyle';
import { BucketTooltip } from '../../components/BucketTooltip';
import { markStackHeight, StackedBarsLayer } from '../../components/StackedBarsLayer';
import { AxisTick, bandTickInterval } from '../../components/AxisTick';
import { brushedRows, countAxisProps } from '../../components/countTicks';
import { useBrushHandleNames } from '../../components/useBrushHandleNames';
import { useElementSize, type Size } from '../../hooks/useElementSize';
import { useNoLayerTabStops } from '../../components/useNoLayerTabStops';
import { bucketRequests } from '../../../shared/analysis/histogramBucket';

/**
 * Room above the plot for the marks of its tallest bar, two when stacked (an attack above an
 * outlier): a fixed height, where a share of the y domain was short of it in a low chart.
 */
const MARGIN = { top: markStackHeight(2), right: 8, bottom: 0, left: 0 };
const Y_AXIS_PX = 40;
/** A time label ("23:59:59" at 11 px) and the gap kept between two. */
const TIME_LABEL_PX = 90;

const NO_BUCKETS: readonly HistogramBucket[] = [];

/**
 * The chart's size at its last report. The next session's page lays the timeline out the same,
 * so its chart draws in the page's first render at this size (its own report corrects it after
 * a window resize) instead of waiting a frame to be measured.
 */
let lastSize: Size | null = null;

/**
 * Requests over the session's time span, stacked by status class, with outliers and attacks
 * marked above their bars (BAR_MARKS; stacked where a bucket has both). The brush below
 * narrows the time range; the investigator applies it as an in-session filter. Memoised: the
 * page re-renders as its other parts load, the chart only when its own props change. As few
 * recharts components as the chart needs (axes, brush, a hidden series, the tooltip once
 * pointed at): each one subscribes to the chart's store and re-renders through its mount,
 * which is most of a session's opening time; so no grid (the y axis is labelled), and the
 * replay marker is drawn with the bars.
 */
export const SessionTimeline = memo(function SessionTimeline(props: {
  /**
   * The backend's histogram of the session's matching requests, with attack/outlier marks;
   * null while it loads (the panel is measured meanwhile, so the chart draws at once).
   */
  buckets: readonly HistogramBucket[] | null;
  onRange: (fromUs: number, toUs: number) => void;
  /** The replay's current request (the table's selected row), marked with a line. */
  currentUs?: number | null;
}): ReactNode {
  const { t, fmt } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const size = useElementSize(box, lastSize);
  useNoLayerTabStops(box);
  useEffect(() => {
    if (size !== null && size.width > 0) lastSize = size;
  }, [size]);
  const buckets = props.buckets ?? NO_BUCKETS;
  // Counted in SQL over every matching request of the session (not a sample), so a 50,000-
  // request session draws as fast as a small one.
  const data = useMemo(
    () =>
      buckets.map((b) => ({
        ...b,
        total: bucketRequests(b),
      })),
    [buckets],
  );
  // Like the marks below, a status class no bucket holds is left out: each series is a
  // render pass over every bucket, and an all-zero one draws nothing.
  const series = useMemo(
    () => STATUS_SERIES.filter((s) => buckets.some((b) => bucketCount(b, s.key) > 0)),
    [buckets],
  );
  // The status classes drawn and the marks placed, named.
  const legend = [
    ...series.map((s) => ({ label: t(s.label), color: s.color })),
    ...BAR_MARKS.filter((m) => buckets.some((b) => (b[m.key] ?? 0) > 0)).map((m) => ({
      label: t(m.label),
      color: m.color,
      shape: m.shape,
    })),
  ];
  // The x axis is by bucket, so the marker sits on the bucket holding the current request.
  const current = props.currentUs;
  const markAt =
    current === null || current === undefined
      ? undefined
      : data.find((b) => current >= b.startUs && current < b.endUs)?.startUs;
  const [range, setRange] = useState<BrushRange | null>(null);
  // The brush's pending selection belongs to the buckets it was dragged over: new buckets
  // (other filters, or the range once applied) redraw the brush at full width, so the
  // selection goes too, and no "Filter to" button offers a range nobody chose on this chart.
  const [rangeOf, setRangeOf] = useState(buckets);
  if (rangeOf !== buckets) {
    setRangeOf(buckets);
    setRange(null);
  }
  // The tooltip from the first pointer or focus on the chart: recharts measures its box in the
  // DOM as it mounts, which would force a layout of the page while the session opens.
  const [engaged, setEngaged] = useState(false);
  const engage = useCallback(() => setEngaged(true), []);
  const { chosen, handles } = brushSelection(range, data, { t, fmt });
  useBrushHandleNames(box, handles);
  // Whole requests, up to the tallest bar's: bars of one request reach the top, not a quarter.
  // The bars the brush shows (it zooms the chart), as recharts' own domain followed them.
  const yAxis = useMemo(
    () => countAxisProps(Math.max(0, ...brushedRows(data, range).map((b) => b.total))),
    [data, range],
  );

  return (
    <div className="timeline-wrap">
      <div
        className="timeline"
        data-testid="timeline"
        ref={box}
        onPointerEnter={engage}
        onFocus={engage}
      >
        {props.buckets === null || size === null || size.width === 0 ? (
          <p className="muted">{t('app.loading')}</p>
        ) : (
          <ComposedChart
            width={size.width}
            height={size.height}
            data={data}
            margin={MARGIN}
            // Its keyboard layer (a tab stop: the arrow keys walk the buckets' tooltips), named.
            aria-label={t('session.timelineChart')}
          >
            <XAxis
              {...xAxisProps}
              scale="band"
              includeHidden
              interval={bandTickInterval(
                size.width - Y_AXIS_PX - MARGIN.right,
                data.length,
                TIME_LABEL_PX,
              )}
              tickFormatter={(v: number) => fmt.time(v)}
              // The last label ends at the chart's edge instead of being cut there.
              tick={<AxisTick maxX={size.width - 1} />}
            />
            <YAxis
              {...yAxisProps}
              width={Y_AXIS_PX}
              includeHidden
              ticks={yAxis.ticks}
              domain={yAxis.domain}
            />
            {engaged ? (
              <Tooltip
                {...tooltipProps}
                includeHidden
                content={(p: TooltipContentProps<ValueType, NameType>) => (
                  <BucketTooltip {...p} series={series} />
                )}
              />
            ) : null}
            {/* Hidden, it still gives the axes (includeHidden) and the tooltip their data: the
                bars, their marks and the replay marker are StackedBarsLayer's few paths. */}
            <Line dataKey="total" hide legendType="none" isAnimationActive={false} />
            <StackedBarsLayer
              rows={data}
              xKey="startUs"
              series={series}
              marks={BAR_MARKS}
              marker={markAt}
              markerColor="var(--accent)"
            />
            <Brush
              // Both handles' name until useBrushHandleNames tells them apart.
              ariaLabel={handles?.start.name}
              dataKey="startUs"
              height={18}
              stroke="var(--accent)"
              fill="var(--bg-sunken)"
              tickFormatter={(v: number) => fmt.time(v)}
              onChange={(r) => {
                if (typeof r.startIndex === 'number' && typeof r.endIndex === 'number') {
                  setRange({ start: r.startIndex, end: r.endIndex });
                }
              }}
            />
          </ComposedChart>
        )}
      </div>
      <BrushFoot
        legend={legend}
        chosen={chosen}
        applyKey="session.applyRange"
        onApply={(fromUs, toUs) => {
          setRange(null);
          props.onRange(fromUs, toUs);
        }}
      />
    </div>
  );
});
