import type { DecodeFlag } from './types.js';

/**
 * Repeated, bounded decoding of one logged text so a rule sees what the application would
 * have seen: percent (and IIS %uXXXX) decoding, `+` as space in form values, HTML entities,
 * JavaScript \uXXXX / \xHH escapes, repeated until nothing changes (double encoding such as
 * %2527 peels off one layer per round), then ASCII case folding for matching.
 * Decoding never throws: what cannot be decoded is kept as it is and flagged.
 */

export interface DecodeOptions {
  /** Treat `+` as a space (query strings and form bodies, first layer only). */
  plusAsSpace: boolean;
  /** Longer input is cut to this many characters (and flagged) before any work. */
  maxLength: number;
}

export interface Decoded {
  /** The input after truncation and decoding. */
  text: string;
  /** `text` lower-cased (ASCII only where full lower-casing would change the length), so
   * offsets into `folded` are offsets into `text`. */
  folded: string;
  /** The input after truncation only, and folded; rules about encodings read these. */
  raw: string;
  rawFolded: string;
  /** True when decoding changed the text. */
  changed: boolean;
  flags: DecodeFlag[];
}

/** Enough for triple encoding plus an entity layer; deeper nesting is itself suspicious. */
export const MAX_ROUNDS = 4;

const NEEDS_DECODING = /[%+&\\]/;

export function decodeText(input: string, opts: DecodeOptions): Decoded {
  const d = decodeLayers(input, opts);
  const rawFolded = foldAscii(d.raw);
  return { ...d, folded: d.changed ? foldAscii(d.text) : rawFolded, rawFolded };
}

/** decodeText without the folding, for callers that fold only when they need to. */
export function decodeLayers(
  input: string,
  opts: DecodeOptions,
): Pick<Decoded, 'text' | 'raw' | 'changed' | 'flags'> {
  const flags: DecodeFlag[] = [];
  let raw = input;
  if (raw.length > opts.maxLength) {
    raw = raw.slice(0, opts.maxLength);
    flags.push('truncated');
  }
  if (!NEEDS_DECODING.test(raw)) return { text: raw, raw, changed: false, flags };
  let text = raw;
  let settled = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = text;
    text = decodeOnce(text, opts.plusAsSpace && round === 0, flags);
    if (text === before) {
      settled = true;
      break;
    }
  }
  if (!settled && decodeOnce(text, false, []) !== text) addFlag(flags, 'too-deep');
  return { text, raw, changed: text !== raw, flags };
}

function addFlag(flags: DecodeFlag[], f: DecodeFlag): void {
  if (!flags.includes(f)) flags.push(f);
}

/** One layer of every decoding, in the order a typical stack applies them. */
function decodeOnce(s: string, plusAsSpace: boolean, flags: DecodeFlag[]): string {
  let out = s;
  if (plusAsSpace && out.includes('+')) out = out.replaceAll('+', ' ');
  if (out.includes('%')) out = percentDecode(out, flags);
  if (out.includes('&')) out = entityDecode(out);
  if (out.includes('\\')) out = escapeDecode(out);
  return out;
}

/** Lower-cases; falls back to A–Z only when full lower-casing would change the length (İ). */
export function foldAscii(s: string): string {
  const lower = s.toLowerCase();
  if (lower.length === s.length) return lower;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function hexAt(s: string, i: number, n: number): number {
  if (i + n > s.length) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const h = hexVal(s.charCodeAt(i + k));
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

/**
 * %XX runs are decoded as UTF-8; bytes that are not valid UTF-8 (Latin-1 forms, overlong
 * encodings like %c0%af) become the Latin-1 character of each byte and are flagged.
 */
function percentDecode(s: string, flags: DecodeFlag[]): string {
  let out = '';
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) {
      out += utf8OrLatin1(bytes, flags);
      bytes = [];
    }
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '%') {
      const b = hexAt(s, i + 1, 2);
      if (b >= 0) {
        bytes.push(b);
        i += 2;
        continue;
      }
      if (s[i + 1] === 'u' || s[i + 1] === 'U') {
        const u = hexAt(s, i + 2, 4);
        if (u >= 0) {
          flush();
          out += String.fromCharCode(u);
          i += 5;
          continue;
        }
      }
      addFlag(flags, 'bad-percent');
    }
    flush();
    out += ch;
  }
  flush();
  return out;
}

function utf8OrLatin1(bytes: number[], flags: DecodeFlag[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    }
    const n = b0 >= 0xf0 && b0 <= 0xf4 ? 3 : b0 >= 0xe0 ? 2 : b0 >= 0xc2 && b0 < 0xe0 ? 1 : -1;
    let cp = n === 3 ? b0 & 0x07 : n === 2 ? b0 & 0x0f : b0 & 0x1f;
    let ok = n > 0 && i + n < bytes.length;
    for (let k = 1; ok && k <= n; k++) {
      const b = bytes[i + k];
      if (b === undefined || (b & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (b & 0x3f);
    }
    // Overlong forms and surrogates are how filters get bypassed: not valid UTF-8.
    if (ok && ((n === 2 && cp < 0x800) || (n === 3 && (cp < 0x10000 || cp > 0x10ffff)))) ok = false;
    if (ok && cp >= 0xd800 && cp <= 0xdfff) ok = false;
    if (!ok) {
      addFlag(flags, 'not-utf8');
      out += String.fromCharCode(b0);
      i++;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += n + 1;
  }
  return out;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  tab: '\t',
  newline: '\n',
  colon: ':',
  semi: ';',
  sol: '/',
  bsol: '\\',
  lpar: '(',
  rpar: ')',
  lsqb: '[',
  rsqb: ']',
  lcub: '{',
  rcub: '}',
  excl: '!',
  num: '#',
  dollar: '$',
  percnt: '%',
  period: '.',
  comma: ',',
  equals: '=',
  grave: '`',
  plus: '+',
  ast: '*',
  vert: '|',
};

// Bounded digit counts: browsers accept missing semicolons on numeric references.
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));?/g;

function entityDecode(s: string): string {
  return s.replace(ENTITY, (m, dec?: string, hex?: string, name?: string) => {
    if (dec !== undefined || hex !== undefined) {
      const cp = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)
        ? String.fromCodePoint(cp)
        : m;
    }
    // Named references need their semicolon, or "&copy" in a URL would be eaten.
    if (!m.endsWith(';')) return m;
    const v = NAMED_ENTITIES[name!.toLowerCase()];
    return v ?? m;
  });
}

const ESCAPE = /\\(?:u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]{1,6})\}|x([0-9a-fA-F]{2}))/g;

function escapeDecode(s: string): string {
  return s.replace(ESCAPE, (m, u4?: string, ub?: string, x2?: string) => {
    const cp = parseInt(u4 ?? ub ?? x2!, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}
