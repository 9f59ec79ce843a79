import { looksLikeCardNumber } from '../../shared/analysis/risk.js';
import type { CaseDb } from '../store/openCase.js';
import type { EndpointResult } from './endpointsStep.js';
import type { ScanResult } from './scanResult.js';

/**
 * What the risk score reads from an endpoint's requests, keyed by stored endpoint id. Two ways
 * to get it that must agree (riskInputs.test.ts): from the rebuild's scan, which has already
 * read every request once, and from SQL, for a risk update outside a rebuild (a spec load).
 */
export interface RiskInputs {
  serverErrors: Map<number, number>;
  /** Content types (lower case, no parameters) of POST/PUT/PATCH/DELETE requests. */
  bodyTypes: Map<number, Set<string>>;
  /** 2xx answers without cookies or Authorization; only read for protected-flow endpoints. */
  anonymousOk: Map<number, number>;
  cardNumbersInQuery: Map<number, number>;
}

/**
 * The SQL path reads headers with these expressions; the scan extracts the same two values with
 * one json_extract and applies the same rules in JS (scanStep.ts), and the test holds both equal.
 */
export const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const BODY_METHODS_SQL = [...BODY_METHODS].map((m) => `'${m}'`).join(', ');
export const CONTENT_TYPE_SQL = (h: string): string =>
  `CASE WHEN json_valid(${h}) THEN json_extract(${h}, '$."content-type"') END`;
export const AUTHORIZATION_SQL = (h: string): string =>
  `CASE WHEN json_valid(${h}) THEN json_extract(${h}, '$.authorization') END`;

const CARD_RUN = /[0-9]{13}/;

function bump(m: Map<number, number>, k: number, by = 1): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

function addBodyType(m: Map<number, Set<string>>, e: number, ct: unknown): void {
  if (typeof ct !== 'string') return;
  const type = ct.split(';')[0]!.trim().toLowerCase();
  if (type === '') return;
  let set = m.get(e);
  if (!set) m.set(e, (set = new Set()));
  set.add(type);
}

function queryValues(query: string): string[] {
  return query.split('&').map((kv) => {
    const v = kv.slice(kv.indexOf('=') + 1).replace(/\+/g, ' ');
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  });
}

/** Luhn-valid card numbers among a query's values; 0 without a run of 13 digits. */
export function cardNumbersIn(query: string | null): number {
  if (query === null || !CARD_RUN.test(query)) return 0;
  return queryValues(query).filter(looksLikeCardNumber).length;
}

/** From the arrays the scan step filled; no request is read again. */
export function riskInputsFromScan(scan: ScanResult, ep: EndpointResult): RiskInputs {
  const r: RiskInputs = {
    serverErrors: new Map(),
    bodyTypes: new Map(),
    anonymousOk: new Map(),
    cardNumbersInQuery: new Map(),
  };
  const seenType = new Set<number>();
  for (let i = 0; i < scan.n; i++) {
    const e = ep.of[i]! + 1;
    const st = scan.status[i]!;
    if (st >= 500) bump(r.serverErrors, e);
    if (st >= 200 && st <= 299 && scan.anonymous[i] === 1) bump(r.anonymousOk, e);
    const ct = scan.bodyType[i]!;
    // Each (endpoint, raw content type) pair once, as the SQL's GROUP BY does.
    if (ct >= 0) {
      const pair = e * scan.strings.size + ct;
      if (!seenType.has(pair)) {
        seenType.add(pair);
        addBodyType(r.bodyTypes, e, scan.strings.get(ct));
      }
    }
  }
  for (const [i, n] of scan.cards) bump(r.cardNumbersInQuery, ep.of[i]! + 1, n);
  return r;
}

function countsBy(db: CaseDb, sql: string, ...params: unknown[]): Map<number, number> {
  const rows = db.prepare(sql).all(...params) as { e: number; n: number }[];
  return new Map(rows.map((x) => [x.e, x.n]));
}

/**
 * From the stored tables, for a case whose rebuild kept none (riskInputsStore.ts). Anonymous
 * answers are counted only on `anonymousIds` (every endpoint there, so that a flow tag making
 * one protected finds its count kept).
 */
export function riskInputsFromDb(db: CaseDb, anonymousIds: readonly number[]): RiskInputs {
  // No index of every request by status or endpoint: the requests read are those of the
  // sessions that hold such a status (value_sessions) or requested such an endpoint.
  const serverErrors = countsBy(
    db,
    `SELECT f.endpoint_id AS e, count(*) AS n FROM request_facts f
     WHERE f.session_id IN (SELECT j.value FROM value_sessions v, json_each(v.sessions) j
                            WHERE v.col = 'status' AND v.value >= 500)
       AND f.status >= 500
     GROUP BY 1`,
  );
  const bodyTypes = new Map<number, Set<string>>();
  const typeRows = db
    .prepare(
      `SELECT f.endpoint_id AS e, ${CONTENT_TYPE_SQL('r.headers')} AS ct
       FROM request_facts f JOIN requests r ON r.id = f.request_id
       WHERE f.method IN (SELECT id FROM fact_values WHERE value IN (${BODY_METHODS_SQL}))
         AND r.headers IS NOT NULL
       GROUP BY 1, 2`,
    )
    .all() as { e: number; ct: unknown }[];
  for (const { e, ct } of typeRows) addBodyType(bodyTypes, e, ct);
  const anonymousOk = countsBy(
    db,
    `SELECT f.endpoint_id AS e, count(*) AS n
     FROM request_facts f JOIN requests r ON r.id = f.request_id
     WHERE f.session_id IN (SELECT j.value FROM endpoint_sessions v, json_each(v.sessions) j
                            WHERE v.endpoint_id IN (SELECT value FROM json_each(?)))
       AND f.endpoint_id IN (SELECT value FROM json_each(?))
       AND f.status BETWEEN 200 AND 299 AND r.cookies IS NULL
       AND ${AUTHORIZATION_SQL('r.headers')} IS NULL
     GROUP BY 1`,
    JSON.stringify(anonymousIds),
    JSON.stringify(anonymousIds),
  );
  const cardNumbersInQuery = new Map<number, number>();
  const cardRows = db
    .prepare(
      // Filter requests in one sequential pass first; only the few hits are joined to facts.
      `SELECT f.endpoint_id AS e, r.query AS q
       FROM (SELECT id, query FROM requests
             WHERE query GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*') r
       JOIN request_facts f ON f.request_id = r.id
       ORDER BY r.id`,
    )
    .iterate() as Iterable<{ e: number; q: string }>;
  for (const { e, q } of cardRows) {
    const n = cardNumbersIn(q);
    if (n > 0) bump(cardNumbersInQuery, e, n);
  }
  return { serverErrors, bodyTypes, anonymousOk, cardNumbersInQuery };
}
