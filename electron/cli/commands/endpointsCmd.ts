import {
  endpointFiltersSchema,
  type EndpointFilters,
} from '../../../shared/contract/analysisApi.js';
import { listEndpoints } from '../../query/endpointsQuery.js';
import { openCase } from '../../store/openCase.js';
import {
  limitOption,
  needPositionals,
  printJson,
  str,
  strList,
  table,
  UsageError,
  type CommandArgs,
  type Command,
} from '../command.js';

/** --text, --risk, --spec and --flow (lists by commas or repeats) as the inventory's filters. */
function endpointFilters(values: CommandArgs['values']): EndpointFilters {
  const list = (name: string): string[] | undefined => {
    const items = strList(values[name])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== '');
    return items.length > 0 ? items : undefined;
  };
  const raw = {
    text: str(values.text),
    // Levels as typed in any case: "high" is High.
    levels: list('risk')?.map((l) => l.charAt(0).toUpperCase() + l.slice(1).toLowerCase()),
    spec: list('spec')?.map((s) => s.toLowerCase()),
    flows: list('flow'),
  };
  const parsed = endpointFiltersSchema.safeParse(
    Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
  );
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const flag = { text: 'text', levels: 'risk', spec: 'spec', flows: 'flow' }[
      String(i.path[0]) as 'text'
    ];
    throw new UsageError(`--${flag ?? String(i.path[0])}: ${i.message}`);
  }
  return parsed.data;
}

export const endpointsCommand: Command = {
  name: 'endpoints',
  usage:
    'endpoints <case> [--text T] [--risk High,Medium,Low] [--spec shadow,zombie,documented] [--flow F] [--limit N] [--json]',
  summary:
    'endpoints (method, host, path template) with counts, status mix, latency, size, flows, risk, spec status',
  options: {
    text: { type: 'string' },
    risk: { type: 'string', multiple: true },
    spec: { type: 'string', multiple: true },
    flow: { type: 'string', multiple: true },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const limit = limitOption(args.values.limit, 10_000);
    const filters = endpointFilters(args.values);
    const db = openCase(args.positionals[0]!, { create: false, readonly: true });
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
