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
