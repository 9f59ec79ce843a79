import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nContext.js';
import { useViewState } from '../state/ViewStateContext.js';
import type { OpenLinkApi } from '../state/useOpenLink.js';
import { Icon } from './Icon.js';

/** Why a link did not open as it is. Everything from the link is shown as plain text. */
export function LinkNotice(props: OpenLinkApi): ReactNode {
  const { t } = useI18n();
  const { navigate } = useViewState();
  const { notice } = props;
  if (!notice) return null;
  return (
    <div className="error-note link-notice" role="alert" data-testid="link-notice">
      <Icon name="warn" />
      {notice.kind === 'refused' ? (
        <span className="error-message">{t('link.refused', { reason: notice.reason })}</span>
      ) : (
        <>
          <span className="error-message">
            {t('link.otherCase', { uuid: notice.link.caseUuid })}
          </span>
          {notice.recent ? (
            <button type="button" className="btn btn-small" onClick={props.openRecent}>
              {t('link.openRecent', { name: notice.recent.name })}
            </button>
          ) : (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => navigate({ view: 'start' })}
            >
              {t('link.locate')}
            </button>
          )}
        </>
      )}
      <button type="button" className="btn btn-small" onClick={props.dismiss}>
        {t('app.close')}
      </button>
    </div>
  );
}
