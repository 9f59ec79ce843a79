import type { ReactNode } from 'react';
import type { FlowShare, SessionSummary } from '../../../shared/contract/analysisApi';
import { Chip } from '../../components/Chip';
import { VisibleText, visibleText } from '../../components/VisibleText';
import { useI18n } from '../../i18n/I18nContext';
import { usersInOrder, usersTitle } from '../sessions/usersTitle';
import { VERDICT_CLASS, VERDICT_LABEL, verdictOf, verdictTitle } from '../sessions/verdict';

function Field(props: { label: string; children: ReactNode; title?: string }): ReactNode {
  return (
    <div className="hfield">
      <span className="hlabel">{props.label}</span>
      <span className="hvalue" title={props.title}>
        {props.children}
      </span>
    </div>
  );
}

/** A hostile value's hover title, its control characters shown as in the field. */
const titleOf = (v: string | null): string | undefined => (v === null ? undefined : visibleText(v));

/**
 * Who, from where, when: the facts of one session, each hostile value as plain text with its
 * control characters shown (VisibleText), so a user agent holding an ESC or a user name a
 * U+202E override turns round reads as what it is.
 */
export function SessionHeader(props: {
  session: SessionSummary;
  flows: readonly FlowShare[];
  /** The session page's user filter: the users it names come first in the header. */
  usersFilter?: readonly string[];
}): ReactNode {
  const { t, fmt } = useI18n();
  const s = props.session;
  const v = verdictOf(s);
  // Some of the session's requests are left out by the filters.
  const filtered = s.matchedRequests !== s.requestCount;
  return (
    <div className="session-header" data-testid="session-header">
      <Field label={t('session.keyKind')} title={titleOf(s.keyValue)}>
        <span className="mono">
          <VisibleText text={s.keyKind} />
        </span>
        {s.keyValue ? (
          <span className="mono muted">
            {' = '}
            <VisibleText text={s.keyValue} />
          </span>
        ) : null}
      </Field>
      <Field label={t('col.verdict')} title={verdictTitle(s, t) || undefined}>
        <span className={VERDICT_CLASS[v]}>{t(VERDICT_LABEL[v])}</span>
        <span className="muted">
          {' · '}
          {t(s.requestCount === 1 ? 'session.requestCountOne' : 'session.requestCount', {
            n: fmt.num(s.requestCount),
          })}
          {/* The figures are the whole session's; the flows, timeline and distributions below
              count only the requests that match the filters, and say so. */}
          {filtered
            ? ` ${t(s.matchedRequests === 1 ? 'session.matchedSuffixOne' : 'session.matchedSuffix', { matched: fmt.num(s.matchedRequests) })}`
            : ''}
          {' · '}
          {t('session.attackCount', { n: fmt.num(s.attackCount) })}
          {' · '}
          {t(s.outlierCount === 1 ? 'session.outlierCountOne' : 'session.outlierCount', {
            n: fmt.num(s.outlierCount),
          })}
        </span>
      </Field>
      <SessionUsers session={s} usersFilter={props.usersFilter} />
      <Field label={t('session.role')} title={titleOf(s.role)}>
        <VisibleText text={s.role ?? '—'} />
      </Field>
      <Field label={t('session.ips')}>
        <span className="mono">
          <VisibleText text={s.firstIp ?? '—'} />
        </span>
        {s.ipCount > 1 ? (
          <span className="muted"> {t('app.more', { n: s.ipCount - 1 })}</span>
        ) : null}
      </Field>
      <Field
        label={t('session.span')}
        title={`${fmt.ts(s.firstUs)} – ${fmt.ts(s.lastUs)} (${fmt.zoneName})`}
      >
        <span className="mono">
          {/* Both in full: a session may end on another day (in the zone shown, too). */}
          {fmt.ts(s.firstUs)} – {fmt.ts(s.lastUs)}
        </span>
        <span className="muted"> ({fmt.duration(s.durationMs * 1000)})</span>
      </Field>
      <Field label={t('session.ua')} title={titleOf(s.userAgent)}>
        <span className="mono">
          <VisibleText text={s.userAgent ?? '—'} />
        </span>
      </Field>
      <Field label={t(filtered ? 'session.flowsMatching' : 'session.flows')}>
        <span className="cell-chips">
          {props.flows.length === 0 ? <span className="muted">—</span> : null}
          {props.flows.map((f) => (
            <Chip
              key={f.flow}
              tone="accent"
              label={`${f.flow} ${fmt.num(f.count)} · ${fmt.share(f.count, s.matchedRequests)}`}
            />
          ))}
        </span>
      </Field>
    </div>
  );
}

/** How many of a session's users the header names; the rest are counted ("+N more"). */
const USERS_SHOWN = 2;

/**
 * The session's users: those the user filter names, the last one seen, then others by name,
 * at most USERS_SHOWN, then "+N more"; every named one in the title. A credential-stuffing
 * session tries many accounts, and naming only the last would pin its attempts on one.
 */
function SessionUsers(props: {
  session: SessionSummary;
  usersFilter: readonly string[] | undefined;
}): ReactNode {
  const { t, fmt } = useI18n();
  const s = props.session;
  if (s.userCount <= 1) {
    return (
      <Field label={t('session.user')} title={titleOf(s.user)}>
        <VisibleText text={s.user ?? s.users[0] ?? '—'} />
      </Field>
    );
  }
  const shown = usersInOrder(s, props.usersFilter).slice(0, USERS_SHOWN);
  const title = usersTitle(s, t, fmt.num);
  return (
    <Field label={t('session.users', { n: fmt.num(s.userCount) })} title={title}>
      {/* The names shrink with an ellipsis, the "+N more" does not. */}
      <span data-testid="session-users" style={{ display: 'flex', gap: 4, minWidth: 0 }}>
        <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 }}>
          {shown.map((u, i) => (
            <span key={u}>
              {i > 0 ? ', ' : null}
              <VisibleText text={u} />
            </span>
          ))}
        </span>
        {s.userCount > shown.length ? (
          <span className="muted" style={{ flexShrink: 0 }}>
            {t('app.more', { n: fmt.num(s.userCount - shown.length) })}
          </span>
        ) : null}
      </span>
    </Field>
  );
}
