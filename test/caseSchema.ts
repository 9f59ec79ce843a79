import Database from 'better-sqlite3';
import { migrations } from '../electron/store/migrations/index.js';
import type { CaseDb } from '../electron/store/openCase.js';

/** The case's own indexes by name (SQLite's automatic ones left out). */
export function indexNames(db: CaseDb): string[] {
  return (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
      .pluck()
      .all() as string[]
  ).filter((n) => !n.startsWith('sqlite_'));
}

/** Tables a migration added, by its version: a case older than it has none of them. */
const TABLES_ADDED: Readonly<Record<number, readonly string[]>> = {
  16: ['endpoint_risk_inputs'],
  18: ['endpoint_size_baselines'],
  21: ['role_members'],
  28: ['time_buckets'],
  29: ['endpoint_aliases'],
};

/** Columns (table, column, and the indexes on it) a migration added to an older table. */
const COLUMNS_ADDED: Readonly<
  Record<number, readonly { table: string; column: string; indexes: readonly string[] }[]>
> = {
  17: [{ table: 'session_verdicts', column: 'uncapped', indexes: ['session_verdicts_capped'] }],
  23: [{ table: 'sources', column: 'without_offset', indexes: [] }],
  25: [{ table: 'specs', column: 'unresolved_paths', indexes: [] }],
  27: [
    { table: 'sources', column: 'first_us', indexes: [] },
    { table: 'sources', column: 'last_us', indexes: [] },
  ],
};

/**
 * Marks the case as of an older schema version, dropping the tables and columns later versions
 * added (the caller turns back whatever else those versions changed), so opening it runs them
 * again.
 */
export function asSchemaVersion(db: CaseDb, version: number): void {
  for (const [v, columns] of Object.entries(COLUMNS_ADDED)) {
    if (Number(v) <= version) continue;
    for (const c of columns) {
      for (const ix of c.indexes) db.exec(`DROP INDEX ${ix}`);
      db.exec(`ALTER TABLE ${c.table} DROP COLUMN ${c.column}`);
    }
  }
  for (const [v, tables] of Object.entries(TABLES_ADDED)) {
    if (Number(v) > version) for (const t of tables) db.exec(`DROP TABLE ${t}`);
  }
  triggersAsOf(db, version);
  db.pragma(`user_version = ${version}`);
}

/**
 * Gives the case the triggers a case of `version` has, as its migrations wrote them (a case
 * whose triggers are not its version's is refused on open: store/schemaTrust.ts).
 */
function triggersAsOf(db: CaseDb, version: number): void {
  const mem = new Database(':memory:');
  for (const m of migrations) if (m.version <= version) mem.exec(m.sql);
  const triggers = mem
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid")
    .pluck()
    .all() as string[];
  mem.close();
  const present = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    .pluck()
    .all() as string[];
  for (const name of present) db.exec(`DROP TRIGGER "${name}"`);
  for (const sql of triggers) db.exec(sql);
}
