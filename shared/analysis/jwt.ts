/**
 * Decodes a JWT's header and payload WITHOUT verifying it: the investigator needs the claims
 * a client presented, not proof they were genuine. Anything malformed gives null; never throws.
 */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < B64URL.length; i++) LOOKUP[B64URL.charCodeAt(i)] = i;
// Standard base64 as well: some issuers pad or use +/ by mistake.
LOOKUP['+'.charCodeAt(0)] = 62;
LOOKUP['/'.charCodeAt(0)] = 63;

/** Tokens above this size are not decoded: a claim set is small, a hostile header is not. */
const MAX_TOKEN_LENGTH = 16 * 1024;

export function base64UrlToBytes(s: string): Uint8Array | null {
  let end = s.length;
  while (end > 0 && s[end - 1] === '=') end--;
  if (end % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** Strict UTF-8 decoding; invalid sequences give null (no TextDecoder in pure shared code). */
export function utf8Decode(b: Uint8Array): string | null {
  let s = '';
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    let cp: number;
    let n: number;
    if (c < 0x80) {
      cp = c;
      n = 0;
    } else if (c >= 0xc2 && c < 0xe0) {
      cp = c & 0x1f;
      n = 1;
    } else if (c >= 0xe0 && c < 0xf0) {
      cp = c & 0x0f;
      n = 2;
    } else if (c >= 0xf0 && c < 0xf5) {
      cp = c & 0x07;
      n = 3;
    } else return null;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((n === 2 && cp < 0x800) || (n === 3 && (cp < 0x10000 || cp > 0x10ffff))) return null;
    if (cp >= 0xd800 && cp <= 0xdfff) return null;
    s += String.fromCodePoint(cp);
    i += n + 1;
  }
  return s;
}

function decodePart(part: string): Record<string, unknown> | null {
  const bytes = base64UrlToBytes(part);
  if (!bytes) return null;
  const text = utf8Decode(bytes);
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export function decodeJwt(token: string): DecodedJwt | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.trim().split('.');
  // JWS has three parts; an unsecured JWT (alg none) may end with an empty signature.
  if (parts.length !== 3 || parts[0] === '' || parts[1] === '') return null;
  const header = decodePart(parts[0]!);
  if (!header) return null;
  const payload = decodePart(parts[1]!);
  if (!payload) return null;
  return { header, payload };
}

/**
 * A claim as a display string: strings as is, numbers as text, string arrays joined with
 * commas (a role filter finds each item: role_members, 021_role_members.ts).
 */
export function claimString(payload: Record<string, unknown>, claim: string): string | null {
  const v = payload[claim];
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) {
    const items = v.filter((x): x is string => typeof x === 'string' && x !== '');
    return items.length > 0 ? items.join(',') : null;
  }
  return null;
}

/** Claims that hold a list as one space-separated string (`scope`, RFC 8693 §4.2; `scp`). */
const SPACE_SEPARATED_CLAIMS: ReadonlySet<string> = new Set(['scope', 'scp']);

/**
 * A claim read as a role: as claimString, except that a space-separated list (`scope`, `scp`)
 * is written as a string array is, its items joined with commas (`read write` → `read,write`),
 * so that each item is a role of its own, as each of a `roles` array's items is.
 */
export function roleClaimString(payload: Record<string, unknown>, claim: string): string | null {
  const v = payload[claim];
  if (typeof v === 'string' && SPACE_SEPARATED_CLAIMS.has(claim)) {
    const items = v.split(/[ \t\r\n]+/).filter((x) => x !== '');
    return items.length > 0 ? items.join(',') : null;
  }
  return claimString(payload, claim);
}

/** The token of an "Authorization: Bearer x" value, or null. */
export function bearerToken(authorization: string | null | undefined): string | null {
  if (!authorization) return null;
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
  return m ? m[1]! : null;
}
