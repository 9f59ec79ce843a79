import { SCHEMA_VERSION } from '../../store/migrations/index.js';
import { openCase } from '../../store/openCase.js';
import { needPositionals, printJson, type Command } from '../command.js';
import Database from 'better-sqlite3';

/** The case's schema version, read without migrating it (null: no such file or not SQLite). */
function schemaVersionOf(file: string): number | null {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.pragma('user_version', { simple: true }) as number;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

export const upgradeCommand: Command = {
  name: 'upgrade',
  usage: 'upgrade <case> [--json]',
  summary: "bring a case made by an older Sessionscope to this version's schema (audited)",
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const file = args.positionals[0]!;
    const before = schemaVersionOf(file);
    // Opening it writable applies the pending migrations in one transaction, or refuses a case
    // that is not one or is newer (the errors say so).
    const db = openCase(file, { create: false });
    db.close();
    const upgraded = before !== null && before < SCHEMA_VERSION;
    if (args.values.json) {
      printJson(io, { fromVersion: before, toVersion: SCHEMA_VERSION, upgraded });
    } else if (upgraded) {
      io.out(`schema version ${before} → ${SCHEMA_VERSION}`);
    } else {
      io.out(`already at schema version ${SCHEMA_VERSION}`);
    }
    return 0;
  },
};
