import { SESSION_SORTS, type SessionSort } from '../../../shared/query/filterModel.js';
import { sessionCursorSchema } from '../../../shared/contract/analysisApi.js';
import { countSessions } from '../../query/sessionsCount.js';
import { listSessions } from '../../query/sessionsQuery.js';
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
import { FILTER_OPTIONS, FILTER_USAGE, filtersFromFlags } from '../filterFlags.js';

export const sessionsCommand: Command = {
  name: 'sessions',
  usage: `sessions <case> ${FILTER_USAGE} [--sort firstSeen|lastSeen|requests|duration|outliers|attacks] [--desc] [--limit N] [--cursor C] [--count] [--json]`,
  summary: 'sessions with at least one request matching the filters',
  options: {
    ...FILTER_OPTIONS,
    sort: { type: 'string' },
    desc: { type: 'boolean' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
    count: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const filters = filtersFromFlags(args.values);
    const sort = str(args.values.sort) ?? 'firstSeen';
    if (!(SESSION_SORTS as readonly string[]).includes(sort)) {
      throw new UsageError(`--sort must be one of ${SESSION_SORTS.join(', ')}`);
    }
    const cursor = str(args.values.cursor);
    if (cursor !== undefined && !sessionCursorSchema.safeParse(cursor).success) {
      throw new UsageError('--cursor is not a cursor from a previous page');
    }
    const limit = limitOption(args.values.limit, 50, 1000);
    const db = openAnalysisCase(args.positionals[0]!, io, { attackTypes: filters.attackTypes });
    try {
      if (args.values.count === true) {
        // Every part at once: the command has the case to itself.
        let count = 0;
        let part: string | undefined;
        do {
          const r = countSessions(db, filters, part, { budgetMs: Infinity });
          count += r.count;
          part = r.nextCursor ?? undefined;
        } while (part !== undefined);
        if (args.values.json) printJson(io, { count });
        else io.out(String(count));
        return 0;
      }
      const page = listSessions(db, {
        filters,
        sort: sort as SessionSort,
        descending: args.values.desc === true,
        cursor,
        limit,
      });
      if (args.values.json) {
        printJson(io, page);
        return 0;
      }
      io.out(
        table(
          page.sessions.map((s) => [
            s.id,
            s.firstSeen,
            Math.round(s.durationMs / 1000),
            ofTotal(s.matchedRequests, s.requestCount),
            s.keyKind,
            s.firstIp,
            withMore(s.user, s.userCount),
            s.role,
            s.flows.join(','),
            ofTotal(s.matchedOutliers, s.outlierCount),
            ofTotal(s.matchedAttacks, s.attackCount),
          ]),
          [
            'id',
            'first seen',
            'secs',
            'requests',
            'key',
            'ip',
            'user',
            'role',
            'flows',
            'outl',
            'att',
          ],
        ),
      );
      if (page.nextCursor) io.out(`more: --cursor ${page.nextCursor}`);
      return 0;
    } finally {
      db.close();
    }
  },
};

/** The user shown and how many others the session has: "zoe +3". */
function withMore(user: string | null, userCount: number): string | null {
  return user !== null && userCount > 1 ? `${user} +${userCount - 1}` : user;
}

/** A session's figure under the filters: the total alone, or "matched/total" when they differ. */
function ofTotal(matched: number, total: number): string | number {
  return matched === total ? total : `${matched}/${total}`;
}
