import { hasTextIndex, TEXT_INDEX } from '../analysis/textIndexStep.js';
import type { CaseDb } from '../store/openCase.js';

/** Trigrams looked up per search: any subset still narrows to a superset of the matches. */
const MAX_TRIGRAMS = 24;

/**
 * Up to this many candidates the search starts from the index. A needle more common than that
 * is found within the first sessions anyway, and a candidate list that long would cost more to
 * build than it saves (the sessions list walks sessions and tests their requests instead).
 */
export const RARE_TEXT_LIMIT = 1000;

/**
 * The FTS5 query for "has every trigram of the needle", or null when the needle is shorter
 * than one trigram (in code points, as the tokenizer counts). Each trigram is a quoted string,
 * so no character of the needle is FTS syntax.
 */
export function trigramQuery(needle: string): string | null {
  const cps = [...needle];
  if (cps.length < 3) return null;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= cps.length; i++) grams.add(cps.slice(i, i + 3).join(''));
  let list = [...grams];
  if (list.length > MAX_TRIGRAMS) {
    const step = list.length / MAX_TRIGRAMS;
    list = Array.from({ length: MAX_TRIGRAMS }, (_, k) => list[Math.floor(k * step)]!);
  }
  return list.map((g) => `"${g.replace(/"/g, '""')}"`).join(' AND ');
}

function candidates(db: CaseDb, fts: string): number {
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM (SELECT 1 FROM ${TEXT_INDEX} WHERE ${TEXT_INDEX} MATCH ? LIMIT ${RARE_TEXT_LIMIT})`,
      )
      .get(fts) as { n: number }
  ).n;
}

/**
 * The free-text condition over `request_facts f`: a case-insensitive literal substring of path,
 * query, user agent or referer (ASCII case folding, as SQLite's lower()). With the trigram index
 * (built by the rebuild) a rare needle's candidates come from the index and are re-checked
 * exactly; the index folds case at least as widely as lower(), so it never drops a true match.
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
  const fts = trigramQuery(needle);
  if (fts === null || !hasTextIndex(db) || candidates(db, fts) >= RARE_TEXT_LIMIT) {
    params.push(needle, needle, needle, needle);
    return { sql: exact, indexed: false };
  }
  params.push(fts, needle, needle, needle, needle);
  return {
    sql: `f.request_id IN (SELECT rowid FROM ${TEXT_INDEX} WHERE ${TEXT_INDEX} MATCH ?) AND ${exact}`,
    indexed: true,
  };
}
