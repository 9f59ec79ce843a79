import { openCase } from '../../store/openCase.js';
import { listRejects } from '../../store/sourcesRepo.js';
import { limitOption, needPositionals, printJson, table, type Command } from '../command.js';

export const rejectsCommand: Command = {
  name: 'rejects',
  usage: 'rejects <case> [--limit N] [--json]',
  summary: 'lines that could not be read as requests, with the reason',
  options: { limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const limit = limitOption(args.values.limit, 1000);
    const db = openCase(args.positionals[0]!, { create: false, readonly: true });
    try {
      const rows = listRejects(db, limit);
      if (args.values.json) {
        printJson(io, { rejects: rows });
        return 0;
      }
      io.out(
        table(
          rows.map((r) => [r.sourceId, r.lineNo, r.reason, r.raw.slice(0, 60)]),
          ['source', 'line', 'reason', 'raw'],
        ),
      );
      return 0;
    } finally {
      db.close();
    }
  },
};
