/**
 * Path templates: variable segments of a request path replaced with named placeholders, so
 * `/users/42` and `/users/43` count as one endpoint `/users/{id}`.
 *
 * Two passes. `templatePath` classifies each segment on its own (numbers, UUIDs, hashes,
 * tokens, emails, dates). `mergeTemplates` then looks across all templates of one method and
 * host and replaces a literal position that takes many distinct values under one parent with
 * `{name}` (`/users/alice`, `/users/bob`, … → `/users/{name}`).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT = /^-?\d+$/;
const HEX = /^[0-9a-f]{16,}$/i;
const EMAIL = /^[^@\s/]+@[^@\s/]+\.[a-z]{2,}$/i;
const DATE = /^(?:\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?|\d{8})$/;
const TOKEN = /^[A-Za-z0-9_\-+=.~%]{24,}$/;

export type Placeholder = '{id}' | '{uuid}' | '{hash}' | '{email}' | '{date}' | '{token}';

function decodeSegment(seg: string): string {
  if (!seg.includes('%')) return seg;
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

/** The placeholder for one path segment, or null when it reads as a literal name. */
export function classifySegment(raw: string): Placeholder | null {
  if (raw === '') return null;
  const seg = decodeSegment(raw);
  if (DATE.test(seg) && /^\d{4}/.test(seg)) {
    const month = Number(seg.length === 8 ? seg.slice(4, 6) : seg.slice(5, 7));
    if (month >= 1 && month <= 12) return '{date}';
  }
  if (INT.test(seg)) return '{id}';
  if (UUID.test(seg)) return '{uuid}';
  if (HEX.test(seg) && /\d/.test(seg)) return '{hash}';
  if (EMAIL.test(seg)) return '{email}';
  if (
    TOKEN.test(seg) &&
    /\d/.test(seg) &&
    /[A-Za-z]/.test(seg) &&
    !/^[a-z]+(?:[-_][a-z]+)*$/.test(seg)
  )
    return '{token}';
  return null;
}

const FILE_EXT = /^(.+)(\.[A-Za-z0-9]{1,5})$/;

/** True when path[start, end) is one or more ASCII digits and nothing else. */
function digitsBetween(path: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = path.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Segments classified so far (paths repeat their literal segments endlessly): bounded, as
 * ids and tokens make most segments of a large log distinct. Only a cache of a pure function.
 */
const segmentCache = new Map<string, string | null>();
const SEGMENT_CACHE_MAX = 50_000;

/**
 * templateSegment of path[start, end), with the two shortcuts that cover most segments: digits
 * alone (an id; eight of them may be a date) and a segment seen before.
 */
function segmentTemplate(path: string, start: number, end: number): string | null {
  if (end === start) return null;
  if (end - start !== 8 && digitsBetween(path, start, end)) return '{id}';
  const raw = path.slice(start, end);
  let t = segmentCache.get(raw);
  if (t === undefined) {
    t = templateSegment(raw);
    if (segmentCache.size >= SEGMENT_CACHE_MAX) segmentCache.clear();
    segmentCache.set(raw, t);
  }
  return t;
}

/**
 * Like classifySegment, but file names are templated part by part: `12345.jpg` becomes
 * `{id}.jpg` and a cache-busting `app.3f9a1c2e77b04d12.js` becomes `app.{hash}.js`.
 */
export function templateSegment(raw: string): string | null {
  if (!FILE_EXT.test(raw)) return classifySegment(raw);
  const parts = raw.split('.');
  let changed = false;
  for (let k = 0; k < parts.length - 1; k++) {
    const p = classifySegment(parts[k]!);
    if (p !== null) {
      parts[k] = p;
      changed = true;
    }
  }
  return changed ? parts.join('.') : classifySegment(raw);
}

/**
 * The first-pass template of a path (no query). Empty or missing paths become "/". Each
 * segment between slashes is templated on its own; the path is copied only when one changes.
 */
export function templatePath(path: string | null): string {
  if (path === null || path === '') return '/';
  let out: string | null = null;
  let copied = 0;
  for (let start = 0; ;) {
    const slash = path.indexOf('/', start);
    const end = slash < 0 ? path.length : slash;
    const ph = segmentTemplate(path, start, end);
    if (ph !== null) {
      out = (out ?? '') + path.slice(copied, start) + ph;
      copied = end;
    }
    if (slash < 0) break;
    start = slash + 1;
  }
  return out === null ? path : out + path.slice(copied);
}

function isPlaceholder(seg: string): boolean {
  return seg.length > 2 && seg[0] === '{' && seg[seg.length - 1] === '}';
}

/**
 * Merges templates (all from one method and host) whose literal segment at one position takes
 * at least `minDistinct` different values under the same parent. Returns a map from every
 * input template to its merged template (itself when unchanged). Deterministic: the result
 * does not depend on the input order. Linear in the templates per position: a scanner's
 * hundreds of thousands of distinct paths under thousands of parents are one pass each.
 */
export function mergeTemplates(
  templates: Iterable<string>,
  minDistinct: number,
): Map<string, string> {
  const current = new Map<string, string[]>();
  let maxLen = 0;
  for (const t of templates) {
    const segs = t.split('/');
    current.set(t, segs);
    if (segs.length > maxLen) maxLen = segs.length;
  }
  // Left to right, so a merge at position i makes its children comparable at position i + 1.
  // Position 1 (the top level) is skipped: sites keep many distinct static names there.
  for (let pos = 2; pos < maxLen; pos++) {
    // Per parent (the segments before pos), its distinct values at pos and the templates
    // holding a mergeable value there: a merge rewrites exactly those.
    const byParent = new Map<string, { values: Set<string>; members: string[][] }>();
    for (const segs of current.values()) {
      if (segs.length <= pos) continue;
      const seg = segs[pos]!;
      // A file name (app.js) is a resource, not a variable name.
      if (seg === '' || isPlaceholder(seg) || FILE_EXT.test(seg)) continue;
      const parent = segs.slice(0, pos).join('/');
      let group = byParent.get(parent);
      if (!group) byParent.set(parent, (group = { values: new Set(), members: [] }));
      group.values.add(seg);
      group.members.push(segs);
    }
    for (const { values, members } of byParent.values()) {
      if (values.size < minDistinct) continue;
      for (const segs of members) segs[pos] = '{name}';
    }
  }
  const out = new Map<string, string>();
  for (const [t, segs] of current) out.set(t, segs.join('/'));
  return out;
}
