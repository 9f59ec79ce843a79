import type { HistogramBucket } from '../../shared/contract/analysisApi';
import type { MessageKey } from '../i18n/en';
import { AxisTick } from './AxisTick';
import type { BarMark } from './StackedBarsLayer';

/** Status classes as stacked series, in stacking order, for every requests-over-time chart. */
export const STATUS_SERIES: readonly { key: string; label: MessageKey; color: string }[] = [
  { key: 's2xx', label: 'status.2xx', color: 'var(--s2xx)' },
  { key: 's3xx', label: 'status.3xx', color: 'var(--s3xx)' },
  { key: 's4xx', label: 'status.4xx', color: 'var(--s4xx)' },
  { key: 's5xx', label: 'status.5xx', color: 'var(--s5xx)' },
  { key: 'other', label: 'status.other', color: 'var(--text-muted)' },
];

/**
 * The colours of the marks above a bucket's bar (and of their counts in its tooltip): hues no
 * status class uses, in both themes (app.css); red and amber marks vanished against the 5xx
 * and 4xx bars they sit on.
 */
export const MARK_COLOR = {
  attacks: 'var(--mark-attack)',
  outliers: 'var(--mark-outlier)',
} as const;

/**
 * The marks above a bucket's bar, in stacking order like STATUS_SERIES: its outliers (a
 * diamond), then its attacks (a triangle, above the diamond when the bucket has both).
 */
export const BAR_MARKS: readonly (BarMark & { key: 'outliers' | 'attacks'; label: MessageKey })[] =
  [
    { key: 'outliers', label: 'col.outliers', color: MARK_COLOR.outliers, shape: 'diamond' },
    { key: 'attacks', label: 'col.attacks', color: MARK_COLOR.attacks, shape: 'triangle' },
  ];

/** Axis, grid and tooltip styling shared by the charts, so they read alike in both themes. */
export const gridProps = { stroke: 'var(--border)', vertical: false } as const;

export const xAxisProps = {
  dataKey: 'startUs',
  stroke: 'var(--border)',
  tick: AxisTick,
  fontSize: 11,
  minTickGap: 40,
} as const;

export const yAxisProps = {
  stroke: 'var(--border)',
  tick: AxisTick,
  fontSize: 11,
  allowDecimals: false,
  // Every tick of the few the axis makes: no label measured to decide which to skip.
  interval: 0,
} as const;

export const tooltipProps = {
  isAnimationActive: false,
  contentStyle: { background: 'var(--bg-raised)', border: '1px solid var(--border)', fontSize: 12 },
} as const;

/** A bucket's count for one of STATUS_SERIES' keys. */
export function bucketCount(b: HistogramBucket, key: string): number {
  switch (key) {
    case 's2xx':
      return b.s2xx;
    case 's3xx':
      return b.s3xx;
    case 's4xx':
      return b.s4xx;
    case 's5xx':
      return b.s5xx;
    case 'other':
      return b.other;
    default:
      return 0;
  }
}
