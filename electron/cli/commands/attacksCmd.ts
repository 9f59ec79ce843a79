import { formatUs } from '../../../shared/time/parseTime.js';
import { storedTypeSchema } from '../../../shared/contract/detectApi.js';
import { analysisIsCurrent } from '../../analysis/rebuild.js';
import { listAttacks } from '../../api/detectHandlers.js';
import type { CaseDb } from '../../store/openCase.js';
import { openAnalysisCase } from '../analysisCase.js';
import {
  limitOption,
  needPositionals,
  printJson,
  str,
  table,
  UsageError,
  type Command,
} from '../command.js';

function falsePositiveCount(db: CaseDb): number {
  return (db.prepare('SELECT count(*) AS n FROM fp_detections').get() as { n: number }).n;
}

const TEXT_GROUPS = 30;
const JSON_GROUPS = 200;

export const attacksCommand: Command = {
  name: 'attacks',
  usage: 'attacks <case> [--type T] [--limit N] [--cursor C] [--json]',
  summary: 'attack detections grouped by type and endpoint, then a list',
  options: {
    type: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const typeArg = str(args.values.type);
    const parsedType = typeArg === undefined ? undefined : storedTypeSchema.safeParse(typeArg);
    if (parsedType && !parsedType.success) {
      throw new UsageError("--type must be a type code such as sqli, xss or a custom rule's type");
    }
    const limit = limitOption(args.values.limit, 50, 100_000);
    const cursor = str(args.values.cursor);
    if (cursor !== undefined && !/^\d{1,32}$/.test(cursor)) {
      throw new UsageError('--cursor is not a cursor from a previous page (its nextCursor)');
    }
    const db = openAnalysisCase(args.positionals[0]!, io, {
      attackTypes: parsedType?.data === undefined ? [] : [parsedType.data],
    });
    try {
      // Text output is for reading: the 30 largest groups; --json carries up to 200, and both
      // say how many there are (groupsTotal).
      const json = args.values.json === true;
      const r = listAttacks(db, {
        type: parsedType?.data,
        limit,
        cursor,
        groupLimit: json ? JSON_GROUPS : TEXT_GROUPS,
      });
      if (json) {
        printJson(io, r);
        return 0;
      }
      if (r.types.length === 0) {
        io.out(noFindings(db, parsedType?.data));
        return 0;
      }
      io.out(
        table(
          r.types.map((t) => [t.type, t.requests, t.detections, t.engine, t.sourceLabel, t.custom]),
          ['type', 'requests', 'findings', 'engine', 'source label', 'custom'],
        ),
      );
      io.out('');
      io.out(
        table(
          // Grouped by path (ids folded); the endpoint whose template covers it beside it.
          r.groups.map((g) => [
            g.type,
            g.method,
            g.endpoint,
            g.endpointTemplate ?? '-',
            g.requests,
            g.rules.join(' '),
            g.exampleRequestId,
          ]),
          ['type', 'method', 'path', 'endpoint', 'requests', 'rules', 'example'],
        ),
      );
      // The list is cut at the largest groups: say so, and how many are left out.
      const moreGroups = r.groupsTotal - r.groups.length;
      if (moreGroups > 0) {
        io.out(
          `… and ${moreGroups} more group${moreGroups === 1 ? '' : 's'} (--json for up to ${JSON_GROUPS})`,
        );
      }
      io.out('');
      io.out(
        table(
          r.items.map((d) => [
            d.requestId,
            formatUs(d.tsUs),
            d.ruleId,
            d.location,
            d.param,
            d.fragment,
          ]),
          ['request', 'time', 'rule', 'where', 'param', 'fragment'],
        ),
      );
      if (r.nextCursor !== null) io.out(`more findings: --cursor ${r.nextCursor}`);
      // False positives are left out of every figure above; say so, with how many.
      const fp = falsePositiveCount(db);
      if (fp > 0) io.out(`${fp} findings marked false positive are not counted (see \`rules\`).`);
      return 0;
    } finally {
      db.close();
    }
  },
};

/** Why the list is empty: no finding of the type asked, none at all, or no analysis yet. */
function noFindings(db: CaseDb, type: string | undefined): string {
  if (!analysisIsCurrent(db))
    return 'No detections. Run the analysis rebuild first if the case has requests.';
  return type === undefined
    ? 'No attacks were detected in this case.'
    : `No findings of type ${type} in this case.`;
}
