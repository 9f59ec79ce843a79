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

/** True while a rebuild runs (whoever started it), from its progress and done events. */
export function useRebuildRunning(): boolean {
  const client = useApi();
  const [running, setRunning] = useState(false);
  useEffect(() => {
    const offP = client.on('rebuildProgress', () => setRunning(true));
    const offD = client.on('rebuildDone', () => setRunning(false));
    return () => {
      offP();
      offD();
    };
  }, [client]);
  return running;
}

/** How many rebuilds finished since mounting (whoever started them): a key for what they change. */
export function useRebuildsDone(): number {
  const client = useApi();
  const [done, setDone] = useState(0);
  useEffect(() => client.on('rebuildDone', () => setDone((n) => n + 1)), [client]);
  return done;
}
