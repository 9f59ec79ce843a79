import { AppError } from '../../shared/contract/errors.js';
import { readState, REBUILT_AT_KEY } from '../analysis/settingsRepo.js';
import type { FactsWhere } from '../query/filterSql.js';
import type { SqlValue } from '../query/textFilterSql.js';
import type { CaseDb } from '../store/openCase.js';

/**
 * What the analysis says of every request an export of the whole case writes, by request id.
 * Joined per row in time order (request_facts finds a request's facts by its index, then its
 * session among its key's), the facts cost about 11 µs a request: a third of a million-request
 * export. Read a few sessions at a time, each session's facts in their own order, they cost
 * about 1.5 µs; the filter is applied there too, so the export then reads only the requests
 * that match (wholeCasePages.ts).
 */
export interface ExportFacts {
  /** sessions.id of each request id; -1 when the request is not exported (no facts, no match). */
  readonly session: Int32Array;
  readonly endpoint: Int32Array;
  /** fact_values ids; -1 for none. */
  readonly user: Int32Array;
  readonly role: Int32Array;
  readonly outlier: Uint8Array;
  /** The sid of each session holding an exported request, by sessions.id. */
  readonly sid: Map<number, string>;
  /** The strings the user and role ids name (fact_values). */
  readonly values: Map<number, string | null>;
  /** Every endpoint's id and flows, by endpoints.id. */
  readonly endpoints: Map<number, { eid: string; flows: number }>;
  /** The analysis read: its `rebuilt_at` (null before the first rebuild). */
  readonly rebuiltAt: string | null;
}

/** A rebuild that ends while the facts are read starts the reading over, this many times. */
export const EXPORT_FACTS_ATTEMPTS = 3;

/** Request ids beyond this are exported through the per-row join instead (17 bytes an id). */
export const EXPORT_FACTS_MAX_ID = 8_000_000;

/** About this many requests' facts are read per statement: other calls run between two. */
export const EXPORT_FACTS_CHUNK = 20_000;

/** Sessions read per statement to cut them into chunks (id and request count). */
const SESSIONS_PAGE = 20_000;

/**
 * The matching facts of the sessions with ids in [?, ?]: the view's plan seeks that range of
 * sessions, then each one's facts by key and time. Exported for the query-plan test.
 */
export function exportFactsSql(whereSql: string): string {
  return `SELECT f.request_id, f.session_id, f.endpoint_id, f.user, f.role, f.outlier
    FROM request_facts f WHERE f.session_id BETWEEN ? AND ? AND (${whereSql})`;
}

type FactRow = [
  request: number,
  session: number,
  endpoint: number,
  user: number | null,
  role: number | null,
  outlier: number,
];

/**
 * Reads the facts of the requests matching `where` (request_facts' `f`) into arrays indexed
 * by request id (ids up to `maxId`), with the sessions, strings and endpoints they name:
 * sessions in id order, cut into ranges of about `chunk` requests (a session bigger than that
 * is a range of its own), one statement a range, with `pause()` between two, so a big case's
 * other calls are answered meanwhile. `cancelled()` is asked before each range; it stops the
 * reading (null: the caller throws).
 *
 * What is read is one analysis: a rebuild that commits meanwhile (its `rebuilt_at` changes)
 * starts the reading over, or after EXPORT_FACTS_ATTEMPTS fails with BUSY, so no file mixes
 * two analyses' sessions, users or endpoints.
 */
export async function readExportFacts(
  db: CaseDb,
  where: FactsWhere<SqlValue>,
  maxId: number,
  pause: () => Promise<void>,
  cancelled: () => boolean,
  chunk = EXPORT_FACTS_CHUNK,
): Promise<ExportFacts | null> {
  for (let attempt = 1; attempt <= EXPORT_FACTS_ATTEMPTS; attempt++) {
    const rebuiltAt = readState(db, REBUILT_AT_KEY);
    const facts = await readOnce(db, where, maxId, pause, cancelled, chunk, rebuiltAt);
    if (facts !== 'rebuilt') return facts;
  }
  throw new AppError(
    'BUSY',
    'The analysis was rebuilt while the export read it, several times: export again once it is done.',
  );
}

/** One reading of readExportFacts; 'rebuilt' as soon as a rebuild after `rebuiltAt` committed. */
async function readOnce(
  db: CaseDb,
  where: FactsWhere<SqlValue>,
  maxId: number,
  pause: () => Promise<void>,
  cancelled: () => boolean,
  chunk: number,
  rebuiltAt: string | null,
): Promise<ExportFacts | null | 'rebuilt'> {
  const same = (): boolean => readState(db, REBUILT_AT_KEY) === rebuiltAt;
  const size = maxId + 1;
  const facts: ExportFacts = {
    session: new Int32Array(size).fill(-1),
    endpoint: new Int32Array(size),
    user: new Int32Array(size),
    role: new Int32Array(size),
    outlier: new Uint8Array(size),
    sid: new Map(),
    values: new Map(),
    rebuiltAt,
    endpoints: new Map(
      (
        db.prepare('SELECT id, eid, flows FROM endpoints').raw(true).all() as [
          number,
          string,
          number,
        ][]
      ).map(([id, eid, flows]) => [id, { eid, flows }]),
    ),
  };
  const sessionsAfter = db
    .prepare('SELECT id, request_count FROM sessions WHERE id > ? ORDER BY id LIMIT ?')
    .raw(true);
  const factsOf = db.prepare(exportFactsSql(where.sql)).raw(true);
  const sidsOf = db.prepare('SELECT id, sid FROM sessions WHERE id BETWEEN ? AND ?').raw(true);
  const valueOf = db.prepare('SELECT value FROM fact_values WHERE id = ?').pluck();
  const value = (id: number | null): number => {
    if (id === null) return -1;
    if (!facts.values.has(id))
      facts.values.set(id, (valueOf.get(id) as string | undefined) ?? null);
    return id;
  };

  /** Reads the matching facts of sessions [first, last]; false when cancelled. */
  const readRange = async (first: number, last: number): Promise<boolean> => {
    if (cancelled()) return false;
    const rows = factsOf.all(first, last, ...where.params) as FactRow[];
    const matched = new Set<number>();
    for (const [request, session, endpoint, user, role, outlier] of rows) {
      if (request > maxId) continue;
      facts.session[request] = session;
      facts.endpoint[request] = endpoint;
      facts.user[request] = value(user);
      facts.role[request] = value(role);
      facts.outlier[request] = outlier;
      matched.add(session);
    }
    // The range's sids in one read (one seek per session cost a case of one-request sessions
    // a third of its facts' time).
    if (matched.size > 0)
      for (const [id, sid] of sidsOf.all(first, last) as [number, string][])
        if (matched.has(id)) facts.sid.set(id, sid);
    await pause();
    return true;
  };

  let after = -Infinity;
  let start: number | null = null;
  let requests = 0;
  for (;;) {
    const page = sessionsAfter.all(after, SESSIONS_PAGE) as [number, number][];
    for (const [id, count] of page) {
      start ??= id;
      requests += count;
      if (requests >= chunk) {
        if (!(await readRange(start, id))) return null;
        if (!same()) return 'rebuilt';
        start = null;
        requests = 0;
      }
    }
    if (page.length < SESSIONS_PAGE) break;
    after = page[page.length - 1]![0];
  }
  if (start !== null && !(await readRange(start, Number.MAX_SAFE_INTEGER))) return null;
  return same() ? facts : 'rebuilt';
}
