/**
 * Splitting request parts into named values without trusting them: bounded counts, no
 * exceptions on malformed input.
 */

export const MAX_PARAMS = 256;

export interface Pair {
  /** Raw (still encoded) name, or null for a value with no name. */
  name: string | null;
  value: string;
}

/** `a=1&b=2` style pairs; a piece without '=' is a name with an empty value. */
export function splitPairs(s: string, sep: string): { pairs: Pair[]; truncated: boolean } {
  const pairs: Pair[] = [];
  let start = 0;
  while (start <= s.length) {
    let end = s.indexOf(sep, start);
    if (end < 0) end = s.length;
    const piece = s.slice(start, end);
    start = end + sep.length;
    const trimmed = sep === ';' ? piece.trim() : piece;
    if (trimmed !== '') {
      if (pairs.length >= MAX_PARAMS) return { pairs, truncated: true };
      const eq = trimmed.indexOf('=');
      pairs.push(
        eq < 0
          ? { name: trimmed, value: '' }
          : { name: trimmed.slice(0, eq), value: trimmed.slice(eq + 1) },
      );
    }
    if (end === s.length) break;
  }
  return { pairs, truncated: false };
}

export interface JsonLeaf {
  /** Dotted key path ("user.name", "items.0.id"). */
  name: string;
  /** String leaves only: numbers and booleans carry no injected syntax. */
  value: string | null;
}

/** The leaves of a parsed JSON body, depth-first, bounded in count and depth. */
export function jsonLeaves(root: unknown): { leaves: JsonLeaf[]; truncated: boolean } {
  const leaves: JsonLeaf[] = [];
  let truncated = false;
  const walk = (v: unknown, name: string, depth: number): void => {
    if (leaves.length >= MAX_PARAMS || depth > 32) {
      truncated = true;
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, name === '' ? String(i) : `${name}.${i}`, depth + 1));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        walk(x, name === '' ? k : `${name}.${k}`, depth + 1);
      }
    } else {
      leaves.push({ name, value: typeof v === 'string' ? v : null });
    }
  };
  walk(root, '', 0);
  return { leaves, truncated };
}

export function tryParseJson(s: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(s) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Form bodies start with a name and '='; anything else is scanned as one text. */
export function looksLikeForm(body: string, contentType: string | null): boolean {
  if (contentType !== null && contentType.includes('x-www-form-urlencoded')) return true;
  return /^[\w.[\]$%+-]{1,200}=/.test(body) && !/[\r\n]/.test(body.slice(0, 4096));
}
