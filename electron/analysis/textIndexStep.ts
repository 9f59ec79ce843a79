import type { CaseDb } from '../store/openCase.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import { readState, writeState } from './settingsRepo.js';

/**
 * A trigram index of the request columns the free-text filter searches, so a search reads the
 * few requests that can contain the needle instead of every request. Contentless (the text
 * stays only in `requests`), without positions or sizes: it answers "which rows have all these
 * trigrams", a superset of the rows that contain the needle, which the filter then re-checks
 * with the exact substring test. It is derived from `requests` alone, so a rebuild leaves it
 * as it is while the requests are unchanged and only appends an import's new rows.
 */
export const TEXT_INDEX = 'requests_text';
export const TEXT_COLUMNS = ['path', 'query', 'user_agent', 'referer'] as const;

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

function insertFrom(db: CaseDb, afterId: number): void {
  const cols = TEXT_COLUMNS.join(', ');
  db.prepare(
    `INSERT INTO ${TEXT_INDEX} (rowid, ${cols}) SELECT id, ${cols} FROM requests WHERE id > ?`,
  ).run(afterId);
}

/** Brings the index up to date; returns how it did so (for the rebuild's figures). */
export function updateTextIndex(db: CaseDb): 'unchanged' | 'appended' | 'built' {
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
    insertFrom(db, before.maxId);
    how = 'appended';
  } else {
    db.exec(`DROP TABLE IF EXISTS ${TEXT_INDEX}`);
    db.exec(
      `CREATE VIRTUAL TABLE ${TEXT_INDEX} USING fts5(${TEXT_COLUMNS.join(', ')},
        content='', tokenize='trigram', detail=none, columnsize=0)`,
    );
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
    ctx.stats.textIndexBuilt = updateTextIndex(ctx.db) === 'built' ? 1 : 0;
  },
};
