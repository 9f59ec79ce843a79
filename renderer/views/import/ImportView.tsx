import { useEffect, useState, type ReactNode } from 'react';
import type { ImportDoneEvent, ImportProgressEvent } from '../../../shared/contract/caseApi';
import type { ErrorInfo } from '../../../shared/contract/errors';
import { useApi } from '../../api/ApiContext';
import { ErrorNote } from '../../components/ErrorNote';
import { RebuildProgress } from '../../components/RebuildProgress';
import { RebuildStarting } from '../../components/RebuildStarting';
import { Panel } from '../../components/Panel';
import { useI18n } from '../../i18n/I18nContext';
import { useCase } from '../../state/CaseContext';
import { useViewState } from '../../state/ViewStateContext';
import { ImportForm } from './ImportForm';
import { ImportProgressPanel } from './ImportProgressPanel';
import { ImportSummary } from './ImportSummary';
import { defaultImportOptions, toStartImportInput, type ImportFormOptions } from './importOptions';

type Job = { importId: string; fileLabel: string };

/**
 * Import flow: form → progress (with Cancel) → summary with rejects. Events are listened to
 * from mount on and kept per import id, because the first progress event can arrive before
 * startImport's reply tells us our id.
 */
export function ImportView(): ReactNode {
  const { t } = useI18n();
  const client = useApi();
  const { refreshCase } = useCase();
  const { navigate } = useViewState();
  const [options, setOptions] = useState<ImportFormOptions>(defaultImportOptions);
  const [job, setJob] = useState<Job | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<ErrorInfo | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [progress, setProgress] = useState<Record<string, ImportProgressEvent>>({});
  const [done, setDone] = useState<Record<string, ImportDoneEvent>>({});
  /** Per import id: the rebuild after it is running (true) or finished (false). */
  const [analysing, setAnalysing] = useState<Record<string, boolean>>({});
  const [analysisError, setAnalysisError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    const offP = client.on('importProgress', (p) =>
      setProgress((m) => ({ ...m, [p.importId]: p })),
    );
    const offD = client.on('importDone', (d) => {
      setDone((m) => ({ ...m, [d.importId]: d }));
      if (!d.result) {
        refreshCase();
        return;
      }
      // Sessions, endpoints and outliers are derived data: rebuild them from the new requests
      // before the investigator goes looking (the rebuild is idempotent).
      setAnalysing((m) => ({ ...m, [d.importId]: true }));
      void client.call('rebuild').then((r) => {
        setAnalysing((m) => ({ ...m, [d.importId]: false }));
        setAnalysisError(r.ok ? null : r.error);
        refreshCase();
      });
    });
    return () => {
      offP();
      offD();
    };
  }, [client, refreshCase]);

  const start = async (paths: string[]): Promise<void> => {
    setStarting(true);
    setStartError(null);
    const r = await client.call('startImport', toStartImportInput(paths, options));
    setStarting(false);
    if (!r.ok) {
      setStartError(r.error);
      return;
    }
    setCancelling(false);
    const first = paths[0]!;
    setJob({ importId: r.value.importId, fileLabel: first.split(/[\\/]/).pop() ?? first });
  };

  const cancel = async (): Promise<void> => {
    if (!job) return;
    setCancelling(true);
    const r = await client.call('cancelImport', { importId: job.importId });
    if (!r.ok) setCancelling(false);
  };

  const finished = job ? done[job.importId] : undefined;
  const current = job ? (progress[job.importId] ?? null) : null;

  let body: ReactNode;
  let summary = false;
  if (!job) {
    body = (
      <ImportForm
        options={options}
        onOptions={setOptions}
        onStart={(p) => void start(p)}
        starting={starting}
        startError={startError}
      />
    );
  } else if (!finished || (analysing[job.importId] !== false && finished.result)) {
    body = (
      <>
        <ImportProgressPanel
          progress={current}
          analysing={analysing[job.importId] === true}
          fileLabel={job.fileLabel}
          onCancel={() => void cancel()}
          cancelling={cancelling}
        />
        {/* The import is in; its rebuild shows its steps and can be stopped on its own. */}
        {analysing[job.importId] === true ? <RebuildProgress /> : null}
        {analysing[job.importId] === true ? <RebuildStarting /> : null}
      </>
    );
  } else if (finished.result) {
    summary = true;
    body = (
      <>
        {analysisError?.code === 'CANCELLED' ? (
          <p className="warn-text" role="status" data-testid="analysis-cancelled">
            {t('import.analysisCancelled')}
          </p>
        ) : analysisError ? (
          <ErrorNote error={analysisError} />
        ) : null}
        <ImportSummary
          sources={finished.result.sources}
          onOpenCase={() => navigate({ view: 'overview' })}
          onAnother={() => {
            setJob(null);
            // Another file is another format: what was forced for this one is not carried over
            // (a forced format read the next file wrongly, and its duplicate check then held).
            setOptions((o) => ({ ...o, format: '', logFormat: '', columnMap: '', force: false }));
          }}
        />
      </>
    );
  } else {
    const err = finished.error ?? { code: 'INTERNAL' as const, message: '' };
    body = (
      <div className="import-failed" data-testid="import-failed">
        {err.code === 'CANCELLED' ? (
          <p className="muted">{t('import.cancelled')}</p>
        ) : (
          <ErrorNote error={err} />
        )}
        <button type="button" className="btn" onClick={() => setJob(null)}>
          {t('import.another')}
        </button>
      </div>
    );
  }

  return (
    <div className="page page-narrow">
      <Panel title={summary ? t('import.summary') : t('import.title')} headingLevel={1}>
        {body}
      </Panel>
    </div>
  );
}
