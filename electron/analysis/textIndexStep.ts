import { AppError } from '../../shared/contract/errors.js';
import type { CaseDb } from '../store/openCase.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import type { ScanResult } from './scanResult.js';
import { readState, writeState } from './settingsRepo.js';
import { IdsWriter } from './idLists.js';
import { onlyAppended, requestsCoverage, type Coverage } from './requestsCoverage.js';
import { StringKeyMap } from '../../shared/collections/stringKeyMap.js';

/**
 * A trigram index of the request columns the free-text filter searches, so a search reads the
 * few requests that can contain the needle instead of every request. Contentless (the text
 * stays only in `requests`), without positions or sizes: it answers "which rows have all these
 * trigrams", a superset of the rows that contain the needle, which the filter then re-checks
 * with the exact substring test. It is derived from `requests` alone, so a rebuild leaves it
 * as it is while the requests are unchanged and only appends an import's new rows.
 *
 * User agents and query strings repeat heavily, and indexing them on every request was over
 * half of the build's cost. A value on RARE_TEXT_LIMIT or more requests (a "common" one) is listed
 * once in its column's COMMON_VALUES table and left out of its requests' index rows: a needle
 * found in a common value matches at least RARE_TEXT_LIMIT requests, which the filter answers
 * without the index anyway, so it checks the (at most requests / RARE_TEXT_LIMIT per column)
 * common values first. Each common value's requests are listed (COMMON_IDS), so the session
 * list reads such a needle's requests from those lists instead of testing every request's text.
 */
export const TEXT_INDEX = 'requests_text';
export const TEXT_COLUMNS = ['path', 'query', 'user_agent', 'referer'] as const;
/**
 * Per column, the table of values left out of the index's rows: each is on RARE_TEXT_LIMIT or
 * more requests. Paths are not listed: the scan does not keep them, and they vary more.
 */
export const COMMON_VALUES = {
  user_agent: 'requests_text_common_ua',
  query: 'requests_text_common_query',
} as const;
export type CommonColumn = keyof typeof COMMON_VALUES;
const COMMON_COLUMNS = Object.keys(COMMON_VALUES) as CommonColumn[];

/**
 * Per common value, the requests that hold it: one row per build or append (`batch`, the last
 * request id before it), ids ascending in a blob (encodeIds). Every request whose index row
 * left a value out is listed under that value, so a search that finds the needle in a common
 * value reads these ids instead of testing every request's text. A listed request that the
 * index also holds (an older row of a value that became common later) is harmless: it does
 * hold the value.
 */
export const COMMON_IDS = 'requests_text_common_ids';

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
/**
 * The coverage the index must have to answer (textIndexCurrent): written with the index, and
 * by a rebuild that leaves the index for later (TextIndexLater).
 */
const DUE_KEY = 'text_index_due';

export function hasTextIndex(db: CaseDb): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(TEXT_INDEX) !==
    undefined
  );
}

/** Distinct query strings counted at most (a value not listed is indexed per row: still exact). */
const QUERY_COUNT_MAX = 1 << 16;

/**
 * Values of `column` on RARE_TEXT_LIMIT or more requests: counted from the rebuild's scan when
 * there is one (no second read of a million values), else by SQLite.
 */
function commonValues(db: CaseDb, column: CommonColumn, scan: ScanResult | undefined): string[] {
  if (scan === undefined)
    return db
      .prepare(
        `SELECT ${column} FROM requests WHERE ${column} IS NOT NULL
         GROUP BY ${column} HAVING count(*) >= ?`,
      )
      .pluck()
      .all(RARE_TEXT_LIMIT) as string[];
  const common: string[] = [];
  if (column === 'user_agent') {
    const counts = new Int32Array(scan.strings.size);
    for (let i = 0; i < scan.n; i++) {
      const ua = scan.ua[i]!;
      if (ua >= 0) counts[ua]!++;
    }
    counts.forEach((n, id) => {
      if (n >= RARE_TEXT_LIMIT) common.push(scan.strings.get(id)!);
    });
  } else {
    // The scan keeps queries as strings ('' as null: no trigram to leave out anyway).
    const counts = new StringKeyMap<number>();
    for (let i = 0; i < scan.n; i++) {
      const q = scan.query[i];
      if (q === null || q === undefined) continue;
      const n = counts.get(q);
      if (n !== undefined) counts.set(q, n + 1);
      // Mostly distinct queries: stop counting (those already common are still listed).
      else if (counts.size >= QUERY_COUNT_MAX) break;
      else counts.set(q, 1);
    }
    for (const [q, n] of counts) if (n >= RARE_TEXT_LIMIT) common.push(q);
  }
  return common;
}

