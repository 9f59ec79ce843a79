import { useState, type ReactNode } from 'react';
import type { ErrorInfo } from '../../../shared/contract/errors';
import type { ReviewAction, SessionVerdictDetail } from '../../../shared/contract/verdictApi';
import { reasonParts } from '../../../shared/verdicts/reasonText';
import type { VerdictReason } from '../../../shared/verdicts/types';
import { useApi } from '../../api/ApiContext';
import { ErrorNote } from '../../components/ErrorNote';
import { VisibleText } from '../../components/VisibleText';
import { Panel } from '../../components/Panel';
import { usePrefetchedResult } from '../../hooks/usePrefetchedResult';
import type { MessageKey } from '../../i18n/en';
import { RebuildWaitNote, useRebuilds } from '../../components/RebuildProgress';
import { useI18n, type TFunction } from '../../i18n/I18nContext';
import { sessionCalls } from './sessionCalls';

const UA_CLASS: Readonly<Record<string, MessageKey>> = {
  scanner: 'sessionVerdict.ua.scanner',
  script: 'sessionVerdict.ua.script',
  empty: 'sessionVerdict.ua.empty',
};

/** One reason as a sentence in the UI language: "IP rotation 15 vs ≤ 2 — 7.5× above". */
export function reasonLine(r: VerdictReason, t: TFunction): string {
  const p = reasonParts(r);
  const label = t(`sessionVerdict.detector.${r.detector}`);
  let text: string;
  if (r.detector === 'bad_user_agent') {
    const cls = r.detail !== undefined && UA_CLASS[r.detail] ? t(UA_CLASS[r.detail]!) : p.value;
    text =
      p.baseline === null
        ? `${label} ${cls}`
        : t('sessionVerdict.reasonUa', { label, value: cls, share: p.baseline });
  } else if (p.baseline === null) {
    text = t('sessionVerdict.reasonNoBaseline', { label, value: p.value, threshold: p.threshold });
  } else if (p.ratio === null && r.direction === 'below') {
    text = t('sessionVerdict.reasonPlain', {
      label,
      value: p.value,
      op: p.op,
      baseline: p.baseline,
    });
  } else if (p.ratio === null) {
    text = t('sessionVerdict.reasonNoneElsewhere', {
      label,
      value: p.value,
      op: p.op,
      baseline: p.baseline,
    });
  } else {
    text = t('sessionVerdict.reason', {
      label,
      value: p.value,
      op: p.op,
      baseline: p.baseline,
      ratio: p.ratio ?? '',
      dir: t(r.direction === 'above' ? 'sessionVerdict.above' : 'sessionVerdict.below'),
    });
  }
  return r.scope === 'ip' ? t('sessionVerdict.perIp', { reason: text }) : text;
}

const LEVEL_CLASS = {
  none: 'verdict verdict-clean',
  suspicious: 'verdict verdict-suspicious',
  malicious: 'verdict verdict-attack verdict-malicious',
} as const;

/**
 * A session's behavioural verdict: level, bot type, confidence, every reason with its value,
 * the capture's baseline and how far off it is, and the investigator's review with buttons to
 * confirm, dismiss or undo it (each audited by the backend). All text, never markup.
 */
export function SessionVerdict(props: { sessionId: string; onReviewed?: () => void }): ReactNode {
  const { t } = useI18n();
  const client = useApi();
  const loaded = usePrefetchedResult(
    'getSessionVerdict',
    sessionCalls.verdict(props.sessionId),
    props.sessionId,
  );
  const [after, setAfter] = useState<SessionVerdictDetail | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  // A rebuild holds the case for writing: no change until it has finished (the note says so).
  const { running } = useRebuilds();
  const [error, setError] = useState<ErrorInfo | null>(null);
  const v = after?.sessionId === props.sessionId ? after : loaded.value;

  const review = async (decision: ReviewAction): Promise<void> => {
    setBusy(true);
    setError(null);
    const r = await client.call('reviewVerdict', {
      sessionId: props.sessionId,
      decision,
      ...(decision !== 'clear' && note.trim() !== '' ? { note: note.trim() } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setAfter(r.value);
    setNote('');
    props.onReviewed?.();
  };

  if (loaded.error && !v) return <ErrorNote error={loaded.error} onRetry={loaded.reload} />;
  if (!v) return null;
  return (
    <Panel title={t('sessionVerdict.title')}>
      <div data-testid="session-verdict">
        <div>
          <span className={LEVEL_CLASS[v.level]} data-testid="verdict-level">
            {t(`sessionVerdict.level.${v.level}`)}
          </span>
          {v.botType ? <span> · {t(`sessionVerdict.bot.${v.botType}`)}</span> : null}
          {v.level !== 'none' ? (
            <span className="muted">
              {' '}
              · {t('sessionVerdict.confidence', { pct: Math.round(v.confidence * 100) })}
            </span>
          ) : null}
        </div>
        {v.reasons.length === 0 ? (
          <p className="muted small">{t('sessionVerdict.noReasons')}</p>
        ) : (
          <ul className="small" data-testid="verdict-reasons">
            {v.reasons.map((r, i) => (
              <li key={`${r.detector}-${i}`} className={r.strong ? 'danger-text' : undefined}>
                {reasonLine(r, t)}
              </li>
            ))}
          </ul>
        )}
        {running && (v.review || v.level !== 'none') ? <RebuildWaitNote /> : null}
        {v.review ? (
          <div className="small wrap-anywhere" data-testid="verdict-review">
            <strong>{t(`sessionVerdict.${v.review.decision}`)}</strong>
            {v.review.note ? (
              <span className="muted">
                {' — '}
                <VisibleText text={v.review.note} />
              </span>
            ) : null}{' '}
            <button
              type="button"
              className="btn btn-small"
              disabled={busy || running}
              onClick={() => void review('clear')}
            >
              {t('sessionVerdict.clear')}
            </button>
          </div>
        ) : v.level !== 'none' ? (
          <div className="button-row">
            <input
              type="text"
              className="input"
              maxLength={2000}
              value={note}
              placeholder={t('sessionVerdict.note')}
              aria-label={t('sessionVerdict.note')}
              onChange={(e) => setNote(e.target.value)}
            />
            <button
              type="button"
              className="btn btn-small"
              disabled={busy || running}
              onClick={() => void review('confirm')}
            >
              {t('sessionVerdict.confirm')}
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={busy || running}
              onClick={() => void review('dismiss')}
            >
              {t('sessionVerdict.dismiss')}
            </button>
          </div>
        ) : null}
        {error ? <ErrorNote error={error} /> : null}
      </div>
    </Panel>
  );
}
