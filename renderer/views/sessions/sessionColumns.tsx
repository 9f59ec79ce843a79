import type { ReactNode } from 'react';
import type { SessionListItem } from '../../../shared/contract/analysisApi';
import type { SessionSort } from '../../../shared/query/filterModel';
import { Chip } from '../../components/Chip';
import { VisibleText, visibleText } from '../../components/VisibleText';
import type { Column } from '../../components/VirtualTable';
import type { I18n } from '../../i18n/I18nContext';
import { usersInOrder, usersTitle } from './usersTitle';
import { VERDICT_CLASS, VERDICT_LABEL, verdictOf, verdictTitle } from './verdict';

/** Table column id → the backend's sort key, for the sortable columns. */
export const SORT_OF_COLUMN: Readonly<Record<string, SessionSort>> = {
  start: 'firstSeen',
  duration: 'duration',
  requests: 'requests',
  attacks: 'attacks',
  outliers: 'outliers',
};

/**
 * The list's columns. The start, duration, verdict and count columns are fixed and hold their
 * values whole, and a sortable header has room for its label and the sort arrow. The text
 * columns share what is left by fr alone (a track with a fixed maximum would grow to it before
 * any fr track does), endpoints most, and end their values in an ellipsis (whole in the title),
 * each at its least still readable: an IPv4 address whole, a host or an endpoint to its
 * second part ("api.acme-demo…", "GET /api/v1…"), not "a…" and "G…".
 *
 * Seven text columns at those widths do not fit beside the fixed ones at 1280 px: the least
 * useful give way there (VirtualTable hides them, their values in each row's title), the key
 * kind first (most cases key every session alike; the session page shows it), then the role.
 * Without them the least widths add up to fit a 1280 px window with a scroll bar, and with
 * them a 1440 px one (sessionColumns.test.ts), so no header is cut and nothing scrolls
 * sideways there; narrower, the table scrolls sideways, header and rows together.
 * test/e2e/narrowWindow.e2e.test.ts checks it in Chromium, in both languages.
 */
