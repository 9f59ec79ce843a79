import { templatePath } from '../../shared/analysis/pathTemplate.js';
import type { ContextParam } from '../../shared/analysis/settings.js';
import { fnv1a } from '../../shared/verdicts/hash.js';
import type { CaseDb } from '../store/openCase.js';
import { Interner } from './interner.js';
import { sharedArray } from './sharedArrays.js';
import { BODY_METHODS, cardNumbersIn } from './riskInputs.js';
import {
  addIssued,
  extractRequest,
  headerPlan,
  NO_RARE,
  PARAM_SAMPLE,
  parseExtracted,
  RARE_SET,
  rareStatement,
  RawEndpoints,
  scanExtractor,
  sampleParams,
  type Extracted,
} from './scanExtract.js';
import { fallbackKey, type IssuedAt, type ScanColumns } from './scanResult.js';
import { StringKeyMap } from '../../shared/collections/stringKeyMap.js';

export { PARAM_SAMPLE };
const CHUNK = 4000;
export const HOST_ID_LIMIT = 2 ** 26;
export const MEMO_MAX = 200_000;

/** Requests with ids in (after, upTo], of which there must be exactly `count`. */
export interface ScanRange {
  after: number;
  upTo: number;
  count: number;
}

/**
 * The scan of one range of requests: its columns from slot 0 (arrays may be longer), its own
 * interners, and the query parameter names of the first PARAM_SAMPLE queries per raw endpoint.
 * Interned ids follow the order of first appearance in the range, so scans of consecutive
 * ranges join into exactly the scan of their union (scanJoin.ts).
 */
export interface ScanPart extends ScanColumns {
  n: number;
  strings: Interner;
  keys: Interner;
  rawEndpoints: Interner;
  issued: IssuedAt[];
  paramSamples: Map<number, string[][]>;
  cards: Map<number, number>;
  query: (string | null)[];
}

/** Length-prefixed, so the concatenation of parts is unambiguous whatever the values hold. */
function part(v: string | null): string {
  return v === null ? '!' : `${v.length}:${v}`;
}

