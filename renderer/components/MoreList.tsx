import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nContext';
import { VisibleText, visibleText } from './VisibleText';

/**
 * The first value, then "+N more" with every value in the hover title; values are log text,
 * their control characters shown (VisibleText).
 */
export function MoreList(props: { values: readonly (string | null)[]; total?: number }): ReactNode {
  const { t } = useI18n();
  const values = props.values.filter((v): v is string => v !== null && v !== '');
  const total = Math.max(props.total ?? values.length, values.length);
  if (values.length === 0) return <span className="muted">—</span>;
  return (
    <span title={values.map((v) => visibleText(v)).join('\n')}>
      <VisibleText text={values[0]!} />
      {total > 1 ? <span className="muted"> {t('app.more', { n: total - 1 })}</span> : null}
    </span>
  );
}
