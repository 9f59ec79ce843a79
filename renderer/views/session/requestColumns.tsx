import type { SessionRequest } from '../../../shared/contract/analysisApi';
import { Chip } from '../../components/Chip';
import { MatchedText } from '../../components/HighlightedText';
import { VisibleText, visibleText } from '../../components/VisibleText';
import type { Column } from '../../components/VirtualTable';
import type { I18n } from '../../i18n/I18nContext';
import { headerFitPx } from '../sessions/sessionColumns';

/**
 * "870 ms vs median 42 ms, z 9.1" (and for size "… vs median 1,200 bytes of 2xx responses on
 * this endpoint, z 7.3"), for the outlier hover title: of `only` that measure (its own cell),
 * else of both (the row).
 */
export function outlierTitle(
  r: SessionRequest,
  { t, fmt }: I18n,
  only?: 'latency' | 'size',
): string | undefined {
  const parts: string[] = [];
  if (r.latency?.outlier && only !== 'size') {
    parts.push(
      t('session.outlierTitle', {
        value: fmt.ms(r.latency.value),
        median: fmt.ms(r.latency.median),
        z: fmt.num(r.latency.z, 1),
      }),
    );
  }
  if (r.size?.outlier && only !== 'latency') {
    const sizeClass = sizeBaselineClass(r.status);
    parts.push(
      t(
        sizeClass === 'none'
          ? 'session.outlierSizeTitleNoStatus'
          : sizeClass === 'other'
            ? 'session.outlierSizeTitleOtherStatus'
            : 'session.outlierSizeTitle',
        {
          value: fmt.bytes(r.size.value),
          median: fmt.bytes(r.size.median),
          statusClass: sizeClass,
          z: fmt.num(r.size.z, 1),
        },
      ),
    );
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/**
 * The status class whose responses on the request's endpoint its size was judged among, and
 * whose median `size.median` is: the request's own ('2xx'), 'none' without a status, 'other'
 * for a code outside 100–599 (electron/analysis/outliersGroups.ts, statusClass).
 */
export function sizeBaselineClass(status: number | null): `${number}xx` | 'none' | 'other' {
  if (status === null || status < 0) return 'none';
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

/** The request's path and query as logged ('' for none). */
export function pathAndQuery(r: Pick<SessionRequest, 'path' | 'query'>): string {
  return `${r.path ?? ''}${r.query !== null ? `?${r.query}` : ''}`;
}

export function statusClass(status: number | null): string {
  return status === null ? 'muted' : `status-${Math.floor(status / 100)}`;
}

/**
 * The session's requests' columns; `needle`, the free-text filter, is marked in what was asked.
 * A fixed column is as wide as its header in the language shown ("ステータス" is wider than
 * "Status"), and an address column holds any IPv4 address whole.
 */
export function requestColumns(i18n: I18n, needle?: string): Column<SessionRequest>[] {
  const { t, fmt } = i18n;
  const px = (least: number, header: string): string => `${headerFitPx(least, header)}px`;
  return [
    {
      id: 'time',
      header: t('col.time'),
      width: '196px',
      render: (r) => <span className="mono">{fmt.ts(r.tsUs)}</span>,
    },
    {
      id: 'method',
      header: t('col.method'),
      // "OPTIONS" whole (50.6 px of monospace).
      width: px(68, t('col.method')),
      render: (r) => (
        <span className="mono">
          <VisibleText text={r.method ?? '—'} />
        </span>
      ),
    },
    {
      id: 'endpoint',
      header: t('col.endpoint'),
      width: 'minmax(200px, 3fr)',
      render: (r) => (
        <span className="mono">
          <VisibleText text={r.template} />
        </span>
      ),
      // The concrete path (hostile) is shown in the title, as text.
      title: (r) => visibleText(`${r.host ?? ''}${pathAndQuery(r)}`),
    },
    {
      // What was asked, as logged: the payloads are in the path and the query, which the
      // template above leaves out. Text only; the whole of it in the title.
      id: 'request',
      header: t('col.pathQuery'),
      width: 'minmax(160px, 3fr)',
      render: (r) => <MatchedText text={pathAndQuery(r)} needle={needle} oneLine />,
      title: (r) => visibleText(pathAndQuery(r)) || undefined,
    },
    {
      id: 'status',
      header: t('col.status'),
      width: px(56, t('col.status')),
      align: 'right',
      render: (r) => <span className={statusClass(r.status)}>{r.status ?? '—'}</span>,
    },
    {
      id: 'latency',
      header: t('col.latency'),
      width: px(72, t('col.latency')),
      align: 'right',
      render: (r) => (
        <span className={r.latency?.outlier ? 'cell-outlier' : undefined}>
          {fmt.ms(r.latencyMs)}
        </span>
      ),
      title: (r) => outlierTitle(r, i18n, 'latency'),
    },
    {
      id: 'size',
      header: t('col.size'),
      width: px(84, t('col.size')),
      align: 'right',
      render: (r) => (
        <span className={r.size?.outlier ? 'cell-outlier' : undefined}>
          {fmt.bytes(r.respBytes)}
        </span>
      ),
      title: (r) => outlierTitle(r, i18n, 'size'),
    },
    {
      id: 'ip',
      header: t('col.ip'),
      // "255.255.255.255" whole: 108.4 px of the table's monospace, and the padding.
      width: px(126, t('col.ip')),
      render: (r) => (
        <span className="mono">
          <VisibleText text={r.ip ?? '—'} />
        </span>
      ),
      title: (r) => (r.ip === null ? undefined : visibleText(r.ip)),
    },
    {
      // Each request's own user: one session may try many accounts.
      id: 'user',
      header: t('col.user'),
      width: 'minmax(112px, 2fr)',
      render: (r) => <VisibleText text={r.user ?? '—'} />,
      title: (r) => (r.user === null ? undefined : visibleText(r.user)),
    },
    {
      id: 'attack',
      header: t('col.attack'),
      width: '110px',
      render: (r) =>
        r.attacks.length > 0 ? (
          <Chip tone="danger" label={r.attacks.join(', ')} title={r.attacks.join(', ')} />
        ) : null,
    },
    {
      id: 'flow',
      header: t('col.flow'),
      width: 'minmax(90px, 1fr)',
      render: (r) => (
        <span className="cell-chips">
          {r.flows.map((f) => (
            <Chip key={f} label={f} tone="accent" />
          ))}
        </span>
      ),
      title: (r) => r.flows.join(', ') || undefined,
    },
  ];
}
