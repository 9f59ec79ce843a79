import type { ReactNode } from 'react';
import type { FlowShare, SessionSummary } from '../../../shared/contract/analysisApi';
import { Chip } from '../../components/Chip';
import { VisibleText, visibleText } from '../../components/VisibleText';
import { useI18n } from '../../i18n/I18nContext';
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
}): ReactNode {
  const { t, fmt } = useI18n();
  const s = props.session;
  const v = verdictOf(s);
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
          {' '}
          · {fmt.num(s.requestCount)} {t('col.requests')} · {fmt.num(s.attackCount)}{' '}
          {t('col.attacks')} · {fmt.num(s.outlierCount)} {t('col.outliers')}
        </span>
      </Field>
      <Field label={t('session.user')} title={titleOf(s.user)}>
        <VisibleText text={s.user ?? '—'} />
      </Field>
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
      <Field label={t('session.flows')}>
        <span className="cell-chips">
          {props.flows.length === 0 ? <span className="muted">—</span> : null}
          {props.flows.map((f) => (
            <Chip
              key={f.flow}
              tone="accent"
              label={`${f.flow} ${fmt.num(f.count)} · ${fmt.num(f.percent, 1)}%`}
            />
          ))}
        </span>
      </Field>
    </div>
  );
}
