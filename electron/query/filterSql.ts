import { flowBit } from '../../shared/analysis/flowRules.js';
import { assertNever } from '../../shared/contract/errors.js';
import type { Filters } from '../../shared/query/filterModel.js';
import type { CaseDb } from '../store/openCase.js';
import {
  DETECTIONS_REQUEST_COL,
  DETECTIONS_TABLE,
  DETECTIONS_TYPE_COL,
  hasDetections,
} from './detectionsLink.js';
import { textCondition, type SqlValue } from './textFilterSql.js';

/**
 * A WHERE clause over `request_facts f` and the values it binds, in order: strings and numbers,
 * or also blobs (V) for the clause factsWhereWithMaps gives.
 */
export interface FactsWhere<V = string | number> {
  sql: string;
  params: V[];
  /** False when no filter narrows the requests (the clause is then "1"). */
  narrows: boolean;
  /** True when at least one condition can be answered from an index of request_facts. */
  indexed: boolean;
  /**
   * What the session of every matching request meets, as a condition on `sessions s` (null:
   * nothing known), and its values: the sessions list tests it before it probes a session's
   * requests. When it lists few sessions, `sql` holds the same list on f.session_id, which a
   * query starting from the requests follows session by session.
   */
  session: { sql: string; params: V[] } | null;
}

/**
 * Filters no index of request_facts serves (row-by-row tests): text, time (sessions bound it),
 * methods (few values, so an index would not narrow much), endpoints, hosts and flows (their
 * sessions come from session_endpoints: onEndpoints). Status classes are marked below.
 */
const UNINDEXED: ReadonlySet<keyof Filters> = new Set([
  'text',
  'from',
  'to',
  'methods',
  'endpoints',
  'hosts',
  'flows',
]);

function marks(n: number): string {
  return Array(n).fill('?').join(', ');
}

type StatusFilter = NonNullable<Filters['statuses']>[number];

function statusClause(s: StatusFilter, params: SqlValue[]): string {
  if (s.endsWith('xx')) {
    const base = Number(s[0]) * 100;
    params.push(base, base + 99);
    // Unary + keeps the planner off the status index: a class is a wide range, and walking
    // it would read a quarter of all requests for every session probed.
    return '+f.status BETWEEN ? AND ?';
  }
  params.push(Number(s));
  return 'f.status = ?';
}

/**
 * Turns the filter model into parameterized SQL over request_facts (alias f). Every value is
 * bound; only fixed column names and placeholders are spliced. Filters are ANDed; the values
 * of one list filter are ORed.
 */
export function factsWhere(db: CaseDb, filters: Filters): FactsWhere {
  const where = buildWhere(db, filters, false);
  const strings = (values: SqlValue[]): (string | number)[] => {
    const out = values.filter((p): p is string | number => typeof p !== 'object');
    if (out.length !== values.length) throw new Error('factsWhere bound a blob');
    return out;
  };
  const session = where.session && {
    sql: where.session.sql,
    params: strings(where.session.params),
  };
  return { ...where, params: strings(where.params), session };
}

/**
 * factsWhere, where a common free-text needle is read from a request map bound as a blob
 * (textCondition): for the statements that bind the clause's values themselves.
 */
export function factsWhereWithMaps(db: CaseDb, filters: Filters): FactsWhere<SqlValue> {
  return buildWhere(db, filters, true);
}

/**
 * The string a request_facts column names by its fact_values id (ip, method, user, role), as
 * SQL over `expr` (a column reference of ours, never a value).
 */
export function factValue(expr: string): string {
  return `(SELECT value FROM fact_values WHERE id = ${expr})`;
}

/** request_facts' string column `column` (a fact_values id) holding one of `n` values. */
function factValueIn(column: 'ip' | 'user' | 'role' | 'method', n: number): string {
  return `f.${column} IN (SELECT id FROM fact_values WHERE value IN (${marks(n)}))`;
}

/**
 * Below this many sessions (counted per endpoint) an endpoint, host or flow filter lists its
 * sessions; from it on each session is looked up (onEndpoints).
 */
const LISTED_SESSIONS_MAX = 1000;

