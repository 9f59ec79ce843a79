import { useState, type ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nContext';

/** Characters of a field shown before the rest is folded away (about six lines of the panel). */
export const LONG_VALUE_LIMIT = 300;

/**
 * A field value that may be very long (a 20,000-character query): past `limit` characters only
 * the start is shown, with a toggle to show all of it and a button that copies all of it, so
 * the fields after it stay in view. Both are buttons (keyboard reachable); `render` draws the
 * part shown (as text, hidden characters visible).
 */
export function LongValue(props: {
  text: string;
  /** Names the value for the copy button (the field's name). */
  name: string;
  render: (text: string) => ReactNode;
  limit?: number;
}): ReactNode {
  const { t, fmt } = useI18n();
  const limit = props.limit ?? LONG_VALUE_LIMIT;
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState<boolean | null>(null);
  if (props.text.length <= limit) return props.render(props.text);
  const copy = (): void => {
    // No clipboard at all (a page not served from a secure origin) fails as a refusal does.
    const writing =
      navigator.clipboard?.writeText(props.text) ?? Promise.reject(new Error('no clipboard'));
    writing.then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  const total = fmt.num(props.text.length);
  return (
    <span className="long-value">
      {/* A cut at `limit` UTF-16 units can halve a surrogate pair: the cut stops before it. */}
      {props.render(open ? props.text : cutAt(props.text, limit))}
      {open ? null : <span className="muted">…</span>}
      <span className="long-value-actions">
        <button
          type="button"
          className="btn btn-link"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? t('app.showLess') : t('request.showAll', { total })}
        </button>
        <button
          type="button"
          className="btn btn-link"
          aria-label={t('request.copyValue.label', { field: props.name, total })}
          onClick={copy}
        >
          {t('request.copyValue')}
        </button>
        {copied === null ? null : (
          <span role="status" className={copied ? 'muted' : 'warn-text'}>
            {copied ? t('request.copied') : t('request.copyFailed')}
          </span>
        )}
      </span>
    </span>
  );
}

function cutAt(text: string, limit: number): string {
  const c = text.charCodeAt(limit - 1);
  return text.slice(0, c >= 0xd800 && c <= 0xdbff ? limit - 1 : limit);
}
