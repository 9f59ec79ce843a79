import { C, charMask } from './charMask.js';
import { decodeLayers, foldAscii } from './decode.js';
import { KeywordMatcher } from './keywords.js';
import { jsonLeaves, looksLikeForm, splitPairs, tryParseJson } from './params.js';
import { RULES, type Rule, type RuleContext } from './rules/index.js';
import {
  FRAGMENT_MAX,
  LOCATIONS,
  type DecodeFlag,
  type DecodeNote,
  type DetectInput,
  type DetectResult,
  type Detection,
  type Location,
  type Part,
} from './types.js';

/** Longest text read per unit; hostile input must not make detection unbounded. */
export const LIMITS: Readonly<Record<Location | 'name', number>> = {
  path: 4096,
  query: 4096,
  body: 65536,
  cookie: 4096,
  header: 4096,
  ua: 1024,
  response: 65536,
  name: 256,
};

/** Headers that carry no user-chosen text, or that are read as their own location. */
const SKIPPED_HEADERS = new Set([
  'host',
  'user-agent',
  'cookie',
  'content-length',
  'accept',
  'accept-encoding',
  'accept-language',
  'accept-charset',
  'connection',
  'cache-control',
  'pragma',
  'if-modified-since',
  'if-none-match',
  'upgrade-insecure-requests',
  'dnt',
  'te',
  'keep-alive',
]);

const PARAM_LABEL_MAX = 200;
const NO_FLAGS: readonly DecodeFlag[] = [];
/**
 * Verdicts kept per kind of text that repeats across a log (user agents, referers, encoded
 * paths); a full cache starts over, which bounds memory whatever the log holds. Texts judged
 * in one pass (plain paths, query and cookie values, header values) are not cached: a lookup
 * hashes the whole text, so a miss costs about what judging it does, and measured on the
 * bench traffic (ids in paths, a token per client) caching them made detection slower.
 */
const VERDICT_CACHE_MAX = 8192;
/** Longer texts are seldom repeated: judged every time rather than kept. */
const VERDICT_KEY_MAX = 2048;

interface Verdict {
  detections: Detection[];
  notes: DecodeNote[];
}

/** The verdict of most texts, shared rather than allocated per text. */
const CLEAN: Verdict = { detections: [], notes: [] };

type CacheKind = 'path' | 'ua' | 'referer';

/** The rules that read one kind of text (a location's values or its names). */
interface RuleSet {
  rules: readonly Rule[];
  /** Union of the rules' triggers: a text with none of these characters is skipped whole. */
  triggers: number;
  /** One case-insensitive search for every keyword of the keyword rules, per basis. */
  gateDecoded: KeywordMatcher | null;
  gateRaw: KeywordMatcher | null;
  /** Indices of the rules a (decoded mask, raw mask) pair can trigger; few pairs recur. */
  byMask: Map<number, readonly number[]>;
}

const MASK_CACHE_MAX = 4096;

function candidates(set: RuleSet, decodedMask: number, rawMask: number): readonly number[] {
  const key = (decodedMask & 0xffff) * 0x10000 + (rawMask & 0xffff);
  let list = set.byMask.get(key);
  if (list === undefined) {
    const found: number[] = [];
    for (let i = 0; i < set.rules.length; i++) {
      const r = set.rules[i]!;
      if (((r.basis === 'raw' ? rawMask : decodedMask) & r.trigger) !== 0) found.push(i);
    }
    if (set.byMask.size >= MASK_CACHE_MAX) set.byMask.clear();
    set.byMask.set(key, found);
    list = found;
  }
  return list;
}

function buildSet(rules: readonly Rule[]): RuleSet {
  const gate = (basis: 'raw' | 'decoded'): KeywordMatcher | null => {
    const words = rules.flatMap((r, i) =>
      (r.basis ?? 'decoded') === basis ? (r.keywords ?? []).map((k) => [k, i] as const) : [],
    );
    return words.length === 0 ? null : new KeywordMatcher(words);
  };
  return {
    rules,
    triggers: rules.reduce((m, r) => m | r.trigger, 0),
    gateDecoded: gate('decoded'),
    gateRaw: gate('raw'),
    byMask: new Map(),
  };
}

