import type { ReactNode } from 'react';
import { textNeedles } from '../../shared/query/textNeedles';
import { VisibleText } from './VisibleText';

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

/**
 * Hostile text with the matched fragment marked: each segment is a text node, never markup,
 * its control characters shown (VisibleText: split after the marks, so they still line up).
 * `tone` 'search' marks the free-text filter's matches, styled apart from a detection's evidence
 * ('evidence', the default); `oneLine` keeps it on one line (a table cell's ellipsis).
 */
export function HighlightedText(props: {
  text: string;
  highlights: readonly Highlight[];
  tone?: 'evidence' | 'search';
  oneLine?: boolean;
}): ReactNode {
  const parts = splitHighlights(props.text, props.highlights);
  const markClass = props.tone === 'search' ? 'search-match' : 'match';
  return (
    <span className={`mono highlighted${props.oneLine ? ' one-line' : ''}`}>
      {parts.map((p, i) =>
        p.marked ? (
          <mark key={i} className={markClass}>
            <VisibleText text={p.text} />
          </mark>
        ) : (
          <span key={i}>
            <VisibleText text={p.text} />
          </span>
        ),
      )}
    </span>
  );
}

/**
 * Where the free-text filter's `needle` occurs in `text`, in each form the filter looks for
 * (textNeedles: as typed and URL-encoded, case-insensitively); none without a needle.
 */
export function needleMatches(text: string, needle: string | undefined): Highlight[] {
  return needle ? textNeedles(needle).flatMap((n) => findFragment(text, n)) : [];
}

/** Characters of a one-line cell kept before its first match when that match lies further in. */
const LEAD = 24;

/**
 * Log text with every occurrence of the free-text filter's `needle` marked, in each form the
 * filter looks for (textNeedles: as typed and URL-encoded, case-insensitively), or the plain
 * text when there is no needle or no match. Text nodes only, never markup. `oneLine` (a table
 * cell, which cuts the end with an ellipsis): a first match beyond what the cell shows is
 * brought into view, the text before it cut to an ellipsis and LEAD characters. Control
 * characters are shown (VisibleText).
 */
export function MatchedText(props: {
  text: string;
  needle?: string | undefined;
  oneLine?: boolean;
}): ReactNode {
  const marks = needleMatches(props.text, props.needle);
  if (marks.length === 0)
    return (
      <span className="mono">
        <VisibleText text={props.text} />
      </span>
    );
  let text = props.text;
  let shown = marks;
  const first = Math.min(...marks.map((m) => m.start));
  if (props.oneLine && first > 2 * LEAD) {
    const from = first - LEAD;
    text = `…${text.slice(from)}`;
    shown = marks.map((m) => ({ start: m.start - from + 1, end: m.end - from + 1 }));
  }
  return <HighlightedText text={text} highlights={shown} tone="search" oneLine={props.oneLine} />;
}
