/**
 * An audit entry's details as plain `key: value` text, the same in the CLI and the app.
 * Nested objects become dotted keys; a `before`/`after` pair (a settings change) is shown as
 * only the values that changed, `key: old → new`, because the full settings drown the change.
 * The result is text for a text node or a terminal, never markup.
 */

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function leafText(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) {
    return v.length === 0 ? '[]' : v.map(leafText).join(', ');
  }
  return JSON.stringify(v);
}

/** Leaves of a plain object under dotted keys; arrays are leaves. */
function flatten(value: Plain, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isPlain(v) && Object.keys(v).length > 0) flatten(v, key, out);
    else out.push([key, v]);
  }
  return out;
}

/** Each line of the details: `key: value`, or `key: old → new` for a before/after pair. */
export function auditDetailLines(details: Plain): string[] {
  const { before, after, ...rest } = details;
  const lines = flatten(rest).map(([k, v]) => `${k}: ${leafText(v)}`);
  if (isPlain(before) && isPlain(after)) {
    const old = new Map(flatten(before).map(([k, v]) => [k, leafText(v)]));
    const now = new Map(flatten(after).map(([k, v]) => [k, leafText(v)]));
    const keys = [...new Set([...old.keys(), ...now.keys()])];
    const changed = keys.filter((k) => old.get(k) !== now.get(k));
    for (const k of changed) lines.push(`${k}: ${old.get(k) ?? '-'} → ${now.get(k) ?? '-'}`);
    if (changed.length === 0) lines.push('(no change)');
  } else {
    if (before !== undefined) lines.push(`before: ${leafText(before)}`);
    if (after !== undefined) lines.push(`after: ${leafText(after)}`);
  }
  return lines;
}

/** The details on one line, entries separated by `; `. */
export function auditDetailsText(details: Plain): string {
  return auditDetailLines(details).join('; ');
}
