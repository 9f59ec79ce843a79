import { userAgentKey } from '../../shared/analysis/userAgentKey.js';
import type { Interner } from './interner.js';

/**
 * The per-request columns a scan reads, one slot per request in rowid order. String columns
 * hold interned ids; -1 means null.
 */
export interface ScanColumns {
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
  /** Session key (parameter index + value, or the ip+ua fallback); an id of `keys`. */
  key: Int32Array;
  /** Endpoint before template merging (method, host, first-pass template); of `rawEndpoints`. */
  rawEndpoint: Int32Array;
  user: Int32Array;
  role: Int32Array;
  /** Risk inputs (riskInputs.ts): raw Content-Type of body methods (string id, -1 none). */
  bodyType: Int32Array;
  /** 1 when the request carries neither cookies nor an Authorization header. */
  anonymous: Uint8Array;
  /** fnv1a of the path ('' for none), for the session verdicts. */
  pathHash: Uint32Array;
}

/** The string columns of ScanColumns, by the interner their ids belong to. */
export const STRING_COLUMNS = ['ip', 'ua', 'method', 'host', 'user', 'role', 'bodyType'] as const;
/** The columns copied as they are when scans of two row ranges are joined. */
export const PLAIN_COLUMNS = [
  'requestId',
  'ts',
  'sourceId',
  'lineNo',
  'status',
  'latency',
  'size',
  'anonymous',
  'pathHash',
] as const;

/** A request whose response issued a key later requests present: (request index, key id). */
export interface IssuedAt {
  index: number;
  key: number;
}

/**
 * Everything later steps need from `requests`, read in one pass in rowid order into typed
 * arrays (one slot per request). Strings are interned; -1 means null.
 */
export interface ScanResult extends ScanColumns {
  n: number;
  issued: IssuedAt[];
  strings: Interner;
  keys: Interner;
  rawEndpoints: Interner;
  /** Query parameter names seen per raw endpoint (a bounded sample). */
  rawEndpointParams: Map<number, Set<string>>;
  /**
   * The names of each of the first queries per raw endpoint (PARAM_SAMPLE at most), which
   * rawEndpointParams is made from: kept so a scan of requests added later joins this one.
   */
  paramSamples: Map<number, string[][]>;
  /** source id → sha256 */
  sourceSha: Map<number, string>;
  /** request index → Luhn-valid card numbers in its query (only requests with some). */
  cards: Map<number, number>;
  /** The query text, null for none or empty (the session verdicts parse it). */
  query: (string | null)[];
  /**
   * True when secret parameters' values in `keys` are already their digests (a scan read
   * back from the scan cache, scanCache.ts); else they are the values themselves.
   */
  keysDigested?: boolean;
}

const SEP = '\u0001';

export function keyString(param: number, value: string): string {
  return `${param}${SEP}${value}`;
}

/**
 * The ip+ua fallback key: the client IP and the user agent as userAgentKey reads it (a known
 * tool's per-request counter taken out; the request's own agent is kept as logged).
 */
export function fallbackKey(ip: string | null, ua: string | null): string {
  return `-1${SEP}${ip ?? ''}${SEP}${ua === null ? '' : userAgentKey(ua)}`;
}

/** The context parameter of a key (-1: client IP + user agent), without cutting out its value. */
export function keyParam(key: string): number {
  return Number(key.slice(0, key.indexOf(SEP)));
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
