/**
 * The JSON columns of a request (headers, resp_headers, extra) hold attacker-chosen values, and
 * a value nested thousands of levels deep overflows the stack of whatever serializes it again
 * (JSON.stringify, structured clone, a recursive viewer): the CLI's printJson, the app's
 * request page. So no stored column nests deeper than MAX_JSON_DEPTH: a container that would
 * sit deeper is kept as its JSON text in a marker object, nothing lost. Import writes columns
 * that way, and readers cap the text again, for cases imported before the cap.
 */

/** Container levels a stored JSON column keeps as they are (the column's own object is level 1). */
export const MAX_JSON_DEPTH = 100;

/** The key that marks a container kept as text (its text is under `json`). */
export const TOO_DEEP_KEY = '_too_deep';
const TOO_DEEP_NOTE = `nested deeper than ${MAX_JSON_DEPTH} levels; kept as JSON text`;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;

/** False when the text cannot nest deeper than `max`: it has no more than `max` opening brackets. */
function mayNestDeeper(text: string, max: number): boolean {
  let n = 0;
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) if (++n > max) return true;
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) if (++n > max) return true;
  return false;
}

/** The index of the quote that closes the string opening at `start` (text.length when none). */
export function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return text.length;
    let slashes = 0;
    for (let j = q - 1; j > start && text.charCodeAt(j) === BACKSLASH; j--) slashes++;
    if (slashes % 2 === 0) return q;
    i = q + 1;
  }
}

/** The index just after the container opening at `start` (text.length when it never closes). */
function containerEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = stringEnd(text, i);
    else if (c === OPEN_OBJ || c === OPEN_ARR) depth++;
    else if ((c === CLOSE_OBJ || c === CLOSE_ARR) && --depth === 0) return i + 1;
  }
  return text.length;
}

/**
 * `text` (JSON) with every container that opens deeper than `max` levels replaced by
 * `{"_too_deep": "…", "json": "<its JSON text>"}`. At import (`keepMarkers` false) every
 * container at level `max + 1` is replaced, so a marker found there is ours and one found
 * anywhere else came from the log. Readers pass `keepMarkers`: a marker already at that level
 * (it holds only strings) is left as it is, so capping stored text again changes nothing. Text
 * that does not nest that deep is returned as it is.
 */
export function capJsonDepth(text: string, max = MAX_JSON_DEPTH, keepMarkers = false): string {
  if (!mayNestDeeper(text, max)) return text;
  const parts: string[] = [];
  let copied = 0;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
    } else if (c === OPEN_OBJ || c === OPEN_ARR) {
      if (depth < max) {
        depth++;
        continue;
      }
      const marker = keepMarkers ? markerEnd(text, i) : -1;
      if (marker >= 0) {
        i = marker - 1;
        continue;
      }
      const end = containerEnd(text, i);
      parts.push(text.slice(copied, i), tooDeepMarker(text.slice(i, end)));
      copied = end;
      i = end - 1;
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
      depth--;
    }
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

const MARKER_HEAD = `{${JSON.stringify(TOO_DEEP_KEY)}:${JSON.stringify(TOO_DEEP_NOTE)},"json":"`;

function tooDeepMarker(json: string): string {
  return `${MARKER_HEAD.slice(0, -1)}${JSON.stringify(json)}}`;
}

/** The index just after the marker written by tooDeepMarker that opens at `start`, or -1. */
function markerEnd(text: string, start: number): number {
  if (!text.startsWith(MARKER_HEAD, start)) return -1;
  const close = stringEnd(text, start + MARKER_HEAD.length - 1);
  return text.charCodeAt(close + 1) === CLOSE_OBJ ? close + 2 : -1;
}

/** A stored JSON column as a value any reader can serialize again; null for NULL. */
export function parseStoredJson(text: string | null): unknown {
  return text === null ? null : (JSON.parse(capJsonDepth(text, MAX_JSON_DEPTH, true)) as unknown);
}

type Frame =
  | { array: readonly unknown[]; i: number }
  | { object: Record<string, unknown>; keys: string[]; i: number; first: boolean };

/**
 * JSON.stringify for a value nested too deeply for it (it recurses, and throws a RangeError
 * when the stack runs out): the same text, written with a stack of its own. Values are what
 * parsed JSON holds, plus objects with a toJSON (OmittedString).
 */
export function stringifyDeep(value: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  /** Writes a value, or opens its container; false when the value has no JSON form. */
  const write = (v: unknown): boolean => {
    if (
      v !== null &&
      typeof v === 'object' &&
      typeof (v as { toJSON?: unknown }).toJSON === 'function'
    )
      v = (v as { toJSON(): unknown }).toJSON();
    if (Array.isArray(v)) {
      out.push('[');
      stack.push({ array: v, i: 0 });
      return true;
    }
    if (v !== null && typeof v === 'object') {
      out.push('{');
      stack.push({ object: v as Record<string, unknown>, keys: Object.keys(v), i: 0, first: true });
      return true;
    }
    const s = JSON.stringify(v) as string | undefined;
    if (s === undefined) return false;
    out.push(s);
    return true;
  };
  if (!write(value)) return 'null';
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if ('array' in top) {
      if (top.i === top.array.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (top.i > 0) out.push(',');
      const v = top.array[top.i++];
      const at = out.length;
      if (!write(v)) {
        out.length = at;
        out.push('null');
      }
      continue;
    }
    if (top.i === top.keys.length) {
      out.push('}');
      stack.pop();
      continue;
    }
    const k = top.keys[top.i++]!;
    const at = out.length;
    out.push(top.first ? '' : ',', JSON.stringify(k), ':');
    if (write(top.object[k])) top.first = false;
    else out.length = at;
  }
  return out.join('');
}
