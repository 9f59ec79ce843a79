import { fnv1a } from './hash.js';

/** Parameters of a query string the feature builder counts (the first ones; the rest are not). */
export const MAX_PARAMS = 20;

/**
 * A query string as the feature builder counts it: its hash, and per counted parameter
 * (`name=value` with a non-empty name, among the first MAX_PARAMS `&`-separated pairs) the
 * name's interned id and the value's hash.
 */
export interface ParsedQuery {
  hash: number;
  names: Int32Array;
  values: Uint32Array;
}

/** Distinct query strings kept parsed (most captures repeat a few; fuzzers never repeat). */
const CACHE_MAX = 100_000;

/**
 * Parses query strings once per distinct string: a capture repeats the same queries on many
 * requests, and splitting each one again (substrings, a name per pair) was most of the
 * session verdicts' cost, and of the garbage they left. Parameter names get dense ids, the
 * same for the parser's whole life.
 */
export class QueryParser {
  private readonly cache = new Map<string, ParsedQuery>();
  private readonly nameIds = new Map<string, number>();

  constructor(private readonly cacheMax = CACHE_MAX) {}

  parse(query: string): ParsedQuery {
    const hit = this.cache.get(query);
    if (hit !== undefined) return hit;
    const names: number[] = [];
    const values: number[] = [];
    for (const [name, raw] of countedParams(query)) {
      names.push(this.nameId(name));
      values.push(fnv1a(raw));
    }
    const parsed = {
      hash: fnv1a(query),
      names: Int32Array.from(names),
      values: Uint32Array.from(values),
    };
    if (this.cache.size < this.cacheMax) this.cache.set(query, parsed);
    return parsed;
  }

  private nameId(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) this.nameIds.set(name, (id = this.nameIds.size));
    return id;
  }
}

/**
 * The parameters the feature builder counts, as [name, raw value]: `name=value` pairs with a
 * non-empty name among the first MAX_PARAMS `&`-separated pairs.
 */
function countedParams(query: string): [string, string][] {
  const out: [string, string][] = [];
  let k = 0;
  for (const pair of query.split('&')) {
    if (++k > MAX_PARAMS) break;
    const eq = pair.indexOf('=');
    if (eq > 0) out.push([pair.slice(0, eq), pair.slice(eq + 1)]);
  }
  return out;
}

/** The raw values of the parameters parse() counts, in the same order (for the rare reader). */
export function paramValues(query: string): string[] {
  return countedParams(query).map(([, raw]) => raw);
}
