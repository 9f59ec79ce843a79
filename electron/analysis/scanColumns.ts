import { templatePath } from '../../shared/analysis/pathTemplate.js';
import type { ContextParam } from '../../shared/analysis/settings.js';
import { fnv1a } from '../../shared/verdicts/hash.js';
import type { CaseDb } from '../store/openCase.js';
import { COLUMNS_FORMAT, COLUMN_STRINGS, decodeChunk } from '../store/requestColumns.js';
import { BODY_METHODS, cardNumbersIn } from './riskInputs.js';
import {
  addIssued,
  extractHeaders,
  extractRequest,
  headerPlan,
  NO_RARE,
  rareStatement,
  RawEndpoints,
  scanExtractor,
  sampleParams,
  type Extracted,
} from './scanExtract.js';
import { fallbackKey } from './scanResult.js';
import { emptyPart, HOST_ID_LIMIT, MEMO_MAX, type ScanPart, type ScanRange } from './scanRows.js';
import { StringKeyMap } from '../../shared/collections/stringKeyMap.js';

/*
 * The scan from request_columns (requestColumns.ts) instead of `requests`: the same part, value
 * for value and in the same order of first appearance, as scanRows over the same requests
 * (scanColumns.test.ts), with the per-string work done once per distinct string of a source.
 */

/** request_columns does not describe the requests as they are: the scan reads `requests`. */
export class ColumnsMismatch extends Error {}

interface ChunkRef {
  /** The request_columns row (unread when `data` is given). */
  rowid: number;
  /** The chunk's `data`, when it is in memory (built by this scan: scanBuild.ts). */
  data?: Uint8Array;
  sourceId: number;
  firstId: number;
  count: number;
}

/** Where the string columns are in a chunk's `strings` (COLUMN_STRINGS order). */
const IP = COLUMN_STRINGS.indexOf('ip');
const UA = COLUMN_STRINGS.indexOf('user_agent');
const METHOD = COLUMN_STRINGS.indexOf('method');
const HOST = COLUMN_STRINGS.indexOf('host');
const PATH = COLUMN_STRINGS.indexOf('path');
const QUERY = COLUMN_STRINGS.indexOf('query');
const COOKIES = COLUMN_STRINGS.indexOf('cookies');
const HEADERS = COLUMN_STRINGS.indexOf('headers');

/**
 * The chunks in id order and each source's dictionary, when request_columns covers exactly
 * the `n` requests there are (chunks of the current format, no two overlapping, as many
 * requests as `requests` holds); null otherwise.
 */
export function columnsCovering(
  db: CaseDb,
  n: number,
  opts: { strings?: boolean } = {},
): { chunks: ChunkRef[]; dictionaries: Map<number, string[]> } | null {
  // Without the strings (a reader of the numbers alone), the dictionaries stay empty.
  const strings = opts.strings ?? true;
  if (n === 0) return null;
  const sum = db
    .prepare(
      `SELECT count(*) AS chunks, coalesce(sum(count), 0) AS requests,
         coalesce(min(format = ${COLUMNS_FORMAT}), 0) AS current FROM request_columns`,
    )
    .get() as { chunks: number; requests: number; current: number };
  if (sum.requests !== n || sum.current !== 1) return null;
  const chunks: ChunkRef[] = [];
  const dictionaries = new Map<number, string[]>();
  let end = -Infinity;
  for (const row of db
    .prepare(
      `SELECT id, source_id, first_id, count, ${strings ? 'strings' : "'[]'"}
       FROM request_columns ORDER BY first_id`,
    )
    .raw(true)
    .iterate() as IterableIterator<[number, number, number, number, string]>) {
    const [rowid, sourceId, firstId, count, text] = row;
    if (firstId < end || count <= 0) return null;
    end = firstId + count;
    chunks.push({ rowid, sourceId, firstId, count });
    const added = JSON.parse(text) as string[];
    const dict = dictionaries.get(sourceId);
    if (dict === undefined) dictionaries.set(sourceId, added);
    else for (const v of added) dict.push(v);
  }
  return { chunks, dictionaries };
}

