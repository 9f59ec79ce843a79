import { flowBit } from '../../shared/analysis/flowRules.js';
import { assertNever } from '../../shared/contract/errors.js';
import { ipAddressKey } from '../../shared/query/ipAddress.js';
import { isIpRangeText, parseIpRange } from '../../shared/query/ipRange.js';
import type { Filters } from '../../shared/query/filterModel.js';
import type { CaseDb } from '../store/openCase.js';
import {
  DETECTIONS_REQUEST_COL,
  DETECTIONS_TABLE,
  DETECTIONS_TYPE_COL,
  hasDetections,
} from './detectionsLink.js';
import { addressIds, splitIpIds } from './ipRangeIds.js';
import { textCondition, type SqlValue } from './textFilterSql.js';
import type { SessionValueColumn } from '../store/migrations/011_session_values.js';

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
 * methods (few values, so an index would not narrow much), and those whose sessions come from
 * tables derived per session (onSessions): endpoints, hosts and flows (session_endpoints), ips,
 * statuses, users and roles (session_values). A filter among these still narrows like an index
 * when few sessions hold its values (they are listed).
 */
const UNINDEXED: ReadonlySet<keyof Filters> = new Set([
  'text',
  'from',
  'to',
  'methods',
  'endpoints',
  'hosts',
  'flows',
  'ips',
  'statuses',
  'users',
  'roles',
]);

function marks(n: number): string {
  return Array(n).fill('?').join(', ');
}

type StatusFilter = NonNullable<Filters['statuses']>[number];

/** A condition on an expression, with the values it binds (in order). */
type ValueCondition = (expr: string) => { sql: string; params: SqlValue[] };

