import { z } from 'zod';
import type { Location, OffsetBasis, Part } from '../detect/types.js';
import { labelSchema } from '../rules/ruleModel.js';
import { call } from './define.js';
import type { Verdict } from './rulesApi.js';

/**
 * The detection area of the contract: attacks found in the case, grouped and listed, and the
 * findings of one request. Field names are a public interface (CLI --json, the renderer).
 */

/** `custom`: a finding of the investigator's detect rule (rule id `custom.<id>`). */
export const detectionSourceSchema = z.enum(['engine', 'source-label', 'custom']);
export type DetectionSource = z.infer<typeof detectionSourceSchema>;

/**
 * A stored type: an attack code (shared/detect/types.ts), "labelled" for a source label naming
 * no known type, or a type an investigator's detect rule names (a lowercase identifier).
 */
export const storedTypeSchema = labelSchema;

const requestId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

// ---- outputs --------------------------------------------------------------------------------

export interface AttackTypeSummary {
  type: string;
  /** Distinct requests with a finding of this type, and the findings. */
  requests: number;
  detections: number;
  engine: number;
  sourceLabel: number;
  custom: number;
}

export interface AttackGroup {
  type: string;
  method: string | null;
  /**
   * The request path with ids and numbers folded to placeholders, each path on its own: the
   * groups are by path, finer than endpoints (whose templates also merge names across paths).
   */
  endpoint: string;
  requests: number;
  detections: number;
  /** Rule ids that fired here, sorted. */
  rules: string[];
  /** Smallest request id in the group, to open an example. */
  exampleRequestId: number;
  /**
   * The endpoint these requests were counted under (its id as listEndpoints gives it) and its
   * template as the Endpoints view shows it (`/index.php/{name}/{name}/` for the `endpoint`
   * `/index.php/component/search/`). Null when the path was called on several hosts, which
   * makes it several endpoints, or before the case was analysed.
   */
  endpointId: string | null;
  endpointTemplate: string | null;
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
  /** The investigator's verdict; a false positive is counted and listed nowhere else. */
  verdict: Verdict | null;
  /** The per-request mark that gave the verdict, if one did. */
  markId: number | null;
  /** The suppress rule that judged the finding a false positive, if one did. */
  ruleRef: number | null;
  /** The mark's or rule's note. */
  verdictNote: string | null;
}

export interface AttackListItem extends DetectionInfo {
  tsUs: number;
  method: string | null;
  path: string | null;
}

export interface AttackList {
  types: AttackTypeSummary[];
  groups: AttackGroup[];
  /** How many groups there are in all; `groups` is a page of them (groupLimit), largest first. */
  groupsTotal: number;
  items: AttackListItem[];
  /** Pass back as `cursor` for the next page of items; null after the last. */
  nextCursor: string | null;
}

export interface FpMarkInfo {
  id: number;
  ruleId: string;
  requestId: number;
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

/** Rule ids look like `sqli.union-select` (built-in) or `custom.12` (a detect rule). */
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
        /** Groups to skip, largest first: the next page of groups starts at the count shown. */
        groupOffset: z.number().int().min(0).max(10_000_000).optional(),
        /**
         * false: only the page of findings (`types` and `groups` come back empty). A list paging
         * through a million findings need not count them all again for every page.
         */
        summaries: z.boolean().optional(),
      })
      .optional(),
  ),
  requestDetections: call<DetectionInfo[]>()(z.strictObject({ requestId })),
  /**
   * Marks a rule a false positive on one request and re-runs the analysis. Kept for existing
   * callers; markDetection (rulesApi.ts) also takes true positives and rule scopes.
   */
  markFalsePositive: call<FpMarkResult>()(
    z.strictObject({
      ruleId: ruleIdSchema,
      requestId,
      param: z.string().min(1).max(200).optional(),
      note: z.string().max(2000).optional(),
    }),
  ),
  unmarkFalsePositive: call<FpMarkResult>()(z.strictObject({ id: requestId })),
  listFalsePositiveMarks: call<FpMarkInfo[]>()(z.strictObject({}).optional()),
} as const;
