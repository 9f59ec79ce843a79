import { stringEnd } from '../../store/storedJson.js';

/**
 * JSON.parse keeps the last of an object's repeated keys (`"status":200,…,"status":500` gives
 * 500) and says nothing of the others. A log line can repeat a key by accident (a logger adding a
 * field twice) or on purpose (to hide a value from whatever reads the first one), so the earlier
 * values are found here and kept in extra as `_duplicate_keys`.
 *
 * Finding them takes a scan of the text, too slow to run on every line; a count decides first.
 * Every key in the text is a string followed by a colon, maybe after blanks (`"k":`, `"k" :`),
 * so the colons whose last non-blank character before them is a quote are at least as many as
 * the keys in the text; the parsed value holds one key less per repetition. Equal counts prove
 * that no key repeats, and only a line where they differ (a repetition, or a `":` inside a
 * string) is scanned. Searching for one character is the fastest search there is, which makes
 * the count about a tenth of what JSON.parse costs.
 */

export interface DuplicateKey {
  /** Keys and array indices from the line's object to the repeated key (the key last). */
  path: (string | number)[];
  /** The values of its earlier occurrences, in order; the value kept is that of the last. */
  earlier: unknown[];
}

/** The keys of every object in `value`, counted without recursion (it may nest deeply). */
function countKeys(value: unknown): number {
  let n = 0;
  const todo: unknown[] = [value];
  while (todo.length > 0) {
    const v = todo.pop();
    if (Array.isArray(v)) {
      for (const x of v as unknown[]) if (typeof x === 'object' && x !== null) todo.push(x);
      continue;
    }
    // for…in rather than Object.values: no array made per object (JSON.parse's objects
    // inherit nothing enumerable, so it sees their own keys only).
    const o = v as Record<string, unknown>;
    for (const k in o) {
      n++;
      const x = o[k];
      if (typeof x === 'object' && x !== null) todo.push(x);
    }
  }
  return n;
}

const QUOTE = 0x22;

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Colons whose last non-blank character before them is a quote: at least one per key. */
function countKeyEnds(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
    let j = i - 1;
    while (j > 0 && isBlank(text.charCodeAt(j))) j--;
    if (text.charCodeAt(j) === QUOTE) n++;
  }
  return n;
}

/**
 * The repeated keys of `text`, a JSON value that JSON.parse read as `parsed`; null when no key
 * repeats (the usual case, decided without scanning).
 */
export function findDuplicateKeys(text: string, parsed: unknown): DuplicateKey[] | null {
  return findDuplicateKeysCounted(text, countKeyEnds(text), parsed);
}

/**
 * The same, given `keys`, at least the number of keys in `text`: a reader that walks the text
 * anyway (streamedJson.ts) counts its colons outside strings, exactly one per key, for free.
 */
export function findDuplicateKeysCounted(
  text: string,
  keys: number,
  parsed: unknown,
): DuplicateKey[] | null {
  if (keys === countKeys(parsed)) return null;
  const found = scanDuplicates(text);
  return found.length > 0 ? found : null;
}

interface Frame {
  object: boolean;
  /** Objects: each key read so far, with where its last value starts and ends (end -1 until read). */
  keys: Map<string, { start: number; end: number }> | null;
  /** The key (objects) or index (arrays) of the value being read. */
  at: string | number;
  next: number;
  /** The frame's own key or index in its parent. */
  own: string | number;
}

/** Every repeated key of a valid JSON text, with the values it had before its last one. */
export function scanDuplicates(text: string): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const byPath = new Map<Frame, Map<string, DuplicateKey>>();
  const stack: Frame[] = [];
  let expectKey = false;
  /** A value ends at `end`: its key's span in the enclosing object is complete. */
  const valueEnded = (end: number): void => {
    const top = stack[stack.length - 1];
    if (top?.keys) top.keys.get(top.at as string)!.end = end;
  };
  const path = (key: string): (string | number)[] => [...stack.slice(1).map((f) => f.own), key];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ':') continue;
    const top = stack[stack.length - 1];
    if (c === '{' || c === '[') {
      const own = top === undefined ? '' : top.object ? top.at : top.next++;
      if (top?.keys) top.keys.get(top.at as string)!.start = i;
      stack.push({ object: c === '{', keys: c === '{' ? new Map() : null, at: '', next: 0, own });
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
      valueEnded(i + 1);
      expectKey = false;
    } else if (c === ',') {
      expectKey = top?.object === true;
    } else if (c === '"' && expectKey && top?.keys) {
      const end = stringEnd(text, i);
      const key = JSON.parse(text.slice(i, end + 1)) as string;
      const before = top.keys.get(key);
      if (before !== undefined) {
        let dups = byPath.get(top);
        if (dups === undefined) byPath.set(top, (dups = new Map()));
        let d = dups.get(key);
        if (d === undefined) {
          d = { path: path(key), earlier: [] };
          dups.set(key, d);
          out.push(d);
        }
        d.earlier.push(JSON.parse(text.slice(before.start, before.end)) as unknown);
      }
      top.keys.set(key, { start: -1, end: -1 });
      top.at = key;
      expectKey = false;
      i = end;
    } else {
      // A scalar value: a string, or a number or literal running to the next delimiter.
      let end: number;
      if (c === '"') {
        end = stringEnd(text, i) + 1;
      } else {
        end = i + 1;
        while (end < text.length && !',}] \t\r\n'.includes(text[end]!)) end++;
      }
      if (top?.keys) top.keys.get(top.at as string)!.start = i;
      else if (top) top.next++;
      valueEnded(end);
      i = end - 1;
    }
  }
  return out;
}