/** Adds values to a column's common list (index rows written from now on leave them out). */
function addCommon(db: CaseDb, column: CommonColumn, values: readonly string[]): void {
  const table = COMMON_VALUES[column];
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (${column} TEXT PRIMARY KEY) STRICT, WITHOUT ROWID`);
  const add = db.prepare(`INSERT OR IGNORE INTO ${table} (${column}) VALUES (?)`);
  for (const v of values) add.run(v);
}

function listCommon(db: CaseDb, scan: ScanResult | undefined): void {
  for (const column of COMMON_COLUMNS) addCommon(db, column, commonValues(db, column, scan));
}

export function hasCommonIds(db: CaseDb): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(COMMON_IDS) !==
    undefined
  );
}

/**
 * Lists the requests after `afterId` that hold a common value, under that value: from the
 * rebuild's scan when there is one (the same strings SQLite holds), else by SQLite.
 */
function listCommonIds(db: CaseDb, scan: ScanResult | undefined, afterId: number): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${COMMON_IDS} (
      col TEXT NOT NULL, value TEXT NOT NULL, batch INTEGER NOT NULL, ids BLOB NOT NULL,
      PRIMARY KEY (col, value, batch)) STRICT`);
  const add = db.prepare(`INSERT INTO ${COMMON_IDS} (col, value, batch, ids) VALUES (?, ?, ?, ?)`);
  for (const column of COMMON_COLUMNS) {
    const table = COMMON_VALUES[column];
    const values = db.prepare(`SELECT ${column} FROM ${table}`).pluck().all() as string[];
    if (values.length === 0) continue;
    const lists =
      scan === undefined
        ? idsBySql(db, column, values, afterId)
        : idsByScan(scan, column, values, afterId);
    lists.forEach((ids, k) => {
      if (ids.length > 0) add.run(column, values[k]!, afterId, ids);
    });
  }
}

function idsBySql(
  db: CaseDb,
  column: CommonColumn,
  values: readonly string[],
  afterId: number,
): Uint8Array[] {
  const slot = new Map(values.map((v, k) => [v, k]));
  const lists = values.map(() => new IdsWriter());
  const rows = db
    .prepare(
      `SELECT id, ${column} FROM requests
       WHERE id > ? AND ${column} IN (SELECT ${column} FROM ${COMMON_VALUES[column]}) ORDER BY id`,
    )
    .raw(true)
    .iterate(afterId) as Iterable<[number, string]>;
  for (const [id, v] of rows) lists[slot.get(v)!]!.add(id);
  return lists.map((w) => w.bytes());
}

/**
 * The scan's requests (in id order) under each value, encoded as encodeIds does in the one
 * pass over the scan: no id array to build, then encode, per list.
 */
