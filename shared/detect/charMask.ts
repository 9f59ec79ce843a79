/**
 * A one-pass summary of which "interesting" characters a text holds. Every rule names the
 * characters one of which any text it matches must contain (its trigger); the engine skips
 * rules whose trigger the text lacks, so plain values (ids, words, numbers) cost one scan.
 */

export const C = {
  QUOTE: 1, // ' " `
  ANGLE: 2, // < >
  PAREN: 4, // ( )
  SEP: 8, // ; | &
  DOTDOT: 16, // two dots in a row
  SLASH: 32, // / \
  BRACE: 64, // { } [ ] $
  COLON: 128, // :
  CTRL: 256, // control characters: CR, LF, TAB, NUL…
  SPACE: 512, // also '+'
  EQ: 1024, // =
  STAR: 2048, // * # -
  AT: 4096, // @
  BANG: 8192, // ! ?
  PCT: 16384, // %
  DOT: 32768, // . ~ _
  /** + & \\ : characters that decoding may act on, besides % (not a rule trigger). */
  DECODABLE: 65536,
} as const;

/** A trigger that lets a rule run on any text with at least one interesting character. */
export const ANY = 0xffff;

const TABLE = new Uint32Array(128);
const set = (chars: string, bit: number): void => {
  for (const ch of chars) TABLE[ch.charCodeAt(0)]! |= bit;
};
set('\'"`', C.QUOTE);
set('<>', C.ANGLE);
set('()', C.PAREN);
set(';|&', C.SEP);
set('/\\', C.SLASH);
set('{}[]$', C.BRACE);
set(':', C.COLON);
set(' +', C.SPACE); // '+' is a space in form values
set('=', C.EQ);
set('*#-', C.STAR);
set('@', C.AT);
set('!?', C.BANG);
set('%', C.PCT);
set('.~_', C.DOT);
set('+&\\', C.DECODABLE);
for (let c = 0; c < 32; c++) TABLE[c] = C.CTRL;
TABLE[127] = C.CTRL;

export function charMask(s: string): number {
  let mask = 0;
  let prevDot = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) {
      prevDot = false;
      continue;
    }
    mask |= TABLE[c]!;
    if (c === 46) {
      if (prevDot) mask |= C.DOTDOT;
      prevDot = true;
    } else prevDot = false;
  }
  return mask;
}
