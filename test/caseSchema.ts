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
};

/**
 * Marks the case as of an older schema version, dropping the tables later versions added (the
 * caller turns back whatever else those versions changed), so opening it runs them again.
 */
export function asSchemaVersion(db: CaseDb, version: number): void {
  for (const [v, tables] of Object.entries(TABLES_ADDED)) {
    if (Number(v) > version) for (const t of tables) db.exec(`DROP TABLE ${t}`);
  }
  db.pragma(`user_version = ${version}`);
}
