import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useApi } from '../api/ApiContext';
import { useRebuildState } from '../api/rebuildState';
import { useI18n } from '../i18n/I18nContext';
import { ProgressBar } from './ProgressBar';

/**
 * Where the rebuild's progress will be, until its first step is heard (a worker starting, some
 * 200 ms): the same box with the same Cancel, so stopping stays possible from the moment a
 * rebuild is asked for (after an import, a source removed, the Overview's button). A cancel that
 * reaches the backend before the rebuild call did is asked again at the rebuild's first step.
 */
export function RebuildStarting(): ReactNode {
  const { t } = useI18n();
  const client = useApi();
  const { step } = useRebuildState();
  const [wanted, setWanted] = useState(false);
  // Cancel answered "none runs": the rebuild call was still on its way.
  const again = useRef(false);
  useEffect(() => {
    if (!again.current || !step) return;
    again.current = false;
    void client.call('cancelRebuild');
  }, [step, client]);
  if (step) return null;
  const cancel = async (): Promise<void> => {
    setWanted(true);
    const r = await client.call('cancelRebuild');
    if (r.ok && !r.value.cancelled) again.current = true;
  };
  return (
    <div className="import-progress" data-testid="rebuild-starting">
      <ProgressBar done={0} total={null} label={t('rebuild.label')} />
      <div className="progress-stats">
        <span className="muted small">{t('import.phase.analysing')}…</span>
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => void cancel()} disabled={wanted}>
          {t('app.cancel')}
        </button>
      </div>
    </div>
  );
}