/** Per source: what its dictionary's strings gave, computed once per string. */
interface SourceCache {
  dict: string[];
  /** Dictionary id → strings-interner id (-2: not yet). */
  interned: Int32Array;
  /** Headers dictionary id → the header values the scan reads (see extractHeaders). */
  headerValues: (unknown[] | undefined)[];
  /** Path dictionary id → fnv1a of the path, + 1 (0: not yet). */
  pathHash: Float64Array;
  /** Query dictionary id → card numbers in it, + 1 (0: not yet). */
  cards: Int32Array;
  /** Per (method, host), path dictionary id → raw endpoint. */
  endpoints: Map<number, Map<number, number>>;
  /**
   * Path dictionary id → the (method, host) it was last seen with (NaN: not yet) and the raw
   * endpoint that gave: most paths come with one method and host, so most requests find their
   * endpoint here without a Map lookup.
   */
  pathMh: Float64Array;
  pathEndpoint: Int32Array;
  /** Cookies dictionary id (-1: none) → headers dictionary id (-1: none) → extraction. */
  byCookies: Map<number, Map<number, Extracted>>;
  /** Cookies dictionary id → the headers key last seen with it, + 2 (0: none) and its result. */
  cookiesHeaders: Int32Array;
  cookiesGot: (Extracted | undefined)[];
  /** Headers dictionary id → extraction when a request has no cookies (undefined: not yet). */
  headersGot: (Extracted | undefined)[];
  /** Ip dictionary id → the user agent (interned, + 2) last seen with it and its fallback key. */
  ipUa: Int32Array;
  ipKey: Int32Array;
}

function sourceCache(dict: string[]): SourceCache {
  return {
    dict,
    interned: new Int32Array(dict.length).fill(-2),
    headerValues: new Array<unknown[] | undefined>(dict.length),
    pathHash: new Float64Array(dict.length),
    cards: new Int32Array(dict.length),
    endpoints: new Map(),
    pathMh: new Float64Array(dict.length).fill(NaN),
    pathEndpoint: new Int32Array(dict.length),
    byCookies: new Map(),
    cookiesHeaders: new Int32Array(dict.length),
    cookiesGot: new Array<Extracted | undefined>(dict.length),
    headersGot: new Array<Extracted | undefined>(dict.length),
    ipUa: new Int32Array(dict.length),
    ipKey: new Int32Array(dict.length),
  };
}

/** A string column's value: the dictionary's string, or null. */
function text(c: SourceCache, id: number): string | null {
  if (id < 0) return null;
  const v = c.dict[id];
  if (v === undefined)
    throw new ColumnsMismatch('request_columns: a string id beyond its dictionary');
  return v;
}

export type ColumnsCover = NonNullable<ReturnType<typeof columnsCovering>>;

/**
 * The requests after the first chunks that hold at least `k` of them, as a range of whole
 * chunks; null when those first chunks hold every request.
 */
export function laterChunks(cover: ColumnsCover, k: number): ScanRange | null {
  let seen = 0;
  for (const ref of cover.chunks) {
    seen += ref.count;
    if (seen >= k) {
      const total = cover.chunks.reduce((t, c) => t + c.count, 0);
      if (seen >= total) return null;
      const last = cover.chunks.at(-1)!;
      return {
        after: ref.firstId + ref.count - 1,
        upTo: last.firstId + last.count - 1,
        count: total - seen,
      };
    }
  }
  return null;
}

/**
 * Scans the requests of `range` (whole chunks) from request_columns into a part of `capacity`
 * slots. Throws ColumnsMismatch when the columns turn out not to describe the requests.
 */