/** One request being scanned: where findings go, and the lazily computed context. */
class Scan implements RuleContext {
  readonly detections: Detection[] = [];
  readonly notes: DecodeNote[] = [];
  private hostValue: string | null | undefined;
  constructor(private readonly hostRaw: string | null) {}

  get host(): string | null {
    if (this.hostValue === undefined) this.hostValue = normHost(this.hostRaw);
    return this.hostValue;
  }

  push(d: Detection): void {
    for (const x of this.detections) {
      if (
        x.ruleId === d.ruleId &&
        x.location === d.location &&
        x.param === d.param &&
        x.part === d.part
      )
        return;
    }
    this.detections.push(d);
  }

  note(location: Location, param: string | null, flag: DecodeFlag): void {
    for (const n of this.notes)
      if (n.location === location && n.param === param && n.flag === flag) return;
    this.notes.push({ location, param, flag });
  }
}

/** A parameter name, decoded only when a finding needs its label. */
class ParamName {
  private labelValue: string | null = null;
  constructor(
    readonly raw: string,
    private readonly plusAsSpace: boolean,
  ) {}

  get label(): string {
    this.labelValue ??= decodeLayers(this.raw, {
      plusAsSpace: this.plusAsSpace,
      maxLength: LIMITS.name,
    }).text.slice(0, PARAM_LABEL_MAX);
    return this.labelValue;
  }
}

type Param = ParamName | string | null;

function labelOf(p: Param): string | null {
  return p === null || typeof p === 'string' ? p : p.label;
}

/**
 * Runs every rule over the decoded parts of a request. Deterministic: the same input gives
 * the same detections in the same order (location, parameter, rule). Never throws on input.
 */
export class Detector {
  private readonly sets = {} as Record<Location, Record<Part, RuleSet>>;
  /** Whole-text verdicts for texts that repeat across a log. */
  private readonly caches: Record<CacheKind, Map<string, Verdict>> = {
    path: new Map(),
    ua: new Map(),
    referer: new Map(),
  };
  /** Verdicts of header objects, by identity (weak: they go with the caller's objects). */
  private readonly headerVerdicts = new WeakMap<
    Readonly<Record<string, string>>,
    { host: string | null; verdict: Verdict }
  >();
  /** Per rule index of a rule set: the stamp of the last text whose keywords named it. */
  private readonly flags: Uint32Array;
  private stamp = 0;

  constructor(readonly rules: readonly Rule[] = RULES) {
    for (const loc of LOCATIONS) {
      const forPart = (part: Part): RuleSet =>
        buildSet(
          rules.filter((r) => r.locations.includes(loc) && (r.parts ?? ['value']).includes(part)),
        );
      this.sets[loc] = { name: forPart('name'), value: forPart('value') };
    }
    this.flags = new Uint32Array(Math.max(1, rules.length));
    // Path and user-agent verdicts are cached by text alone, so they must not depend on the host.
    for (const r of rules) {
      if (r.check && (r.locations.includes('path') || r.locations.includes('ua')))
        throw new Error(`rule ${r.id}: a host-dependent check cannot read path or ua`);
    }
  }

  private set(location: Location, part: Part): RuleSet {
    return this.sets[location][part];
  }

  private nextStamp(): number {
    this.stamp = this.stamp >= 0xfffffff0 ? 1 : this.stamp + 1;
    if (this.stamp === 1) this.flags.fill(0);
    return this.stamp;
  }

  detect(input: DetectInput): DetectResult {
    const scan = new Scan(input.host ?? input.headers?.['host'] ?? null);
    const path = input.path;
    if (path) {
      const values = this.set('path', 'value');
      // Only an encoded path costs decoding; plain ones (ids in them) rarely repeat.
      if (path.includes('%')) {
        this.cached(scan, 'path', path, (local) =>
          this.scanText(local, values, 'path', 'value', null, path, false),
        );
      } else this.scanText(scan, values, 'path', 'value', null, path, false);
    }
    if (input.query) this.scanPairs(scan, 'query', input.query, '&', true);
    if (input.body) this.scanBody(scan, input.body, input.headers?.['content-type'] ?? null);
    if (input.cookies) this.scanPairs(scan, 'cookie', input.cookies, ';', false);
    this.scanHeaders(scan, input);
    const ua = input.userAgent;
    if (ua) {
      const values = this.set('ua', 'value');
      this.cached(scan, 'ua', ua, (local) =>
        this.scanText(local, values, 'ua', 'value', null, ua, false),
      );
    }
    if (input.respBody) {
      this.scanText(
        scan,
        this.set('response', 'value'),
        'response',
        'value',
        null,
        input.respBody,
        false,
      );
    }
    return { detections: scan.detections, notes: scan.notes };
  }

