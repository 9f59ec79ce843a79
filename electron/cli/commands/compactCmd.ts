import { compactCase, type CaseFileFigures } from '../../store/compactCase.js';
import { openCase } from '../../store/openCase.js';
import { needPositionals, printJson, type Command } from '../command.js';

function describe(f: CaseFileFigures): string {
  return `${f.bytes} bytes, ${f.pages} pages of ${f.pageSize} bytes (${f.freePages} free)`;
}

export const compactCommand: Command = {
  name: 'compact',
  usage: 'compact <case> [--json]',
  summary:
    'write missing analysis columns, rewrite the case file with 16 KiB pages and no free space (audited)',
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const db = openCase(args.positionals[0]!, { create: false });
    try {
      const r = compactCase(db);
      if (args.values.json) printJson(io, r);
      else {
        io.out(`before: ${describe(r.before)}`);
        io.out(`after:  ${describe(r.after)}`);
        io.out(`analysis columns written for ${r.columnSources} source(s)`);
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
