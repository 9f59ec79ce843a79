import { parseAnyTime, type TimeReading } from '../../../shared/time/parseTime.js';

/**
 * Field lookup for parsed JSON log objects. Keys are compared normalized (case, '-', '_' and
 * spaces ignored), so `remote_addr`, `remoteAddr` and `Remote-Addr` are one key. A dotted path
 * like `http.request.method` finds nested objects, literal dotted keys ("http.request.method")
 * and any mix of the two, because exporters flatten ECS documents in different ways.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function normKey(k: string): string {
  return k.toLowerCase().replace(/[-_ ]/g, '');
}

/** Assigns an own property even for the key "__proto__" (log keys are attacker-chosen). */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    obj[key] = value;
  }
}

/**
 * Adds a note of the importer's (`_line_prefix`, `_duplicate_keys`…) to a record's extra. A
 * source field of the same name moves aside to `<name>_source` (and one of that name to
 * `<name>_source_source`…), so the note's name is always the importer's and no source value is
 * overwritten.
 */
export function withNote(extra: JsonObject | null, key: string, value: unknown): JsonObject {
  const out = extra ?? {};
  const names = [key];
  while (Object.hasOwn(out, names[names.length - 1]!))
    names.push(names[names.length - 1] + '_source');
  for (let i = names.length - 1; i > 0; i--) setOwn(out, names[i]!, out[names[i - 1]!]);
  setOwn(out, key, value);
  return out;
}

/**
 * A record's extra: what the source object holds beyond the mapped fields (`rest`), with the
 * notes mapping kept aside (`notes`: extra.userinfo from a URL) added by withNote, so a source
 * field of the same name is kept too.
 */
export function extraWithNotes(
  rest: JsonObject | null,
  notes: JsonObject | null,
): JsonObject | null {
  if (notes === null) return rest;
  let out = rest;
  for (const [k, v] of Object.entries(notes)) out = withNote(out, k, v);
  return out;
}

/** A dotted path, normalized, with every run of its segments pre-joined (joins[from][to]). */
interface CompiledPath {
  joins: string[][];
}

const compiled = new Map<string, CompiledPath>();

/** Paths are the shape tables' constants, so each is split and normalized once. */
function compilePath(path: string): CompiledPath {
  let cp = compiled.get(path);
  if (!cp) {
    const segs = path.split('.').map(normKey);
    const joins = segs.map((_, from) => {
      const row: string[] = [];
      for (let to = from + 1; to <= segs.length; to++) row[to] = segs.slice(from, to).join('.');
      return row;
    });
    cp = { joins };
    if (compiled.size < 10_000) compiled.set(path, cp);
  }
  return cp;
}

const compiledLists = new WeakMap<readonly string[], CompiledPath[]>();

/** Candidate lists are constant arrays too: compiled once, looked up by identity. */
function compileList(paths: readonly string[]): CompiledPath[] {
  let list = compiledLists.get(paths);
  if (!list) {
    list = paths.map(compilePath);
    compiledLists.set(paths, list);
  }
  return list;
}

export interface FieldRef {
  container: JsonObject;
  key: string;
  /** Dotted path as it appeared in the source, for explanations. */
  from: string;
}

export interface Provenance {
  field: string;
  from: string;
  note?: string;
}

/** A value converter: null means "not usable here" and leaves the field for another candidate. */
export type Conv<T> = (v: unknown) => T | null;

/**
 * Reads fields of one parsed object and removes the ones it maps, so that whatever is left is
 * the record's `extra`. The object is mutated: callers hand over a freshly parsed object.
 */
export class FieldTaker {
  private readonly index = new Map<JsonObject, Map<string, string>>();
  private readonly touched = new Set<JsonObject>();
  readonly used: Provenance[] = [];

  /** `explain` records which key filled which field (for the CLI); imports skip that work. */
  constructor(
    readonly root: JsonObject,
    private readonly explain = false,
  ) {}

  private keysOf(obj: JsonObject): Map<string, string> {
    let m = this.index.get(obj);
    if (!m) {
      m = new Map();
      for (const k of Object.keys(obj)) {
        const n = normKey(k);
        if (!m.has(n)) m.set(n, k);
      }
      this.index.set(obj, m);
    }
    return m;
  }

