import type { Statement } from 'better-sqlite3';
import type { CaseDb } from '../store/openCase.js';

/**
 * What the analysis says of every request, by request id, read once for an export of the whole
 * case. Joined per row (request_facts finds a request's facts by its index, then its session by
 * the key's sessions), the facts cost about 11 µs a request: a third of a million-request
 * export. Read here in their own order (the keyed facts by key and time, the sessions of each
 * key beside them) they cost about 2.4 µs, and the export then reads the requests alone.
 */
export interface ExportFacts {
  /** sessions.id of each request id; -1 when the request has no facts (not yet analysed). */
  readonly session: Int32Array;
  readonly endpoint: Int32Array;
  /** fact_values ids; -1 for none. */
  readonly user: Int32Array;
  readonly role: Int32Array;
  readonly outlier: Uint8Array;
  /** Each session's sid, by sessions.id. */
  readonly sid: Map<number, string>;
}

/** Request ids beyond this are exported through the per-row join instead (17 bytes an id). */
export const EXPORT_FACTS_MAX_ID = 8_000_000;

/** Facts or sessions read per statement: the export's other work runs between two reads. */
export const EXPORT_FACTS_PAGE = 20_000;

type FactRow = [
  key: number,
  ts: number,
  request: number,
  endpoint: number,
  user: number | null,
  role: number | null,
  outlier: number,
];
type SessionRow = [id: number, key: number, first: number, last: number, sid: string];

const FACT_COLUMNS = 'key_id, ts_us, request_id, endpoint_id, user, role, outlier';
const FACT_ORDER = 'ORDER BY key_id, ts_us, request_id LIMIT ?';
const SESSION_COLUMNS = 'id, key_id, first_us, last_us, sid';
const SESSION_ORDER = 'ORDER BY key_id, first_us LIMIT ?';

/**
 * The reads of readExportFacts: each table's first page, then the parts of a page after a
 * cursor (see `after`). Exported for the query-plan test.
 */
export const EXPORT_FACTS_SQL = {
  facts: [
    `SELECT ${FACT_COLUMNS} FROM keyed_facts ${FACT_ORDER}`,
    `SELECT ${FACT_COLUMNS} FROM keyed_facts
      WHERE key_id = ? AND ts_us = ? AND request_id > ? ${FACT_ORDER}`,
    `SELECT ${FACT_COLUMNS} FROM keyed_facts WHERE key_id = ? AND ts_us > ? ${FACT_ORDER}`,
    `SELECT ${FACT_COLUMNS} FROM keyed_facts WHERE key_id > ? ${FACT_ORDER}`,
  ],
  sessions: [
    `SELECT ${SESSION_COLUMNS} FROM sessions ${SESSION_ORDER}`,
    `SELECT ${SESSION_COLUMNS} FROM sessions WHERE key_id = ? AND first_us > ? ${SESSION_ORDER}`,
    `SELECT ${SESSION_COLUMNS} FROM sessions WHERE key_id > ? ${SESSION_ORDER}`,
  ],
} as const;

/**
 * Rows after a cursor in an index's order, each part one seek: as one row-value comparison
 * `(a, b) > (?, ?)` SQLite seeks `a` alone and walks every row of it before the cursor, which
 * for a key of a million requests read each page's predecessors again. `parts[i]` takes the
 * cursor's first `parts.length - i` values (equal on all but the last, which is greater).
 */
function after<R extends unknown[]>(
  parts: Statement[],
  cursor: readonly number[] | null,
  first: Statement,
  limit: number,
): R[] {
  if (!cursor) return first.all(limit) as R[];
  const rows: R[] = [];
  for (let i = 0; i < parts.length && rows.length < limit; i++) {
    const values = cursor.slice(0, parts.length - i);
    rows.push(...(parts[i]!.all(...values, limit - rows.length) as R[]));
  }
  return rows;
}

/**
 * Reads every request's facts and session into arrays indexed by request id (ids up to
 * `maxId`), a page at a time with `pause()` between pages, so other calls are answered while
 * a big case's facts are read; `cancelled()` is asked before each page and stops the reading
 * (the caller then throws). A fact outside every session of its key (which no rebuild writes)
 * is left out, as request_facts leaves it out.
 */
export async function readExportFacts(
  db: CaseDb,
  maxId: number,
  pause: () => Promise<void>,
  cancelled: () => boolean,
  page = EXPORT_FACTS_PAGE,
): Promise<ExportFacts | null> {
  const size = maxId + 1;
  const facts: ExportFacts = {
    session: new Int32Array(size).fill(-1),
    endpoint: new Int32Array(size),
    user: new Int32Array(size),
    role: new Int32Array(size),
    outlier: new Uint8Array(size),
    sid: new Map(),
  };
  const prep = (sql: string): Statement => db.prepare(sql).raw(true);
  const factsFirst = prep(EXPORT_FACTS_SQL.facts[0]);
  const factsAfter = EXPORT_FACTS_SQL.facts.slice(1).map(prep);
  const sessionsFirst = prep(EXPORT_FACTS_SQL.sessions[0]);
  const sessionsAfter = EXPORT_FACTS_SQL.sessions.slice(1).map(prep);

  // The sessions in (key, first time) order, a page at a time; `at` is the one the facts reached.
  let sessions: SessionRow[] = [];
  let at = 0;
  let sessionCursor: number[] | null = null;
  let sessionsDone = false;
  /** The session at `at`, reading the next page once this one is passed; null after the last. */
  const current = (): SessionRow | null => {
    while (at >= sessions.length) {
      if (sessionsDone) return null;
      sessions = after<SessionRow>(sessionsAfter, sessionCursor, sessionsFirst, page);
      at = 0;
      if (sessions.length < page) sessionsDone = true;
      const last = sessions[sessions.length - 1];
      if (last) sessionCursor = [last[1], last[2]];
      for (const s of sessions) facts.sid.set(s[0], s[4]);
    }
    return sessions[at]!;
  };

  let cursor: number[] | null = null;
  for (;;) {
    if (cancelled()) return null;
    const rows: FactRow[] = after<FactRow>(factsAfter, cursor, factsFirst, page);
    for (const [key, ts, request, endpoint, user, role, outlier] of rows) {
      // Sessions of one key are disjoint time ranges: pass those ending before this fact.
      let s = current();
      while (s && (s[1] < key || (s[1] === key && s[3] < ts))) {
        at++;
        s = current();
      }
      if (!s || s[1] !== key || s[2] > ts || request > maxId) continue;
      facts.session[request] = s[0];
      facts.endpoint[request] = endpoint;
      facts.user[request] = user ?? -1;
      facts.role[request] = role ?? -1;
      facts.outlier[request] = outlier;
    }
    if (rows.length < page) return facts;
    const last = rows[rows.length - 1]!;
    cursor = [last[0], last[1], last[2]];
    await pause();
  }
}
