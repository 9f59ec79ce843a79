import {
  requestCursorSchema,
  sessionIdSchema,
  type SessionDistribution,
} from '../../../shared/contract/analysisApi.js';
import { BOT_TYPE_LABEL, reasonText } from '../../../shared/verdicts/reasonText.js';
import { sessionVerdict } from '../../api/verdictHandlers.js';
import { getSessionDetail } from '../../query/sessionDetail.js';
import { listSessionRequests } from '../../query/sessionRequests.js';
import { openAnalysisCase } from '../analysisCase.js';
import {
  intOption,
  limitOption,
  needPositionals,
  printJson,
  str,
  table,
  UsageError,
  type Command,
} from '../command.js';
import { FILTER_OPTIONS, FILTER_USAGE, filtersFromFlags } from '../filterFlags.js';
import { terminalText } from '../terminalText.js';

export const sessionCommand: Command = {
  name: 'session',
  usage: `session <case> <id> ${FILTER_USAGE} [--top N] [--limit N] [--cursor C] [--json]`,
  summary: 'one session: header, flows, distributions and its (matching) requests',
  options: {
    ...FILTER_OPTIONS,
    top: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
    json: { type: 'boolean' },
  },
  maxPositionals: 2,
  async run(args, io) {
    needPositionals(args, 2, this.usage);
    const id = args.positionals[1]!;
    if (!sessionIdSchema.safeParse(id).success) throw new UsageError(`"${id}" is not a session id`);
    const filters = filtersFromFlags(args.values);
    const limit = limitOption(args.values.limit, 200, 100_000);
    const cursor = str(args.values.cursor);
    if (cursor !== undefined && !requestCursorSchema.safeParse(cursor).success) {
      throw new UsageError('--cursor is not a cursor from a previous page (its nextCursor)');
    }
    const top = args.values.top === undefined ? undefined : intOption(args.values.top, 'top', 0);
    if (top !== undefined && (top < 1 || top > 100_000))
      throw new UsageError('--top must be 1..100000');
    const db = openAnalysisCase(args.positionals[0]!, io, { attackTypes: filters.attackTypes });
    try {
      const detail = getSessionDetail(db, id, filters, top);
      // What a --top cut left out of a distribution, under its table.
      const rest = (name: SessionDistribution): string => {
        const o = detail.omitted?.[name];
        return o === undefined ? '' : `\n(${o.values} more values, ${o.count} requests)`;
      };
      const page = listSessionRequests(db, id, filters, cursor, limit);
      if (args.values.json) {
        printJson(io, {
          ...detail,
          verdict: sessionVerdict(db, id),
          requests: page.requests,
          nextCursor: page.nextCursor,
        });
        return 0;
      }
      const s = detail.session;
      io.out(`session ${s.id}  key ${s.keyKind} ${terminalText(s.keyValue ?? '')}`);
      io.out(`${s.firstSeen} → ${s.lastSeen}  (${Math.round(s.durationMs / 1000)} s)`);
      io.out(
        `${s.matchedRequests} of ${s.requestCount} requests, ${s.ipCount} IPs, user ${terminalText(s.user ?? '-')}, role ${terminalText(s.role ?? '-')}, ${s.outlierCount} outliers, ${s.attackCount} attacks`,
      );
      io.out(`user agent: ${table([[s.userAgent]], ['']).trim()}`);
      // Every user the session tried (the line above names its last), not only the last.
      if (s.userCount > 1) {
        const unnamed = s.userCount - s.users.length;
        io.out(
          `users (${s.userCount}): ${s.users.map(terminalText).join(', ')}${unnamed > 0 ? ` and ${unnamed} more` : ''}`,
        );
      }
      const v = sessionVerdict(db, id);
      io.out(
        `verdict: ${v.level}${v.botType ? ` (${BOT_TYPE_LABEL[v.botType]})` : ''}` +
          (v.level === 'none' ? '' : `, confidence ${Math.round(v.confidence * 100)}%`) +
          (v.review ? `, ${v.review.decision}` : ''),
      );
      for (const r of v.reasons) io.out(`  - ${reasonText(r)}`);
      io.out('\nflows');
      io.out(
        table(
          detail.flows.map((f) => [f.flow, f.count, `${f.percent}%`]),
          ['flow', 'count', '%'],
        ),
      );
      io.out('\nby method');
      io.out(
        table(
          detail.byMethod.map((c) => [c.value, c.count]),
          ['method', 'count'],
        ) + rest('byMethod'),
      );
      io.out('\nby status');
      io.out(
        table(
          detail.byStatus.map((c) => [c.value, c.count]),
          ['status', 'count'],
        ) + rest('byStatus'),
      );
      io.out('\nby IP');
      io.out(
        table(
          detail.byIp.map((c) => [c.value, c.count]),
          ['ip', 'count'],
        ) + rest('byIp'),
      );
      // Every matching request: the users', then those naming none (a row of their own).
      io.out('\nby user');
      const withoutUser = detail.withoutUser ?? 0;
      io.out(
        table(
          [
            ...(detail.byUser ?? []).map((c) => [c.value, c.count]),
            ...(withoutUser > 0 ? [['(no user)', withoutUser]] : []),
          ],
          ['user', 'count'],
        ) + rest('byUser'),
      );
      io.out('\nby endpoint');
      io.out(
        table(
          detail.byEndpoint.map((e) => [e.count, e.method, e.host, e.template]),
          ['count', 'method', 'host', 'template'],
        ) + rest('byEndpoint'),
      );
      io.out('\nrequests');
      io.out(
        table(
          page.requests.map((r) => [
            r.id,
            r.time,
            r.ip,
            r.method,
            (r.path ?? '') + (r.query !== null ? '?' + r.query : ''),
            r.status,
            r.latencyMs,
            r.respBytes,
            r.latency?.outlier
              ? `latency ${r.latency.value} ms vs median ${r.latency.median} ms, z ${r.latency.z.toFixed(1)}`
              : r.size?.outlier
                ? `size ${r.size.value} B vs median ${r.size.median} B, z ${r.size.z.toFixed(1)}`
                : '',
            r.attacks.join(','),
          ]),
          ['id', 'time', 'ip', 'method', 'target', 'status', 'ms', 'bytes', 'outlier', 'attacks'],
        ),
      );
      if (page.nextCursor) io.out(`more requests: --cursor ${page.nextCursor}`);
      return 0;
    } finally {
      db.close();
    }
  },
};
