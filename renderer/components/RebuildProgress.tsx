import { useEffect, useState, type ReactNode } from 'react';
import type { RebuildProgressEvent } from '../../shared/contract/analysisApi';
import { useApi } from '../api/ApiContext';
import { useI18n } from '../i18n/I18nContext';
import { ProgressBar } from './ProgressBar';

/**
 * The running analysis rebuild (whoever started it), step by step, with Cancel. A cancelled
 * rebuild rolls back, so the call that started it fails with CANCELLED and says so itself.
 */
export function RebuildProgress(): ReactNode {
  const { t } = useI18n();
  const client = useApi();
  const [step, setStep] = useState<RebuildProgressEvent | null>(null);
  const [cancelling, setCancelling] = useState(false);
  useEffect(() => {
    const offP = client.on('rebuildProgress', setStep);
    const offD = client.on('rebuildDone', () => {
      setStep(null);
      setCancelling(false);
    });
    return () => {
      offP();
      offD();
    };
  }, [client]);
  if (!step) return null;

  const cancel = async (): Promise<void> => {
    setCancelling(true);
    const r = await client.call('cancelRebuild');
    if (!r.ok || !r.value.cancelled) setCancelling(false);
  };
  return (
    <div className="import-progress" data-testid="rebuild-progress">
      <ProgressBar done={step.index} total={step.total} label={t('rebuild.label')} />
      <span className="muted small">
        {t('rebuild.step', { step: step.step, n: step.index + 1, total: step.total })}
      </span>
      <button type="button" className="btn" onClick={() => void cancel()} disabled={cancelling}>
        {t('app.cancel')}
      </button>
    </div>
  );
}

/**
 * Rebuilds as this page sees them (whoever started them), from their progress and done events:
 * whether one runs, and how many finished since mounting (a key for what they change).
 */
export function useRebuilds(): { running: boolean; done: number } {
  const client = useApi();
  const [state, setState] = useState({ running: false, done: 0 });
  useEffect(() => {
    const offP = client.on('rebuildProgress', () =>
      setState((s) => (s.running ? s : { ...s, running: true })),
    );
    const offD = client.on('rebuildDone', () =>
      setState((s) => ({ running: false, done: s.done + 1 })),
    );
    return () => {
      offP();
      offD();
    };
  }, [client]);
  return state;
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