export function sessionColumns(
  { t, fmt }: I18n,
  /** The list's user filter: a session found by one of its users shows that one. */
  usersFilter: readonly string[] = [],
): Column<SessionListItem>[] {
  const verdicts = Object.values(VERDICT_LABEL).map((k) => t(k));
  const more = (n: number): string => t('app.more', { n: fmt.num(n) });
  /**
   * A title listing what a column counted: under filters that leave some of the session's
   * requests out, it first says they are the matching ones (as "2/4" says in Requests).
   */
  const ofMatching = (s: SessionListItem, lines: string[]): string | undefined => {
    if (lines.length === 0) return undefined;
    if (s.matchedRequests === s.requestCount) return lines.join('\n');
    const head = t(
      s.matchedRequests === 1 ? 'sessions.ofMatchingTitleOne' : 'sessions.ofMatchingTitle',
      { n: fmt.num(s.matchedRequests) },
    );
    return [head, ...lines].join('\n');
  };
  return [
    {
      id: 'start',
      header: t('col.start'),
      // "2026-03-12 00:00:07.250": 166.2 px of the table's monospace, and the padding.
      width: '186px',
      sortable: true,
      render: (s) => <span className="mono">{fmt.ts(s.firstUs)}</span>,
      title: (s) => `${fmt.ts(s.firstUs)} – ${fmt.ts(s.lastUs)} (${fmt.zoneName})`,
    },
    {
      id: 'duration',
      header: t('col.duration'),
      width: '84px',
      align: 'right',
      sortable: true,
      render: (s) => fmt.duration(s.durationMs * 1000),
    },
    {
      id: 'verdict',
      header: t('col.verdict'),
      // Its longest label whole ("Suspicious"), in the bold the verdicts are shown in.
      width: `${headerFitPx(Math.max(...verdicts.map((v) => labelPx(v, VERDICT_LATIN_PX) + CELL_PAD_PX)), t('col.verdict'))}px`,
      render: (s) => {
        const v = verdictOf(s);
        return <span className={VERDICT_CLASS[v]}>{t(VERDICT_LABEL[v])}</span>;
      },
      title: (s) => verdictTitle(s, t) || undefined,
    },
    {
      id: 'requests',
      header: t('col.requests'),
      width: '100px',
      align: 'right',
      sortable: true,
      headerTitle: t('sessions.requestsHead'),
      render: (s) => <OfTotal matched={s.matchedRequests} total={s.requestCount} num={fmt.num} />,
      // Two figures when the filters match some of the requests: the hover says which is which.
      title: (s) =>
        s.matchedRequests !== s.requestCount
          ? t('sessions.reqFilteredTitle', {
              matched: fmt.num(s.matchedRequests),
              requests: fmt.num(s.requestCount),
            })
          : undefined,
    },
    {
      id: 'attacks',
      header: t('col.attacks'),
      width: '84px',
      align: 'right',
      sortable: true,
      headerTitle: t('sessions.attacksHead'),
      render: (s) => (
        <OfTotal
          matched={s.matchedAttacks}
          total={s.attackCount}
          num={fmt.num}
          className={s.matchedAttacks > 0 ? 'danger-text' : 'muted'}
        />
      ),
      // The filters count the matching requests' attacks; the session's own beside them.
      title: (s) =>
        s.matchedAttacks !== s.attackCount
          ? t('sessions.attFilteredTitle', {
              matched: fmt.num(s.matchedAttacks),
              attacks: fmt.num(s.attackCount),
            })
          : t(s.attackCount === 1 ? 'sessions.attTitleOne' : 'sessions.attTitle', {
              attacks: fmt.num(s.attackCount),
            }),
    },
    {
      id: 'user',
      header: t('col.user'),
      width: `minmax(${headerFitPx(104, t('col.user'))}px, 1fr)`,
      // The last user seen (or the one the filter asked for), and how many others the session
      // tried (a credential-stuffing session tries many): the title names them.
      render: (s) => (
        <FirstAndMore
          first={usersInOrder(s, usersFilter)[0] ?? null}
          total={s.userCount}
          more={more}
        />
      ),
      title: (s) =>
        usersTitle(s, t, fmt.num) ?? (s.user === null ? undefined : visibleText(s.user)),
    },
    {
      id: 'role',
      header: t('col.role'),
      width: `minmax(${headerFitPx(72, t('col.role'))}px, 0.4fr)`,
      givesWay: 2,
      render: (s) => <VisibleText text={s.role ?? '—'} />,
      title: (s) => (s.role === null ? undefined : visibleText(s.role)),
    },
    {
      id: 'ips',
      header: t('col.ips'),
      // The longest IPv4 address, "255.255.255.255", whole at the least (108.4 px of the
      // table's monospace: 124 px cut "100.108.116.113" by half a pixel).
      width: `minmax(${headerFitPx(126, t('col.ips'))}px, 0.8fr)`,
      render: (s) => (
        <span className="mono">
          <FirstAndMore first={s.firstIp} total={s.ipCount} more={more} />
        </span>
      ),
      title: (s) =>
        s.firstIp === null
          ? undefined
          : `${visibleText(s.firstIp)}${s.ipCount > 1 ? ` ${more(s.ipCount - 1)}` : ''}`,
    },
    {
      id: 'host',
      header: t('col.host'),
      // "api.acme-demo…": a host's name to its second part at the least.
      width: `minmax(${headerFitPx(128, t('col.host'))}px, 1fr)`,
      // The first host, cut before its "+N more" is.
      render: (s) => <FirstAndMore first={s.hosts[0] ?? null} total={s.hosts.length} more={more} />,
      title: (s) =>
        s.hosts.length === 0 ? undefined : s.hosts.map((h) => visibleText(h)).join('\n'),
    },
    {
      id: 'key',
      header: t('col.keyKind'),
      width: `minmax(${headerFitPx(68, t('col.keyKind'))}px, 0.4fr)`,
      givesWay: 1,
      render: (s) => (
        <span className="mono">
          <VisibleText text={s.keyKind} />
        </span>
      ),
      title: (s) => visibleText(`${s.keyKind}${s.keyValue ? ` = ${s.keyValue}` : ''}`),
    },
    {
      id: 'flows',
      header: t('col.flows'),
      width: `minmax(${headerFitPx(76, t('col.flows'))}px, 0.8fr)`,
      headerTitle: t('sessions.flowsHead'),
      // Shares of the counted requests (those matching the filters), as in the session header.
      render: (s) => (
        <span className="cell-chips">
          {s.flowShares.map((f) => (
            <Chip
              key={f.flow}
              label={`${f.flow} ${fmt.num(f.count)} · ${fmt.share(f.count, s.matchedRequests)}`}
              tone="accent"
            />
          ))}
        </span>
      ),
      title: (s) =>
        ofMatching(
          s,
          s.flowShares.map(
            (f) => `${f.flow}: ${fmt.num(f.count)} (${fmt.share(f.count, s.matchedRequests)})`,
          ),
        ),
    },
    {
      id: 'endpoints',
      header: t('col.topEndpoints'),
      // "GET /api/v1… +1 more" at the least.
      width: `minmax(${headerFitPx(166, t('col.topEndpoints'))}px, 2fr)`,
      headerTitle: t('sessions.endpointsHead'),
      render: (s) => <TopEndpoints session={s} more={(n) => t('app.more', { n })} num={fmt.num} />,
      title: (s) =>
        ofMatching(
          s,
          s.topEndpoints.map(
            (e) => `${visibleText(`${e.method} ${e.template}`)} × ${fmt.num(e.count)}`,
          ),
        ),
    },
    {
      id: 'outliers',
      header: t('col.outliers'),
      width: '84px',
      align: 'right',
      sortable: true,
      headerTitle: t('sessions.outliersHead'),
      render: (s) => (
        <OfTotal
          matched={s.matchedOutliers}
          total={s.outlierCount}
          num={fmt.num}
          className={s.matchedOutliers > 0 ? 'warn-text' : 'muted'}
        />
      ),
      title: (s) =>
        s.matchedOutliers !== s.outlierCount
          ? t('sessions.outFilteredTitle', {
              matched: fmt.num(s.matchedOutliers),
              outliers: fmt.num(s.outlierCount),
            })
          : undefined,
    },
  ];
}