export function scanColumns(
  db: CaseDb,
  params: readonly ContextParam[],
  cover: ColumnsCover,
  range: ScanRange,
  capacity = range.count,
  cancelPoint?: () => void,
): ScanPart {
  const r = emptyPart(capacity);
  const s = r.strings;
  const extract = scanExtractor(db, params);
  const plan = headerPlan(params);
  const readsQuery = params.some((p) => p.kind === 'query');
  const readsColumns = params.some((p) => p.kind === 'column');
  const rareRows = rareStatement(db);
  const readData = db.prepare('SELECT data FROM request_columns WHERE id = ?').pluck(true);
  const caches = new Map<number, SourceCache>();
  const memo = new StringKeyMap<Extracted>();
  let memoSize = 0;
  let plain: Extracted | undefined;
  const fallbackKeys = new Map<number, number>();
  const endpoints = new RawEndpoints(r.rawEndpoints);
  let noMethod = -1;
  let noHost = -1;
  const intern = (c: SourceCache, id: number): number => {
    if (id < 0) return -1;
    let v = c.interned[id]!;
    if (v === -2) c.interned[id] = v = s.id(text(c, id)!);
    return v;
  };
  let i = 0;
  for (const ref of cover.chunks) {
    if (ref.firstId <= range.after || ref.firstId + ref.count - 1 > range.upTo) continue;
    cancelPoint?.();
    let c = caches.get(ref.sourceId);
    if (c === undefined)
      caches.set(ref.sourceId, (c = sourceCache(cover.dictionaries.get(ref.sourceId)!)));
    const data = ref.data ?? (readData.get(ref.rowid) as Uint8Array | undefined);
    if (data === undefined) throw new ColumnsMismatch('request_columns changed during the rebuild');
    const k0 = decodeChunk(ref.sourceId, ref.firstId, ref.count, data);
    const col = k0.strings;
    const ipCol = col[IP]!;
    const uaCol = col[UA]!;
    const methodCol = col[METHOD]!;
    const hostCol = col[HOST]!;
    const pathCol = col[PATH]!;
    const queryCol = col[QUERY]!;
    const cookiesCol = col[COOKIES]!;
    const headersCol = col[HEADERS]!;
    const lastId = ref.firstId + ref.count - 1;
    const rares = k0.rare.includes(1) ? rareRows(ref.firstId, lastId) : [];
    let nextRare = 0;
    for (let k = 0; k < ref.count; k++, i++) {
      if (i >= range.count)
        throw new ColumnsMismatch('request_columns: more requests than counted');
      const id = ref.firstId + k;
      r.requestId[i] = id;
      r.ts[i] = k0.ts[k]!;
      r.sourceId[i] = ref.sourceId;
      r.lineNo[i] = k0.lineNo[k]!;
      const ipD = ipCol[k]!;
      const uaD = uaCol[k]!;
      r.ip[i] = intern(c, ipD);
      r.ua[i] = intern(c, uaD);
      if (s.size >= HOST_ID_LIMIT) throw new Error('too many distinct strings to analyse');
      const methodD = methodCol[k]!;
      const hostD = hostCol[k]!;
      r.method[i] =
        methodD < 0 ? (noMethod < 0 ? (noMethod = s.id('-')) : noMethod) : intern(c, methodD);
      r.host[i] = hostD < 0 ? (noHost < 0 ? (noHost = s.id('')) : noHost) : intern(c, hostD);
      r.status[i] = k0.status[k]!;
      r.latency[i] = k0.latency[k]!;
      r.size[i] = k0.size[k]!;
      let rare = NO_RARE;
      if (k0.rare[k] === 1) {
        rare = rares[nextRare++] ?? NO_RARE;
        if (rare[0] !== id) throw new ColumnsMismatch('request_columns: rare columns moved');
      }
      const srcSession = rare[1];
      const srcUser = rare[2];
      const srcRole = rare[3];
      const cookiesD = cookiesCol[k]!;
      const headersD = headersCol[k]!;
      const queryD = queryCol[k]!;
      const query = text(c, queryD);
      let values: unknown[] | undefined;
      if (headersD >= 0) {
        values = c.headerValues[headersD];
        if (values === undefined)
          c.headerValues[headersD] = values = extractHeaders(text(c, headersD), plan.extracted);
      }
      const noHeaders = values === undefined || values.length === 0;
      const noSrc = srcSession === null && srcUser === null && srcRole === null;
      const isPlain =
        cookiesD < 0 && noHeaders && (!readsQuery || query === null) && (!readsColumns || noSrc);
      const twoStrings = !isPlain && (!readsQuery || query === null) && (!readsColumns || noSrc);
      let got: Extracted | undefined;
      let byHeaders: Map<number, Extracted> | undefined;
      let memoKey = '';
      // Headers that are absent or not JSON read alike (-1), as in scanRows.
      const headersKey = noHeaders ? -1 : headersD;
      if (isPlain) got = plain;
      else if (twoStrings) {
        if (cookiesD < 0) got = c.headersGot[headersKey];
        else if (c.cookiesHeaders[cookiesD] === headersKey + 2) got = c.cookiesGot[cookiesD];
        if (got === undefined) {
          byHeaders = c.byCookies.get(cookiesD);
          got = byHeaders?.get(headersKey);
        }
      } else {
        memoKey =
          `${ref.sourceId}:${cookiesD}:${headersKey}:${readsQuery ? queryD : ''}:` +
          (readsColumns ? JSON.stringify([srcSession, srcUser, srcRole]) : '');
        got = memo.get(memoKey);
      }
      const cookies = text(c, cookiesD);
      if (got === undefined) {
        got = extractRequest(
          extract,
          plan,
          noHeaders ? [] : values!,
          { cookies, query, srcSession, srcUser, srcRole },
          r.keys,
          s,
        );
        if (isPlain) plain = got;
        else {
          if (++memoSize > MEMO_MAX) {
            memo.clear();
            for (const cache of caches.values()) cache.byCookies.clear();
            memoSize = 1;
            byHeaders = undefined;
          }
          if (!twoStrings) memo.set(memoKey, got);
          else {
            if (byHeaders === undefined) c.byCookies.set(cookiesD, (byHeaders = new Map()));
            byHeaders.set(headersKey, got);
          }
        }
      }
      if (twoStrings) {
        if (cookiesD < 0) {
          if (headersKey >= 0) c.headersGot[headersKey] = got;
        } else {
          c.cookiesHeaders[cookiesD] = headersKey + 2;
          c.cookiesGot[cookiesD] = got;
        }
      }
      let key = got.key;
      if (key < 0) {
        if (ipD >= 0 && c.ipUa[ipD] === r.ua[i]! + 2) key = c.ipKey[ipD]!;
        else {
          const pair = (r.ip[i]! + 1) * HOST_ID_LIMIT + r.ua[i]! + 1;
          key = fallbackKeys.get(pair) ?? -1;
          if (key < 0)
            fallbackKeys.set(pair, (key = r.keys.id(fallbackKey(text(c, ipD), text(c, uaD)))));
          if (ipD >= 0) {
            c.ipUa[ipD] = r.ua[i]! + 2;
            c.ipKey[ipD] = key;
          }
        }
      }
      r.key[i] = key;
      r.user[i] = got.user;
      r.role[i] = got.role;

      const pathD = pathCol[k]!;
      const mh = r.method[i]! * HOST_ID_LIMIT + r.host[i]!;
      let ep: number | undefined;
      if (pathD >= 0 && c.pathMh[pathD] === mh) ep = c.pathEndpoint[pathD]!;
      else {
        // A path seen before with another method or host is looked up (and kept) per pair;
        // at its first sight there is nothing to look up.
        let byPath: Map<number, number> | undefined;
        if (pathD < 0 || !Number.isNaN(c.pathMh[pathD]!)) {
          byPath = c.endpoints.get(mh);
          if (!byPath) c.endpoints.set(mh, (byPath = new Map()));
          ep = byPath.get(pathD);
        }
        if (ep === undefined) {
          const m = methodD < 0 ? '-' : text(c, methodD)!;
          const h = hostD < 0 ? '' : text(c, hostD)!;
          ep = endpoints.of(mh, templatePath(text(c, pathD)), m, h);
          byPath?.set(pathD, ep);
        }
        if (pathD >= 0) {
          c.pathMh[pathD] = mh;
          c.pathEndpoint[pathD] = ep;
        }
      }
      r.rawEndpoint[i] = ep;
      if (query) sampleParams(r.paramSamples, ep, query);

      const ct = got.contentType;
      const method = methodD < 0 ? null : text(c, methodD);
      r.bodyType[i] = ct !== null && method !== null && BODY_METHODS.has(method) ? s.id(ct) : -1;
      r.anonymous[i] = cookiesD < 0 && !got.authorization ? 1 : 0;
      if (pathD < 0) r.pathHash[i] = fnv1a('');
      else {
        let h = c.pathHash[pathD]!;
        if (h === 0) c.pathHash[pathD] = h = fnv1a(text(c, pathD)!) + 1;
        r.pathHash[i] = h - 1;
      }
      r.query[i] = query === '' ? null : query;
      if (queryD >= 0) {
        let cards = c.cards[queryD]!;
        if (cards === 0) c.cards[queryD] = cards = cardNumbersIn(query) + 1;
        if (cards > 1) r.cards.set(i, cards - 1);
      }

      addIssued(r.issued, r.keys, params, i, rare[4], rare[5]);
    }
    if (nextRare !== rares.length) throw new ColumnsMismatch('request_columns: rare columns moved');
  }
  if (i !== range.count)
    throw new ColumnsMismatch(`request_columns: ${i} of ${range.count} requests`);
  r.n = i;
  return r;
}
