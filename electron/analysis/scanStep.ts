import { templatePath } from '../../shared/analysis/pathTemplate.js';
import {
  compileExtractor,
  issuedKeys,
  queryParamNames,
} from '../../shared/analysis/sessionKeys.js';
import { Interner } from './interner.js';
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
}

const SEP = '\u0001';
const PARAM_SAMPLE = 50;
const CHUNK = 20_000;
const HOST_ID_LIMIT = 2 ** 26;
const PARAM_NAMES_MAX = 30;

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
  const stmt = db
    .prepare(
      `SELECT id, ts_us, source_id, line_no, ip, user_agent, method, host, path, query, cookies,
         ${headerSql}, src_session, src_user, src_role, status, latency_ms, resp_bytes, resp_headers,
         CASE WHEN resp_body LIKE '{%' THEN resp_body END
       FROM requests WHERE id > ? ORDER BY id LIMIT ${CHUNK}`,
    )
    .raw(true);
  let i = 0;
  let lastId = -Infinity;
  // Chunks of .all() instead of one iterate(): far fewer crossings into SQLite per row.
  for (;;) {
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
      const m = method ?? '-';
      const h = host ?? '';
      r.method[i] = s.id(m);
      r.host[i] = s.id(h);
      r.status[i] = row[15] ?? -1;
      r.latency[i] = row[16] ?? NaN;
      r.size[i] = row[17] ?? NaN;

      const headers = headerValues(wantedHeaders, headersJson);
      const c = extract({
        cookies,
        headers,
        query,
        srcSession: row[12],
        srcUser: row[13],
        srcRole: row[14],
      });
      r.key[i] = r.keys.id(
        c.keyParam >= 0 ? keyString(c.keyParam, c.keyValue!) : fallbackKey(ip, ua),
      );
      r.user[i] = s.idOrNull(c.user);
      r.role[i] = s.idOrNull(c.role);

      const rawPath = path ?? '';
      // Exact while fewer than 2^26 distinct strings are interned (far beyond any case).
      if (r.host[i]! >= HOST_ID_LIMIT) throw new Error('too many distinct strings to analyse');
      const mh = r.method[i]! * HOST_ID_LIMIT + r.host[i]!;
      let byPath = templates.get(mh);
      if (!byPath) templates.set(mh, (byPath = new Map()));
      let ep = byPath.get(rawPath);
      if (ep === undefined) {
        ep = r.rawEndpoints.id(rawEndpointString(m, h, templatePath(path)));
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
