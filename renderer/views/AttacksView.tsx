import type { ReactNode } from 'react';
import { Panel } from '../components/Panel';
import { useI18n } from '../i18n/I18nContext';

/**
 * Attacks across the case. The detection contract (shared/contract/detectApi.ts) is not in
 * this build yet, so this view can only say so; it is wired when that contract lands.
 */
export function AttacksView(): ReactNode {
  const { t } = useI18n();
  return (
    <div className="page page-narrow">
      <Panel title={t('attacks.title')}>
        <p className="muted">{t('app.notAvailable', { what: t('attacks.title') })}</p>
      </Panel>
    </div>
  );
}
