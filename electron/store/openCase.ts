import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { AppError } from '../../shared/contract/errors.js';
import { TOOL_VERSION } from '../version.js';
import { SCHEMA_VERSION, migrations } from './migrations/index.js';
import { requestIndexes } from './migrations/001_caseStore.js';
import { audit } from './auditLog.js';
import { assertCaseSchema, isPlainTable } from './schemaTrust.js';

export type CaseDb = Database.Database;

/** Page size of a case created from now on (bytes). */
export const NEW_CASE_PAGE_SIZE = 16384;

export interface CaseMeta {
  uuid: string;
  createdAt: string;
  toolVersion: string;
  schemaVersion: number;
}

export interface OpenCaseOptions {
  /** Create the file when it does not exist (default true). */
  create?: boolean;
  readonly?: boolean;
  /** Path to an alternative native binding (the Electron-ABI build). */
  nativeBinding?: string;
}

/** The binding each connection was opened with, so workers it starts can open theirs alike. */
const bindings = new WeakMap<CaseDb, string>();

/** The alternative native binding `db` was opened with, if any (see OpenCaseOptions). */
export function nativeBindingOf(db: CaseDb): string | undefined {
  return bindings.get(db);
}

/**
 * Opens (or creates) a case file: WAL, foreign keys on, migrations applied in one
 * transaction, case identity recorded. A case written by a newer Sessionscope is refused; so,
 * read-only, is one of an older schema (its queries would fail on tables it lacks): it is
 * upgraded by opening it writable (`sessionscope upgrade`, the app, any command that writes).
 */
export function openCase(file: string, opts: OpenCaseOptions = {}): CaseDb {
  let exists = file === ':memory:' || existsSync(file);
  if (!exists && opts.create === false) {
    throw new AppError('NOT_FOUND', `No case file at ${file}`);
  }
  if (!exists && !opts.readonly) exists = !createOwnerOnly(file);
  // SQLite would answer a folder with "disk I/O error" (reading) or "unable to open" (writing).
  if (exists && file !== ':memory:' && statSync(file).isDirectory()) {
    throw new AppError('NOT_A_CASE', `${file} is a folder, not a case file`);
  }
  const dbOpts: Database.Options = { readonly: opts.readonly ?? false };
  if (opts.nativeBinding) dbOpts.nativeBinding = opts.nativeBinding;
  let db: CaseDb;
  try {
    db = new Database(file, dbOpts);
  } catch (err) {
    throw new AppError('NOT_A_CASE', `Cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    // Before anything reads the case's tables, migrates it or changes its file (WAL): SQL the
    // file holds (a trigger, a view) is refused unless this build's migrations create it
    // (schemaTrust.ts), and none of it may call a function not marked innocuous.
    db.pragma('trusted_schema = OFF');
    assertCaseSchema(db, file, readUserVersion(db), opts.nativeBinding);
    if (!exists && !opts.readonly) {
      // A new case's page size, set before its first table exists (an existing case keeps its
      // own): 1M imported requests write about a quarter as many pages and B-tree cells as with
      // 4 KiB pages, which halved the import's COMMIT CPU (0.6 s → 0.3 s) and shaved the inserts.
      db.pragma(`page_size = ${NEW_CASE_PAGE_SIZE}`);
    }
    configure(db, opts.readonly ?? false);
    if (!opts.readonly) migrate(db);
    else checkReadable(db, file, readUserVersion(db));
    if (opts.nativeBinding) bindings.set(db, opts.nativeBinding);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof AppError) throw err;
    throw new AppError(
      'NOT_A_CASE',
      `${file} is not a Sessionscope case: ${(err as Error).message}`,
    );
  }
}

/** Mode of a new case file; SQLite gives its -wal and -shm files the same mode (unix). */
export const NEW_CASE_FILE_MODE = 0o600;

/**
 * Creates `file` empty and owner-only before SQLite opens it (an empty file is an empty
 * database): a case holds the logs' cookies and tokens, and SQLite would create it under the
 * umask, usually readable by all. Every way of making a case (the app, the CLI, browser mode)
 * comes through here. False when the file appeared meanwhile (it is then opened as it is).
 */
function createOwnerOnly(file: string): boolean {
  try {
    closeSync(openSync(file, 'wx', NEW_CASE_FILE_MODE));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new AppError('NOT_A_CASE', `Cannot create ${file}: ${(err as Error).message}`);
  }
}

function configure(db: CaseDb, readonly: boolean): void {
  if (!readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
}

/**
 * The schema version of the case in `file`, read without opening it as a case (no migration,
 * no check); null when there is no such file or it is not SQLite.
 */
export function peekSchemaVersion(file: string): number | null {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return readUserVersion(db);
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

function readUserVersion(db: CaseDb): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function checkVersion(db: CaseDb, current: number): void {
  if (current > SCHEMA_VERSION) {
    // A newer schema is not checked (this build does not know it): its case_meta is read only
    // when it is a plain table, which runs no SQL the file holds.
    const made = isPlainTable(db, 'case_meta') ? tryReadMeta(db)?.toolVersion : undefined;
    throw new AppError(
      'CASE_TOO_NEW',
      `This case uses schema version ${current}${made ? ` (made by Sessionscope ${made})` : ''}; ` +
        `this Sessionscope ${TOOL_VERSION} understands up to version ${SCHEMA_VERSION}. Update Sessionscope to open it.`,
    );
  }
}

/** A read-only open reads only a case of this very schema. */
function checkReadable(db: CaseDb, file: string, current: number): void {
  checkVersion(db, current);
  if (current === 0) throw new AppError('NOT_A_CASE', `${file} is not a Sessionscope case.`);
  if (current < SCHEMA_VERSION) {
    const made = tryReadMeta(db)?.toolVersion;
    throw new AppError(
      'CASE_OUTDATED',
      `This case uses schema version ${current}${made ? ` (made by Sessionscope ${made})` : ''}; ` +
        `this Sessionscope ${TOOL_VERSION} reads version ${SCHEMA_VERSION}. Run \`sessionscope upgrade ${file}\` ` +
        '(or open it in the app) to bring it up to date; its requests and sources are kept as they are.',
    );
  }
}

