import {
  COMMON_VALUES,
  hasTextIndex,
  RARE_TEXT_LIMIT,
  TEXT_INDEX,
} from '../analysis/textIndexStep.js';
import type { CaseDb } from '../store/openCase.js';

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

/**
 * True when a value the index leaves out (a common user agent or query string) contains the
 * needle, by the exact test's folding: each is on RARE_TEXT_LIMIT or more requests, so the
 * needle is a common one.
 */
function inCommonValue(db: CaseDb, needle: string): boolean {
  const listed = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  return Object.entries(COMMON_VALUES).some(
    ([column, table]) =>
      listed.get(table) !== undefined &&
      db
        .prepare(`SELECT 1 FROM ${table} WHERE instr(lower(${column}), ?) > 0 LIMIT 1`)
        .get(needle) !== undefined,
  );
}

/**
 * Request ids that may contain the needle (a superset of those that do), or null when there
 * are RARE_TEXT_LIMIT or more of them. The index leaves common values out of its rows, so a
 * needle in one of those is answered (null) before the index is read.
 */
function candidateIds(db: CaseDb, needle: string, grams: readonly string[]): number[] | null {
  if (inCommonValue(db, needle)) return null;
  const count = db.prepare(
    `SELECT count(*) AS n FROM (SELECT 1 FROM ${TEXT_INDEX} WHERE ${TEXT_INDEX} MATCH ? LIMIT ${RARITY_CAP})`,
  );
  const ranked = grams
    .map((g) => ({ g, n: (count.get(trigramQuery([g])) as { n: number }).n }))
    .sort((a, b) => a.n - b.n || (a.g < b.g ? -1 : 1));
  // A trigram no row has: no row contains the needle.
  if (ranked[0]!.n === 0) return [];
  const used = ranked.slice(0, TRIGRAMS_USED).map((r) => r.g);
  const ids = (
    db
      .prepare(`SELECT rowid AS id FROM ${TEXT_INDEX} WHERE ${TEXT_INDEX} MATCH ? LIMIT ?`)
      .all(trigramQuery(used), RARE_TEXT_LIMIT) as { id: number }[]
  ).map((r) => r.id);
  return ids.length < RARE_TEXT_LIMIT ? ids : null;
}

/**
 * The free-text condition over `request_facts f`: a case-insensitive literal substring of path,
 * query, user agent or referer (ASCII case folding, as SQLite's lower()). With the trigram index
 * (built by the rebuild) a rare needle's candidates are looked up once, here, and bound as a
 * list that every statement of the query re-checks exactly; the index folds case at least as
 * widely as lower(), so it never drops a true match.
 */
export function textCondition(
  db: CaseDb,
  text: string,
  params: (string | number)[],
): { sql: string; indexed: boolean } {
  const needle = text.toLowerCase();
  // instr on lower(): a literal substring, so % and _ in the needle mean themselves.
  const exact = `EXISTS (SELECT 1 FROM requests r WHERE r.id = f.request_id AND (
      instr(lower(r.path), ?) > 0 OR instr(lower(r.query), ?) > 0
      OR instr(lower(r.user_agent), ?) > 0 OR instr(lower(r.referer), ?) > 0))`;
  const grams = trigramsOf(needle);
  const ids = grams.length > 0 && hasTextIndex(db) ? candidateIds(db, needle, grams) : null;
  if (ids === null) {
    params.push(needle, needle, needle, needle);
    return { sql: exact, indexed: false };
  }
  params.push(JSON.stringify(ids), needle, needle, needle, needle);
  return {
    sql: `f.request_id IN (SELECT value FROM json_each(?)) AND ${exact}`,
    indexed: true,
  };
}
