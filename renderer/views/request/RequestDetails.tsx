import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nContext';

/** Placeholder until the analysis contract lands. */
export function RequestDetails(): ReactNode {
  const { t } = useI18n();
  return <p className="page muted">{t('request.notFound')}</p>;
}
