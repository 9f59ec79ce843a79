import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nContext';
import type { CaseState } from '../state/CaseContext';
import { Icon } from './Icon';

/**
 * Shown instead of the app when the backend is from another build than this page: its calls
 * could name what the backend does not know and fail with messages that mislead. Reloading
 * gives the page the running server serves (its own, read when it started); restarting the
 * server runs the version now installed.
 */
export function OtherBuildNotice(props: NonNullable<CaseState['otherBuild']>): ReactNode {
  const { t } = useI18n();
  const named = (b: { version: string; buildId: string | null }): string =>
    b.buildId === null || b.buildId === 'dev'
      ? b.version
      : t('app.otherBuild.build', { version: b.version, id: b.buildId });
  return (
    <div className="page">
      <div className="error-note" role="alert" data-testid="other-build">
        <Icon name="warn" />
        <span className="error-message">
          {t('app.otherBuild', { page: named(props.page), server: named(props.server) })}
        </span>
        <button type="button" className="btn btn-small" onClick={() => window.location.reload()}>
          {t('app.otherBuild.reload')}
        </button>
      </div>
    </div>
  );
}
