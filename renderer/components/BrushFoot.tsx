import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nContext';
import type { BrushSelection } from './brushSelection';
import { ChartLegend, type LegendItem } from './ChartLegend';

/**
 * The line under a chart with a brush: its legend, how to pick a range, and once one is picked
 * the button that applies it, worded by the chart (`applyKey`, given `{from}` and `{to}`).
 */
export function BrushFoot(props: {
  legend: readonly LegendItem[];
  chosen: BrushSelection['chosen'];
  applyKey: 'session.applyRange' | 'overview.showRange';
  onApply: (fromUs: number, toUs: number) => void;
}): ReactNode {
  const { t, fmt } = useI18n();
  const { chosen } = props;
  return (
    <div className="timeline-foot small">
      <ChartLegend items={props.legend} label={t('chart.legend')} />
      <span className="muted">{t('session.timelineHint')}</span>
      {chosen ? (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => props.onApply(chosen.from, chosen.to)}
        >
          {t(props.applyKey, { from: fmt.ts(chosen.from), to: fmt.ts(chosen.to) })}
        </button>
      ) : null}
    </div>
  );
}
