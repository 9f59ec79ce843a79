import { SCHEMA_VERSION } from '../../store/migrations/index.js';
import { openCase, peekSchemaVersion } from '../../store/openCase.js';
import { needPositionals, printJson, type Command } from '../command.js';

export const upgradeCommand: Command = {
  name: 'upgrade',
  usage: 'upgrade <case> [--json]',
  summary: "bring a case made by an older Sessionscope to this version's schema (audited)",
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const file = args.positionals[0]!;
    const before = peekSchemaVersion(file);
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
