import type { ReactNode } from 'react';
import {
  HIDDEN_CHAR_CLASS as HIDDEN_CLASS,
  hiddenCharEscape,
} from '../../shared/model/hiddenChars';

/*
 * Characters a log line can hold that the page would not show as themselves (controls and the
 * invisible format characters that hide text or turn it round): one list, shared with the CSV
 * export (shared/model/hiddenChars.ts). A browser draws most as nothing or as a space, so
 * `/nul\0byte` read as `/nul byte`.
 */
const HIDDEN = new RegExp(HIDDEN_CLASS, 'u');
const HIDDEN_RUNS = new RegExp(`${HIDDEN_CLASS}+`, 'gu');

const C0_NAMES = (
  'NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI ' +
  'DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US'
).split(' ');

/** Runs marked as such (muted, named on hover) before the rest is only replaced: a binary body. */
const MAX_MARKED_RUNS = 2000;

const hex = (c: number, digits: number): string =>
  c.toString(16).toUpperCase().padStart(digits, '0');

/** The escapes read most easily: a tab, a line feed, a carriage return. */
const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * How one hidden character is shown: an escape in ASCII (`\x00`, `\x1B`, `\n`, `\u202E`),
 * the export's own (hiddenCharEscape) but for the three short ones.
 */
function shown(ch: string): string {
  return SHORT[ch] ?? hiddenCharEscape(ch);
}

/** "U+0000 NUL", for the hover title. */
function named(ch: string): string {
  const c = ch.codePointAt(0)!;
  const name = c < 0x20 ? C0_NAMES[c] : c === 0x7f ? 'DEL' : undefined;
  return `U+${hex(c, 4)}${name ? ` ${name}` : ''}`;
}

/**
 * The layout a text block keeps: tabs and line ends (LF, CR LF) stay as they are, shown as
 * such; a CR alone, and the rest, are marked.
 */
function keepsLayout(text: string, at: number): boolean {
  const c = text[at];
  return c === '\t' || c === '\n' || (c === '\r' && text[at + 1] === '\n');
}

export interface VisiblePart {
  text: string;
  /** What the part stands for (its characters named), when it shows hidden characters. */
  hidden?: string;
}

/**
 * `text` in parts: plain runs as they are, and each run of hidden characters shown visibly.
 * `block`: a multi-line text block, whose tabs and line ends stay layout. Pure and offset-free,
 * so a highlight split before it still lines up.
 */
export function visibleParts(text: string, block = false): VisiblePart[] {
  if (!HIDDEN.test(text)) return [{ text }];
  const out: VisiblePart[] = [];
  let plain = '';
  let marked = 0;
  let pos = 0;
  const flush = (): void => {
    if (plain) out.push({ text: plain });
    plain = '';
  };
  for (const m of text.matchAll(HIDDEN_RUNS)) {
    plain += text.slice(pos, m.index);
    pos = m.index + m[0].length;
    let run = '';
    let names: string[] = [];
    const endRun = (): void => {
      if (!run) return;
      if (marked < MAX_MARKED_RUNS) {
        flush();
        out.push({ text: run, hidden: [...new Set(names)].join(', ') });
        marked++;
      } else {
        plain += run;
      }
      run = '';
      names = [];
    };
    // By code point: a tag character (U+E0000–U+E007F) is two UTF-16 units.
    let at = m.index;
    for (const ch of m[0]) {
      const here = at;
      at += ch.length;
      if (block && keepsLayout(text, here)) {
        endRun();
        plain += ch;
      } else {
        run += shown(ch);
        names.push(named(ch));
      }
    }
    endRun();
  }
  plain += text.slice(pos);
  flush();
  return out;
}

/** `text` with its hidden characters shown, as one plain string (a hover title, a label). */
export function visibleText(text: string, block = false): string {
  return visibleParts(text, block)
    .map((p) => p.text)
    .join('');
}

/**
 * Hostile text with its control and invisible characters shown as escapes, boxed and muted
 * apart from the text (a log's own `\x00`, as nginx writes one, is plain text), named on
 * hover, so a NUL is not read as a space. Text nodes only, never markup.
 * Tabs and line ends are shown too (in a field, a header, a cell they are news), except in a
 * `block` (a body), where they are its layout.
 */
export function VisibleText(props: { text: string; block?: boolean }): ReactNode {
  const parts = visibleParts(props.text, props.block);
  if (parts.length === 1 && parts[0]!.hidden === undefined) return props.text;
  return parts.map((p, i) =>
    p.hidden === undefined ? (
      p.text
    ) : (
      <span key={i} className="hidden-char" title={p.hidden}>
        {p.text}
      </span>
    ),
  );
}
