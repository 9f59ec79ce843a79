import { useEffect, useRef, type ReactNode } from 'react';
import { SentenceWithText } from '../../components/SentenceWithText';
import { useI18n } from '../../i18n/I18nContext';

/**
 * Said once a source is out of the case: which, with how many requests, and the way back to
 * importing it (with the right format or time zone). Focused when shown, so a keyboard or
 * screen-reader user hears it and is beside the rebuild it started.
 */
export function SourceRemovedNote(props: {
  fileName: string;
  requests: number;
  onImportAgain: () => void;
  onClose: () => void;
}): ReactNode {
  const { t, fmt } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div
      ref={ref}
      className="notice notice-done"
      role="status"
      tabIndex={-1}
      data-testid="source-removed"
    >
      <span>
        <SentenceWithText
          template={t('overview.removeSource.done', { requests: fmt.num(props.requests) })}
          slot="file"
          text={props.fileName}
        />
      </span>
      <button type="button" className="btn btn-small" onClick={props.onImportAgain}>
        {t('overview.removeSource.importAgain')}
      </button>
      <button type="button" className="btn btn-small" onClick={props.onClose}>
        {t('app.close')}
      </button>
    </div>
  );
}
