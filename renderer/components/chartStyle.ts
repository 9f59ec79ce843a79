import type { HistogramBucket } from '../../shared/contract/analysisApi';
import type { MessageKey } from '../i18n/en';
import { AxisTick } from './AxisTick';

/** Status classes as stacked series, in stacking order, for every requests-over-time chart. */
export const STATUS_SERIES: readonly { key: string; label: MessageKey; color: string }[] = [
  { key: 's2xx', label: 'status.2xx', color: 'var(--s2xx)' },
  { key: 's3xx', label: 'status.3xx', color: 'var(--s3xx)' },
  { key: 's4xx', label: 'status.4xx', color: 'var(--s4xx)' },
  { key: 's5xx', label: 'status.5xx', color: 'var(--s5xx)' },
  { key: 'other', label: 'status.other', color: 'var(--text-muted)' },
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
