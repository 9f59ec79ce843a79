import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nContext';
import { useViewState } from '../state/ViewStateContext';
import { Panel } from './Panel';

/**
 * A session or request the case does not hold (a link or an edited address named it): said
 * plainly with the id asked for, and the ways on, in place of the page. Nothing of the item
 * shown before is drawn under the missing id, and a retry would only fail again.
 */
export function NotFoundPage(props: { title: string; text?: string; testId: string }): ReactNode {
  const { t } = useI18n();
  const { navigate, back, canGoBack } = useViewState();
  return (
    <div className="page page-narrow" data-testid={props.testId}>
      <Panel title={props.title}>
        {props.text ? <p className="wrap-anywhere">{props.text}</p> : null}
        <div className="button-row">
          {canGoBack ? (
            <button type="button" className="btn btn-small" onClick={back}>
              {t('nav.back')}
            </button>
          ) : null}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => navigate({ view: 'sessions', sessionId: null, requestId: null })}
          >
            {t('session.toList')}
          </button>
        </div>
      </Panel>
    </div>
  );
}
