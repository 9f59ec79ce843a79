import type { ReactNode } from 'react';
import type { ImportProgressEvent } from '../../../shared/contract/caseApi';
import { ProgressBar } from '../../components/ProgressBar';
import { visibleText } from '../../components/VisibleText';
import { useI18n } from '../../i18n/I18nContext';
import { formatDuration } from '../../i18n/format';

/** Bytes, lines, lines/s and time left for the file being imported, with Cancel. */
export function ImportProgressPanel(props: {
  progress: ImportProgressEvent | null;
  fileLabel: string;
  onCancel: () => void;
  cancelling: boolean;
  /** The import is done and the analysis rebuild runs. */
  analysing?: boolean;
}): ReactNode {
  const { t, fmt } = useI18n();
  const p = props.progress;
  const phase = props.analysing ? 'analysing' : (p?.phase ?? 'queued');
  const phaseLabel =
    phase === 'analysing'
      ? t('import.phase.analysing')
      : phase === 'queued' || phase === 'hashing'
        ? t('import.phase.hashing')
        : phase === 'parsing'
          ? t('import.phase.parsing')
          : phase === 'indexing'
            ? t('import.phase.indexing')
            : t('import.phase.done');
  // A file's name can hold a control character: shown as an escape, in the text and the label.
  const file = visibleText(p?.file ?? props.fileLabel);
  return (
    <div className="import-progress" data-testid="import-progress" data-phase={phase}>
      <div className="progress-title">
        <strong>{t('import.running', { file })}</strong>
        {p && p.fileCount > 1 ? (
          <span className="muted">
            {' '}
            ({p.fileIndex + 1}/{p.fileCount})
          </span>
        ) : null}
        <span className="muted"> · {phaseLabel}</span>
      </div>
      <ProgressBar
        done={p?.bytesDone ?? 0}
        total={p && p.bytesTotal > 0 ? p.bytesTotal : null}
        label={t('import.running', { file })}
      />
      <div className="progress-stats">
        <span data-testid="progress-bytes">
          {t('import.bytes', {
            done: fmt.bytes(p?.bytesDone ?? 0),
            total: fmt.bytes(p?.bytesTotal ?? 0),
          })}
        </span>
        <span>{t('import.lines', { n: fmt.num(p?.lines ?? 0) })}</span>
        <span>{t('import.rate', { n: fmt.num(Math.round(p?.linesPerSec ?? 0)) })}</span>
        {p && p.etaSec !== null ? (
          <span>{t('import.eta', { t: formatDuration(p.etaSec * 1_000_000) })}</span>
        ) : null}
        <span className="ok-text">
          {t('import.accepted')} {fmt.num(p?.accepted ?? 0)}
        </span>
        <span className={p && p.rejected > 0 ? 'warn-text' : undefined}>
          {t('import.rejected')} {fmt.num(p?.rejected ?? 0)}
        </span>
        <span className="spacer" />
        {/* While the analysis runs, its own progress (below) has the Cancel that stops it. */}
        {props.analysing ? null : (
          <button
            type="button"
            className="btn"
            onClick={props.onCancel}
            disabled={props.cancelling}
          >
            {t('app.cancel')}
          </button>
        )}
      </div>
    </div>
  );
}
