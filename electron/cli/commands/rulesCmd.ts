import type { z } from 'zod';
import {
  NAMED_FIELDS,
  RULE_KINDS,
  ruleInputSchema,
  type RuleField,
  type RuleInfo,
} from '../../../shared/rules/ruleModel.js';
import {
  afterChange,
  listRules,
  partialFor,
  recordRule,
  recordRuleDelete,
  recordRuleUpdate,
} from '../../rules/rulesDb.js';
import { openCase } from '../../store/openCase.js';
import {
  needPositionals,
  printJson,
  str,
  table,
  UsageError,
  type CliIO,
  type Command,
} from '../command.js';
import { terminalText } from '../terminalText.js';

const USAGE =
  'rules <case> list [--kind K] [--json] | add --kind suppress --scope signature|type|all ' +
  '[--rule-id R] [--type T] [--method M --host H --template T] [--param P] | add --kind detect|tag ' +
  '--field path|query|body|param|header|cookie|ua [--name N] (--contains S | --regex R) ' +
  '(--type T | --label L) [--note N] [--disabled] | edit <id> (the add flags) | enable|disable|delete <id>';

const state = (r: RuleInfo): string =>
  !r.enabled ? 'off' : r.notApplied === null ? 'on' : 'on, not applied';

function describe(r: RuleInfo): string {
  if (r.kind === 'suppress') {
    const what =
      r.scope === 'signature' ? r.ruleId : r.scope === 'type' ? `type ${r.type}` : 'all types';
    const where = r.endpoint
      ? `${r.endpoint.method} ${r.endpoint.host}${r.endpoint.template}`
      : 'any endpoint';
    return `${what} on ${where}, ${r.param === null ? 'any parameter' : `parameter ${r.param}`}`;
  }
  const field = r.fieldName === null ? r.field : `${r.field} ${r.fieldName}`;
  const target = r.kind === 'detect' ? `type ${r.type}` : `tag ${r.label}`;
  return `${field} ${r.match === 'regex' ? 'matches' : 'contains'} ${r.pattern} → ${target}`;
}

/**
 * Says on stderr which enabled rules the rebuild leaves out (a stored pattern that no longer
 * compiles): nothing the investigator set is dropped without a word.
 */
export function warnUnapplied(io: CliIO, rules: readonly RuleInfo[]): void {
  for (const r of rules) {
    if (r.notApplied !== null) {
      io.err(`warning: ${r.kind} rule ${r.id} is not applied: ${terminalText(r.notApplied)}`);
    }
  }
}

/** The flag that gives each field of the rule input (`match` is --contains or --regex). */
const FLAG_OF_FIELD: Record<string, string> = {
  kind: '--kind',
  scope: '--scope',
  ruleId: '--rule-id',
  type: '--type',
  param: '--param',
  field: '--field',
  fieldName: '--name',
  label: '--label',
  note: '--note',
  enabled: '--disabled',
};

/**
 * A refused rule in the flags the investigator typed: the schema's field names (`fieldName`,
 * `ruleId`) and its generic texts ("Invalid input") mean nothing on the command line.
 */
function ruleIssueText(i: z.core.$ZodIssue, raw: Record<string, unknown>): string {
  const field = String(i.path[0] ?? '');
  const value =
    field === 'endpoint'
      ? (raw['endpoint'] as Record<string, unknown> | undefined)?.[String(i.path[1])]
      : raw[field];
  const flag =
    field === 'endpoint'
      ? `--${String(i.path[1] ?? 'template')}`
      : field === 'pattern' || field === 'match'
        ? raw['match'] === 'regex'
          ? '--regex'
          : '--contains'
        : (FLAG_OF_FIELD[field] ?? field);
  const kind = String(raw['kind']);
  if (i.code === 'custom') {
    // The cross-field checks of ruleModel.ts, said with the flags they are about.
    const scope = raw['scope'];
    if (field === 'ruleId')
      return scope === 'signature'
        ? '--scope signature needs --rule-id R'
        : '--rule-id only goes with --scope signature';
    if (field === 'type' && kind === 'suppress')
      return scope === 'type'
        ? '--scope type needs --type T'
        : '--type only goes with --scope type';
    if (field === 'fieldName')
      return NAMED_FIELDS.has(raw['field'] as RuleField)
        ? `--field ${String(raw['field'])} needs --name N (the ${String(raw['field'])}'s name)`
        : '--name only goes with --field param, header or cookie';
    return `${flag}: ${i.message.replace(/^pattern: /, '')}`;
  }
  if (field === 'kind') return `--kind must be one of ${RULE_KINDS.join(', ')}`;
  if (i.code === 'invalid_type' && value === undefined) return `--kind ${kind} needs ${flag}`;
  if (i.code === 'invalid_value')
    return `${flag} must be one of ${i.values.map((v) => String(v)).join(', ')}`;
  const shown = typeof value === 'string' ? ` ${JSON.stringify(value)}` : '';
  return `${flag}${shown}: ${i.message}`;
}