function idsByScan(
  scan: ScanResult,
  column: CommonColumn,
  values: readonly string[],
  afterId: number,
): Uint8Array[] {
  const slot = new Map(values.map((v, k) => [v, k]));
  const lists = values.map(() => new IdsWriter());
  if (column === 'user_agent') {
    // Slot of each interned string, looked up once per distinct string (-2: not yet).
    const slotOf = new Int32Array(scan.strings.size).fill(-2);
    for (let i = 0; i < scan.n; i++) {
      const ua = scan.ua[i]!;
      const id = scan.requestId[i]!;
      if (ua < 0 || id <= afterId) continue;
      let k = slotOf[ua]!;
      if (k === -2) k = slotOf[ua] = slot.get(scan.strings.get(ua)!) ?? -1;
      if (k >= 0) lists[k]!.add(id);
    }
  } else {
    for (let i = 0; i < scan.n; i++) {
      const q = scan.query[i];
      const id = scan.requestId[i]!;
      if (q === null || q === undefined || id <= afterId) continue;
      const k = slot.get(q);
      if (k !== undefined) lists[k]!.add(id);
    }
  }
  return lists.map((w) => w.bytes());
}

/**
 * One statement for all the requests: FTS5 writes a segment at the end of each statement, so
 * ranges of 100,000 (a cancel heard between two) cost a fifth more on 1M requests.
 */
function insertFrom(db: CaseDb, afterId: number): void {
  const cols = TEXT_COLUMNS.join(', ');
  const values = TEXT_COLUMNS.map((c) => {
    const table = (COMMON_VALUES as Partial<Record<string, string>>)[c];
    if (table === undefined || db.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() === undefined)
      return c;
    return `CASE WHEN ${c} IN (SELECT ${c} FROM ${table}) THEN NULL ELSE ${c} END`;
  }).join(', ');
  db.prepare(
    `INSERT INTO ${TEXT_INDEX} (rowid, ${cols}) SELECT id, ${values} FROM requests WHERE id > ?`,
  ).run(afterId);
}

/**
 * Brings the index up to date; returns how it did so (for the rebuild's figures). `scan` is
 * the rebuild's scan of the same requests, when there is one; `cancelPoint` is called between
 * its parts (the insert itself, about 0.8 s on 1M requests, is not cut).
 */
export function updateTextIndex(
  db: CaseDb,
  scan?: ScanResult,
  cancelPoint?: () => void,
): 'unchanged' | 'appended' | 'built' {
  // The rebuild's scan counted the requests this transaction sees (counting 1M takes ~40 ms).
  const now = requestsCoverage(db, scan?.n);
  const stored = readState(db, STATE_KEY);
  const before = stored === null ? null : (JSON.parse(stored) as Coverage);
  let how: 'unchanged' | 'appended' | 'built';
  if (before && hasTextIndex(db) && JSON.stringify(before) === JSON.stringify(now)) {
    // An index built before the id lists existed gets them now, without a new build.
    if (!hasCommonIds(db)) listCommonIds(db, scan, 0);
    writeState(db, DUE_KEY, stored!);
    return 'unchanged';
  }
  if (before !== null && hasTextIndex(db) && onlyAppended(db, before, now)) {
    // Common values stay common as requests are added; the new rows leave out those that are
    // common now (older rows that hold one are still found through the index).
    listCommon(db, scan);
    cancelPoint?.();
    insertFrom(db, before.maxId);
    cancelPoint?.();
    listCommonIds(db, scan, hasCommonIds(db) ? before.maxId : 0);
    how = 'appended';
  } else {
    db.exec(`DROP TABLE IF EXISTS ${TEXT_INDEX}`);
    for (const table of [...Object.values(COMMON_VALUES), COMMON_IDS])
      db.exec(`DROP TABLE IF EXISTS ${table}`);
    db.exec(
      `CREATE VIRTUAL TABLE ${TEXT_INDEX} USING fts5(${TEXT_COLUMNS.join(', ')},
        content='', tokenize='trigram', detail=none, columnsize=0)`,
    );
    // A configuration value: bound, it would be a REAL, which FTS5 refuses.
    db.exec(
      `INSERT INTO ${TEXT_INDEX} (${TEXT_INDEX}, rank) VALUES ('hashsize', ${BUILD_HASH_BYTES})`,
    );
    listCommon(db, scan);
    cancelPoint?.();
    insertFrom(db, 0);
    cancelPoint?.();
    listCommonIds(db, scan, 0);
    how = 'built';
  }
  writeState(db, STATE_KEY, JSON.stringify(now));
  writeState(db, DUE_KEY, JSON.stringify(now));
  return how;
}

