import {
  COMMON_IDS,
  COMMON_VALUES,
  hasCommonIds,
  RARE_TEXT_LIMIT,
  TEXT_INDEX,
  textIndexCurrent,
} from '../analysis/textIndexStep.js';
import { markIds } from '../analysis/idLists.js';
import { textIndexPending } from '../analysis/textIndexWait.js';
import type { CaseDb } from '../store/openCase.js';
import { retriedAfterWait, WaitThenRetry } from '../waitThenRetry.js';
import { textNeedles } from '../../shared/query/textNeedles.js';

/** Trigrams considered per search: any subset still narrows to a superset of the matches. */
const MAX_TRIGRAMS = 24;

/**
 * Trigrams intersected per search, the rarest ones. Intersecting a trigram found in most rows
 * means reading its whole row list, which costs more than the few extra candidates it removes.
 */
const TRIGRAMS_USED = 3;
/** How far a trigram's rows are counted when ranking rarity (beyond this, "common"). */
const RARITY_CAP = 4096;

/** Distinct trigrams of a needle in code points, as the tokenizer counts; none under 3. */
export function trigramsOf(needle: string): string[] {
  const cps = [...needle];
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= cps.length; i++) grams.add(cps.slice(i, i + 3).join(''));
  const list = [...grams];
  if (list.length <= MAX_TRIGRAMS) return list;
  const step = list.length / MAX_TRIGRAMS;
  return Array.from({ length: MAX_TRIGRAMS }, (_, k) => list[Math.floor(k * step)]!);
}

/**
 * The FTS5 query for "has every one of these trigrams", or null without any. Each trigram is a
 * quoted string, so no character of the needle is FTS syntax.
 */
export function trigramQuery(grams: readonly string[] | string): string | null {
  const list = typeof grams === 'string' ? trigramsOf(grams) : grams;
  if (list.length === 0) return null;
  return list.map((g) => `"${g.replace(/"/g, '""')}"`).join(' AND ');
}

/** A common value (left out of the index rows) that contains the needle. */
interface CommonHit {
  column: string;
  table: string;
}

/**
 * The common-value lists (user agents, query strings) with a value that contains the needle,
 * by the exact test's folding: each value is on RARE_TEXT_LIMIT or more requests, so a needle
 * found in one is a common one.
 */
function commonHits(db: CaseDb, needle: string): CommonHit[] {
  const listed = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  return Object.entries(COMMON_VALUES)
    .map(([column, table]) => ({ column, table }))
    .filter(
      ({ column, table }) =>
        listed.get(table) !== undefined &&
        db
          .prepare(`SELECT 1 FROM ${table} WHERE instr(lower(${column}), ?) > 0 LIMIT 1`)
          .get(needle) !== undefined,
    );
}

/** The needle's rarest trigrams (at most TRIGRAMS_USED), or [] when some trigram is in no row. */
function rarestTrigrams(db: CaseDb, grams: readonly string[]): string[] {
  const count = db.prepare(
    `SELECT count(*) AS n FROM (SELECT 1 FROM ${TEXT_INDEX} WHERE ${TEXT_INDEX} MATCH ? LIMIT ${RARITY_CAP})`,
  );
  const ranked = grams
    .map((g) => ({ g, n: (count.get(trigramQuery([g])) as { n: number }).n }))
    .sort((a, b) => a.n - b.n || (a.g < b.g ? -1 : 1));
  // A trigram no row has: no index row holds the needle.
  if (ranked[0]!.n === 0) return [];
  return ranked.slice(0, TRIGRAMS_USED).map((r) => r.g);
}

/** Up to `limit` ids of index rows holding all these trigrams (a superset of the matches). */
function indexRowIds(db: CaseDb, used: readonly string[], limit: number): number[] {
  if (used.length === 0) return [];
  return db
    .prepare(`SELECT rowid AS id FROM ${TEXT_INDEX} WHERE ${TEXT_INDEX} MATCH ? LIMIT ?`)
    .pluck()
    .all(trigramQuery(used), limit) as number[];
}

/**
 * Index rows read at most for a request map (matchMap). A needle in more rows than this keeps
 * the exact test on every row: the map would spare few rows that test while costing the read
 * of every one of its index rows.
 */
const MAP_CANDIDATES_MAX = 1 << 17;

/** Bytes of a request map: the request holds the needle, or may (its text is tested). */
const MAP_MATCH = 1;
const MAP_MAYBE = 2;

/**
 * A map of the needle's requests for a needle too common for a bound id list: one byte per
 * request id (a megabyte per million requests), MAP_MATCH for every request listed under a
 * common value that contains the needle, MAP_MAYBE for `rows` (the index rows holding its
 * trigrams), 0 for the rest.
 */