function buildWhere(db: CaseDb, filters: Filters, maps: boolean): FactsWhere<SqlValue> {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  const sessionParts: string[] = [];
  const sessionParams: SqlValue[] = [];
  let indexed = false;
  /**
   * Requests on the endpoints `ids` names (`values` bound in it). No index of every request by
   * endpoint: when few sessions requested them, their sessions are listed (endpoint_sessions),
   * and a query can start from those sessions' requests; when many did, each session the list
   * walks is looked up in session_endpoints (the walk meets one soon).
   */
  const onEndpoints = (ids: string, values: readonly SqlValue[]): void => {
    parts.push(`f.endpoint_id IN (${ids})`);
    params.push(...values);
    const listed = db
      .prepare(
        `SELECT coalesce(sum(n), 0) AS n FROM endpoint_sessions WHERE endpoint_id IN (${ids})`,
      )
      .get(...values) as { n: number };
    if (listed.n < LISTED_SESSIONS_MAX) {
      const sessions = `(SELECT j.value FROM endpoint_sessions es, json_each(es.sessions) j
        WHERE es.endpoint_id IN (${ids}))`;
      parts.push(`f.session_id IN ${sessions}`);
      params.push(...values);
      // Unary +: a test on each session the list walks in sort order, never the list's
      // driver (looking up every such session, then sorting them all, is slower for a page).
      sessionParts.push(`+s.id IN ${sessions}`);
      // A listed few sessions narrow like an index: a query can start from their requests.
      indexed = true;
    } else {
      sessionParts.push(
        `EXISTS (SELECT 1 FROM session_endpoints se WHERE se.session_id = s.id AND se.endpoint_id IN (${ids}))`,
      );
    }
    sessionParams.push(...values);
  };
  const keys = Object.keys(filters) as (keyof Filters)[];
  for (const key of keys.sort()) {
    const before = parts.length;
    switch (key) {
      case 'from':
        if (filters.from === undefined) break;
        parts.push('f.ts_us >= ?');
        params.push(filters.from);
        break;
      case 'to':
        if (filters.to === undefined) break;
        parts.push('f.ts_us < ?');
        params.push(filters.to);
        break;
      case 'hosts':
        if (!filters.hosts?.length) break;
        onEndpoints(
          `SELECT id FROM endpoints WHERE host IN (${marks(filters.hosts.length)})`,
          filters.hosts,
        );
        break;
      case 'ips':
        if (!filters.ips?.length) break;
        parts.push(factValueIn('ip', filters.ips.length));
        params.push(...filters.ips);
        break;
      case 'users':
        if (!filters.users?.length) break;
        parts.push(factValueIn('user', filters.users.length));
        params.push(...filters.users);
        break;
      case 'roles':
        if (!filters.roles?.length) break;
        parts.push(factValueIn('role', filters.roles.length));
        params.push(...filters.roles);
        break;
      case 'flows': {
        if (!filters.flows?.length) break;
        let mask = 0;
        for (const fl of filters.flows) mask |= flowBit(fl);
        onEndpoints('SELECT id FROM endpoints WHERE (flows & ?) != 0', [mask]);
        break;
      }
      case 'attackTypes':
        if (!filters.attackTypes?.length) break;
        if (!hasDetections(db)) {
          parts.push('0');
          break;
        }
        parts.push(
          `f.request_id IN (SELECT ${DETECTIONS_REQUEST_COL} FROM ${DETECTIONS_TABLE} WHERE ${DETECTIONS_TYPE_COL} IN (${marks(filters.attackTypes.length)}))`,
        );
        params.push(...filters.attackTypes);
        break;
      case 'statuses':
        if (!filters.statuses?.length) break;
        parts.push(`(${filters.statuses.map((s) => statusClause(s, params)).join(' OR ')})`);
        break;
      case 'methods':
        if (!filters.methods?.length) break;
        parts.push(factValueIn('method', filters.methods.length));
        params.push(...filters.methods);
        break;
      case 'endpoints':
        if (!filters.endpoints?.length) break;
        onEndpoints(
          `SELECT id FROM endpoints WHERE eid IN (${marks(filters.endpoints.length)})`,
          filters.endpoints,
        );
        break;
      case 'sessionId':
        if (filters.sessionId === undefined) break;
        parts.push('f.session_id = (SELECT id FROM sessions WHERE sid = ?)');
        params.push(filters.sessionId);
        break;
      case 'requestId':
        if (filters.requestId === undefined) break;
        parts.push('f.request_id IN (SELECT id FROM requests WHERE request_id = ?)');
        params.push(filters.requestId);
        break;
      case 'text': {
        if (filters.text === undefined) break;
        const t = textCondition(db, filters.text, params, maps);
        parts.push(t.sql);
        // Through the trigram index the text filter narrows like an indexed one.
        if (t.indexed) indexed = true;
        break;
      }
      case 'tags':
        if (!filters.tags?.length) break;
        parts.push(
          `f.request_id IN (SELECT request_id FROM request_tags WHERE tag IN (${marks(filters.tags.length)}))`,
        );
        params.push(...filters.tags);
        break;
      case 'outliersOnly':
        if (filters.outliersOnly === true) parts.push('f.outlier != 0');
        break;
      case 'verdicts': {
        if (!filters.verdicts?.length) break;
        // Session-level: a session without a session_verdicts row has the verdict none.
        const flagged = filters.verdicts.filter((v) => v !== 'none');
        const ors: string[] = [];
        if (flagged.length > 0) {
          ors.push(
            `f.session_id IN (SELECT session_id FROM session_verdicts WHERE level IN (${marks(flagged.length)}))`,
          );
          params.push(...flagged);
        }
        if (filters.verdicts.includes('none'))
          ors.push('f.session_id NOT IN (SELECT session_id FROM session_verdicts)');
        parts.push(ors.length === 1 ? ors[0]! : `(${ors.join(' OR ')})`);
        break;
      }
      default:
        assertNever(key, 'filter');
    }
    const classOnly = key === 'statuses' && filters.statuses?.some((x) => x.endsWith('xx'));
    if (parts.length > before && !UNINDEXED.has(key) && !classOnly) indexed = true;
  }
  return {
    sql: parts.length > 0 ? parts.join(' AND ') : '1',
    params,
    narrows: parts.length > 0,
    indexed,
    session:
      sessionParts.length > 0 ? { sql: sessionParts.join(' AND '), params: sessionParams } : null,
  };
}
