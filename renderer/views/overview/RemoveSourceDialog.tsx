import { useId, useRef, useState, type ReactNode } from 'react';
import type { SourceInfo } from '../../../shared/contract/caseApi';
import type { ErrorInfo } from '../../../shared/contract/errors';
import { ErrorNote } from '../../components/ErrorNote';
import { SentenceWithText } from '../../components/SentenceWithText';
import { useModalDialog } from '../../components/useModalDialog';
import { useI18n } from '../../i18n/I18nContext';

/**
 * Asks before a source leaves the case, saying what goes (its requests and rejected lines),
 * what stays (the file on disk), that the audit log records it and whether the analysis is
 * rebuilt. A modal <dialog>: the page behind is inert, Escape cancels, and focus starts on
 * Cancel, so Enter pressed out of habit removes nothing. A refusal (a rebuild or import
 * running) is shown here, where Cancel or another try is one key away.
 */
export function RemoveSourceDialog(props: {
  source: SourceInfo;
  /** Removes the source: null once it is gone (the caller then closes this), or why not. */
  onRemove: () => Promise<ErrorInfo | null>;
  onCancel: () => void;
}): ReactNode {
  const { t, fmt } = useI18n();
  const { source } = props;
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const titleId = useId();
  const whatId = useId();

  // Focus back to the button that opened it, if it is still there (a removed source's is not).
  useModalDialog(dialogRef, cancelRef);

  const remove = async (): Promise<void> => {
    setRemoving(true);
    setError(null);
    const err = await props.onRemove();
    if (!err) return;
    setRemoving(false);
    setError(err);
  };

  return (
    <dialog
      ref={dialogRef}
      className="confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={whatId}
      data-testid="remove-source-dialog"
      // Escape: the caller closes it (it owns whether it is shown); not while the call runs.
      onCancel={(e) => {
        e.preventDefault();
        if (!removing) props.onCancel();
      }}
      // Closed by the browser all the same (a second Escape): shown no more.
      onClose={props.onCancel}
    >
      <h2 id={titleId}>
        <SentenceWithText
          template={t('overview.removeSource.title')}
          slot="file"
          text={source.fileName}
        />
      </h2>
      <p className="muted mono confirm-dialog-path">
        <SentenceWithText
          template={t('overview.removeSource.from')}
          slot="path"
          text={source.path}
        />
      </p>
      <ul id={whatId}>
        <li>
          {t('overview.removeSource.data', {
            requests: fmt.num(source.accepted),
            rejects: fmt.num(source.rejected),
          })}
        </li>
        <li>{t('overview.removeSource.disk')}</li>
        <li>{t('overview.removeSource.audit')}</li>
        <li>
          {source.accepted > 0
            ? t('overview.removeSource.rebuild')
            : t('overview.removeSource.noRebuild')}
        </li>
      </ul>
      {error ? <ErrorNote error={error} /> : null}
      <div className="button-row confirm-dialog-buttons">
        <button
          ref={cancelRef}
          type="button"
          className="btn"
          onClick={props.onCancel}
          disabled={removing}
        >
          {t('app.cancel')}
        </button>
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => void remove()}
          disabled={removing}
        >
          {removing ? t('overview.removeSource.removing') : t('overview.removeSource.confirm')}
        </button>
      </div>
    </dialog>
  );
}
