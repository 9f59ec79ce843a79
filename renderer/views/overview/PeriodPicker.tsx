import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nContext';
import type { Period } from './periodsApart';

const DAY_US = 86_400e6;

/**
 * The periods far apart the chart's requests fall in, each a button that shows it alone on the
 * chart (pressed while shown; pressed again, or "whole span", for all of them). A period is
 * named by the chart buckets it spans: days when they are a day or wider, else times.
 */
export function PeriodPicker(props: {
  periods: readonly Period[];
  /** The chart's bucket width: how finely the periods' ends are known. */
  widthUs: number;
  shown: Period | null;
  onShow: (period: Period | null) => void;
}): ReactNode {
  const { t, fmt } = useI18n();
  const end = (us: number): string => (props.widthUs >= DAY_US ? fmt.date(us) : fmt.ts(us));
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
            {t('overview.period', {
              from: end(p.fromUs),
              // The last microsecond in it: its end is the next bucket's start.
              to: end(p.toUs - 1),
              n: fmt.num(p.requests),
            })}
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
