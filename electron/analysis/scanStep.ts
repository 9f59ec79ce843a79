import { templatePath } from '../../shared/analysis/pathTemplate.js';
import {
  compileExtractor,
  issuedKeys,
  queryParamNames,
} from '../../shared/analysis/sessionKeys.js';
import { fnv1a } from '../../shared/verdicts/hash.js';
import { Interner } from './interner.js';
import { BODY_METHODS, cardNumbersIn } from './riskInputs.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';

/**
 * Everything later steps need from `requests`, read in one pass in rowid order into typed
 * arrays (one slot per request). Strings are interned; -1 means null.
 */
export interface ScanResult {
  n: number;
  requestId: Float64Array;
  ts: Float64Array;
  sourceId: Int32Array;
  lineNo: Float64Array;
  ip: Int32Array;
  ua: Int32Array;
  method: Int32Array;
  host: Int32Array;
  status: Int32Array;
  latency: Float64Array;
  size: Float64Array;
  /** Session key (parameter index + value, or the ip+ua fallback). */
  key: Int32Array;
  /** Endpoint before template merging (method, host, first-pass template). */
  rawEndpoint: Int32Array;
  user: Int32Array;
  role: Int32Array;
  /** Requests whose response issued a key later requests present: (request index, key id). */
  issued: { index: number; key: number }[];
  strings: Interner;
  keys: Interner;
  rawEndpoints: Interner;
  /** Query parameter names seen per raw endpoint (a bounded sample). */
  rawEndpointParams: Map<number, Set<string>>;
  /** source id → sha256 */
  sourceSha: Map<number, string>;
  /** Risk inputs (riskInputs.ts): raw Content-Type of body methods (string id, -1 none). */
  bodyType: Int32Array;
  /** 1 when the request carries neither cookies nor an Authorization header. */
  anonymous: Uint8Array;
  /** request index → Luhn-valid card numbers in its query (only requests with some). */
  cards: Map<number, number>;
  /** fnv1a of the path ('' for none), for the session verdicts. */
  pathHash: Uint32Array;
  /** The query text, null for none or empty (the session verdicts parse it). */
  query: (string | null)[];
}

const SEP = '\u0001';
const PARAM_SAMPLE = 50;
const CHUNK = 4000;
const HOST_ID_LIMIT = 2 ** 26;
const PARAM_NAMES_MAX = 30;
const MEMO_MAX = 200_000;

/** Length-prefixed, so the concatenation of parts is unambiguous whatever the values hold. */
function part(v: string | null): string {
  return v === null ? '!' : `${v.length}:${v}`;
}

export function keyString(param: number, value: string): string {
  return `${param}${SEP}${value}`;
}

export function fallbackKey(ip: string | null, ua: string | null): string {
  return `-1${SEP}${ip ?? ''}${SEP}${ua ?? ''}`;
}

export function splitKey(key: string): { param: number; value: string } {
  const i = key.indexOf(SEP);
  return { param: Number(key.slice(0, i)), value: key.slice(i + 1) };
}

export function rawEndpointString(method: string, host: string, template: string): string {
  return `${method}${SEP}${host}${SEP}${template}`;
}

export function splitRawEndpoint(s: string): { method: string; host: string; template: string } {
  const [method, host, template] = s.split(SEP) as [string, string, string];
  return { method, host, template };
}

function parseJsonObject(s: string | null): Record<string, string> | null {
  if (s === null || s === '') return null;
  try {
    const v: unknown = JSON.parse(s);
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, string>)
      : null;
  } catch {
    return null;
  }
}

/**
 * A header value as a single-path json_extract gives it to JS: strings as they are, objects and
 * arrays as their JSON text, anything else (numbers, booleans, null) as no text. Ingest writes
 * headers with JSON.stringify, so re-serialising a parsed object gives SQLite's text exactly.
 */
function asText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  return v !== null && typeof v === 'object' ? JSON.stringify(v) : null;
}

/**
 * The headers' values wanted by the scan, from one json_extract of all their paths (a JSON
 * array, one element per path; null when the headers are absent or not JSON): one JSON parse
 * per row in SQLite instead of one per expression.
 */
