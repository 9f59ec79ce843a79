import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nContext.js';
import type { OpenLinkApi } from '../state/useOpenLink.js';
import { Icon } from './Icon.js';
import { LocateCase } from './LocateCase.js';

/** Why a link did not open as it is. Everything from the link is shown as plain text. */
export function LinkNotice(props: OpenLinkApi): ReactNode {
  const { t } = useI18n();
  const { notice } = props;
  if (!notice) return null;
  return (
    <div className="error-note link-notice" role="alert" data-testid="link-notice">
      <Icon name="warn" />
      {notice.kind === 'refused' ? (
        <span className="error-message">{t('link.refused', { reason: notice.reason })}</span>
      ) : notice.kind === 'unauthorised' ? (
        <span className="error-message">{t('link.unauthorised')}</span>
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
            <LocateCase uuid={notice.link.caseUuid} />
          )}
        </>
      )}
      <button type="button" className="btn btn-small" onClick={props.dismiss}>
        {t('app.close')}
      </button>
    </div>
  );
}
