import { useMemo, useState, type ReactNode } from 'react';
import {
  Bar,
  Brush,
  CartesianGrid,
  ComposedChart,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { SessionRequest } from '../../../shared/contract/analysisApi';
import { useI18n } from '../../i18n/I18nContext';
import { bucketTimeline } from './timelineBuckets';

const SERIES = [
  { key: 's2xx', label: 'status.2xx', color: 'var(--s2xx)' },
  { key: 's3xx', label: 'status.3xx', color: 'var(--s3xx)' },
  { key: 's4xx', label: 'status.4xx', color: 'var(--s4xx)' },
  { key: 's5xx', label: 'status.5xx', color: 'var(--s5xx)' },
  { key: 'other', label: 'status.other', color: 'var(--text-muted)' },
] as const;

/**
 * Requests over the session's time span, stacked by status class, with attacks (red) and
 * outliers (amber) marked above their bars. The brush below narrows the time range; the
 * investigator applies it as an in-session filter.
 */
export function SessionTimeline(props: {
  requests: readonly SessionRequest[];
  attackIds: ReadonlySet<number>;
  fromUs: number;
  toUs: number;
  onRange: (fromUs: number, toUs: number) => void;
}): ReactNode {
  const { t, fmt } = useI18n();
  const data = useMemo(() => {
    const buckets = bucketTimeline(
      props.requests.map((r) => ({
        tsUs: r.tsUs,
        status: r.status,
        outlier: r.outlier,
        attack: props.attackIds.has(r.id),
      })),
      props.fromUs,
      props.toUs,
    );
    return buckets.map((b) => {
      const total = b.s2xx + b.s3xx + b.s4xx + b.s5xx + b.other;
      return {
        ...b,
        attackMark: b.attacks > 0 ? total : null,
        outlierMark: b.outliers > 0 ? total : null,
      };
    });
  }, [props.requests, props.attackIds, props.fromUs, props.toUs]);
  const [range, setRange] = useState<{ start: number; end: number } | null>(null);
  const sel = range && (range.start > 0 || range.end < data.length - 1) ? range : null;
  const selFrom = sel ? data[sel.start]?.startUs : undefined;
  const selTo = sel ? data[sel.end]?.endUs : undefined;

  return (
    <div className="timeline-wrap">
      <div className="timeline" data-testid="timeline">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart
            data={data}
            margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
            barCategoryGap={1}
          >
            <CartesianGrid stroke="var(--border)" vertical={false} />
            <XAxis
              dataKey="startUs"
              tickFormatter={(v: number) => fmt.time(v)}
              stroke="var(--border)"
              tick={{ fill: 'var(--text-muted)' }}
              fontSize={11}
              minTickGap={40}
            />
            <YAxis
              stroke="var(--border)"
              tick={{ fill: 'var(--text-muted)' }}
              fontSize={11}
              width={40}
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
            {SERIES.map((s) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={t(s.label)}
                stackId="status"
                fill={s.color}
                isAnimationActive={false}
              />
            ))}
            <Scatter
              dataKey="attackMark"
              name={t('session.attacksMarked')}
              fill="var(--danger)"
              shape="triangle"
              isAnimationActive={false}
            />
            <Scatter
              dataKey="outlierMark"
              name={t('session.outliersMarked')}
              fill="var(--warn)"
              shape="diamond"
              isAnimationActive={false}
            />
            <Brush
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
        </ResponsiveContainer>
      </div>
      <div className="timeline-foot small">
        <span className="muted">{t('session.timelineHint')}</span>
        {selFrom !== undefined && selTo !== undefined ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => props.onRange(selFrom, selTo)}
          >
            {t('session.applyRange', { from: fmt.ts(selFrom), to: fmt.ts(selTo) })}
          </button>
        ) : null}
      </div>
    </div>
  );
}
