import { RISK_FACTORS, type RiskFactorId } from '../../../shared/analysis/risk';
import type { EndpointSummary } from '../../../shared/contract/analysisApi';
import { errorCount } from '../../../shared/export/endpointColumns';
import { Chip } from '../../components/Chip';
import { VisibleText, visibleText } from '../../components/VisibleText';
import type { Column } from '../../components/VirtualTable';
import type { I18n } from '../../i18n/I18nContext';
import { factorDetail } from './riskFactorDetail';

/** An ISO time of the contract as microseconds, for the formatter (NaN: shown as a dash). */
function isoUs(iso: string): number {
  return Date.parse(iso) * 1000;
}

/** How each risk level is coloured, as the verdicts are. */
export const RISK_CLASS = { Low: 'muted', Medium: 'warn-text', High: 'danger-text' } as const;

const KNOWN_FACTORS: ReadonlySet<string> = new Set(RISK_FACTORS);

/** A risk factor's name in the UI's language (its id, as exports keep it, when unknown). */
export function factorName(id: string, t: I18n['t']): string {
  return KNOWN_FACTORS.has(id) ? t(`risk.factor.${id as RiskFactorId}`) : id;
}

/**
 * "Risk 9 High", then each factor on a line: "attack answered 2xx (9): 3 flagged request(s)
 * answered 2xx" (the detail in the UI's language, riskFactorDetail.ts);
 * a score without factors (the floor, 1 Low) says that none was found. Text to show: the
 * parameter names and path segments a detail quotes from the logs have their control
 * characters shown (visibleText), so none breaks a line or hides.
 */
export function riskText(e: EndpointSummary, i18n: Pick<I18n, 't' | 'fmt'>): string {
  const { t } = i18n;
  if (!e.risk) return t('endpoints.riskNone');
  const factors = e.risk.factors.map(
    (f) => `${factorName(f.id, t)} (${f.weight}): ${visibleText(factorDetail(f, i18n))}`,
  );
  return [
    t('endpoints.risk', { score: e.risk.score, level: t(`risk.${e.risk.level}`) }),
    ...(factors.length > 0 ? factors : [t('endpoints.riskNoFactors')]),
  ].join('\n');
}

/**
 * "zombie — deprecated in the spec", "documented — matches /users/{userId}": text to show, the
 * spec's path with its control characters shown.
 */
export function specText(e: EndpointSummary, { t }: Pick<I18n, 't'>): string | undefined {
  if (!e.spec) return undefined;
  const why = e.spec.reason
    ? t(`spec.${e.spec.reason}`)
    : e.spec.specPath
      ? t('spec.matches', { path: visibleText(e.spec.specPath) })
      : null;
  return why ? `${t(`spec.${e.spec.status}`)} — ${why}` : t(`spec.${e.spec.status}`);
}

/**
 * The inventory's columns; `withSpec` adds the spec status (shown once a spec is loaded).
 * Methods, templates and hosts are log text: rendered as text, never markup, their control
 * characters shown (VisibleText; as a string in the titles).
 *
 * Their least widths, spec column included, add up to fit a 1440 px window with a scroll bar
 * (endpointColumns.test.ts), so every column shows there without scrolling sideways. A
 * sortable header has room for its label and the sort arrow; the times keep room for a whole
 * year-first timestamp with milliseconds. Host, endpoint and flows give way first (values end
 * in an ellipsis, whole in the title).
 */
export function endpointColumns(i18n: I18n, withSpec: boolean): Column<EndpointSummary>[] {
  const { t, fmt } = i18n;
  const columns: Column<EndpointSummary>[] = [
    {
      id: 'method',
      header: t('col.method'),
      // "OPTIONS" whole (50.6 px of the table's monospace).
      width: '68px',
      render: (e) => (
        <span className="mono">
          <VisibleText text={e.method} />
        </span>
      ),
    },
    {
      id: 'host',
      header: t('col.host'),
      width: 'minmax(80px, 1fr)',
      render: (e) => <VisibleText text={e.host} />,
      title: (e) => visibleText(e.host),
    },
    {
      id: 'template',
      header: t('col.endpoint'),
      width: 'minmax(180px, 3fr)',
      sortable: true,
      render: (e) => (
        <span className="mono">
          <VisibleText text={e.template} />
        </span>
      ),
      title: (e) => visibleText(e.template),
    },
    {
      id: 'risk',
      header: t('col.risk'),
      width: '84px',
      sortable: true,
      render: (e) =>
        e.risk ? (
          <span className={RISK_CLASS[e.risk.level]}>
            {e.risk.score} {t(`risk.${e.risk.level}`)}
          </span>
        ) : (
          <span className="muted">—</span>
        ),
      title: (e) => riskText(e, i18n),
    },
    {
      id: 'requests',
      header: t('col.requests'),
      width: '90px',
      align: 'right',
      sortable: true,
      render: (e) => fmt.num(e.requestCount),
    },
    {
      id: 'median',
      header: t('col.median'),
      width: '100px',
      align: 'right',
      sortable: true,
      render: (e) => fmt.ms(e.latencyMs.median),
    },
    {
      id: 'p95',
      header: t('col.p95'),
      width: '86px',
      align: 'right',
      sortable: true,
      render: (e) => fmt.ms(e.latencyMs.p95),
    },
    {
      id: 'errors',
      header: t('col.errors'),
      width: '66px',
      align: 'right',
      sortable: true,
      render: (e) => fmt.share(errorCount(e), e.requestCount),
      title: (e) =>
        Object.entries(e.statusMix)
          .map(([c, n]) => `${c}: ${n}`)
          .join('\n'),
    },
    {
      id: 'flows',
      header: t('col.flows'),
      width: 'minmax(96px, 1.2fr)',
      render: (e) => (
        <span className="cell-chips">
          {e.flows.map((f) => (
            <Chip key={f} label={f} tone="accent" />
          ))}
        </span>
      ),
      title: (e) => e.flows.join(', ') || undefined,
    },
    {
      id: 'outliers',
      header: t('col.outliers'),
      width: '78px',
      align: 'right',
      sortable: true,
      render: (e) => fmt.num(e.outlierCount),
    },
    {
      id: 'firstSeen',
      header: t('col.firstSeen'),
      width: '184px',
      render: (e) => <span className="mono">{fmt.ts(isoUs(e.firstSeen))}</span>,
    },
    {
      id: 'lastSeen',
      header: t('col.lastSeen'),
      width: '184px',
      render: (e) => <span className="mono">{fmt.ts(isoUs(e.lastSeen))}</span>,
    },
  ];
  if (!withSpec) return columns;
  const spec: Column<EndpointSummary> = {
    id: 'spec',
    header: t('col.spec'),
    width: '100px',
    render: (e) =>
      e.spec ? (
        <span className={e.spec.status === 'documented' ? 'muted' : 'warn-text'}>
          {t(`spec.${e.spec.status}`)}
        </span>
      ) : (
        <span className="muted">—</span>
      ),
    title: (e) => specText(e, i18n),
  };
  // Beside the risk, which spec status feeds (shadow 5, zombie 7).
  columns.splice(columns.findIndex((c) => c.id === 'risk') + 1, 0, spec);
  return columns;
}