  private scanPairs(
    scan: Scan,
    location: Location,
    text: string,
    sep: string,
    plusAsSpace: boolean,
  ): void {
    const { pairs, truncated } = splitPairs(text.slice(0, LIMITS.body), sep);
    if (truncated || text.length > LIMITS.body) scan.note(location, null, 'truncated');
    const names = this.set(location, 'name');
    const values = this.set(location, 'value');
    for (const p of pairs) {
      const name = p.name === null ? null : new ParamName(p.name, plusAsSpace);
      if (name !== null) this.scanText(scan, names, location, 'name', name, name.raw, plusAsSpace);
      if (p.value !== '')
        this.scanText(scan, values, location, 'value', name, p.value, plusAsSpace);
    }
  }

  private scanBody(scan: Scan, body: string, contentType: string | null): void {
    const head = body.trimStart();
    if ((head.startsWith('{') || head.startsWith('[')) && body.length <= LIMITS.body) {
      const parsed = tryParseJson(body);
      if (parsed.ok) {
        const { leaves, truncated } = jsonLeaves(parsed.value);
        if (truncated) scan.note('body', null, 'truncated');
        const names = this.set('body', 'name');
        const values = this.set('body', 'value');
        for (const leaf of leaves) {
          this.scanText(scan, names, 'body', 'name', leaf.name, leaf.name, false);
          if (leaf.value !== null && leaf.value !== '')
            this.scanText(scan, values, 'body', 'value', leaf.name, leaf.value, false);
        }
        return;
      }
    }
    if (looksLikeForm(body, contentType)) {
      this.scanPairs(scan, 'body', body, '&', true);
      return;
    }
    this.scanText(scan, this.set('body', 'value'), 'body', 'value', null, body, false);
  }

  private scanHeaders(scan: Scan, input: DetectInput): void {
    const headers = input.headers ?? {};
    const names = this.set('header', 'name');
    const values = this.set('header', 'value');
    if (input.headers) {
      // Callers hand the same (read-only) object for a repeated header set, so its verdict is
      // found by identity: no hashing. Kept per host, which a rule's last check may read.
      const host = scan.host;
      const seen = this.headerVerdicts.get(headers);
      let verdict: Verdict;
      if (seen !== undefined && seen.host === host) verdict = seen.verdict;
      else {
        const local = new Scan(host);
        for (const name of Object.keys(headers)) {
          const value = headers[name];
          if (SKIPPED_HEADERS.has(name) || typeof value !== 'string') continue;
          this.scanText(local, names, 'header', 'name', name, name, false);
          if (value !== '') this.scanText(local, values, 'header', 'value', name, value, false);
        }
        verdict = verdictOf(local);
        this.headerVerdicts.set(headers, { host, verdict });
      }
      replay(scan, verdict);
    }
    const referer = input.referer;
    if (referer && headers['referer'] === undefined) {
      // Keyed with the host: a rule's last check may compare a URL with it.
      const key = withHost(scan, referer);
      this.cached(scan, 'referer', key, (local) =>
        this.scanText(local, values, 'header', 'value', 'referer', referer, false),
      );
    }
  }

  /**
   * Findings of one text, judged once per distinct key (bounded cache): `judge` scans it into
   * a request of its own, whose findings and notes are then added to `scan` in their order.
   * Adding through push/note drops what the request already holds, exactly as scanning into
   * `scan` directly would, so the result does not depend on what the cache held.
   */
  private cached(scan: Scan, kind: CacheKind, key: string, judge: (local: Scan) => void): void {
    if (key.length > VERDICT_KEY_MAX) {
      judge(scan);
      return;
    }
    const cache = this.caches[kind];
    let hit = cache.get(key);
    if (hit === undefined) {
      const local = new Scan(scan.host);
      judge(local);
      hit = verdictOf(local);
      if (cache.size >= VERDICT_CACHE_MAX) cache.clear();
      cache.set(key, hit);
    }
    replay(scan, hit);
  }

