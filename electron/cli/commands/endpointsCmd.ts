import { listEndpoints } from '../../query/endpointsQuery.js';
import { openAnalysisCase } from '../analysisCase.js';
import { limitOption, needPositionals, printJson, table, type Command } from '../command.js';
import {
  ENDPOINT_FILTER_OPTIONS,
  ENDPOINT_FILTER_USAGE,
  endpointFiltersFromFlags,
} from '../endpointFlags.js';

export const endpointsCommand: Command = {
  name: 'endpoints',
  usage: `endpoints <case> ${ENDPOINT_FILTER_USAGE} [--limit N] [--json]`,
  summary:
    'endpoints (method, host, path template) with counts, status mix, latency, size, flows, risk, spec status',
  options: {
    ...ENDPOINT_FILTER_OPTIONS,
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const limit = limitOption(args.values.limit, 10_000);
    const filters = endpointFiltersFromFlags(args.values);
    const db = openAnalysisCase(args.positionals[0]!, io);
    try {
      const endpoints = listEndpoints(db, limit, filters);
      if (args.values.json) {
        printJson(io, { endpoints });
        return 0;
      }
      const round = (v: number | null): number | null => (v === null ? null : Math.round(v));
      io.out(
        table(
          endpoints.map((e) => [
            e.id,
            e.requestCount,
            e.method,
            e.host || '-',
            e.template,
            Object.entries(e.statusMix)
              .map(([k, v]) => `${k}:${v}`)
              .join(' '),
            round(e.latencyMs.median),
            round(e.latencyMs.p95),
            round(e.respBytes.median),
            round(e.respBytes.p95),
            e.flows.join(','),
            e.outlierCount,
            e.risk === null ? null : `${e.risk.score} ${e.risk.level}`,
            e.spec?.status ?? null,
          ]),
          [
            'id',
            'requests',
            'method',
            'host',
            'template',
            'status',
            'ms p50',
            'ms p95',
            'B p50',
            'B p95',
            'flows',
            'outl',
            'risk',
            'spec',
          ],
        ),
      );
      return 0;
    } finally {
      db.close();
    }
  },
};
