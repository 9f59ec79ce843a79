import { useState, type ReactNode } from 'react';
import type { DetectionInfo } from '../../../shared/contract/detectApi';
import type { ErrorInfo, Result } from '../../../shared/contract/errors';
import { MARK_SCOPES, type MarkScope } from '../../../shared/contract/rulesApi';
import { useApi } from '../../api/ApiContext';
import { ErrorNote } from '../../components/ErrorNote';
import { VisibleText } from '../../components/VisibleText';
import type { MessageKey } from '../../i18n/en';
import { RebuildWaitNote, useRebuilds } from '../../components/RebuildProgress';
import { useI18n } from '../../i18n/I18nContext';

const SCOPE_LABEL: Record<MarkScope, MessageKey> = {
  request: 'verdict.scope.request',
  signature: 'verdict.scope.signature',
  type: 'verdict.scope.type',
  all: 'verdict.scope.all',
};

/**
 * The investigator's verdict on one finding: what it is now (with its note), and the buttons
 * to mark it true or false positive (with a scope) or to undo. Every change rebuilds the
 * analysis on the backend, so `onChanged` reloads what the panel shows.
 */
export function FindingVerdict(props: {
  finding: DetectionInfo;
  onChanged: () => void;
}): ReactNode {
  const { t } = useI18n();
  const client = useApi();
  const d = props.finding;
  const [scope, setScope] = useState<MarkScope>('request');
  const [busy, setBusy] = useState(false);
  // A rebuild holds the case for writing: no change until it has finished (the note says so).
  const { running } = useRebuilds();
  const [error, setError] = useState<ErrorInfo | null>(null);

  const run = async (call: () => Promise<Result<unknown>>): Promise<void> => {
    setBusy(true);
    setError(null);
    const r = await call();
    setBusy(false);
    if (r.ok) props.onChanged();
    else setError(r.error);
  };
  const mark = (verdict: 'true_positive' | 'false_positive'): void =>
    void run(() =>
      client.call('markDetection', {
        detectionId: d.id,
        verdict,
        scope: verdict === 'true_positive' ? 'request' : scope,
      }),
    );
  const undo = (): void =>
    void run(() =>
      d.markId !== null
        ? client.call('unmarkDetection', { markId: d.markId })
        : client.call('deleteRule', { id: d.ruleRef! }),
    );

  const status =
    d.verdict === 'true_positive'
      ? t('verdict.markedTp')
      : d.verdict === 'false_positive'
        ? d.ruleRef !== null
          ? t('verdict.byRule', { id: d.ruleRef })
          : t('verdict.markedFp')
        : null;

  return (
    <div className="small" data-testid="finding-verdict">
      {running ? <RebuildWaitNote /> : null}
      {status !== null ? (
        <div>
          <strong>{status}</strong>
          {d.verdictNote ? (
            <span className="muted">
              {' — '}
              <VisibleText text={d.verdictNote} />
            </span>
          ) : null}{' '}
          <button type="button" className="btn btn-small" disabled={busy || running} onClick={undo}>
            {t('verdict.undo')}
          </button>
        </div>
      ) : (
        <div className="button-row">
          <button
            type="button"
            className="btn btn-small"
            disabled={busy || running}
            onClick={() => mark('true_positive')}
          >
            {t('verdict.truePositive')}
          </button>
          <button
            type="button"
            className="btn btn-small"
            disabled={busy || running}
            onClick={() => mark('false_positive')}
          >
            {t('verdict.falsePositive')}
          </button>
          <select
            value={scope}
            disabled={busy || running}
            aria-label={t('verdict.scope')}
            onChange={(e) => setScope(e.target.value as MarkScope)}
          >
            {MARK_SCOPES.map((s) => (
              <option key={s} value={s}>
                {t(SCOPE_LABEL[s])}
              </option>
            ))}
          </select>
        </div>
      )}
      {busy ? <span className="muted">{t('verdict.working')}</span> : null}
      {error ? <ErrorNote error={error} /> : null}
    </div>
  );
}