/** The `add` flags as the contract's rule input, validated by the same schema. */
function ruleFromFlags(v: Record<string, unknown>): z.output<typeof ruleInputSchema> {
  const s = (k: string) => (typeof v[k] === 'string' ? v[k] : undefined);
  const kind = s('kind');
  if (kind === undefined) throw new UsageError('add needs --kind suppress|detect|tag');
  if (!(RULE_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`--kind must be one of ${RULE_KINDS.join(', ')}`);
  }
  const common = {
    note: s('note'),
    enabled: v['disabled'] === true ? false : undefined,
  };
  let raw: Record<string, unknown>;
  if (kind === 'suppress') {
    const endpointParts = [s('method'), s('host'), s('template')];
    const some = endpointParts.some((x) => x !== undefined);
    if (some && endpointParts.some((x) => x === undefined)) {
      throw new UsageError('an endpoint needs --method, --host and --template together');
    }
    raw = {
      kind,
      scope: s('scope'),
      ruleId: s('rule-id'),
      type: s('type'),
      endpoint: some
        ? { method: s('method'), host: s('host'), template: s('template') }
        : undefined,
      param: s('param'),
      ...common,
    };
  } else {
    if ((s('contains') === undefined) === (s('regex') === undefined)) {
      throw new UsageError('give one of --contains TEXT or --regex PATTERN');
    }
    raw = {
      kind,
      field: s('field'),
      fieldName: s('name'),
      match: s('regex') !== undefined ? 'regex' : 'literal',
      pattern: s('regex') ?? s('contains'),
      ...(kind === 'detect' ? { type: s('type') } : { label: s('label') }),
      ...common,
    };
  }
  const parsed = ruleInputSchema.safeParse(
    Object.fromEntries(Object.entries(raw).filter(([, x]) => x !== undefined)),
  );
  if (!parsed.success) throw new UsageError(ruleIssueText(parsed.error.issues[0]!, raw));
  return parsed.data;
}

function ruleId(arg: string | undefined): number {
  const n = Number(arg);
  if (arg === undefined || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError('give the rule id (see `rules <case> list`)');
  }
  return n;
}

export const rulesCommand: Command = {
  name: 'rules',
  usage: USAGE,
  summary: 'investigator rules: suppress false positives, custom detections, custom tags',
  options: {
    json: { type: 'boolean' },
    kind: { type: 'string' },
    scope: { type: 'string' },
    'rule-id': { type: 'string' },
    type: { type: 'string' },
    method: { type: 'string' },
    host: { type: 'string' },
    template: { type: 'string' },
    param: { type: 'string' },
    field: { type: 'string' },
    name: { type: 'string' },
    contains: { type: 'string' },
    regex: { type: 'string' },
    label: { type: 'string' },
    note: { type: 'string' },
    disabled: { type: 'boolean' },
  },
  maxPositionals: 3,
  async run(args, io) {
    needPositionals(args, 2, this.usage);
    const [file, action, idArg] = args.positionals;
    const json = args.values.json === true;
    if ((action === 'list' || action === 'add') && idArg !== undefined) {
      throw new UsageError(
        `unexpected argument ${JSON.stringify(idArg)}: ${action} takes no rule id`,
      );
    }
    if (action === 'list') {
      const kind = str(args.values.kind);
      if (kind !== undefined && !(RULE_KINDS as readonly string[]).includes(kind)) {
        throw new UsageError(`--kind must be one of ${RULE_KINDS.join(', ')}`);
      }
      const db = openCase(file!, { create: false, readonly: true });
      try {
        const rules = listRules(db, kind as RuleInfo['kind'] | undefined);
        if (json) printJson(io, rules);
        else if (rules.length === 0) io.out('No rules.');
        else
          io.out(
            table(
              rules.map((r) => [r.id, r.kind, state(r), describe(r), r.note]),
              ['id', 'kind', 'state', 'rule', 'note'],
            ),
          );
        warnUnapplied(io, rules);
        return 0;
      } finally {
        db.close();
      }
    }
    if (!['add', 'edit', 'enable', 'disable', 'delete'].includes(action!)) {
      throw new UsageError(`usage: sessionscope ${this.usage}`);
    }
    // Validate before opening the case for writing.
    const rule = action === 'add' || action === 'edit' ? ruleFromFlags(args.values) : undefined;
    const id = action === 'add' ? undefined : ruleId(idArg);
    const db = openCase(file!, { create: false });
    try {
      // Read before the change: a deleted rule is gone after it (an unknown id is refused below).
      const kind = rule?.kind ?? listRules(db).find((r) => r.id === id)?.kind ?? 'detect';
      let changed: number;
      if (action === 'add') changed = recordRule(db, rule!);
      else if (action === 'edit') {
        // A new definition replaces the old; enabled state and note change only when given.
        recordRuleUpdate(db, { id: id!, rule: rule! });
        changed = id!;
      } else if (action === 'delete') {
        recordRuleDelete(db, id!);
        changed = id!;
      } else {
        recordRuleUpdate(db, { id: id!, enabled: action === 'enable' });
        changed = id!;
      }
      // Every change is applied at once: the partial rebuild the app runs after a rule change.
      const r = afterChange(db, changed, partialFor(kind));
      if (json) printJson(io, { action, ...r });
      else
        io.out(
          `rule ${r.id} ${action === 'add' ? 'added' : action === 'edit' ? 'edited' : `${action}d`}: ${r.detections} findings counted, ${r.falsePositives} false positives set aside`,
        );
      warnUnapplied(io, listRules(db));
      return 0;
    } finally {
      db.close();
    }
  },
};
