import {
  HIDDEN_CHAR_CLASS,
  HIDDEN_CHAR_CLASS_NO_LAYOUT,
  hiddenCharEscape,
} from '../../shared/model/hiddenChars.js';

/*
 * Log text printed on a terminal. A field can hold ESC[2J (clears the screen), a C1 CSI
 * (U+009B, the one-character ESC[ on some terminals), a right-to-left override that shows
 * `invoice‮fdp.exe` as `invoiceexe.pdf`, or tag characters that carry hidden ASCII. Every
 * character of the app's hidden list (shared/model/hiddenChars.ts) is printed as the escape the
 * app shows (`\x1B`, `\x9B`, `\u202E`, `\u{E0041}`): visible, plain ASCII, and telling the
 * investigator what was there. Tab, CR and LF too: a text value is one cell of a table or one
 * line of a message, and a tab would break the columns, a line end the line.
 */

const HIDDEN_ALL = new RegExp(HIDDEN_CHAR_CLASS, 'gu');

/** `text` with every control and invisible character written as a visible escape. */
export function terminalText(text: string): string {
  return text.replace(HIDDEN_ALL, hiddenCharEscape);
}

/**
 * The hidden characters JSON.stringify leaves raw: DEL, C1 and the format characters (it escapes
 * C0 in strings itself, so a raw line end is its own indentation).
 */
const RAW_IN_JSON = new RegExp(HIDDEN_CHAR_CLASS_NO_LAYOUT, 'gu');

/** JSON's escape for a character, code unit by code unit (`\u009b`, `\udb40\udc41`). */
function jsonEscape(ch: string): string {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * JSON.stringify's text for a terminal: the same JSON value, with the hidden characters it
 * leaves raw (all inside strings) written as JSON escapes.
 */
export function terminalJson(json: string): string {
  return json.replace(RAW_IN_JSON, jsonEscape);
}
