import type { CaseDb } from '../store/openCase.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import type { ScanResult } from './scanStep.js';
import { readState, writeState } from './settingsRepo.js';

/**
 * A trigram index of the request columns the free-text filter searches, so a search reads the
 * few requests that can contain the needle instead of every request. Contentless (the text
 * stays only in `requests`), without positions or sizes: it answers "which rows have all these
 * trigrams", a superset of the rows that contain the needle, which the filter then re-checks
 * with the exact substring test. It is derived from `requests` alone, so a rebuild leaves it
 * as it is while the requests are unchanged and only appends an import's new rows.
 *
 * User agents repeat heavily, and indexing one on every request was most of the build's cost.
 * A user agent on RARE_TEXT_LIMIT or more requests (a "common" one) is listed once in
 * COMMON_USER_AGENTS and left out of its requests' index rows: a needle found in a common
 * user agent matches at least RARE_TEXT_LIMIT requests, which the filter answers without the
 * index anyway, so it checks the (at most requests / RARE_TEXT_LIMIT) common user agents first.
 */
export const TEXT_INDEX = 'requests_text';
export const TEXT_COLUMNS = ['path', 'query', 'user_agent', 'referer'] as const;
/** User agents left out of the index's rows: each is on RARE_TEXT_LIMIT or more requests. */
export const COMMON_USER_AGENTS = 'requests_text_common_ua';

/**
 * Up to this many candidates the search starts from the index. A needle more common than that
 * is found within the first sessions anyway, and a candidate list that long would cost more to
 * use than it saves (the sessions list walks sessions and tests their requests instead).
 */
export const RARE_TEXT_LIMIT = 1000;

/**
 * Memory FTS5 gathers rows in before it writes a segment (its default is 1 MB): far fewer
 * segments to merge while a million requests are indexed (about a third of the build's CPU).
 */
const BUILD_HASH_BYTES = 32 * 1024 * 1024;

const STATE_KEY = 'text_index';

interface Coverage {
  count: number;
  maxId: number;
  /** id, hash and import time of every source: a deleted or replaced source means a full build. */
  sources: string[];
}

function coverage(db: CaseDb): Coverage {
  const r = db
    .prepare('SELECT count(*) AS count, coalesce(max(id), 0) AS maxId FROM requests')
    .get() as {
    count: number;
    maxId: number;
  };
  const sources = (
    db.prepare('SELECT id, sha256, imported_at AS at FROM sources ORDER BY id').all() as {
      id: number;
      sha256: string;
      at: string;
    }[]
  ).map((s) => `${s.id}:${s.sha256}:${s.at}`);
  return { ...r, sources };
}

export function hasTextIndex(db: CaseDb): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(TEXT_INDEX) !==
    undefined
  );
}

/**
 * User agents on RARE_TEXT_LIMIT or more requests: counted from the rebuild's scan when there is
 * one (no second read of a million user agents), else by SQLite.
 */
function commonUserAgents(db: CaseDb, scan: ScanResult | undefined): string[] {
  if (scan === undefined)
    return db
      .prepare(
        `SELECT user_agent FROM requests WHERE user_agent IS NOT NULL
         GROUP BY user_agent HAVING count(*) >= ?`,
      )
      .pluck()
      .all(RARE_TEXT_LIMIT) as string[];
  const counts = new Int32Array(scan.strings.size);
  for (let i = 0; i < scan.n; i++) {
    const ua = scan.ua[i]!;
    if (ua >= 0) counts[ua]!++;
  }
  const common: string[] = [];
  counts.forEach((n, id) => {
    if (n >= RARE_TEXT_LIMIT) common.push(scan.strings.get(id)!);
  });
  return common;
}

/** Adds user agents to the common list (the index's rows written from now on leave them out). */
function addCommon(db: CaseDb, userAgents: readonly string[]): void {
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${COMMON_USER_AGENTS} (user_agent TEXT PRIMARY KEY) STRICT, WITHOUT ROWID`,
  );
  const add = db.prepare(`INSERT OR IGNORE INTO ${COMMON_USER_AGENTS} (user_agent) VALUES (?)`);
  for (const ua of userAgents) add.run(ua);
}

function insertFrom(db: CaseDb, afterId: number): void {
  const cols = TEXT_COLUMNS.join(', ');
  const anyCommon = db.prepare(`SELECT 1 FROM ${COMMON_USER_AGENTS} LIMIT 1`).get() !== undefined;
  const values = TEXT_COLUMNS.map((c) =>
    c === 'user_agent' && anyCommon
      ? `CASE WHEN user_agent IN (SELECT user_agent FROM ${COMMON_USER_AGENTS}) THEN NULL
          ELSE user_agent END`
      : c,
  ).join(', ');
  db.prepare(
    `INSERT INTO ${TEXT_INDEX} (rowid, ${cols}) SELECT id, ${values} FROM requests WHERE id > ?`,
  ).run(afterId);
}

/**
 * Brings the index up to date; returns how it did so (for the rebuild's figures). `scan` is
 * the rebuild's scan of the same requests, when there is one.
 */
export function updateTextIndex(db: CaseDb, scan?: ScanResult): 'unchanged' | 'appended' | 'built' {
  const now = coverage(db);
  const stored = readState(db, STATE_KEY);
  const before = stored === null ? null : (JSON.parse(stored) as Coverage);
  let how: 'unchanged' | 'appended' | 'built';
  if (before && hasTextIndex(db) && JSON.stringify(before) === JSON.stringify(now)) {
    return 'unchanged';
  }
  const onlyAppended =
    before !== null &&
    hasTextIndex(db) &&
    before.sources.every((s) => now.sources.includes(s)) &&
    now.count - before.count ===
      (
        db.prepare('SELECT count(*) AS n FROM requests WHERE id > ?').get(before.maxId) as {
          n: number;
        }
      ).n;
  if (onlyAppended) {
    // Common user agents stay common as requests are added; the new rows leave out those
    // that are common now (older rows that hold one are still found through the index).
    addCommon(db, commonUserAgents(db, scan));
    insertFrom(db, before.maxId);
    how = 'appended';
  } else {
    db.exec(`DROP TABLE IF EXISTS ${TEXT_INDEX}`);
    db.exec(`DROP TABLE IF EXISTS ${COMMON_USER_AGENTS}`);
    db.exec(
      `CREATE VIRTUAL TABLE ${TEXT_INDEX} USING fts5(${TEXT_COLUMNS.join(', ')},
        content='', tokenize='trigram', detail=none, columnsize=0)`,
    );
    // A configuration value: bound, it would be a REAL, which FTS5 refuses.
    db.exec(
      `INSERT INTO ${TEXT_INDEX} (${TEXT_INDEX}, rank) VALUES ('hashsize', ${BUILD_HASH_BYTES})`,
    );
    addCommon(db, commonUserAgents(db, scan));
    insertFrom(db, 0);
    how = 'built';
  }
  writeState(db, STATE_KEY, JSON.stringify(now));
  return how;
}

export const textIndexStep: RebuildStep = {
  name: 'text index',
  order: 65,
  run(ctx: RebuildContext) {
    ctx.stats.textIndexBuilt = updateTextIndex(ctx.db, ctx.scan) === 'built' ? 1 : 0;
  },
};