function parseExtracted(extracted: string | null): unknown[] {
  if (extracted === null) return [];
  try {
    const v: unknown = JSON.parse(extracted);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/**
 * The key parameters' header values as an object. Only string values count, except that with a
 * single wanted header its object value counts as its JSON text, as when that header alone was
 * extracted (the extraction results stay those of earlier versions).
 */
function headerValues(names: readonly string[], values: unknown[]): Record<string, string> | null {
  let out: Record<string, string> | null = null;
  names.forEach((name, k) => {
    const v = names.length === 1 ? asText(values[k]) : values[k];
    if (typeof v === 'string') (out ??= {})[name] = v;
  });
  return out;
}

/** What one distinct combination of cookies, headers (and query or columns when read) gives. */
interface Extracted {
  key: number;
  user: number;
  role: number;
  /** Content-Type as the risk inputs read it; interned only where a body method uses it. */
  contentType: string | null;
  /** An Authorization header with a non-null value. */
  authorization: boolean;
}

type Row = [
  number, // id
  number, // ts_us
  number, // source_id
  number, // line_no
  string | null, // ip
  string | null, // user_agent
  string | null, // method
  string | null, // host
  string | null, // path
  string | null, // query
  string | null, // cookies
  string | null, // wanted header values, a JSON array (see parseExtracted)
  number | null, // status
  number | null, // latency_ms
  number | null, // resp_bytes
  number, // 1 when one of the rare columns (RareRow) is set
];

/** Columns most requests leave null, read apart for the few rows that have one (RARE_SET). */
type RareRow = [
  number, // id
  string | null, // src_session
  string | null, // src_user
  string | null, // src_role
  string | null, // resp_headers
  string | null, // resp_body (JSON-looking only)
];

const RARE_SET = `NOT (src_session IS NULL AND src_user IS NULL AND src_role IS NULL
  AND resp_headers IS NULL AND resp_body IS NULL)`;
const NO_RARE: RareRow = [0, null, null, null, null, null];

export const scanStep: RebuildStep = {
  name: 'scan requests',
  order: 10,
  run(ctx: RebuildContext) {
    ctx.scan = scanRequests(ctx);
    ctx.stats.requests = ctx.scan.n;
  },
};

function scanRequests(ctx: RebuildContext): ScanResult {
  const { db } = ctx;
  const n = (db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
  const sourceSha = new Map(
    (db.prepare('SELECT id, sha256 FROM sources').all() as { id: number; sha256: string }[]).map(
      (r) => [r.id, r.sha256],
    ),
  );
  const r: ScanResult = {
    n,
    requestId: new Float64Array(n),
    ts: new Float64Array(n),
    sourceId: new Int32Array(n),
    lineNo: new Float64Array(n),
    ip: new Int32Array(n),
    ua: new Int32Array(n),
    method: new Int32Array(n),
    host: new Int32Array(n),
    status: new Int32Array(n),
    latency: new Float64Array(n),
    size: new Float64Array(n),
    key: new Int32Array(n),
    rawEndpoint: new Int32Array(n),
    user: new Int32Array(n),
    role: new Int32Array(n),
    issued: [],
    strings: new Interner(),
    keys: new Interner(),
    rawEndpoints: new Interner(),
    rawEndpointParams: new Map(),
    sourceSha,
    bodyType: new Int32Array(n),
    anonymous: new Uint8Array(n),
    cards: new Map(),
    pathHash: new Uint32Array(n),
    query: new Array<string | null>(n).fill(null),
  };
  const extract = compileExtractor(ctx.params);
  // Header names are stored lower-case as JSON keys; JWT claims come from Authorization.
  // SQLite pulls just those values out of the headers JSON, so the rest never reaches JS: the
  // key parameters' headers, then Authorization and Content-Type for the risk inputs.
  const wantedHeaders = [
    ...new Set(
      ctx.params.flatMap((p) =>
        p.kind === 'header' ? [p.name.toLowerCase()] : p.kind === 'jwt' ? ['authorization'] : [],
      ),
    ),
  ];
  const extracted = [...new Set([...wantedHeaders, 'authorization', 'content-type'])];
  const authorizationAt = extracted.indexOf('authorization');
  const contentTypeAt = extracted.indexOf('content-type');
  const headerPaths = extracted.map((h) => `$.${JSON.stringify(h)}`);
  const headerSql = `CASE WHEN headers IS NOT NULL AND json_valid(headers)
    THEN json_extract(headers, ${headerPaths.map(() => '?').join(', ')}) END`;
  // Per (method, host) pair, path → raw endpoint: no per-request key string to build.
  const templates = new Map<number, Map<string, number>>();
  const paramSamples = new Map<number, number>();
  const s = r.strings;
  const readsQuery = ctx.params.some((p) => p.kind === 'query');
  const readsColumns = ctx.params.some((p) => p.kind === 'column');
  const memo = new Map<string, Extracted>();
  // The common case, where only cookies and headers matter: looked up by the two strings as
  // they come (cookies, then headers, '' standing for none: a header extraction is never ''),
  // without building a combined key for each request.
  const byCookies = new Map<string, Map<string, Extracted>>();
  const noCookies = new Map<string, Extracted>();
  let memoSize = 0;
  // Requests with nothing to extract from (no cookies, headers, or query and columns read)
  // all give the same result: no memo key to build and look up for them.
  let plain: Extracted | undefined;
  const fallbackKeys = new Map<number, number>();
  let cachedPaths = 0;
  const endpointOf = new Map<number, Map<string, number>>();
  const stmt = db
    .prepare(
      `SELECT id, ts_us, source_id, line_no, ip, user_agent, method, host, path, query, cookies,
         ${headerSql}, status, latency_ms, resp_bytes, ${RARE_SET}
       FROM requests WHERE id > ? ORDER BY id LIMIT ${CHUNK}`,
    )
    .raw(true);
  // Five columns fewer per row in the common case (about a sixth of the statement's cost); a
  // chunk with rows that set them reads those rows' values with one range query.
  const rareStmt = db
    .prepare(
      `SELECT id, src_session, src_user, src_role, resp_headers,
         CASE WHEN resp_body LIKE '{%' THEN resp_body END
       FROM requests WHERE id >= ? AND id <= ? AND ${RARE_SET} ORDER BY id`,
    )
    .raw(true);
  let i = 0;
  let lastId = -Infinity;
  // Chunks of .all() instead of one iterate(): far fewer crossings into SQLite per row.
  for (;;) {
    ctx.cancelPoint?.();
    const chunk = stmt.all(...headerPaths, lastId) as Row[];
    if (chunk.length === 0) break;
    const firstId = chunk[0]![0];
    lastId = chunk[chunk.length - 1]![0];
    const rares = chunk.some((row) => row[15] === 1)
      ? (rareStmt.all(firstId, lastId) as RareRow[])
      : [];
    let nextRare = 0;
    for (const row of chunk) {
      if (i >= n) break;
      const [id, ts, sourceId, lineNo, ip, ua, method, host, path, query, cookies, headersJson] =
        row;
      r.requestId[i] = id;
      r.ts[i] = ts;
      r.sourceId[i] = sourceId;
      r.lineNo[i] = lineNo;
      r.ip[i] = s.idOrNull(ip);
      r.ua[i] = s.idOrNull(ua);
      // Exact while fewer than 2^26 distinct strings are interned (far beyond any case).
      if (s.size >= HOST_ID_LIMIT) throw new Error('too many distinct strings to analyse');
      const m = method ?? '-';
      const h = host ?? '';
      r.method[i] = s.id(m);
      r.host[i] = s.id(h);
      r.status[i] = row[12] ?? -1;
      r.latency[i] = row[13] ?? NaN;
      r.size[i] = row[14] ?? NaN;
      let rare = NO_RARE;
      if (row[15] === 1) {
        rare = rares[nextRare++] ?? NO_RARE;
        if (rare[0] !== id) throw new Error('requests changed during the rebuild');
      }

      // One client repeats the same cookies and headers, so the extraction is memoised on them.
      const srcSession = rare[1];
      const srcUser = rare[2];
      const srcRole = rare[3];
      const isPlain =
        cookies === null &&
        headersJson === null &&
        (!readsQuery || query === null) &&
        (!readsColumns || (srcSession === null && srcUser === null && srcRole === null));
      const twoStrings =
        !isPlain &&
        (!readsQuery || query === null) &&
        (!readsColumns || (srcSession === null && srcUser === null && srcRole === null));
      let byHeaders: Map<string, Extracted> | undefined;
      let memoKey = '';
      let got: Extracted | undefined;
      if (isPlain) got = plain;
      else if (twoStrings) {
        byHeaders = cookies === null ? noCookies : byCookies.get(cookies);
        got = byHeaders?.get(headersJson ?? '');
      } else {
        memoKey =
          part(cookies) +
          part(headersJson) +
          (readsQuery ? part(query) : '') +
          (readsColumns ? part(srcSession) + part(srcUser) + part(srcRole) : '');
        got = memo.get(memoKey);
      }
      if (got === undefined) {
        const values = parseExtracted(headersJson);
        const c = extract({
          cookies,
          headers: headerValues(wantedHeaders, values),
          query,
          srcSession,
          srcUser,
          srcRole,
        });
        got = {
          key: c.keyParam >= 0 ? r.keys.id(keyString(c.keyParam, c.keyValue!)) : -1,
          user: s.idOrNull(c.user),
          role: s.idOrNull(c.role),
          contentType: asText(values[contentTypeAt]),
          authorization: values[authorizationAt] !== undefined && values[authorizationAt] !== null,
        };
        if (isPlain) plain = got;
        else {
          if (++memoSize > MEMO_MAX) {
            memo.clear();
            byCookies.clear();
            noCookies.clear();
            memoSize = 1;
            byHeaders = cookies === null ? noCookies : undefined;
          }
          if (!twoStrings) memo.set(memoKey, got);
          else {
            if (byHeaders === undefined) byCookies.set(cookies!, (byHeaders = new Map()));
            byHeaders.set(headersJson ?? '', got);
          }
        }
      }
      let key = got.key;
      if (key < 0) {
        const pair = (r.ip[i]! + 1) * HOST_ID_LIMIT + r.ua[i]! + 1;
        key = fallbackKeys.get(pair) ?? -1;
        if (key < 0) fallbackKeys.set(pair, (key = r.keys.id(fallbackKey(ip, ua))));
      }
      r.key[i] = key;
      r.user[i] = got.user;
      r.role[i] = got.role;

      const rawPath = path ?? '';

      const mh = r.method[i]! * HOST_ID_LIMIT + r.host[i]!;
      let byPath = templates.get(mh);
      if (!byPath) templates.set(mh, (byPath = new Map()));
      let ep = byPath.get(rawPath);
      if (ep === undefined) {
        // Few templates per (method, host): looked up by the template alone, no key string.
        const template = templatePath(path);
        let byTemplate = endpointOf.get(mh);
        if (!byTemplate) endpointOf.set(mh, (byTemplate = new Map()));
        ep = byTemplate.get(template);
        if (ep === undefined) {
          ep = r.rawEndpoints.id(rawEndpointString(m, h, template));
          byTemplate.set(template, ep);
        }
        // Bounded: ids in paths make most paths distinct, and a cache of them all would be
        // a million retained strings for the garbage collector to walk.
        if (++cachedPaths > MEMO_MAX) {
          templates.clear();
          templates.set(mh, (byPath = new Map()));
          cachedPaths = 1;
        }
        byPath.set(rawPath, ep);
      }
      r.rawEndpoint[i] = ep;
      if (query) {
        const seen = paramSamples.get(ep) ?? 0;
        if (seen < PARAM_SAMPLE) {
          paramSamples.set(ep, seen + 1);
          let set = r.rawEndpointParams.get(ep);
          if (!set) r.rawEndpointParams.set(ep, (set = new Set()));
          for (const name of queryParamNames(query)) {
            if (set.size >= PARAM_NAMES_MAX) break;
            set.add(name);
          }
        }
      }

      const ct = got.contentType;
      r.bodyType[i] = ct !== null && method !== null && BODY_METHODS.has(method) ? s.id(ct) : -1;
      r.anonymous[i] = cookies === null && !got.authorization ? 1 : 0;
      r.pathHash[i] = fnv1a(rawPath);
      r.query[i] = query === '' ? null : query;
      const cards = cardNumbersIn(query);
      if (cards > 0) r.cards.set(i, cards);

      const respHeaders = rare[4];
      const respBody = rare[5];
      if (respHeaders !== null || respBody !== null) {
        for (const k of issuedKeys(ctx.params, parseJsonObject(respHeaders), respBody)) {
          r.issued.push({ index: i, key: r.keys.id(keyString(k.keyParam, k.keyValue)) });
        }
      }
      i++;
    }
  }
  if (i !== n) throw new Error(`requests changed during the rebuild (${i} of ${n} read)`);
  return r;
}