function matchMap(
  db: CaseDb,
  rows: readonly number[],
  hits: readonly (CommonHit & { needle: string })[],
): Buffer {
  const maxId = (db.prepare('SELECT max(id) AS m FROM requests').get() as { m: number | null }).m;
  const map = Buffer.alloc((maxId ?? 0) + 1);
  for (const id of rows) if (id < map.length) map[id] = MAP_MAYBE;
  for (const { column, table, needle } of hits) {
    const lists = db
      .prepare(
        `SELECT ids FROM ${COMMON_IDS} WHERE col = ? AND value IN
           (SELECT ${column} FROM ${table} WHERE instr(lower(${column}), ?) > 0)`,
      )
      .pluck()
      .all(column, needle) as Uint8Array[];
    for (const ids of lists) markIds(ids, map, MAP_MATCH);
  }
  return map;
}

/** Only seen if a search that waits for its index escaped the call that runs it again. */
const TEXT_INDEX_PENDING =
  'The free-text index is being built (a moment after the analysis); search again.';

/** A value bound to a statement: a request map (matchMap) is a blob. */
export type SqlValue = string | number | Buffer;

/**
 * The free-text condition over `request_facts f`: a case-insensitive literal substring of path,
 * query, user agent or referer (ASCII case folding, as SQLite's lower()), as typed or
 * URL-encoded (textNeedles). With the trigram index (built by the rebuild, or just after it;
 * not used while it lacks requests the analysis has: textIndexCurrent) a rare needle's
 * candidates are looked up once, here, and bound as a list that every statement of the query
 * re-checks exactly; the index folds case at least as widely as lower(), so it never drops a
 * true match.
 *
 * With `maps`, a common needle (in a common value, or in RARE_TEXT_LIMIT or more index rows) is
 * answered by a request map (matchMap, bound as a blob) that each row reads at its id, so only
 * the rows the index may hold have their text tested. The map is exact too: a request's text
 * holds the needle either in a value its index row left out (a common value, whose requests
 * are listed) or in its index row. Without `maps` such a needle is tested on every row.
 *
 * While a worker of this process builds the index after a rebuild job's answer, a search run by
 * retryAfterWaits (every call through dispatch) throws a WaitThenRetry, before anything was
 * read or written, and is run again once the index is done, or exact after the wait's bound
 * (textIndexPending). Run any other way (after an await in a call, a detached export, the
 * download route's rows, the CLI, a worker's own connection) it never throws: it is exact
 * until the index is current. The download route waits for the index itself (exportDownload.ts).
 */
export function textCondition(
  db: CaseDb,
  text: string,
  params: SqlValue[],
  maps = false,
): { sql: string; indexed: boolean } {
  const needles = textNeedles(text);
  // instr on lower(): a literal substring, so % and _ in the needle mean themselves.
  const tests = needles
    .map(() => ['path', 'query', 'user_agent', 'referer'].map((c) => `instr(lower(r.${c}), ?) > 0`))
    .flat()
    .join(' OR ');
  const exact = `EXISTS (SELECT 1 FROM requests r WHERE r.id = f.request_id AND (${tests}))`;
  const exactParams = needles.flatMap((n) => [n, n, n, n]);
  const unindexed = (): { sql: string; indexed: boolean } => {
    params.push(...exactParams);
    return { sql: exact, indexed: false };
  };
  const grams = needles.map((n) => trigramsOf(n));
  if (grams.some((g) => g.length === 0)) return unindexed();
  // An index behind the analysis would miss requests. One a rebuild job's worker is building
  // after its answer (a second at most on 1M requests; the test of every request's text takes
  // seconds) is waited for where the search is run again (dispatch): textIndexWait.ts.
  if (!textIndexCurrent(db)) {
    const pending = retriedAfterWait() ? textIndexPending(db.name) : null;
    if (pending) throw new WaitThenRetry('BUSY', TEXT_INDEX_PENDING, pending);
    return unindexed();
  }
  const hits = needles.flatMap((needle) => commonHits(db, needle).map((h) => ({ ...h, needle })));
  // With the id lists (a case analysed before them has none) a common needle can have a map.
  const mapped = maps && hasCommonIds(db);
  if (hits.length > 0 && !mapped) return unindexed();
  const limit = mapped ? MAP_CANDIDATES_MAX : RARE_TEXT_LIMIT;
  const rows = [
    ...new Set(grams.flatMap((g) => indexRowIds(db, rarestTrigrams(db, g), limit))),
  ].sort((a, b) => a - b);
  if (hits.length === 0 && rows.length < RARE_TEXT_LIMIT) {
    params.push(JSON.stringify(rows), ...exactParams);
    return {
      sql: `f.request_id IN (SELECT value FROM json_each(?)) AND ${exact}`,
      indexed: true,
    };
  }
  if (!mapped || rows.length >= MAP_CANDIDATES_MAX) return unindexed();
  const map = matchMap(db, rows, hits);
  // A blob's substr is one byte at an offset (an id past the map reads x'': no match).
  params.push(map, ...exactParams);
  return {
    sql: `CASE substr(?, f.request_id + 1, 1)
      WHEN x'0${MAP_MATCH}' THEN 1 WHEN x'0${MAP_MAYBE}' THEN ${exact} ELSE 0 END`,
    indexed: false,
  };
}
