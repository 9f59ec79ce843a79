import { useState, type ReactNode } from 'react';
import { useApi } from '../api/ApiContext';
import { useRebuildState } from '../api/rebuildState';
import { useI18n } from '../i18n/I18nContext';
import { ProgressBar } from './ProgressBar';

/**
 * The running analysis rebuild (whoever started it), step by step, with Cancel. A cancelled
 * rebuild rolls back, so the call that started it fails with CANCELLED and says so itself.
 */
export function RebuildProgress(): ReactNode {
  const { t } = useI18n();
  const client = useApi();
  const { step } = useRebuildState();
  // The rebuild asked to stop: the next one may be cancelled again.
  const [cancelledId, setCancelledId] = useState<string | null>(null);
  if (!step) return null;
  const cancelling = cancelledId === step.rebuildId;

  const cancel = async (): Promise<void> => {
    setCancelledId(step.rebuildId);
    const r = await client.call('cancelRebuild');
    if (!r.ok || !r.value.cancelled) setCancelledId(null);
  };
  return (
    <div className="import-progress" data-testid="rebuild-progress">
      <ProgressBar done={step.index} total={step.total} label={t('rebuild.label')} />
      <div className="progress-stats">
        <span className="muted small">
          {t('rebuild.step', { step: step.step, n: step.index + 1, total: step.total })}
        </span>
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => void cancel()} disabled={cancelling}>
          {t('app.cancel')}
        </button>
      </div>
    </div>
  );
}

/**
 * Rebuilds as this page sees them (whoever started them): whether one runs, and how many
 * finished since the page began listening (a key for what they change).
 */
export function useRebuilds(): { running: boolean; done: number } {
  const { step, done } = useRebuildState();
  return { running: step !== null, done };
}

/** Said beside a control that writes the case while a rebuild holds it (useRebuilds().running). */
export function RebuildWaitNote(): ReactNode {
  const { t } = useI18n();
  return (
    <span className="muted small" role="status">
      {t('app.waitRebuild')}
    </span>
  );
}