/**
 * Applies every pending migration in one transaction and records the new user_version; an
 * existing case's upgrade is written to its audit log (`case.upgrade`).
 */
export function migrate(db: CaseDb): void {
  const current = readUserVersion(db);
  checkVersion(db, current);
  if (current === 0 && hasForeignTables(db)) {
    throw new AppError('NOT_A_CASE', 'The file is an SQLite database but not a Sessionscope case.');
  }
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql);
    if (current === 0) {
      for (const ix of requestIndexes) db.exec(ix.create);
      const meta = db.prepare('INSERT INTO case_meta (key, value) VALUES (?, ?)');
      meta.run('uuid', randomUUID());
      meta.run('created_at', new Date().toISOString());
      meta.run('tool_version', TOOL_VERSION);
      audit(db, 'case.create', { toolVersion: TOOL_VERSION });
    } else {
      audit(db, 'case.upgrade', {
        fromVersion: current,
        toVersion: SCHEMA_VERSION,
        toolVersion: TOOL_VERSION,
      });
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

/** Any schema object at all (a trigger or view too: the migrations would run beside it). */
function hasForeignTables(db: CaseDb): boolean {
  const row = db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as {
    n: number;
  };
  return row.n > 0;
}

function tryReadMeta(db: CaseDb): CaseMeta | undefined {
  try {
    return readCaseMeta(db);
  } catch {
    return undefined;
  }
}

export function readCaseMeta(db: CaseDb): CaseMeta {
  const rows = db.prepare('SELECT key, value FROM case_meta').all() as {
    key: string;
    value: string;
  }[];
  const m = new Map(rows.map((r) => [r.key, r.value]));
  return {
    uuid: m.get('uuid') ?? '',
    createdAt: m.get('created_at') ?? '',
    toolVersion: m.get('tool_version') ?? '',
    schemaVersion: readUserVersion(db),
  };
}