  /** Locates `path` (dotted, see above); undefined when absent. */
  find(path: string): FieldRef | undefined {
    return this.resolve(this.root, compilePath(path), 0, '');
  }

  private resolve(
    obj: JsonObject,
    cp: CompiledPath,
    from: number,
    prefix: string,
  ): FieldRef | undefined {
    const keys = this.keysOf(obj);
    const n = cp.joins.length;
    for (let j = n; j > from; j--) {
      const real = keys.get(cp.joins[from]![j]!);
      if (real === undefined || !Object.hasOwn(obj, real)) continue;
      const shown = prefix === '' ? real : `${prefix}.${real}`;
      if (j === n) return { container: obj, key: real, from: shown };
      const child = obj[real];
      if (isObject(child)) {
        const r = this.resolve(child, cp, j, shown);
        if (r) return r;
      }
    }
    return undefined;
  }

  has(path: string): boolean {
    return this.find(path) !== undefined;
  }

  get(path: string): unknown {
    const r = this.find(path);
    return r ? r.container[r.key] : undefined;
  }

  /** The first candidate whose value converts, without removing it. */
  peek<T>(paths: readonly string[], conv: Conv<T>): { value: T; ref: FieldRef } | null {
    for (const cp of compileList(paths)) {
      const ref = this.resolve(this.root, cp, 0, '');
      if (!ref) continue;
      const value = conv(ref.container[ref.key]);
      if (value !== null) return { value, ref };
    }
    return null;
  }

  /** Removes a located field and records where `field` came from. */
  consume(ref: FieldRef, field: string, note?: string): void {
    delete ref.container[ref.key];
    this.touched.add(ref.container);
    this.noteUse(ref, field, note);
  }

  /** Records provenance for a value that was used but left in place (it says more than the column). */
  noteUse(ref: FieldRef, field: string, note?: string): void {
    if (!this.explain) return;
    this.used.push(
      note === undefined ? { field, from: ref.from } : { field, from: ref.from, note },
    );
  }

  /** peek + consume: the first candidate that converts, removed from the object. */
  take<T>(paths: readonly string[], conv: Conv<T>, field: string): T | null {
    const hit = this.peek(paths, conv);
    if (!hit) return null;
    this.consume(hit.ref, field);
    return hit.value;
  }

  /** What is left, with containers emptied by taking pruned; null when nothing is left. */
  rest(): JsonObject | null {
    this.prune(this.root);
    return Object.keys(this.root).length === 0 ? null : this.root;
  }

  private prune(obj: JsonObject): void {
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      if (!isObject(v) || !this.index.has(v)) continue;
      this.prune(v);
      if (this.touched.has(v) && Object.keys(v).length === 0) {
        delete obj[k];
        this.touched.add(obj);
      }
    }
  }
}

// ---- converters -------------------------------------------------------------------------------

/** Non-empty text; "-" means absent in many loggers. Numbers and booleans become text. */
export const asStr: Conv<string> = (v) => {
  if (typeof v === 'string') return v === '' || v === '-' ? null : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return null;
};

export const asNum: Conv<number> = (v) => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return null;
};

/** A non-negative integer count (bytes); -1 and other negatives mean unknown. */
export const asCount: Conv<number> = (v) => {
  const n = asNum(v);
  return n !== null && n >= 0 && Number.isInteger(n) ? n : null;
};

export const asStatus: Conv<number> = (v) => {
  const n = asNum(v);
  return n !== null && Number.isInteger(n) && n >= 0 && n <= 999 ? n : null;
};

const IPV4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?$/;
const IPV6_BRACKET = /^\[([0-9A-Fa-f:.]+(?:%[\w.-]+)?)\](?::\d{1,5})?$/;
const IPV6 =
  /^[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%[\w.-]+)?$|^[0-9A-Fa-f:]*:\d{1,3}(?:\.\d{1,3}){3}$/;

/** An IP address, with a ":port" or "[v6]:port" suffix removed; anything else is not an IP. */
export const asIp: Conv<string> = (v) => {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  let m = IPV4.exec(t);
  if (m) return m[1]!;
  m = IPV6_BRACKET.exec(t);
  if (m) return m[1]!;
  return IPV6.test(t) ? t : null;
};

