import type { ReactNode } from 'react';
import type { OmittedValues } from '../../../shared/contract/analysisApi';
import { VisibleText, visibleText } from '../../components/VisibleText';
import { useI18n } from '../../i18n/I18nContext';

export interface DistItem {
  /** What the chip will filter on (an endpoint id, a status class…). */
  key: string;
  /** What the investigator reads (hostile text: text only, its control characters shown). */
  label: string;
  count: number;
  /** False when the value cannot become a filter (e.g. a missing IP). */
  filterable?: boolean;
  /** True for the row of requests without the value ("(no user)", a missing IP): shown muted. */
  missing?: boolean;
}

/** Values a distribution panel lists; the session page asks the backend for this many. */
export const DISTRIBUTION_ROWS = 8;

/**
 * One distribution (methods, IPs, endpoints…): each value with its count, a bar for its share,
 * and a "show only" button that narrows the session's requests to it.
 */
export function DistributionPanel(props: {
  title: string;
  items: readonly DistItem[];
  onShowOnly: (item: DistItem) => void;
  /** What the backend left out of `items` (it sends the top values only). */
  omitted?: OmittedValues | undefined;
  limit?: number;
  /**
   * The requests counted, when a request can hold several values (attack types, flows): each
   * value's share is of the requests, not of the values' sum. Otherwise the values' sum.
   */
  of?: number;
}): ReactNode {
  const { t, fmt } = useI18n();
  const limit = props.limit ?? DISTRIBUTION_ROWS;
  const total =
    props.of ?? props.items.reduce((a, b) => a + b.count, 0) + (props.omitted?.count ?? 0);
  const shown = props.items.slice(0, limit);
  const more = Math.max(0, props.items.length - limit) + (props.omitted?.values ?? 0);
  return (
    <div className="dist" data-testid={`dist-${props.title}`}>
      <h3>{props.title}</h3>
      {shown.length === 0 ? <div className="muted small">—</div> : null}
      {shown.map((item) => {
        const label = visibleText(item.label);
        return (
          <div
            key={item.key}
            className="dist-row"
            style={{ backgroundSize: `${total > 0 ? (item.count / total) * 100 : 0}% 2px` }}
          >
            <span className={`dist-value mono${item.missing ? ' muted' : ''}`} title={label}>
              <VisibleText text={item.label} />
            </span>
            <span className="num muted">
              {fmt.num(item.count)} · {fmt.share(item.count, total)}
            </span>
            {item.filterable === false ? (
              <span />
            ) : (
              <button
                type="button"
                className="dist-pick"
                onClick={() => props.onShowOnly(item)}
                title={t('session.showOnly', { value: label })}
                aria-label={t('session.showOnly', { value: label })}
              >
                ⊙
              </button>
            )}
          </div>
        );
      })}
      {more > 0 ? <div className="muted small">{t('app.more', { n: fmt.num(more) })}</div> : null}
    </div>
  );
}
