import { templatePath } from '../../shared/analysis/pathTemplate.js';
import {
  compileExtractor,
  issuedKeys,
  queryParamNames,
} from '../../shared/analysis/sessionKeys.js';
import { Interner } from './interner.js';
import {
  AUTHORIZATION_SQL,
  BODY_METHODS_SQL,
  CONTENT_TYPE_SQL,
  cardNumbersIn,
} from './riskInputs.js';
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
 * The wanted headers' values as an object. With one path json_extract returns the value itself,
 * with several a JSON array of them.
 */
function headerValues(names: string[], extracted: string | null): Record<string, string> | null {
  if (extracted === null) return null;
  let values: unknown[];
  if (names.length === 1) values = [extracted];
  else {
    try {
      const v: unknown = JSON.parse(extracted);
      if (!Array.isArray(v)) return null;
      values = v;
    } catch {
      return null;
    }
  }
  let out: Record<string, string> | null = null;
  names.forEach((name, k) => {
    const v = values[k];
    if (typeof v === 'string') (out ??= {})[name] = v;
  });
  return out;
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
  string | null, // wanted header values (see headerValues)
  string | null, // src_session
  string | null, // src_user
  string | null, // src_role
  number | null, // status
  number | null, // latency_ms
  number | null, // resp_bytes
  string | null, // resp_headers
  string | null, // resp_body (JSON-looking only)
  unknown, // Content-Type of POST/PUT/PATCH/DELETE (as json_extract gives it)
  number, // 1: no cookies and no Authorization
];

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
  };
  const extract = compileExtractor(ctx.params);
  // Header names are stored lower-case as JSON keys; JWT claims come from Authorization.
  // SQLite pulls just those values out of the headers JSON, so the rest never reaches JS.
  const wantedHeaders = [
    ...new Set(
      ctx.params.flatMap((p) =>
        p.kind === 'header' ? [p.name.toLowerCase()] : p.kind === 'jwt' ? ['authorization'] : [],
      ),
    ),
  ];
  const headerPaths = wantedHeaders.map((h) => `$.${JSON.stringify(h)}`);
  const headerSql =
    wantedHeaders.length === 0
      ? 'NULL'
      : `CASE WHEN headers IS NOT NULL AND json_valid(headers)
          THEN json_extract(headers, ${headerPaths.map(() => '?').join(', ')}) END`;
  // Per (method, host) pair, path → raw endpoint: no per-request key string to build.
  const templates = new Map<number, Map<string, number>>();
  const paramSamples = new Map<number, number>();
  const s = r.strings;
  const readsQuery = ctx.params.some((p) => p.kind === 'query');
  const readsColumns = ctx.params.some((p) => p.kind === 'column');
  const memo = new Map<string, [key: number, user: number, role: number]>();
  const fallbackKeys = new Map<number, number>();
  let cachedPaths = 0;
  const endpointOf = new Map<number, Map<string, number>>();
  const stmt = db
    .prepare(
      `SELECT id, ts_us, source_id, line_no, ip, user_agent, method, host, path, query, cookies,
         ${headerSql}, src_session, src_user, src_role, status, latency_ms, resp_bytes, resp_headers,
         CASE WHEN resp_body LIKE '{%' THEN resp_body END,
         CASE WHEN method IN (${BODY_METHODS_SQL}) THEN ${CONTENT_TYPE_SQL('headers')} END,
         cookies IS NULL AND ${AUTHORIZATION_SQL('headers')} IS NULL
       FROM requests WHERE id > ? ORDER BY id LIMIT ${CHUNK}`,
    )
    .raw(true);
  let i = 0;
  let lastId = -Infinity;
  // Chunks of .all() instead of one iterate(): far fewer crossings into SQLite per row.
  for (;;) {
    ctx.cancelPoint?.();
    const chunk = stmt.all(...headerPaths, lastId) as Row[];
    if (chunk.length === 0) break;
    lastId = chunk[chunk.length - 1]![0];
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
      r.status[i] = row[15] ?? -1;
      r.latency[i] = row[16] ?? NaN;
      r.size[i] = row[17] ?? NaN;

      // One client repeats the same cookies and headers, so the extraction is memoised on them.
      const memoKey =
        part(cookies) +
        part(headersJson) +
        (readsQuery ? part(query) : '') +
        (readsColumns ? part(row[12]) + part(row[13]) + part(row[14]) : '');
      let got = memo.get(memoKey);
      if (got === undefined) {
        const c = extract({
          cookies,
          headers: headerValues(wantedHeaders, headersJson),
          query,
          srcSession: row[12],
          srcUser: row[13],
          srcRole: row[14],
        });
        got = [
          c.keyParam >= 0 ? r.keys.id(keyString(c.keyParam, c.keyValue!)) : -1,
          s.idOrNull(c.user),
          s.idOrNull(c.role),
        ];
        if (memo.size >= MEMO_MAX) memo.clear();
        memo.set(memoKey, got);
      }
      let key = got[0];
      if (key < 0) {
        const pair = (r.ip[i]! + 1) * HOST_ID_LIMIT + r.ua[i]! + 1;
        key = fallbackKeys.get(pair) ?? -1;
        if (key < 0) fallbackKeys.set(pair, (key = r.keys.id(fallbackKey(ip, ua))));
      }
      r.key[i] = key;
      r.user[i] = got[1];
      r.role[i] = got[2];

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

      const ct = row[20];
      r.bodyType[i] = typeof ct === 'string' ? s.id(ct) : -1;
      r.anonymous[i] = row[21];
      const cards = cardNumbersIn(query);
      if (cards > 0) r.cards.set(i, cards);

      const respHeaders = row[18];
      const respBody = row[19];
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
