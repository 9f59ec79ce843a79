import { z } from 'zod';
import { GENERIC_LABEL_TYPE } from '../detect/sourceLabel.js';
import { ATTACK_TYPES, type Location, type OffsetBasis, type Part } from '../detect/types.js';
import { call } from './define.js';

/**
 * The detection area of the contract: attacks found in the case, grouped and listed, and the
 * findings of one request. Field names are a public interface (CLI --json, the renderer).
 */

export const detectionSourceSchema = z.enum(['engine', 'source-label']);
export type DetectionSource = z.infer<typeof detectionSourceSchema>;

/** A stored type: an attack code, or "labelled" for a source label naming no known type. */
export const storedTypeSchema = z.enum([...ATTACK_TYPES, GENERIC_LABEL_TYPE]);

const requestId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

// ---- outputs --------------------------------------------------------------------------------

export interface AttackTypeSummary {
  type: string;
  /** Distinct requests with a finding of this type, and the findings. */
  requests: number;
  detections: number;
  engine: number;
  sourceLabel: number;
}

export interface AttackGroup {
  type: string;
  method: string | null;
  /** The request path with ids and numbers folded to placeholders. */
  endpoint: string;
  requests: number;
  detections: number;
  /** Rule ids that fired here, sorted. */
  rules: string[];
  /** Smallest request id in the group, to open an example. */
  exampleRequestId: number;
}

export interface DetectionInfo {
  id: number;
  requestId: number;
  type: string;
  ruleId: string;
  source: DetectionSource;
  location: Location | null;
  param: string | null;
  part: Part | null;
  start: number | null;
  end: number | null;
  basis: OffsetBasis | null;
  /** Hostile text from the request: render as text only. */
  fragment: string | null;
}

export interface AttackListItem extends DetectionInfo {
  tsUs: number;
  method: string | null;
  path: string | null;
}

export interface AttackList {
  types: AttackTypeSummary[];
  groups: AttackGroup[];
  items: AttackListItem[];
  /** Pass back as `cursor` for the next page of items; null after the last. */
  nextCursor: string | null;
}

export interface FpMarkInfo {
  id: number;
  ruleId: string;
  /** Null: the rule is marked a false positive on every request. */
  requestId: number | null;
  /** Null: on every parameter. */
  param: string | null;
  note: string | null;
  createdAt: string;
}

export interface FpMarkResult {
  id: number;
  /** Engine findings in the case after the rebuild that applied the change. */
  detections: number;
}

/** Built-in rule ids look like `sqli.union-select`. */
export const ruleIdSchema = z
  .string()
  .min(3)
  .max(100)
  .regex(/^[a-z_]{2,20}\.[a-z0-9-]{1,60}$/, 'not a rule id');

// ---- calls ----------------------------------------------------------------------------------

export const detectCalls = {
  listAttacks: call<AttackList>()(
    z
      .strictObject({
        type: storedTypeSchema.optional(),
        source: detectionSourceSchema.optional(),
        cursor: z.string().max(32).regex(/^\d+$/, 'not a cursor').optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        groupLimit: z.number().int().min(1).max(1000).optional(),
      })
      .optional(),
  ),
  requestDetections: call<DetectionInfo[]>()(z.strictObject({ requestId })),
  /** Marks a rule a false positive (on one request, or everywhere) and re-runs the analysis. */
  markFalsePositive: call<FpMarkResult>()(
    z.strictObject({
      ruleId: ruleIdSchema,
      requestId: requestId.optional(),
      param: z.string().min(1).max(200).optional(),
      note: z.string().max(2000).optional(),
    }),
  ),
  unmarkFalsePositive: call<FpMarkResult>()(z.strictObject({ id: requestId })),
  listFalsePositiveMarks: call<FpMarkInfo[]>()(z.strictObject({}).optional()),
} as const;
