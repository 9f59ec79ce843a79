/**
 * Path templates: variable segments of a request path replaced with named placeholders, so
 * `/users/42` and `/users/43` count as one endpoint `/users/{id}`.
 *
 * Two passes. `templatePath` classifies each segment on its own (numbers, UUIDs, hashes,
 * tokens, emails, dates). `mergeTemplates` then looks across all templates of one method and
 * host and replaces a literal position that takes many distinct values under one parent with
 * `{name}` (`/users/alice`, `/users/bob`, … → `/users/{name}`).
 */

import { beforeFragment } from '../model/requestRecord.js';

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
  if (TOKEN.test(seg) && looksRandom(seg)) return '{token}';
  return null;
}

/** 0 for a character that is no ASCII letter or digit, 1 a digit, 2 lower case, 3 upper case. */
function charKind(c: number): number {
  if (c >= 48 && c <= 57) return 1;
  if (c >= 97 && c <= 122) return 2;
  if (c >= 65 && c <= 90) return 3;
  return 0;
}

/**
 * True when a long segment reads as generated rather than written: it switches between letters
 * and digits, or from lower to upper case, at least once per 8 characters (and 4 times in all),
 * or 4 times inside one run of 20 letters and digits with no separator (a base32 token has few
 * digits). A random base64 or hex token of n characters switches about n/3 times; a slug or
 * file name with numbers in it (`upgrading-windows-10-in-place`,
 * `touch-icon-152x152`, `icons-webfont.woff2`, `server-2.1.0-standalone`) a few.
 */
function looksRandom(seg: string): boolean {
  let switches = 0;
  let digit = false;
  let letter = false;
  let prev = 0;
  let run = 0;
  let runSwitches = 0;
  let randomRun = false;
  for (let i = 0; i < seg.length; i++) {
    const kind = charKind(seg.charCodeAt(i));
    if (kind === 0) {
      run = runSwitches = 0;
    } else {
      if (kind === 1) digit = true;
      else letter = true;
      run++;
      if (prev !== 0 && ((prev === 1) !== (kind === 1) || (prev === 2 && kind === 3))) {
        switches++;
        runSwitches++;
      }
      if (run >= 20 && runSwitches >= 4) randomRun = true;
    }
    prev = kind;
  }
  return digit && letter && switches >= 4 && (randomRun || switches * 8 >= seg.length);
}

/**
 * True when a segment reads as a file name: a name, a dot, and an extension of 1 to 5 ASCII
 * letters and digits with at least one letter (`app.js`, `font.woff2`, `clip.mp4`). A numeric
 * tail is no extension: `bootstrap-3.3.7`, a model number `T012.345.67.890.00` or a filter
 * value `…|4.8` are names.
 */
export function isFileName(seg: string): boolean {
  const dot = seg.lastIndexOf('.');
  const extLength = seg.length - dot - 1;
  if (dot < 1 || extLength < 1 || extLength > 5) return false;
  let letter = false;
  for (let i = dot + 1; i < seg.length; i++) {
    const kind = charKind(seg.charCodeAt(i));
    if (kind === 0) return false;
    if (kind !== 1) letter = true;
  }
  return letter;
}

/** True when s is one or more ASCII digits and nothing else. */
function allDigits(s: string): boolean {
  return digitsBetween(s, 0, s.length);
}

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
 * True when parts[k] (digits) is a piece of a dotted version number in a file name: the part
 * before it ends with a digit or the next one (not the extension) starts with one, as in
 * `modernizr-2.8.3.min.js` or `tool-2.20240115.html`.
 */
function inVersion(parts: string[], k: number): boolean {
  const before = k > 0 ? parts[k - 1]! : '';
  const after = k + 2 < parts.length ? parts[k + 1]! : '';
  return (
    charKind(before.charCodeAt(before.length - 1)) === 1 || charKind(after.charCodeAt(0)) === 1
  );
}

/**
 * Like classifySegment, but file names are templated part by part: `12345.jpg` becomes
 * `{id}.jpg` and a cache-busting `app.3f9a1c2e77b04d12.js` becomes `app.{hash}.js`. Digits in a
 * dotted version (`jquery-1.12.4.min.js`) stay: one file's name is no id.
 */
