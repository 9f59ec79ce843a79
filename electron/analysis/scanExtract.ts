import type { ContextParam } from '../../shared/analysis/settings.js';
import type { CaseDb } from '../store/openCase.js';
import type { Interner } from './interner.js';
import {
  compileExtractor,
  queryParamNames,
  issuedKeyCandidates,
} from '../../shared/analysis/sessionKeys.js';
import { secretDigest } from './hashIds.js';
import { caseSalt, readState } from './settingsRepo.js';
import { keyString, rawEndpointString, type IssuedAt } from './scanResult.js';
import { StringKeyMap } from '../../shared/collections/stringKeyMap.js';

/** Query strings sampled per raw endpoint for its parameter names. */
export const PARAM_SAMPLE = 50;

/**
 * Raw endpoints by (method, host) pair (`mh`, the pair's interned ids combined) and template:
 * few templates per pair, looked up by the template alone (no key string per request).
 */
export class RawEndpoints {
  private readonly byPair = new Map<number, StringKeyMap<number>>();
  constructor(private readonly ids: Interner) {}

  of(mh: number, template: string, method: string, host: string): number {
    let byTemplate = this.byPair.get(mh);
    if (!byTemplate) this.byPair.set(mh, (byTemplate = new StringKeyMap()));
    let ep = byTemplate.get(template);
    if (ep === undefined) {
      ep = this.ids.id(rawEndpointString(method, host, template));
      byTemplate.set(template, ep);
    }
    return ep;
  }
}

/** Keeps the parameter names of a raw endpoint's first PARAM_SAMPLE queries. */
export function sampleParams(samples: Map<number, string[][]>, ep: number, query: string): void {
  let list = samples.get(ep);
  if (!list) samples.set(ep, (list = []));
  if (list.length < PARAM_SAMPLE) list.push(queryParamNames(query));
}

/**
 * The session keys request `index`'s response issues (its headers, a JSON-looking body): every
 * candidate, in parameter order; the sessions step links by the one later requests present.
 */
export function addIssued(
  issued: IssuedAt[],
  keys: Interner,
  params: readonly ContextParam[],
  index: number,
  respHeaders: string | null,
  respBody: string | null,
): void {
  if (respHeaders === null && respBody === null) return;
  for (const k of issuedKeyCandidates(params, parseJsonObject(respHeaders), respBody)) {
    issued.push({ index, key: keys.id(keyString(k.keyParam, k.keyValue)) });
  }
}

/*
 * What both scans (scanRows.ts from `requests`, scanColumns.ts from request_columns) share: what
 * they take from a request's cookies, headers, query and source columns, its raw endpoint, its
 * sampled parameter names and the keys its response issues, so both give the same answers.
 */

export function parseJsonObject(s: string | null): Record<string, string> | null {
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
export function parseExtracted(extracted: string | null): unknown[] {
  if (extracted === null) return [];
  try {
    const v: unknown = JSON.parse(extracted);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/**
 * What parseExtracted gives for the json_extract of `names` from `headers` itself (the headers
 * JSON as stored): each name's member value, null where absent or where the headers are no
 * object; [] when they are absent or not JSON.
 */
export function extractHeaders(headers: string | null, names: readonly string[]): unknown[] {
  if (headers === null) return [];
  let v: unknown;
  try {
    v = JSON.parse(headers);
  } catch {
    return [];
  }
  const obj = v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
  return names.map((n) =>
    obj !== null && Object.hasOwn(obj, n) ? (obj as Record<string, unknown>)[n] : null,
  );
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

/** The request headers a scan reads: those the key parameters name, then the risk inputs'. */
export interface HeaderPlan {
  /** Header names (lower case, as stored) the key parameters read. */
  wanted: string[];
  /** Every header name read, in the order of their values. */
  extracted: string[];
  authorizationAt: number;
  contentTypeAt: number;
}

export function headerPlan(params: readonly ContextParam[]): HeaderPlan {
  // Header names are stored lower-case as JSON keys; JWT claims come from Authorization.
  const wanted = [
    ...new Set(
      params.flatMap((p) =>
        p.kind === 'header' ? [p.name.toLowerCase()] : p.kind === 'jwt' ? ['authorization'] : [],
      ),
    ),
  ];
  const extracted = [...new Set([...wanted, 'authorization', 'content-type'])];
  return {
    wanted,
    extracted,
    authorizationAt: extracted.indexOf('authorization'),
    contentTypeAt: extracted.indexOf('content-type'),
  };
}

/** What one distinct combination of cookies, headers (and query or columns when read) gives. */
export interface Extracted {
  key: number;
  user: number;
  role: number;
  /** Content-Type as the risk inputs read it; interned only where a body method uses it. */
  contentType: string | null;
  /** An Authorization header with a non-null value. */
  authorization: boolean;
}

/**
 * The scan's extractor: a user or role read from a secret parameter comes out as the salted
 * digest secret session keys are shown as (secretDigest, the case's salt), so no derived table,
 * export or scan cache holds it, and one value is one user whoever reads it. The salt is read
 * only when a secret parameter names a user or role: a worker's read-only snapshot that lacks
 * it (made in the rebuild's own transaction) throws, and its range is scanned by the caller.
 */
export function scanExtractor(
  db: CaseDb,
  params: readonly ContextParam[],
): ReturnType<typeof compileExtractor> {
  if (!params.some((p) => p.secret && p.names !== 'session')) return compileExtractor(params);
  const salt = db.readonly ? readState(db, 'salt') : caseSalt(db);
  if (salt === null) throw new Error('no salt for the secret user and role parameters');
  return compileExtractor(params, (value) => secretDigest(salt, value));
}

/** The extraction of one request: its key interned in `keys`, user and role in `strings`. */
export function extractRequest(
  extract: ReturnType<typeof compileExtractor>,
  plan: HeaderPlan,
  values: unknown[],
  fields: {
    cookies: string | null;
    query: string | null;
    srcSession: string | null;
    srcUser: string | null;
    srcRole: string | null;
  },
  keys: Interner,
  strings: Interner,
): Extracted {
  const c = extract({ ...fields, headers: headerValues(plan.wanted, values) });
  const auth = values[plan.authorizationAt];
  return {
    key: c.keyParam >= 0 ? keys.id(keyString(c.keyParam, c.keyValue!)) : -1,
    user: strings.idOrNull(c.user),
    role: strings.idOrNull(c.role),
    contentType: asText(values[plan.contentTypeAt]),
    authorization: auth !== undefined && auth !== null,
  };
}

/** Columns most requests leave null, read apart for the few rows that have one (RARE_SET). */
export type RareRow = [
  number, // id
  string | null, // src_session
  string | null, // src_user
  string | null, // src_role
  string | null, // resp_headers
  string | null, // resp_body (JSON-looking only)
];

export const RARE_SET = `NOT (src_session IS NULL AND src_user IS NULL AND src_role IS NULL
  AND resp_headers IS NULL AND resp_body IS NULL)`;
export const NO_RARE: RareRow = [0, null, null, null, null, null];

/** The rare columns of the requests with ids in [first, last] that set one, in id order. */
export function rareStatement(db: CaseDb): (first: number, last: number) => RareRow[] {
  const stmt = db
    .prepare(
      `SELECT id, src_session, src_user, src_role, resp_headers,
         CASE WHEN resp_body LIKE '{%' THEN resp_body END
       FROM requests WHERE id >= ? AND id <= ? AND ${RARE_SET} ORDER BY id`,
    )
    .raw(true);
  return (first, last) => stmt.all(first, last) as RareRow[];
}
