import type { ReactNode } from 'react';

export interface Highlight {
  start: number;
  end: number;
}

/**
 * Splits `text` into plain and marked segments by character offsets. Pure, so the span
 * arithmetic is testable on its own; overlapping or out-of-range highlights are clamped and
 * merged rather than trusted.
 */
export function splitHighlights(
  text: string,
  highlights: readonly Highlight[],
): { text: string; marked: boolean }[] {
  const ranges = highlights
    .map((h) => ({
      start: Math.max(0, Math.min(text.length, Math.floor(h.start))),
      end: Math.max(0, Math.min(text.length, Math.floor(h.end))),
    }))
    .filter((h) => h.end > h.start)
    .sort((a, b) => a.start - b.start);
  const merged: Highlight[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  const out: { text: string; marked: boolean }[] = [];
  let pos = 0;
  for (const r of merged) {
    if (r.start > pos) out.push({ text: text.slice(pos, r.start), marked: false });
    out.push({ text: text.slice(r.start, r.end), marked: true });
    pos = r.end;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), marked: false });
  return out;
}

/** Finds every occurrence of `fragment` in `text` (case-insensitive) as highlight ranges. */
export function findFragment(text: string, fragment: string): Highlight[] {
  if (!fragment) return [];
  const hay = text.toLowerCase();
  const needle = fragment.toLowerCase();
  const out: Highlight[] = [];
  let i = hay.indexOf(needle);
  while (i >= 0 && out.length < 100) {
    out.push({ start: i, end: i + needle.length });
    i = hay.indexOf(needle, i + needle.length);
  }
  return out;
}

/** Hostile text with the matched fragment marked: each segment is a text node, never markup. */
export function HighlightedText(props: {
  text: string;
  highlights: readonly Highlight[];
}): ReactNode {
  const parts = splitHighlights(props.text, props.highlights);
  return (
    <span className="mono highlighted">
      {parts.map((p, i) =>
        p.marked ? (
          <mark key={i} className="match">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </span>
  );
}

/**
 * Log text with every occurrence of the free-text filter's `needle` marked (as the filter
 * matches: case-insensitively), or the plain text when there is no needle or no match. Text
 * nodes only, never markup.
 */
export function MatchedText(props: { text: string; needle?: string | undefined }): ReactNode {
  const marks = props.needle ? findFragment(props.text, props.needle) : [];
  return marks.length === 0 ? (
    <span className="mono">{props.text}</span>
  ) : (
    <HighlightedText text={props.text} highlights={marks} />
  );
}
