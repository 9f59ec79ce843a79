import type { ReactNode } from 'react';
import type { EndpointSummary } from '../../../shared/contract/analysisApi';
import { VisibleText, visibleText } from '../../components/VisibleText';
import { useI18n } from '../../i18n/I18nContext';
import { factorName, RISK_CLASS, riskText } from '../endpoints/endpointColumns';

/**
 * The riskiest endpoints (as the Endpoints view sorts by risk: score, then requests) with their
 * score and the factors' names; picking one lists the sessions that called it. Templates are log
 * text: shown as text, their control characters shown, a long one cut to one line.
 */
export function RiskiestEndpoints(props: {
  endpoints: readonly EndpointSummary[];
  onPick: (e: EndpointSummary) => void;
}): ReactNode {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  if (props.endpoints.length === 0) return <p className="muted">{t('overview.noEndpoints')}</p>;
  return (
    <table className="data" data-testid="riskiest-endpoints">
      <thead>
        <tr>
          <th>{t('col.endpoint')}</th>
          <th>{t('col.risk')}</th>
          <th className="num">{t('col.requests')}</th>
        </tr>
      </thead>
      <tbody>
        {props.endpoints.map((e) => (
          <tr key={e.id}>
            {/* One line cut with an ellipsis in a cell that never widens the table (a 900-
                character template pushed the risk off the panel); all of it in the title. */}
            <td className="cell-clip">
              <button
                type="button"
                className="btn btn-link mono text-clip"
                title={visibleText(`${e.method} ${e.host}${e.template}`)}
                onClick={() => props.onPick(e)}
              >
                <VisibleText text={`${e.method} ${e.template}`} />
              </button>
            </td>
            <td title={riskText(e, i18n)}>
              {e.risk ? (
                <>
                  <span className={RISK_CLASS[e.risk.level]}>
                    {e.risk.score} {t(`risk.${e.risk.level}`)}
                  </span>
                  <span className="muted small">
                    {' '}
                    {e.risk.factors.map((f) => factorName(f.id, t)).join(', ')}
                  </span>
                </>
              ) : (
                '—'
              )}
            </td>
            <td className="num">{fmt.num(e.requestCount)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