/** A part of `capacity` slots; its columns in shared memory (sharedArrays.ts). */
export function emptyPart(capacity: number): ScanPart {
  return {
    n: 0,
    requestId: sharedArray(Float64Array, capacity),
    ts: sharedArray(Float64Array, capacity),
    sourceId: sharedArray(Int32Array, capacity),
    lineNo: sharedArray(Float64Array, capacity),
    ip: sharedArray(Int32Array, capacity),
    ua: sharedArray(Int32Array, capacity),
    method: sharedArray(Int32Array, capacity),
    host: sharedArray(Int32Array, capacity),
    status: sharedArray(Int32Array, capacity),
    latency: sharedArray(Float64Array, capacity),
    size: sharedArray(Float64Array, capacity),
    key: sharedArray(Int32Array, capacity),
    rawEndpoint: sharedArray(Int32Array, capacity),
    user: sharedArray(Int32Array, capacity),
    role: sharedArray(Int32Array, capacity),
    bodyType: sharedArray(Int32Array, capacity),
    anonymous: sharedArray(Uint8Array, capacity),
    pathHash: sharedArray(Uint32Array, capacity),
    strings: new Interner(),
    keys: new Interner(),
    rawEndpoints: new Interner(),
    issued: [],
    paramSamples: new Map(),
    cards: new Map(),
    query: new Array<string | null>(capacity).fill(null),
  };
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

/**
 * Reads the requests of `range` in rowid order into a part of `capacity` slots (at least
 * range.count). Throws when the range does not hold exactly range.count requests.
 */
export function scanRows(
  db: CaseDb,
  params: readonly ContextParam[],
  range: ScanRange,
  capacity = range.count,
  cancelPoint?: () => void,
): ScanPart {
  const r = emptyPart(capacity);
  const n = range.count;
  const extract = scanExtractor(db, params);
  // SQLite pulls just the headers the scan reads out of the headers JSON, so the rest never
  // reaches JS: the key parameters' headers, then Authorization and Content-Type for the risk
  // inputs.
  const plan = headerPlan(params);
  const headerPaths = plan.extracted.map((h) => `$.${JSON.stringify(h)}`);
  const headerSql = `CASE WHEN headers IS NOT NULL AND json_valid(headers)
    THEN json_extract(headers, ${headerPaths.map(() => '?').join(', ')}) END`;
  // Per (method, host) pair, path → raw endpoint: no per-request key string to build.
  const templates = new Map<number, Map<string, number>>();
  const s = r.strings;
  const readsQuery = params.some((p) => p.kind === 'query');
  const readsColumns = params.some((p) => p.kind === 'column');
  const memo = new StringKeyMap<Extracted>();
  // The common case, where only cookies and headers matter: looked up by the two strings as
  // they come (cookies, then headers, '' standing for none: a header extraction is never ''),
  // without building a combined key for each request.
  const byCookies = new StringKeyMap<StringKeyMap<Extracted>>();
  const noCookies = new StringKeyMap<Extracted>();
  let memoSize = 0;
  // Requests with nothing to extract from (no cookies, headers, or query and columns read)
  // all give the same result: no memo key to build and look up for them.
  let plain: Extracted | undefined;
  const fallbackKeys = new Map<number, number>();
  let cachedPaths = 0;
  const endpoints = new RawEndpoints(r.rawEndpoints);
  const stmt = db
    .prepare(
      `SELECT id, ts_us, source_id, line_no, ip, user_agent, method, host, path, query, cookies,
         ${headerSql}, status, latency_ms, resp_bytes, ${RARE_SET}
       FROM requests WHERE id > ? AND id <= ? ORDER BY id LIMIT ${CHUNK}`,
    )
    .raw(true);
  // Five columns fewer per row in the common case (about a sixth of the statement's cost); a
  // chunk with rows that set them reads those rows' values with one range query.
  const rareRows = rareStatement(db);
  let i = 0;
  let lastId = range.after;
  // Chunks of .all() instead of one iterate(): far fewer crossings into SQLite per row.
  for (;;) {
    cancelPoint?.();
    const chunk = stmt.all(...headerPaths, lastId, range.upTo) as Row[];
    if (chunk.length === 0) break;
    const firstId = chunk[0]![0];
    lastId = chunk[chunk.length - 1]![0];
    const rares = chunk.some((row) => row[15] === 1) ? rareRows(firstId, lastId) : [];
    let nextRare = 0;
    for (const row of chunk) {
      if (i >= range.count) throw new Error('requests changed during the rebuild');
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
      let byHeaders: StringKeyMap<Extracted> | undefined;
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
        got = extractRequest(
          extract,
          plan,
          parseExtracted(headersJson),
          { cookies, query, srcSession, srcUser, srcRole },
          r.keys,
          s,
        );
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
            if (byHeaders === undefined) byCookies.set(cookies!, (byHeaders = new StringKeyMap()));
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
        ep = endpoints.of(mh, templatePath(path), m, h);
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
      if (query) sampleParams(r.paramSamples, ep, query);

      const ct = got.contentType;
      r.bodyType[i] = ct !== null && method !== null && BODY_METHODS.has(method) ? s.id(ct) : -1;
      r.anonymous[i] = cookies === null && !got.authorization ? 1 : 0;
      r.pathHash[i] = fnv1a(rawPath);
      r.query[i] = query === '' ? null : query;
      const cards = cardNumbersIn(query);
      if (cards > 0) r.cards.set(i, cards);

      addIssued(r.issued, r.keys, params, i, rare[4], rare[5]);
      i++;
    }
  }
  if (i !== n) throw new Error(`requests changed during the rebuild (${i} of ${n} read)`);
  r.n = n;
  return r;
}
