import type { ReactNode } from 'react';
import type { EndpointSummary, RequestDetail } from '../../../shared/contract/analysisApi';
import { Chip } from '../../components/Chip';
import { KeyValueTable } from '../../components/KeyValueTable';
import { useApi } from '../../api/ApiContext';
import { useResult } from '../../hooks/useResult';
import { useI18n } from '../../i18n/I18nContext';
import { factorName, RISK_CLASS, riskText, specText } from '../endpoints/endpointColumns';

/** How this request compares with its endpoint: volume, typical latency and size, status mix. */
export function EndpointInsights(props: { request: RequestDetail }): ReactNode {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const client = useApi();
  const r = props.request;
  const endpoint = useResult(
    () => client.call('getEndpoint', { id: r.endpointId }),
    `endpoint|${r.endpointId}`,
  );
  const e: EndpointSummary | undefined =
    endpoint.value?.id === r.endpointId ? endpoint.value : undefined;
  if (!e) return <p className="muted">{endpoint.status === 'loading' ? t('app.loading') : '—'}</p>;
  const mix = Object.entries(e.statusMix)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code}: ${fmt.num(n)}`)
    .join(' · ');
  return (
    <KeyValueTable
      label={t('request.insights')}
      rows={[
        [t('col.endpoint'), `${e.method} ${e.host}${e.template}`],
        [t('col.requests'), fmt.num(e.requestCount)],
        [t('col.median'), `${fmt.ms(e.latencyMs.median)} (p95 ${fmt.ms(e.latencyMs.p95)})`],
        [t('col.size'), `${fmt.bytes(e.respBytes.median)} (p95 ${fmt.bytes(e.respBytes.p95)})`],
        [t('col.status'), mix || '—'],
        [t('col.outliers'), fmt.num(e.outlierCount)],
        [
          t('col.flows'),
          <span key="f" className="cell-chips">
            {e.flows.length === 0
              ? '—'
              : e.flows.map((f) => <Chip key={f} tone="accent" label={f} />)}
          </span>,
        ],
        ['params', e.params.join(', ') || '—'],
        // The endpoint's risk with its factors, and its status against the loaded specs.
        [
          t('col.risk'),
          e.risk ? (
            <span key="r" title={riskText(e, i18n)}>
              <span className={RISK_CLASS[e.risk.level]}>
                {e.risk.score} {t(`risk.${e.risk.level}`)}
              </span>
              {e.risk.factors.length > 0
                ? ` · ${e.risk.factors.map((f) => factorName(f.id, t)).join(', ')}`
                : ''}
            </span>
          ) : (
            '—'
          ),
        ],
        ...(e.spec ? [[t('col.spec'), specText(e, i18n) ?? '—'] as [string, string]] : []),
      ]}
    />
  );
}
