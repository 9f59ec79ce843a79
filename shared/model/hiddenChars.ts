/**
 * The characters a log field can hold that a page or a terminal would not show as themselves:
 * C0 controls (NUL, ESC, CR…), DEL, C1 controls, and the invisible format characters that hide
 * text or turn it round. One definition for the app, which shows them as escapes
 * (renderer/components/VisibleText.tsx), and the exports, which write them as the same escapes
 * (cellEscapes.ts), so what an investigator sees marked and what a CSV marks cannot drift.
 *
 * Besides the controls: the soft hyphen, the Arabic letter mark, the Mongolian vowel separator,
 * zero-width characters and marks (U+200B–U+200F), the line and paragraph separators, the
 * bidirectional embeddings, overrides and isolates, word joiner and invisible operators,
 * variation selectors (combining: each is looked for alone, which is the point; the supplement
 * U+E0100–U+E01EF too, which can carry hidden bytes), the BOM, and the tag characters
 * U+E0000–U+E007F that carry hidden ASCII ("ASCII smuggling").
 */

/** The hidden characters other than tab, LF and CR, as a character-class body (`u` flag). */
const OTHER_HIDDEN =
  '\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\xad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufe00-\\ufe0f\\ufeff\\u{e0000}-\\u{e007f}\\u{e0100}-\\u{e01ef}';

/** Every hidden character, tab, LF and CR included: a regex character class for the `u` flag. */
export const HIDDEN_CHAR_CLASS = `[\\t\\n\\r${OTHER_HIDDEN}]`;

/**
 * The hidden characters a text keeps as layout where it may (tab, LF, CR) left out: what a CSV
 * cell escapes, since CSV quoting carries those three as they are.
 */
export const HIDDEN_CHAR_CLASS_NO_LAYOUT = `[${OTHER_HIDDEN}]`;

const hex = (c: number, digits: number): string =>
  c.toString(16).toUpperCase().padStart(digits, '0');

/**
 * One hidden character as an escape in ASCII, which every font draws: `\x00`, `\x1B`, `\x9B`,
 * `\u202E`, `\u{E0041}` (upper-case hex; the control pictures such as ␀ are missing from many
 * fonts and drawn as a box).
 */
export function hiddenCharEscape(ch: string): string {
  const c = ch.codePointAt(0)!;
  return c <= 0xff ? `\\x${hex(c, 2)}` : c <= 0xffff ? `\\u${hex(c, 4)}` : `\\u{${hex(c, 5)}}`;
}
