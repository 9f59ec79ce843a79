import { verifySources } from '../../ingest/verifySources.js';
import { openCase } from '../../store/openCase.js';
import { needPositionals, printJson, table, type Command } from '../command.js';

export const verifyCommand: Command = {
  name: 'verify',
  usage: 'verify <case> [--json]',
  summary: 're-hash each source and report match / mismatch / missing',
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const db = openCase(args.positionals[0]!, { create: false, readonly: true });
    try {
      const results = await verifySources(db);
      if (args.values.json) printJson(io, { sources: results });
      else
        io.out(
          table(
            results.map((r) => [r.sourceId, r.status, r.file, r.sha256]),
            ['id', 'status', 'file', 'sha256'],
          ),
        );
      return results.every((r) => r.status === 'match') ? 0 : 1;
    } finally {
      db.close();
    }
  },
};
