import { formatUs } from '../../../shared/time/parseTime.js';
import { openCase } from '../../store/openCase.js';
import { listRequests, type RequestRow } from '../../store/requestsRepo.js';
import { limitOption, needPositionals, printJson, table, type Command } from '../command.js';

function parseJsonField(v: string | null): unknown {
  return v === null ? null : (JSON.parse(v) as unknown);
}

export function requestToJson(r: RequestRow): Record<string, unknown> {
  return {
    id: r.id,
    sourceId: r.sourceId,
    lineNo: r.lineNo,
    time: formatUs(r.tsUs),
    tsUs: r.tsUs,
    ip: r.ip,
    xff: r.xff,
    method: r.method,
    scheme: r.scheme,
    host: r.host,
    path: r.path,
    query: r.query,
    protocol: r.protocol,
    status: r.status,
    latencyMs: r.latencyMs,
    reqBytes: r.reqBytes,
    respBytes: r.respBytes,
    userAgent: r.userAgent,
    referer: r.referer,
    requestId: r.requestId,
    cookies: r.cookies,
    headers: parseJsonField(r.headers),
    reqBody: r.reqBody,
    respHeaders: parseJsonField(r.respHeaders),
    respBody: r.respBody,
    srcSession: r.srcSession,
    srcUser: r.srcUser,
    srcRole: r.srcRole,
    srcLabel: r.srcLabel,
    extra: parseJsonField(r.extra),
  };
}

export const requestsCommand: Command = {
  name: 'requests',
  usage: 'requests <case> [--limit N] [--json]',
  summary: 'requests in time order',
  options: { limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const limit = limitOption(args.values.limit, 50);
    const db = openCase(args.positionals[0]!, { create: false, readonly: true });
    try {
      const rows = listRequests(db, limit);
      if (args.values.json) {
        printJson(io, { requests: rows.map(requestToJson) });
        return 0;
      }
      io.out(
        table(
          rows.map((r) => [
            r.id,
            formatUs(r.tsUs),
            r.ip,
            r.method,
            (r.path ?? '') + (r.query !== null ? '?' + r.query : ''),
            r.status,
            r.latencyMs,
            r.respBytes,
          ]),
          ['id', 'time', 'ip', 'method', 'target', 'status', 'ms', 'bytes'],
        ),
      );
      return 0;
    } finally {
      db.close();
    }
  },
};
