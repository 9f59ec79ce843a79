import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nContext';
import type { Period } from './periodsApart';

/**
 * The periods far apart the chart's requests fall in, each a button that shows it alone on the
 * chart (pressed while shown; pressed again, or "whole span", for all of them). A period is
 * named by its first and last request: their days, or the day and both times within one day.
 */
export function PeriodPicker(props: {
  periods: readonly Period[];
  shown: Period | null;
  onShow: (period: Period | null) => void;
}): ReactNode {
  const { t, fmt } = useI18n();
  const name = (p: Period): { from: string; to: string } =>
    fmt.date(p.firstUs) === fmt.date(p.lastUs)
      ? { from: `${fmt.date(p.firstUs)} ${fmt.time(p.firstUs)}`, to: fmt.time(p.lastUs) }
      : { from: fmt.date(p.firstUs), to: fmt.date(p.lastUs) };
  return (
    <p className="chart-outside chart-periods small" data-testid="chart-periods">
      <span className="muted">{t('overview.periods', { n: props.periods.length })}</span>
      {props.periods.map((p) => {
        const pressed = props.shown?.fromUs === p.fromUs && props.shown.toUs === p.toUs;
        return (
          <button
            key={p.fromUs}
            type="button"
            className="btn btn-small"
            aria-pressed={pressed}
            onClick={() => props.onShow(pressed ? null : p)}
          >
            {t('overview.period', { ...name(p), n: fmt.num(p.requests) })}
          </button>
        );
      })}
      {props.shown ? (
        <button type="button" className="btn btn-small" onClick={() => props.onShow(null)}>
          {t('overview.showWhole')}
        </button>
      ) : null}
    </p>
  );
}