/** A cell's padding, both sides (app.css .vtable-cell). */
const CELL_PAD_PX = 16;
/** The sort arrow beside a sorted header's label. */
const SORT_ARROW_PX = 13;
/** About how wide a Latin letter is at the table's 13 px: a header's, and a verdict's (bold). */
const HEADER_LATIN_PX = 6.7;
const VERDICT_LATIN_PX = 8.2;

/** `px`, or more where the header (with its sort arrow) needs it in the language shown. */
export function headerFitPx(px: number, header: string, sortable = false): number {
  return Math.max(
    px,
    labelPx(header, HEADER_LATIN_PX) + (sortable ? SORT_ARROW_PX : 0) + CELL_PAD_PX,
  );
}

/** About how wide a label is drawn: Japanese (and full-width) glyphs are square, 13 px. */
export function labelPx(text: string, latinPx: number): number {
  let px = 0;
  for (const ch of text) px += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 13 : latinPx;
  return Math.ceil(px);
}

/**
 * A session's figure under the filters: "matched/total" (the session's total muted: the
 * filtered figure is the one read) where the filters leave some of the session out, else the
 * total alone. The columns are wide enough for "1,755/2,123".
 */
function OfTotal(props: {
  matched: number;
  total: number;
  num: (n: number) => string;
  className?: string;
}): ReactNode {
  return (
    <span className={props.className}>
      {props.num(props.matched)}
      {props.matched !== props.total ? (
        <span className="muted">/{props.num(props.total)}</span>
      ) : null}
    </span>
  );
}

/** A flex item that shrinks, its text ending in an ellipsis. */
const ELLIPSIS = {
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
  minWidth: 0,
} as const;

/**
 * A value (log text, its control characters shown) and "+N more" for the others: the value
 * shrinks with an ellipsis, the "+N more" does not, so a narrow cell still says there are more.
 */
function FirstAndMore(props: {
  first: string | null;
  total: number;
  more: (n: number) => string;
}): ReactNode {
  if (props.first === null || props.first === '') return <span className="muted">—</span>;
  return (
    <span className="first-and-more" style={{ display: 'flex', gap: 4, minWidth: 0 }}>
      <span style={ELLIPSIS}>
        <VisibleText text={props.first} />
      </span>
      {props.total > 1 ? (
        <span className="muted" style={{ flexShrink: 0 }}>
          {props.more(props.total - 1)}
        </span>
      ) : null}
    </span>
  );
}

/**
 * "GET /login ×6, POST /a ×3 +2 more": endpoint templates are log text, shown as text with
 * their control characters shown.
 */
function TopEndpoints(props: {
  session: SessionListItem;
  more: (n: number) => string;
  num: (n: number) => string;
}): ReactNode {
  const { topEndpoints, endpointCount } = props.session;
  if (topEndpoints.length === 0) return <span className="muted">—</span>;
  const rest = endpointCount - topEndpoints.length;
  // The list stays one line per session: the endpoints shrink with an ellipsis, the
  // "+N more" does not, so it is never the part cut off (the cell's title lists them all).
  return (
    <span className="top-endpoints" style={{ display: 'flex', gap: 4, minWidth: 0 }}>
      <span style={ELLIPSIS}>
        {topEndpoints.map((e, i) => (
          <span key={`${e.method} ${e.template}`}>
            {i > 0 ? ', ' : null}
            <span className="mono">
              <VisibleText text={`${e.method} ${e.template}`} />
            </span>
            <span className="muted"> ×{props.num(e.count)}</span>
          </span>
        ))}
      </span>
      {rest > 0 ? (
        <span className="muted" style={{ flexShrink: 0 }}>
          {props.more(rest)}
        </span>
      ) : null}
    </span>
  );
}
