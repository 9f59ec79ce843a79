import { useMemo, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../../i18n/I18nContext';
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
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis
            dataKey="startUs"
            tickFormatter={tick}
            stroke="var(--border)"
            fontSize={11}
            minTickGap={40}
          />
          <YAxis
            stroke="var(--border)"
            tick={{ fill: 'var(--text-muted)' }}
            fontSize={11}
            width={44}
            allowDecimals={false}
          />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(v) => fmt.ts(Number(v))}
            contentStyle={{
              background: 'var(--bg-raised)',
              border: '1px solid var(--border)',
              fontSize: 12,
            }}
          />
          <Bar
            dataKey="s2xx"
            name={t('status.2xx')}
            stackId="s"
            fill="var(--s2xx)"
            isAnimationActive={false}
          />
          <Bar
            dataKey="s3xx"
            name={t('status.3xx')}
            stackId="s"
            fill="var(--s3xx)"
            isAnimationActive={false}
          />
          <Bar
            dataKey="s4xx"
            name={t('status.4xx')}
            stackId="s"
            fill="var(--s4xx)"
            isAnimationActive={false}
          />
          <Bar
            dataKey="s5xx"
            name={t('status.5xx')}
            stackId="s"
            fill="var(--s5xx)"
            isAnimationActive={false}
          />
          <Bar
            dataKey="other"
            name={t('status.other')}
            stackId="s"
            fill="var(--text-muted)"
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
