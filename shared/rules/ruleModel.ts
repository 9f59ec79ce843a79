import { z } from 'zod';
import { fieldTextMax } from './fieldTexts.js';
import { patternProblem } from './linearRegex.js';

/**
 * Investigator rules, kept in the case and applied on every rebuild:
 * - `suppress`: findings matching a scope (one signature, one attack type, or all types),
 *   optionally on one endpoint and one parameter, are false positives;
 * - `detect`: a pattern on a chosen field is a finding of an attack type the investigator names;
 * - `tag`: a pattern on a chosen field puts a label on the request (filterable).
 * Field names are a public interface (contract, CLI --json).
 */

export const RULE_KINDS = ['suppress', 'detect', 'tag'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const SUPPRESS_SCOPES = ['signature', 'type', 'all'] as const;
export type SuppressScope = (typeof SUPPRESS_SCOPES)[number];

/** Where a detect or tag rule looks. `param` and `header` need a name. */
export const RULE_FIELDS = ['path', 'query', 'body', 'param', 'header', 'cookie', 'ua'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];
export const NAMED_FIELDS: ReadonlySet<RuleField> = new Set(['param', 'header', 'cookie']);

/** `literal`: a case-insensitive substring; `regex`: a linear-time pattern (linearRegex.ts). */
export const MATCH_KINDS = ['literal', 'regex'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

/**
 * Attack types and tag labels are identifiers, so they travel safely through filters, links
 * and CSV: lowercase letters, digits, `_` and `-`, starting with a letter.
 */
export const labelSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lowercase letters, digits, _ and -, starting with a letter');

/** Signature ids: built-in (`sqli.union-select`), a custom rule's (`custom.12`), or a label. */
export const signatureSchema = z
  .string()
  .min(3)
  .max(100)
  .regex(/^(?:[a-z_]{2,20}\.[a-z0-9-]{1,60}|source-label)$/, 'not a rule id');

const name = z.string().trim().min(1).max(200);
const note = z.string().max(2000);

/** The endpoint a suppress rule is limited to, keyed as endpoints are (survives rebuilds). */
export const endpointKeySchema = z.strictObject({
  method: z.string().trim().min(1).max(20),
  host: z.string().max(300),
  template: z.string().min(1).max(2000),
});
export type EndpointKey = z.output<typeof endpointKeySchema>;

const suppressSchema = z.strictObject({
  kind: z.literal('suppress'),
  scope: z.enum(SUPPRESS_SCOPES),
  /** Scope `signature`: the rule id. */
  ruleId: signatureSchema.optional(),
  /** Scope `type`: the attack type. */
  type: labelSchema.optional(),
  endpoint: endpointKeySchema.optional(),
  param: name.optional(),
  note: note.optional(),
  enabled: z.boolean().optional(),
});

const patternFields = {
  field: z.enum(RULE_FIELDS),
  /** The parameter, header or cookie name for those fields (case-insensitive for headers). */
  fieldName: name.optional(),
  match: z.enum(MATCH_KINDS),
  pattern: z.string().min(1).max(500),
  note: note.optional(),
  enabled: z.boolean().optional(),
};

const detectSchema = z.strictObject({
  kind: z.literal('detect'),
  ...patternFields,
  /** The attack type the investigator names. */
  type: labelSchema,
});

const tagSchema = z.strictObject({
  kind: z.literal('tag'),
  ...patternFields,
  label: labelSchema,
});

type RuleShape =
  z.output<typeof suppressSchema> | z.output<typeof detectSchema> | z.output<typeof tagSchema>;

/** Cross-field checks: what a scope or field needs, and whether a regex can be run. */
function checkRule(r: RuleShape, ctx: z.RefinementCtx): void {
  const issue = (message: string, path: string) =>
    ctx.addIssue({ code: 'custom', message, path: [path] });
  if (r.kind === 'suppress') {
    if (r.scope === 'signature' && r.ruleId === undefined)
      issue('scope signature needs ruleId', 'ruleId');
    if (r.scope === 'type' && r.type === undefined) issue('scope type needs type', 'type');
    if (r.scope !== 'signature' && r.ruleId !== undefined)
      issue('ruleId only goes with scope signature', 'ruleId');
    if (r.scope !== 'type' && r.type !== undefined) issue('type only goes with scope type', 'type');
    return;
  }
  if (NAMED_FIELDS.has(r.field) !== (r.fieldName !== undefined)) {
    issue(
      NAMED_FIELDS.has(r.field)
        ? `field ${r.field} needs fieldName`
        : `fieldName only goes with param, header or cookie`,
      'fieldName',
    );
  }
  if (r.match === 'regex') {
    const problem = patternProblem(r.pattern, fieldTextMax(r.field));
    if (problem !== null) issue(`pattern: ${problem}`, 'pattern');
  }
}

export const ruleInputSchema = z
  .discriminatedUnion('kind', [suppressSchema, detectSchema, tagSchema])
  .superRefine(checkRule);
export type RuleInput = z.output<typeof ruleInputSchema>;

/** One stored rule, as listed. Absent scope parts are null (= any). */
export interface RuleInfo {
  id: number;
  kind: RuleKind;
  enabled: boolean;
  scope: SuppressScope | null;
  ruleId: string | null;
  /** Suppress scope `type`, or the type a detect rule reports. */
  type: string | null;
  endpoint: EndpointKey | null;
  param: string | null;
  field: RuleField | null;
  fieldName: string | null;
  match: MatchKind | null;
  pattern: string | null;
  label: string | null;
  note: string | null;
  createdAt: string;
  updatedAt: string;
  /**
   * Why the rebuild does not apply this detect or tag rule: its stored pattern no longer
   * compiles (the reason); null when it is applied (or is off, or a suppress rule).
   */
  notApplied: string | null;
}

/** Custom detection findings carry this rule id, so they can be marked like built-in ones. */
export function customRuleId(ruleId: number): string {
  return `custom.${ruleId}`;
}
