/**
 * Hidden characters in export cells, written as visible escapes.
 *
 * A log field can hold an ESC sequence that recolours or rewrites a terminal when the CSV is
 * `cat`ed, a NUL that ends the line for C tools and makes grep call the file binary, or a
 * right-to-left override that shows `invoice‮fdp.exe` as `invoiceexe.pdf`. The app shows these
 * characters as escapes (renderer/components/VisibleText.tsx); the export writes the same set
 * the same way (`\x1B`, `\x00`, `\x9B`, `\u202E`, `\u{E0041}`), except tab, CR and LF, which
 * CSV quoting carries as they are.
 *
 * The escapes are exactly reversible, so a literal `\x1B` in a log (nginx writes one for each
 * byte it escapes) stays apart from a real ESC: a run of backslashes written right before
 * something that reads as an escape (`\xHH`, `\uHHHH` from U+0100 up, `\u{HHHHH}`, upper-case
 * hex) is doubled. Reading back, an odd run before such a text is half the run (rounded down)
 * plus the escaped character, an even run is half the run plus the text as it is. Any other
 * backslash is left alone, so a Windows path or `\n` in a body reads as before.
 *
 * JSON cells (headers, response headers, extra) write a hidden character as a JSON escape
 * (`\u0085`, `\u202E`, `\uDB40\uDC41`) and double no backslash: a JSON escape already says
 * what it is, so JSON.parse of the cell gives the stored value. unEscapeCell (which the own-export
 * importer applies to every cell, so exports written before this rule still read back) must give
 * text that parses to it too: where the last escaped backslash (`\\`) of a run stands right before
 * something that would read as an escape, it is written `\u005C` instead, which JSON reads as
 * the same backslash and unEscapeCell leaves alone. JSON text holds no raw C0 control anyway.
 */

import {
  HIDDEN_CHAR_CLASS_NO_LAYOUT as HIDDEN_CLASS,
  hiddenCharEscape,
} from '../model/hiddenChars.js';

const HIDDEN = new RegExp(HIDDEN_CLASS, 'u');
/** A cell needs work only when it holds a hidden character or a backslash. */
const NEEDS_WORK = new RegExp(`[\\\\]|${HIDDEN_CLASS}`, 'u');

/** The text after a backslash that reads as an escape (what unEscapeCell decodes). */
const TOKEN = /^(?:x[0-9A-F]{2}|u(?!00)[0-9A-F]{4}|u\{[0-9A-F]{5}\})/;
const RUN_BEFORE = new RegExp(
  `(\\\\+)(?=x[0-9A-F]{2}|u(?!00)[0-9A-F]{4}|u\\{[0-9A-F]{5}\\}|${HIDDEN_CLASS})`,
  'gu',
);
const HIDDEN_ALL = new RegExp(HIDDEN_CLASS, 'gu');
/** An escape as read back, with the run of backslashes before it. */
const ESCAPED = /(\\+)(x[0-9A-F]{2}|u(?!00)[0-9A-F]{4}|u\{[0-9A-F]{5}\})/g;

const hex = (c: number, digits: number): string =>
  c.toString(16).toUpperCase().padStart(digits, '0');

/** JSON's form, code unit by code unit: `\u0085`, `\u202E`, `\uDB40\uDC41`. */
function jsonEscape(ch: string): string {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${hex(ch.charCodeAt(i), 4)}`;
  return out;
}

/** True when `text` holds a character escapeCell writes as an escape. */
export function hasHiddenChars(text: string): boolean {
  return HIDDEN.test(text);
}

/**
 * `text` with its hidden characters written as escapes and, before anything that would read
 * as one, its backslashes doubled; `json` for a JSON cell (JSON escapes, nothing doubled: see
 * jsonRun). unEscapeCell undoes it.
 */
export function escapeCell(text: string, json = false): string {
  if (!NEEDS_WORK.test(text)) return text;
  // Doubling first, on the original: a run before a hidden character or a literal escape.
  const doubled = text.replace(RUN_BEFORE, (run: string, _r: string, at: number) =>
    json ? jsonRun(run, text.slice(at + run.length)) : run + run,
  );
  return doubled.replace(HIDDEN_ALL, json ? jsonEscape : hiddenCharEscape);
}

/**
 * A run of backslashes in JSON text before `rest`, which starts with a hidden character or a
 * literal escape: its escaped backslashes (pairs) read the same to JSON.parse whatever follows,
 * so only unEscapeCell needs keeping off them. `\u00HH` does not read as an escape (TOKEN skips
 * U+0000–U+00FF), so a run before such a character stays as it is; otherwise the last pair is
 * written `\u005C`, and what unEscapeCell sees before the escape is at most the run's odd
 * backslash, which starts a JSON escape (`\u202E`) whose decoding JSON reads the same.
 */
function jsonRun(run: string, rest: string): string {
  if (run.length < 2 || (rest.codePointAt(0)! <= 0xff && !TOKEN.test(rest))) return run;
  const pairs = run.length >> 1;
  return '\\\\'.repeat(pairs - 1) + '\\u005C' + (run.length % 2 === 1 ? '\\' : '');
}

/** The inverse of escapeCell, for every string. */
export function unEscapeCell(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(ESCAPED, (_m: string, run: string, token: string) => {
    const half = '\\'.repeat(run.length >> 1);
    if (run.length % 2 === 0) return half + token;
    const code = token.startsWith('u{')
      ? parseInt(token.slice(2, -1), 16)
      : parseInt(token.slice(1), 16);
    return half + String.fromCodePoint(code);
  });
}
