import { auditActionSchema, type AuditEntryInfo } from '../../../shared/contract/auditApi.js';
import { auditDetailsText } from '../../../shared/audit/auditDetailsText.js';
import { listAuditPage } from '../../api/auditHandlers.js';
import { openCase } from '../../store/openCase.js';
import { needPositionals, printJson, str, UsageError, type Command } from '../command.js';
import { terminalText } from '../terminalText.js';

const PAGE = 1000;

export const auditCommand: Command = {
  name: 'audit',
  usage: 'audit <case> [--action A] [--json]',
  summary: 'the audit trail: every import, removal, settings change, tag, mark and spec load',
  options: { action: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const actionArg = str(args.values.action);
    const action = actionArg === undefined ? undefined : auditActionSchema.safeParse(actionArg);
    if (action && !action.success) throw new UsageError(`--action: not an action name`);
    const db = openCase(args.positionals[0]!, { create: false, readonly: true });
    try {
      // The whole trail, read page by page so the statement never holds the table at once.
      const entries: AuditEntryInfo[] = [];
      let cursor: string | undefined;
      do {
        const page = listAuditPage(db, { cursor, limit: PAGE, action: action?.data });
        entries.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      if (args.values.json) {
        printJson(io, {
          entries: entries.map((e) => ({
            id: e.id,
            at: e.at,
            action: e.action,
            details: e.details,
          })),
        });
        return 0;
      }
      if (entries.length === 0) {
        io.out('no audit entries');
        return 0;
      }
      // Not table(): it cuts cells at 60 characters, and the trail is read in full.
      let width = 6;
      for (const e of entries) width = Math.max(width, e.action.length);
      io.out(`${'time (UTC)'.padEnd(24)}  ${'action'.padEnd(width)}  details`);
      for (const e of entries) {
        const details = terminalText(auditDetailsText(e.details));
        io.out(`${e.at.padEnd(24)}  ${e.action.padEnd(width)}  ${details}`.trimEnd());
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
