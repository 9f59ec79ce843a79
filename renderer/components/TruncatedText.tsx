import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nContext';
import { VisibleText } from './VisibleText';

/**
 * Hostile text (bodies, raw lines) shown as a plain-text block, cut at `limit` characters with
 * a "show more" toggle so a megabyte body does not freeze the view. React escapes the text;
 * it never becomes markup. Its control characters are shown (tabs and line ends stay layout).
 */
export function TruncatedText(props: {
  text: string;
  limit?: number;
  className?: string;
}): ReactNode {
  const { t, fmt } = useI18n();
  const limit = props.limit ?? 2000;
  const [open, setOpen] = useState(false);
  const long = props.text.length > limit;
  const shown = long && !open ? props.text.slice(0, limit) : props.text;
  return (
    <div className={`text-block ${props.className ?? ''}`}>
      <pre className="mono">
        <VisibleText text={shown} block />
      </pre>
      {long ? (
        <div className="text-block-footer">
          {!open ? (
            <span className="muted">
              {t('app.truncated', { shown: fmt.num(limit), total: fmt.num(props.text.length) })}
            </span>
          ) : null}
          <button type="button" className="btn btn-link" onClick={() => setOpen((o) => !o)}>
            {open ? t('app.showLess') : t('app.showMore')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
