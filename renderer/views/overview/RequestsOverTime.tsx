import { useMemo, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../../i18n/I18nContext';
import {
  gridProps,
  STATUS_SERIES,
  tooltipProps,
  xAxisProps,
  yAxisProps,
} from '../../components/chartStyle';
import { bucketTimeline, type TimelinePoint } from '../session/timelineBuckets';

/** Requests per time bucket across the case, stacked by status class. */
export function RequestsOverTime(props: { points: readonly TimelinePoint[] }): ReactNode {
  const { t, fmt } = useI18n();
  const data = useMemo(() => {
    if (props.points.length === 0) return [];
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of props.points) {
      lo = Math.min(lo, p.tsUs);
      hi = Math.max(hi, p.tsUs);
    }
    return bucketTimeline(props.points, lo, hi, 96);
  }, [props.points]);
  const spanDays =
    data.length > 0 ? (data[data.length - 1]!.endUs - data[0]!.startUs) / 86_400e6 : 0;
  const tick = (v: number): string => (spanDays > 2 ? fmt.date(v) : fmt.time(v));
  return (
    <div className="chart" data-testid="requests-over-time">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: 0 }} barCategoryGap={1}>
          <CartesianGrid {...gridProps} />
          <XAxis {...xAxisProps} tickFormatter={tick} />
          <YAxis {...yAxisProps} width={44} />
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
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