/** "1.1" → "HTTP/1.1"; anything else non-empty as given. */
export const asProtocol: Conv<string> = (v) => {
  const s = asStr(v);
  if (s === null) return null;
  return /^\d(\.\d)?$/.test(s) ? `HTTP/${s}` : s;
};

export const asMethod: Conv<string> = (v) => {
  const s = asStr(v);
  return s !== null && /^[A-Za-z][A-Za-z0-9_-]{0,31}$/.test(s) ? s.toUpperCase() : null;
};

/** Several values (arrays of roles) joined with commas. */
export const asStrOrList: Conv<string> = (v) => {
  if (Array.isArray(v)) {
    const parts = v.map(asStr).filter((x): x is string => x !== null);
    return parts.length > 0 ? parts.join(',') : null;
  }
  return asStr(v);
};

/** A time; `reading`, when given, says how the last one converted was read (parseAnyTime). */
export function asTime(tz: string, reading?: TimeReading): Conv<number> {
  return (v) => parseAnyTime(v, tz, reading);
}

export type DurationUnit = 's' | 'ms' | 'us' | 'ns';

const UNIT_TO_MS: Record<DurationUnit, number> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 };
// Two-letter units first: with `m` first, "350ms" would read as 350 minutes and a stray "s".
const GO_PART = /(\d+(?:\.\d+)?)(ms|us|µs|μs|ns|h|m|s)/gy;
const GO_UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ns: 1e-6,
};

/** "1.5s", "350ms", "1m2.5s", "120µs" (Go and Google Cloud style) → milliseconds. */
export function parseDurationText(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  GO_PART.lastIndex = 0;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = GO_PART.exec(t)) !== null) {
    total += Number(m[1]) * GO_UNIT_MS[m[2]!]!;
    pos = GO_PART.lastIndex;
  }
  return pos === t.length && pos > 0 ? total : null;
}

/** A duration in `unit` (numbers or numeric text), or text that names its own unit → ms. */
export function asDurationMs(unit: DurationUnit): Conv<number> {
  return (v) => {
    const n = asNum(v);
    if (n !== null) return n >= 0 ? roundMs(n * UNIT_TO_MS[unit]) : null;
    return typeof v === 'string' ? parseDurationText(v) : null;
  };
}

/** Floating point noise (0.017557019 s * 1000) would make equal inputs compare unequal later. */
function roundMs(ms: number): number {
  return Math.round(ms * 1e6) / 1e6;
}

/**
 * Header maps: `{Name: "v"}`, `{Name: ["v1", "v2"]}` (Go's http.Header, as Caddy writes) or a
 * HAR-style list of `{name, value}`. Names are lower-cased; repeated values are joined with
 * ", " except Cookie ("; ") and Set-Cookie (newline, as one cookie may itself hold commas).
 */
export const asHeaders: Conv<Record<string, string>> = (v) => {
  const out: Record<string, string> = {};
  let n = 0;
  const add = (name: unknown, value: unknown): void => {
    if (typeof name !== 'string' || name === '') return;
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) {
      const text =
        typeof one === 'string'
          ? one
          : one === null || one === undefined
            ? ''
            : JSON.stringify(one);
      const key = name.toLowerCase();
      const prev = Object.hasOwn(out, key) ? out[key] : undefined;
      setOwn(out, key, prev === undefined ? text : prev + headerJoiner(key) + text);
      n++;
    }
  };
  if (Array.isArray(v)) {
    for (const h of v) if (isObject(h)) add(h.name, h.value);
  } else if (isObject(v)) {
    for (const [k, val] of Object.entries(v)) add(k, val);
  } else {
    return null;
  }
  return n > 0 ? out : null;
};

export function headerJoiner(lowerName: string): string {
  if (lowerName === 'cookie') return '; ';
  if (lowerName === 'set-cookie') return '\n';
  return ', ';
}

/** Removes a header (lower-case name) from a map, returning its value. */
export function popHeader(h: Record<string, string> | null, name: string): string | null {
  if (!h || !Object.hasOwn(h, name)) return null;
  const v = h[name]!;
  delete h[name];
  return v === '' ? null : v;
}

export function headerValue(h: Record<string, string> | null, name: string): string | null {
  if (!h || !Object.hasOwn(h, name)) return null;
  const v = h[name]!;
  return v === '' ? null : v;
}
