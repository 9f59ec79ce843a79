import type { ParseArgsConfig } from 'node:util';
import { filtersSchema, type Filters } from '../../shared/query/filterModel.js';
import { flagIssueText, listItems, str, UsageError, type CommandArgs } from './command.js';

/** The filter flags every analysis command accepts; list flags may repeat. */
export const FILTER_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  from: { type: 'string' },
  to: { type: 'string' },
  host: { type: 'string', multiple: true },
  ip: { type: 'string', multiple: true },
  user: { type: 'string', multiple: true },
  role: { type: 'string', multiple: true },
  flow: { type: 'string', multiple: true },
  attack: { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  verdict: { type: 'string', multiple: true },
  status: { type: 'string', multiple: true },
  method: { type: 'string', multiple: true },
  endpoint: { type: 'string', multiple: true },
  'request-id': { type: 'string' },
  text: { type: 'string' },
  outliers: { type: 'boolean' },
};

export const FILTER_USAGE =
  '[--from ISO] [--to ISO] [--host H] [--ip IP|CIDR] [--user U] [--role R] [--flow F] [--attack T] [--tag L] ' +
  '[--status 200|4xx] [--method M] [--endpoint ID] [--request-id X] [--text S] [--outliers] ' +
  '[--verdict none|suspicious|malicious]';

/** The flag of each filter model field whose name differs from it. */
const FLAG_OF_FIELD: Record<string, string> = {
  hosts: 'host',
  ips: 'ip',
  users: 'user',
  roles: 'role',
  flows: 'flow',
  attackTypes: 'attack',
  tags: 'tag',
  verdicts: 'verdict',
  statuses: 'status',
  methods: 'method',
  endpoints: 'endpoint',
  requestId: 'request-id',
  outliersOnly: 'outliers',
};

/** Flags → the filter model, validated by the same schema the UI and links use. */
export function filtersFromFlags(values: CommandArgs['values']): Filters {
  const list = (name: string): string[] | undefined => {
    // "--status 4xx,5xx" and repeated flags both work; "--user 'Doe\, John'" is one user.
    const items = listItems(values[name]);
    return items.length > 0 ? items : undefined;
  };
  const raw = {
    from: str(values.from),
    to: str(values.to),
    hosts: list('host'),
    ips: list('ip'),
    users: list('user'),
    roles: list('role'),
    flows: list('flow'),
    attackTypes: list('attack'),
    tags: list('tag'),
    verdicts: list('verdict'),
    statuses: list('status'),
    methods: list('method'),
    endpoints: list('endpoint'),
    requestId: str(values['request-id']),
    text: str(values.text),
    outliersOnly: values.outliers === true ? true : undefined,
  };
  const parsed = filtersSchema.safeParse(
    Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
  );
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    // Named by the flag the investigator typed (and the value), not the model's field path.
    const field = String(i.path[0] ?? '');
    const flag = FLAG_OF_FIELD[field] ?? field;
    const at = i.path[1];
    const values = (raw as Record<string, unknown>)[field];
    const value = typeof at === 'number' && Array.isArray(values) ? values[at] : values;
    const shown = typeof value === 'string' ? ` ${JSON.stringify(value)}` : '';
    const why =
      field === 'endpoints' && i.code === 'invalid_format'
        ? 'not an endpoint id (the `id` that `endpoints --json` gives, e and 16 hex digits)'
        : flagIssueText(i);
    throw new UsageError(`--${flag}${shown}: ${why}`);
  }
  return parsed.data;
}