  /** The hot path: most texts leave after one character scan and at most one gate search. */
  private scanText(
    scan: Scan,
    set: RuleSet,
    location: Location,
    part: Part,
    param: Param,
    input: string,
    plusAsSpace: boolean,
  ): void {
    if (set.rules.length === 0) return;
    const maxLength = part === 'name' ? LIMITS.name : LIMITS[location];
    const rawMask = charMask(input.length > maxLength ? input.slice(0, maxLength) : input);
    // Plain text (letters, digits, non-ASCII) can neither hide an encoding nor hold syntax.
    if (rawMask === 0) {
      if (input.length > maxLength) scan.note(location, labelOf(param), 'truncated');
      return;
    }
    if ((rawMask & set.triggers) === 0 && (rawMask & (C.PCT | C.DECODABLE)) === 0) return;
    const d =
      (rawMask & (C.PCT | C.DECODABLE)) === 0 && input.length <= maxLength
        ? { text: input, raw: input, changed: false, flags: NO_FLAGS }
        : decodeLayers(input, { plusAsSpace, maxLength });
    for (const f of d.flags) scan.note(location, labelOf(param), f);
    const decodedMask = d.changed ? charMask(d.text) : rawMask;
    if (((decodedMask | rawMask) & set.triggers) === 0) return;
    let decodedStamp = 0;
    let rawStamp = 0;
    let folded: string | undefined;
    let rawFolded: string | undefined;
    for (const i of candidates(set, decodedMask, rawMask)) {
      const rule = set.rules[i]!;
      const useRaw = rule.basis === 'raw';
      const source = useRaw ? d.raw : d.text;
      if (rule.keywords) {
        // One pass marks every keyword rule whose keywords occur; a fresh stamp per text
        // spares clearing the flags.
        if (useRaw) {
          if (rawStamp === 0) {
            rawStamp = this.nextStamp();
            if (set.gateRaw !== null) set.gateRaw.mark(source, this.flags, rawStamp);
          }
          if (this.flags[i] !== rawStamp) continue;
        } else {
          if (decodedStamp === 0) {
            decodedStamp = this.nextStamp();
            if (set.gateDecoded !== null) set.gateDecoded.mark(source, this.flags, decodedStamp);
          }
          if (this.flags[i] !== decodedStamp) continue;
        }
      }
      if (rule.paramName) {
        const label = labelOf(param);
        if (label === null || !rule.paramName.test(label.toLowerCase())) continue;
      }
      const text = useRaw
        ? (rawFolded ??= foldAscii(d.raw))
        : (folded ??= d.changed ? foldAscii(d.text) : (rawFolded ??= foldAscii(d.raw)));
      const m = rule.pattern.exec(text);
      if (!m || (rule.check && !rule.check(m, scan))) continue;
      const basis = useRaw || !d.changed ? 'raw' : 'decoded';
      const start = m.index;
      const end = m.index + m[0].length;
      scan.push({
        type: rule.type,
        ruleId: rule.id,
        location,
        param: labelOf(param),
        part,
        start,
        end,
        basis,
        fragment: source.slice(start, Math.min(end, start + FRAGMENT_MAX)),
      });
    }
  }
}

function verdictOf(local: Scan): Verdict {
  return local.detections.length === 0 && local.notes.length === 0
    ? CLEAN
    : { detections: local.detections, notes: local.notes };
}

/** Adds a stored verdict to a request; copies, so no caller can alter what the cache holds. */
function replay(scan: Scan, v: Verdict): void {
  if (v === CLEAN) return;
  for (const d of v.detections) scan.push({ ...d });
  for (const n of v.notes) scan.note(n.location, n.param, n.flag);
}

/** Host and text in one key; the length prefix keeps any two pairs apart (hosts are hostile). */
function withHost(scan: Scan, text: string): string {
  const host = scan.host ?? '';
  return `${host.length}:${host}${text}`;
}

function normHost(host: string | null): string | null {
  if (!host) return null;
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1) || null;
  const colon = h.indexOf(':');
  return (colon >= 0 ? h.slice(0, colon) : h) || null;
}

let shared: Detector | null = null;

/** Detections for one request with the built-in rules. */
export function detectRequest(input: DetectInput): DetectResult {
  shared ??= new Detector();
  return shared.detect(input);
}