export function templateSegment(raw: string): string | null {
  if (!isFileName(raw)) return classifySegment(raw);
  const parts = raw.split('.');
  let out: string[] | null = null;
  for (let k = 0; k < parts.length - 1; k++) {
    const part = parts[k]!;
    const p = classifySegment(part);
    if (p === null || (allDigits(part) && inVersion(parts, k))) continue;
    (out ??= parts.slice())[k] = p;
  }
  return out !== null ? out.join('.') : classifySegment(raw);
}

/**
 * The first-pass template of a path (no query). Empty or missing paths become "/". Each
 * segment between slashes is templated on its own; the path is copied only when one changes.
 * A fragment kept in the path ("/a#x", see parseTarget) is no part of the endpoint.
 */
export function templatePath(rawPath: string | null): string {
  if (rawPath === null) return '/';
  const path = beforeFragment(rawPath);
  if (path === '') return '/';
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

/** One template being merged: its segments (rewritten in place) and its parent's id. */
interface Merging {
  template: string;
  segs: string[];
  /** Id of segs[0 … pos - 1] among the templates at the current position. */
  parent: number;
}

/**
 * Ids of (parent id, segment) pairs, numbered from 0 in order of first appearance: a parent one
 * position deeper. Nested maps: no key string built, and each segment hashed once.
 */
class PairIds {
  /** Parent id + 1 → its segments' ids (parent ids are dense from 0; -1 is the root). */
  private readonly byParent: (Map<string, number> | undefined)[] = [];
  private next = 0;
  of(parent: number, seg: string): number {
    let children = this.byParent[parent + 1];
    if (children === undefined) this.byParent[parent + 1] = children = new Map();
    let id = children.get(seg);
    if (id === undefined) children.set(seg, (id = this.next++));
    return id;
  }
}

/**
 * Merges templates (all from one method and host) whose literal segment at one position takes
 * at least `minDistinct` different values under the same parent. Returns a map from every
 * input template to its merged template (itself when unchanged). Deterministic: the result
 * does not depend on the input order.
 *
 * Linear in the total length of the templates: a scanner's hundreds of thousands of distinct
 * paths under thousands of parents are one grouped pass per position, and a parent is named by
 * an id built from the previous position's (never by joining its segments, which made a hostile
 * path of 5,000 segments cost 0.25 s per template).
 */
export function mergeTemplates(
  templates: Iterable<string>,
  minDistinct: number,
): Map<string, string> {
  const all: Merging[] = [];
  for (const t of templates) all.push({ template: t, segs: t.split('/'), parent: 0 });
  // Position 1 (the top level) is skipped: sites keep many distinct static names there.
  let active = all.filter((m) => m.segs.length > 2);
  const top = new PairIds();
  for (const m of active) m.parent = top.of(top.of(-1, m.segs[0]!), m.segs[1]!);
  // Left to right, so a merge at position i makes its children comparable at position i + 1.
  for (let pos = 2; active.length > 0; pos++) {
    // Per parent, its distinct values at pos and the templates holding a mergeable value
    // there: a merge rewrites exactly those.
    const byParent: ({ values: Set<string>; members: string[][] } | undefined)[] = [];
    for (const { segs, parent } of active) {
      const seg = segs[pos]!;
      // A file name (app.js) is a resource, not a variable name.
      if (seg === '' || isPlaceholder(seg) || isFileName(seg)) continue;
      let group = byParent[parent];
      if (!group) byParent[parent] = group = { values: new Set(), members: [] };
      group.values.add(seg);
      group.members.push(segs);
    }
    for (const group of byParent) {
      if (group === undefined || group.values.size < minDistinct) continue;
      for (const segs of group.members) segs[pos] = '{name}';
    }
    // The next position's parents: this one's and the segment at pos, as merged.
    const next = new PairIds();
    active = active.filter((m) => m.segs.length > pos + 1);
    for (const m of active) m.parent = next.of(m.parent, m.segs[pos]!);
  }
  const out = new Map<string, string>();
  for (const m of all) out.set(m.template, m.segs.join('/'));
  return out;
}
