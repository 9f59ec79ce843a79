import { z } from 'zod';
import { RULE_KINDS, ruleInputSchema, type RuleInfo } from '../rules/ruleModel.js';
import { call } from './define.js';

/**
 * Verdicts on findings and the investigator's rules (shared/rules/ruleModel.ts). Every change
 * is audited and followed by a rebuild, whose result the answer reports.
 */

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const note = z.string().max(2000);

export const VERDICTS = ['true_positive', 'false_positive'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** `request`: this finding on this request only; the others create a suppress rule. */
export const MARK_SCOPES = ['request', 'signature', 'type', 'all'] as const;
export type MarkScope = (typeof MARK_SCOPES)[number];

export interface RuleChangeResult {
  /** The rule or mark the call created or changed. */
  id: number;
  /** Findings counted in the case after the rebuild (false positives excluded). */
  detections: number;
  /** Findings set aside as false positives. */
  falsePositives: number;
}

export interface MarkResult extends RuleChangeResult {
  /** Set when the verdict is a per-request mark. */
  markId: number | null;
  /** Set when the verdict became a suppress rule. */
  ruleRef: number | null;
}

export interface DetectionMarkInfo {
  id: number;
  requestId: number;
  ruleId: string;
  param: string | null;
  verdict: Verdict;
  note: string | null;
  createdAt: string;
}

export const ruleUpdateSchema = z
  .strictObject({
    id,
    enabled: z.boolean().optional(),
    note: note.optional(),
    /** A new definition; the kind cannot change. */
    rule: ruleInputSchema.optional(),
  })
  .refine((u) => u.enabled !== undefined || u.note !== undefined || u.rule !== undefined, {
    message: 'nothing to change',
  });

export const markDetectionSchema = z
  .strictObject({
    detectionId: id,
    verdict: z.enum(VERDICTS),
    scope: z.enum(MARK_SCOPES).default('request'),
    note: note.optional(),
    /** A rule scope normally keeps the finding's endpoint and parameter; these widen it. */
    anyEndpoint: z.boolean().optional(),
    anyParam: z.boolean().optional(),
  })
  .refine((m) => m.verdict === 'false_positive' || m.scope === 'request', {
    message: 'a true positive is marked on its request only',
    path: ['scope'],
  });

export const rulesCalls = {
  listRules: call<RuleInfo[]>()(z.strictObject({ kind: z.enum(RULE_KINDS).optional() }).optional()),
  addRule: call<RuleChangeResult>()(ruleInputSchema),
  /** Edit, enable or disable a rule. */
  updateRule: call<RuleChangeResult>()(ruleUpdateSchema),
  deleteRule: call<RuleChangeResult>()(z.strictObject({ id })),
  /** A verdict on one finding: on its request, or as a suppress rule of the chosen scope. */
  markDetection: call<MarkResult>()(markDetectionSchema),
  /** Undoes a per-request mark (a rule-scoped verdict is undone with deleteRule). */
  unmarkDetection: call<RuleChangeResult>()(z.strictObject({ markId: id })),
  listDetectionMarks: call<DetectionMarkInfo[]>()(
    z.strictObject({ requestId: id.optional() }).optional(),
  ),
} as const;