/**
 * True when the index may answer: it covers the requests the last analysis covered (the
 * coverage its rebuild recorded as due). A rebuild that left the index for later
 * (TextIndexLater) records a coverage the index lacks until it is brought up to date; until
 * then the free-text filter tests every request's text instead (exact, slower).
 */
export function textIndexCurrent(db: CaseDb): boolean {
  if (!hasTextIndex(db)) return false;
  const due = readState(db, DUE_KEY);
  return due === null || readState(db, STATE_KEY) === due;
}

/**
 * True when a rebuild left the index for later and it has not caught up (its tail was
 * cancelled, failed, or ended with the app): a tail on its own brings it up to date.
 */
export function textIndexBehind(db: CaseDb): boolean {
  return readState(db, DUE_KEY) !== null && !textIndexCurrent(db);
}

/** Requests from which a rebuild job leaves the text index for after its answer (~0.1 s). */
export const LATER_MIN_REQUESTS = 100_000;

/**
 * The text index left out of a rebuild's transaction, to be brought up to date in a
 * transaction of its own once the rebuild has committed and answered (the first analysis is
 * usable about a second sooner on 1M requests). The rebuild's step records the coverage the
 * index must reach (its `due` state) and hands over its scan; `build` then does what the step
 * would have done. Killed or cancelled half-way, its transaction rolls back and the index
 * stays behind its due coverage: searches stay exact (textIndexCurrent), and the next `build`
 * (any rebuild job's tail) brings it up to date.
 */
export class TextIndexLater {
  /** Set by the rebuild's step: the index lacks what the committed analysis covers. */
  due = false;
  /** The rebuild's scan of the requests the index is due to cover. */
  scan: ScanResult | undefined;

  /** `minRequests`: a smaller case's index is built in the rebuild as before (it is quick). */
  constructor(readonly minRequests = LATER_MIN_REQUESTS) {}

  /** True when the index is behind the analysis: after this rebuild, or a tail cut short. */
  pending(db: CaseDb): boolean {
    return this.due || textIndexBehind(db);
  }

  /**
   * Brings the index up to date if it is behind (pending); null when it was not. Cancel
   * (`shouldCancel` true) rolls back to the index as it was.
   */
  build(db: CaseDb, shouldCancel?: () => boolean): 'unchanged' | 'appended' | 'built' | null {
    if (!this.pending(db)) return null;
    this.due = false;
    const check = (): void => {
      if (shouldCancel?.())
        throw new AppError('CANCELLED', 'Text index cancelled; it is built again later');
    };
    const scan = this.scan;
    this.scan = undefined;
    return db
      .transaction(() => {
        // The scan counted the rebuild's requests: only while the case holds those still.
        const due = readState(db, DUE_KEY);
        const same = scan !== undefined && due === JSON.stringify(requestsCoverage(db, undefined));
        return updateTextIndex(db, same ? scan : undefined, check);
      })
      .immediate();
  }
}

export const textIndexStep: RebuildStep = {
  name: 'text index',
  order: 65,
  run(ctx: RebuildContext) {
    const later = ctx.textIndexLater;
    if (later === undefined || ctx.scan === undefined || ctx.scan.n < later.minRequests) {
      ctx.stats.textIndexBuilt = updateTextIndex(ctx.db, ctx.scan) === 'built' ? 1 : 0;
      return;
    }
    const now = JSON.stringify(requestsCoverage(ctx.db, ctx.scan.n));
    writeState(ctx.db, DUE_KEY, now);
    later.due =
      !hasTextIndex(ctx.db) || !hasCommonIds(ctx.db) || readState(ctx.db, STATE_KEY) !== now;
    later.scan = later.due ? ctx.scan : undefined;
    ctx.stats.textIndexBuilt = 0;
  },
};
