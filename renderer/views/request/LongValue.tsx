import { useState, type ReactNode } from 'react';
import { copyText } from '../../components/clipboard';
import { needleMatches } from '../../components/HighlightedText';
import { useI18n } from '../../i18n/I18nContext';

/** Characters of a field shown before the rest is folded away (about six lines of the panel). */
export const LONG_VALUE_LIMIT = 300;
/** Characters shown either side of a filter match brought out of the folded part. */
export const MATCH_CONTEXT = 80;

/**
 * A field value that may be very long (a 20,000-character query): past `limit` characters only
 * the start is shown, with a toggle to show all of it and a button that copies all of it, so
 * the fields after it stay in view. Both are buttons (keyboard reachable); `render` draws the
 * part shown (as text, hidden characters visible).
 *
 * With the free-text filter's `needle`: a first match that lies in the folded part is shown
 * too, folded as it is, with MATCH_CONTEXT characters round it and the characters skipped
 * counted ("… 11,820 characters …"), so the page shows why the request matched without
 * unfolding 20,000 characters above the fields after it. A match the cut would halve is kept
 * whole in the start.
 */
export function LongValue(props: {
  text: string;
  /** Names the value for the copy button (the field's name). */
  name: string;
  render: (text: string) => ReactNode;
  limit?: number;
  /** The free-text filter, whose first match is brought out of the folded part. */
  needle?: string | undefined;
}): ReactNode {
  const { t, fmt } = useI18n();
  const limit = props.limit ?? LONG_VALUE_LIMIT;
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState<boolean | null>(null);
  if (props.text.length <= limit) return props.render(props.text);
  const copy = (): void => void copyText(props.text).then(setCopied);
  const total = fmt.num(props.text.length);
  const fold = open ? null : folded(props.text, limit, props.needle);
  return (
    <span className="long-value">
      {fold === null ? (
        props.render(props.text)
      ) : (
        <>
          {props.render(props.text.slice(0, fold.head))}
          {fold.match === null ? null : (
            <>
              <span className="muted">
                {t('request.foldGap', { n: fmt.num(fold.match.from - fold.head) })}
              </span>
              {props.render(props.text.slice(fold.match.from, fold.match.to))}
            </>
          )}
          {(fold.match?.to ?? fold.head) < props.text.length ? (
            <span className="muted">…</span>
          ) : null}
        </>
      )}
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

/**
 * What a folded value shows: its start (to `head`), and the stretch round the first match of
 * `needle` when that match lies past the start. Offsets in UTF-16 units, never inside a
 * surrogate pair.
 */
export function folded(
  text: string,
  limit: number,
  needle: string | undefined,
): { head: number; match: { from: number; to: number } | null } {
  let head = pairSafe(text, limit);
  const marks = needleMatches(text, needle);
  if (marks.length === 0) return { head, match: null };
  const first = marks.reduce((a, b) => (b.start < a.start ? b : a));
  if (first.start < head) {
    // In the start already; a match the cut would halve is kept whole.
    if (first.end > head) head = first.end;
    return { head, match: null };
  }
  const from = pairSafe(text, first.start - MATCH_CONTEXT);
  const to = pairSafe(text, first.end + MATCH_CONTEXT);
  // Close enough to the start to run on from it: one stretch, no gap.
  if (from <= head) return { head: to, match: null };
  return { head, match: { from, to } };
}

/** `at` clamped to the text, moved back off the middle of a surrogate pair. */
function pairSafe(text: string, at: number): number {
  const i = Math.max(0, Math.min(text.length, at));
  const c = text.charCodeAt(i - 1);
  return i > 0 && i < text.length && c >= 0xd800 && c <= 0xdbff ? i - 1 : i;
}
