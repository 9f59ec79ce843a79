import type { ReactNode } from 'react';
import type { TooltipContentProps } from 'recharts';
import type { NameType, ValueType } from 'recharts/types/component/DefaultTooltipContent';
import { useI18n } from '../i18n/I18nContext';
import type { MessageKey } from '../i18n/en';
import { MARK_COLOR, tooltipProps } from './chartStyle';
import { rowNumber, type Row } from './StackedBarsLayer';

/**
 * A time bucket's tooltip for a chart whose bars are drawn by StackedBarsLayer: the bucket's
 * start, each status class it holds, and its attacks and outliers. The hovered row comes from
 * the chart's one recharts series (the bucket totals).
 */
export function BucketTooltip(
  props: TooltipContentProps<ValueType, NameType> & {
    series: readonly { key: string; label: MessageKey; color: string }[];
  },
): ReactNode {
  const { t, fmt } = useI18n();
  const row = props.payload?.[0]?.payload as Row | undefined;
  if (!props.active || !row) return null;
  const lines = props.series
    .map((s) => ({ ...s, n: rowNumber(row, s.key) }))
    .filter((s) => s.n > 0);
  const attacks = rowNumber(row, 'attacks');
  const outliers = rowNumber(row, 'outliers');
  return (
    <div className="bucket-tooltip" style={tooltipProps.contentStyle}>
      <div className="bucket-tooltip-label">{fmt.ts(rowNumber(row, 'startUs'))}</div>
      {lines.map((s) => (
        <div key={s.key} style={{ color: s.color }}>
          {t(s.label)}: {fmt.num(s.n)}
        </div>
      ))}
      {attacks > 0 ? (
        <div style={{ color: MARK_COLOR.attacks }}>
          {t('session.attacksMarked')}: {fmt.num(attacks)}
        </div>
      ) : null}
      {outliers > 0 ? (
        <div style={{ color: MARK_COLOR.outliers }}>
          {t('session.outliersMarked')}: {fmt.num(outliers)}
        </div>
      ) : null}
    </div>
  );
}
