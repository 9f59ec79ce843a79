/**
 * UTF-8 text ⇄ base64url, written out because shared/ has neither DOM (btoa, TextEncoder) nor
 * Node (Buffer). Decoding returns null for anything that is not canonical base64url of valid
 * UTF-8, so a tampered payload is refused rather than half-read.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const INDEX = new Map([...ALPHABET].map((c, i) => [c, i]));

/** `s` must be well-formed UTF-16 (JSON.stringify output always is). */
function utf8Bytes(s: string): number[] {
  // encodeURIComponent is the one pure UTF-8 encoder ECMAScript offers.
  const esc = encodeURIComponent(s);
  const out: number[] = [];
  for (let i = 0; i < esc.length; i++) {
    if (esc[i] === '%') {
      out.push(parseInt(esc.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(esc.charCodeAt(i));
  }
  return out;
}

export function encodeBase64Url(text: string): string {
  const bytes = utf8Bytes(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 1 >= bytes.length ? 2 : i + 2 >= bytes.length ? 3 : 4;
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

export function decodeBase64Url(b64: string): string | null {
  if (b64.length % 4 === 1) return null;
  let escaped = '';
  for (let i = 0; i < b64.length; i += 4) {
    const chunk = b64.slice(i, i + 4);
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const v = k < chunk.length ? INDEX.get(chunk[k]!) : 0;
      if (v === undefined) return null;
      n = (n << 6) | v;
    }
    const bytes = chunk.length - 1;
    // Non-zero padding bits mean a second spelling of the same bytes: not canonical, refuse.
    if (bytes < 3 && (n & ((1 << (8 * (3 - bytes))) - 1)) !== 0) return null;
    for (let k = 0; k < bytes; k++) {
      escaped += '%' + ((n >> (16 - 8 * k)) & 255).toString(16).padStart(2, '0');
    }
  }
  try {
    return decodeURIComponent(escaped); // throws on invalid UTF-8
  } catch {
    return null;
  }
}
