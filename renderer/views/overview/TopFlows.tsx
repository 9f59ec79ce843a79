import type { ReactNode } from 'react';
import type { FlowTotal } from '../../../shared/contract/analysisApi';
import type { Flow } from '../../../shared/analysis/flowRules';
import { useI18n } from '../../i18n/I18nContext';

/** Requests per business flow, summed over the endpoints tagged with it; click to filter sessions. */
export function TopFlows(props: {
  /** Busiest first, as `flowTotals` answers. */
  totals: readonly FlowTotal[];
  totalRequests: number;
  onPick: (flow: Flow) => void;
}): ReactNode {
  const { t, fmt } = useI18n();
  const rows = props.totals.map((f): [Flow, number] => [f.flow, f.requests]);
  if (rows.length === 0) return <p className="muted">{t('overview.noFlows')}</p>;
  return (
    <table className="data" data-testid="top-flows">
      <thead>
        <tr>
          <th>{t('col.flow')}</th>
          <th className="num">{t('col.requests')}</th>
          <th className="num">%</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([flow, n]) => (
          <tr key={flow}>
            <td>
              <button type="button" className="btn btn-link" onClick={() => props.onPick(flow)}>
                {flow}
              </button>
            </td>
            <td className="num">{fmt.num(n)}</td>
            <td className="num">{fmt.share(n, props.totalRequests)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
