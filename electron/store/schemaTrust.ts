import Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors.js';
import { migrations, SCHEMA_VERSION } from './migrations/index.js';

/**
 * A case file comes from anywhere (a colleague, a customer, an attachment), and SQLite runs
 * SQL that the file itself holds: a trigger fires on the app's own INSERT (dropping imported
 * rows, rewriting a verdict, hiding an audit entry), a view runs whatever it selects (a
 * recursive one never ends), and a migration runs against whatever it finds. So before
 * anything reads a case's tables or migrates it, its schema (sqlite_master, which reading runs
 * no SQL of the file's) is compared with the one this build's migrations create for the
 * case's schema version (built once per version, in memory). The rule:
 *
 * - Triggers and views: each must be one the migrations create, with exactly that SQL. Only
 *   migrations create them, so any other is refused.
 * - Virtual tables: only the free-text index (analysis/textIndexStep.ts), an FTS5 table with
 *   no content table of its own. Its shadow tables (`requests_text_data`, ...) are plain tables.
 * - A name the migrations give a table must be a plain table (not a view, a virtual table or
 *   an index of that name). A missing one is tolerated: it runs nothing (a query on it fails
 *   loudly), and some migrations were reworded after cases were made with them (migration 2
 *   now creates fact_values, which a case of version 8 never had: 009_fact_values.test.ts).
 * - No table may declare a conflict clause (`ON CONFLICT IGNORE/REPLACE` in CREATE TABLE): the
 *   app writes none, and one would make the app's plain INSERTs skip or replace rows silently.
 * - Other plain tables and indexes are tolerated: a table runs no SQL and nothing the app runs
 *   reads a name it does not create (the analysis's derived tables, ANALYZE's sqlite_stat1, a
 *   derived table an older build left behind); an index's expressions cannot hold a query,
 *   and every connection has `trusted_schema` off, so they call only innocuous functions.
 */

/** The free-text index's table names (textIndexStep.ts's, checked equal by schemaTrust.test). */
export const TEXT_INDEX_NAME = 'requests_text';

interface SchemaObject {
  type: string;
  name: string;
  sql: string | null;
}

const references = new Map<number, Map<string, SchemaObject>>();

/** What this build's migrations create for `version`, by name (built once per version). */
function reference(version: number, nativeBinding: string | undefined): Map<string, SchemaObject> {
  let ref = references.get(version);
  if (ref) return ref;
  const mem = new Database(':memory:', nativeBinding ? { nativeBinding } : {});
  try {
    for (const m of migrations) if (m.version <= version) mem.exec(m.sql);
    ref = new Map(readSchema(mem).map((o) => [o.name, o]));
  } finally {
    mem.close();
  }
  references.set(version, ref);
  return ref;
}

function readSchema(db: Database.Database): SchemaObject[] {
  return db
    .prepare('SELECT type, name, sql FROM main.sqlite_master ORDER BY rowid')
    .all() as SchemaObject[];
}

/** A name from the file, shown in a message: one line, bounded, control characters replaced. */
function shown(name: string): string {
  // eslint-disable-next-line no-control-regex -- a crafted name may hold any of them
  const flat = name.replace(/[\x00-\x1f\x7f]/g, '?');
  return `'${flat.length > 60 ? `${flat.slice(0, 60)}…` : flat}'`;
}

const a = (kind: string): string => (kind === 'index' ? 'an index' : `a ${kind}`);

const VIRTUAL = /^\s*CREATE\s+VIRTUAL\s+TABLE\b/i;
/** The free-text index as textIndexStep creates it: FTS5, contentless (content=''). */
const TEXT_INDEX_SQL = new RegExp(
  `^\\s*CREATE\\s+VIRTUAL\\s+TABLE\\s+"?${TEXT_INDEX_NAME}"?\\s+USING\\s+fts5\\s*\\(`,
  'i',
);
const CONFLICT_CLAUSE = /\bON\s+CONFLICT\b/i;

/** What is wrong with the schema `objects` against `ref`, as "it holds ..." phrases. */
function problems(objects: SchemaObject[], ref: Map<string, SchemaObject>): string[] {
  const out: string[] = [];
  for (const o of objects) {
    const mine = ref.get(o.name);
    const sql = o.sql ?? '';
    if (mine && mine.type !== o.type) {
      out.push(`${shown(o.name)} is ${a(o.type)} where the app creates ${a(mine.type)}`);
    } else if (o.type === 'trigger' || o.type === 'view') {
      if (!mine) out.push(`it holds a ${o.type} ${shown(o.name)} the app does not create`);
      else if (mine.sql !== o.sql)
        out.push(`its ${o.type} ${shown(o.name)} is not the one the app creates`);
    } else if (o.type === 'table') {
      if (VIRTUAL.test(sql)) {
        const textIndex =
          o.name === TEXT_INDEX_NAME && TEXT_INDEX_SQL.test(sql) && /content\s*=\s*''/i.test(sql);
        if (mine)
          out.push(`${shown(o.name)} is a virtual table where the app creates a plain table`);
        else if (!textIndex)
          out.push(`it holds a virtual table ${shown(o.name)} the app does not create`);
      } else if (CONFLICT_CLAUSE.test(sql)) {
        out.push(`its table ${shown(o.name)} declares a conflict clause the app does not write`);
      }
    } else if (o.type !== 'index') {
      out.push(`it holds a schema entry ${shown(o.name)} of an unknown kind`);
    }
  }
  return out;
}

/**
 * Refuses (NOT_A_CASE) a case of schema `version` whose schema is not what this build's
 * migrations create for that version (see the rule above). Reads only sqlite_master.
 */
export function assertCaseSchema(
  db: Database.Database,
  file: string,
  version: number,
  nativeBinding?: string,
): void {
  if (version < 1 || version > SCHEMA_VERSION) return;
  const found = problems(readSchema(db), reference(version, nativeBinding));
  if (found.length === 0) return;
  const more =
    found.length > 1
      ? ` (and ${found.length - 1} more difference${found.length > 2 ? 's' : ''})`
      : '';
  throw new AppError(
    'NOT_A_CASE',
    `${file} is not a Sessionscope case as this version writes them: ${found[0]}${more}. ` +
      'It was not opened: a case file that holds SQL of its own could change what the app records.',
  );
}

/** True when `name` is a plain table of `db` (reading it runs no SQL the file holds). */
export function isPlainTable(db: Database.Database, name: string): boolean {
  const row = db
    .prepare('SELECT sql FROM main.sqlite_master WHERE type = ? AND name = ?')
    .get('table', name) as { sql: string | null } | undefined;
  return row !== undefined && !VIRTUAL.test(row.sql ?? '');
}