/** A status code or class (`5xx`) on `expr`; the filter's values are ORed. */
function statusCondition(statuses: readonly StatusFilter[]): ValueCondition {
  return (expr) => {
    const params: SqlValue[] = [];
    const ors = statuses.map((s) => {
      if (!s.endsWith('xx')) {
        params.push(Number(s));
        return `${expr} = ?`;
      }
      const base = Number(s[0]) * 100;
      params.push(base, base + 99);
      return `${expr} BETWEEN ? AND ?`;
    });
    return { sql: `(${ors.join(' OR ')})`, params };
  };
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

/** An id column (`expr`) naming one of the strings `values` by its fact_values id. */
function factValueCondition(values: readonly string[]): ValueCondition {
  return (expr) => ({
    sql: `${expr} IN (SELECT fv.id FROM fact_values fv WHERE fv.value IN (${marks(values.length)}))`,
    params: [...values],
  });
}

/**
 * An ip column (`expr`, a fact_values id) holding one of `ips`: a host name as stored, an
 * address in any spelling (as its /32 or /128 would), or one in a CIDR range. Names alone are
 * a value lookup. Addresses are found through the case's addresses keyed once (addressIds);
 * with a range, the case's addresses are tested once (splitIpIds) and the condition names the
 * shorter of the two id lists, those that match or those that do not (a /8 of a private
 * network holds most of a case's addresses). Id lists are bound as one JSON array, as other
 * long id lists are: nothing is spliced.
 */
function ipCondition(db: CaseDb, ips: readonly string[]): ValueCondition {
  const exact = ips.filter((s) => !isIpRangeText(s));
  const ranges = ips.filter(isIpRangeText).map((s) => {
    const r = parseIpRange(s);
    if (!r.ok) throw new Error(`ips filter holds ${JSON.stringify(s)}, which its schema refuses`);
    return r.range;
  });
  const idsIn = (list: readonly number[]): ValueCondition => {
    const ids = JSON.stringify(list);
    return (expr) => ({ sql: `${expr} IN (SELECT value FROM json_each(?))`, params: [ids] });
  };
  if (ranges.length === 0) {
    const keys = exact.map(ipAddressKey);
    const names = exact.filter((_s, i) => keys[i] === null);
    const addresses = keys.filter((k) => k !== null);
    if (addresses.length === 0) return factValueCondition(names);
    const named =
      names.length === 0
        ? []
        : (db
            .prepare(`SELECT id FROM fact_values WHERE value IN (${marks(names.length)})`)
            .pluck()
            .all(...names) as number[]);
    return idsIn([...new Set([...addressIds(db, addresses), ...named])].sort((a, b) => a - b));
  }
  const { matched, others } = splitIpIds(db, exact, ranges);
  if (matched.length <= others.length) return idsIn(matched);
  const ids = JSON.stringify(others);
  // Every address is one of the case's (value_sessions): not one of the others is a match.
  return (expr) => ({
    sql: `(${expr} IS NOT NULL AND ${expr} NOT IN (SELECT value FROM json_each(?)))`,
    params: [ids],
  });
}

/**
 * A role column (`expr`, a fact_values id) whose value holds one of the roles `values`: the
 * value as written, or one of the roles it lists (role_members: `admin,billing` holds admin
 * and billing).
 */
function roleCondition(values: readonly string[]): ValueCondition {
  return (expr) => ({
    sql: `${expr} IN (SELECT rm.role FROM role_members rm WHERE rm.member IN (${marks(values.length)}))`,
    params: [...values],
  });
}

/**
 * Below this many sessions (counted per value) a filter answered per session lists its
 * sessions; from it on each session is looked up (onSessions).
 */
const LISTED_SESSIONS_MAX = 1000;

function buildWhere(db: CaseDb, filters: Filters, maps: boolean): FactsWhere<SqlValue> {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  const sessionParts: string[] = [];
  const sessionParams: SqlValue[] = [];
  let indexed = false;
  /**
   * Requests meeting `request` whose sessions are known per value: `perValue` is the condition
   * on the rows (alias v, with columns n and sessions) of the values asked for, `perSession`
   * tests session s for one of them. No index of every request by these columns: when few
   * sessions hold the values they are listed, and a query can start from those sessions'
   * requests; when many do, each session the list walks is tested (the walk meets one soon).
   */
  const onSessions = (
    request: { sql: string; params: readonly SqlValue[] },
    perValue: { table: string; sql: string; params: readonly SqlValue[] },
    perSession: { sql: string; params: readonly SqlValue[] },
  ): void => {
    parts.push(request.sql);
    params.push(...request.params);
    const listed = db
      .prepare(`SELECT coalesce(sum(v.n), 0) AS n FROM ${perValue.table} v WHERE ${perValue.sql}`)
      .get(...perValue.params) as { n: number };
    if (listed.n < LISTED_SESSIONS_MAX) {
      const sessions = `(SELECT j.value FROM ${perValue.table} v, json_each(v.sessions) j
        WHERE ${perValue.sql})`;
      parts.push(`f.session_id IN ${sessions}`);
      params.push(...perValue.params);
      // Unary +: a test on each session the list walks in sort order, never the list's
      // driver (looking up every such session, then sorting them all, is slower for a page).
      sessionParts.push(`+s.id IN ${sessions}`);
      sessionParams.push(...perValue.params);
      // A listed few sessions narrow like an index: a query can start from their requests.
      indexed = true;
    } else {
      sessionParts.push(perSession.sql);
      sessionParams.push(...perSession.params);
    }
  };
  /** Requests on the endpoints `ids` names (`values` bound in it): session_endpoints. */
  const onEndpoints = (ids: string, values: readonly SqlValue[]): void =>
    onSessions(
      { sql: `f.endpoint_id IN (${ids})`, params: values },
      { table: 'endpoint_sessions', sql: `v.endpoint_id IN (${ids})`, params: values },
      {
        sql: `EXISTS (SELECT 1 FROM session_endpoints se WHERE se.session_id = s.id AND se.endpoint_id IN (${ids}))`,
        params: values,
      },
    );
  /**
   * Requests whose `col` meets `cond`: value_sessions lists each value's sessions,
   * session_values each session's values (`col` is one of our column names, never a value).
   */
  const onValues = (col: SessionValueColumn, cond: ValueCondition): void => {
    const perValue = cond('v.value');
    const perSession = cond('j.value');
    onSessions(
      cond(`f.${col}`),
      {
        table: 'value_sessions',
        sql: `v.col = ? AND ${perValue.sql}`,
        params: [col, ...perValue.params],
      },
      {
        sql: `EXISTS (SELECT 1 FROM session_values sv, json_each(sv.${col}) j
          WHERE sv.session_id = s.id AND ${perSession.sql})`,
        params: perSession.params,
      },
    );
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
        // Host names compare without regard to the case of ASCII letters (RFC 4343), which is
        // what NOCASE folds. A rebuild names endpoints by their lower-case host (hostKey), but a
        // case analysed before it did (stale since migration 26, still read with a warning
        // until rebuilt) keeps the log's spelling, so NOCASE stays. The endpoints table is small
        // (one row per method, host and template): reading it whole costs less than a second
        // index would on every rebuild.
        onEndpoints(
          `SELECT id FROM endpoints WHERE host COLLATE NOCASE IN (${marks(filters.hosts.length)})`,
          filters.hosts,
        );
        break;
      case 'ips':
        if (!filters.ips?.length) break;
        onValues('ip', ipCondition(db, filters.ips));
        break;
      case 'users':
        if (!filters.users?.length) break;
        onValues('user', factValueCondition(filters.users));
        break;
      case 'roles':
        if (!filters.roles?.length) break;
        onValues('role', roleCondition(filters.roles));
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
        onValues('status', statusCondition(filters.statuses));
        break;
      case 'methods': {
        if (!filters.methods?.length) break;
        const method = factValueCondition(filters.methods)('f.method');
        parts.push(method.sql);
        params.push(...method.params);
        break;
      }
      case 'endpoints':
        if (!filters.endpoints?.length) break;
        // An id an endpoint had before its host was folded names it too (endpoint_aliases).
        onEndpoints(
          `SELECT id FROM endpoints WHERE eid IN (${marks(filters.endpoints.length)})
           UNION SELECT endpoint_id FROM endpoint_aliases
             WHERE alias IN (${marks(filters.endpoints.length)})`,
          [...filters.endpoints, ...filters.endpoints],
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
    if (parts.length > before && !UNINDEXED.has(key)) indexed = true;
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
