import type { ReactNode } from 'react';
import type { ErrorInfo } from '../../shared/contract/errors';
import { useI18n } from '../i18n/I18nContext';
import { Icon } from './Icon';
import { VisibleText } from './VisibleText';

/**
 * A calm, specific error: what kind (translated from the code), the backend's message (which
 * can quote a file name or log text: its control characters shown), a retry.
 */
export function ErrorNote(props: {
  error: ErrorInfo;
  onRetry?: () => void;
  /** The retry button's text, when retrying is something else (reloading). */
  retryLabel?: string;
}): ReactNode {
  const { t } = useI18n();
  return (
    <div className="error-note" role="alert">
      <Icon name="warn" />
      <strong>{t(`error.${props.error.code}`)}</strong>
      <span className="error-message">
        <VisibleText text={props.error.message} />
      </span>
      {props.onRetry ? (
        <button type="button" className="btn btn-small" onClick={props.onRetry}>
          {props.retryLabel ?? t('app.retry')}
        </button>
      ) : null}
    </div>
  );
}
