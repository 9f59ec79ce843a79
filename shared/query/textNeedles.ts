/** Characters encodeURIComponent leaves as they are that scanners' encoders still escape. */
const STRICT = /[!'()*]/g;

/**
 * What the free-text filter looks for, lowered: the needle as typed, and the forms URL encoding
 * gives it, as logs keep paths and queries encoded (`<script` is stored `%3Cscript`, `' OR` as
 * `%27%20OR` or `%27+OR`, non-ASCII text as its UTF-8 bytes): every character but letters,
 * digits and `-_.~` percent-encoded (hex in either case: the test folds case), a space as %20
 * or as `+`. A needle whose encoding changes nothing is looked for once. A log that encodes
 * only some characters (a space but not a quote) is found by the needle in that same form.
 */
export function textNeedles(text: string): string[] {
  const needle = text.toLowerCase();
  let encoded: string;
  try {
    encoded = encodeURIComponent(needle).replace(
      STRICT,
      (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    );
  } catch {
    return [needle]; // a lone surrogate has no UTF-8 form
  }
  return [...new Set([needle, encoded.toLowerCase(), encoded.replace(/%20/g, '+').toLowerCase()])];
}
