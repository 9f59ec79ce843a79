import { z } from 'zod';
import { call } from './define.js';

/**
 * The specs-and-risk area of the contract: API specs loaded into the case, how the traffic
 * compares with them, and endpoint risk. Field names are a public interface (CLI --json, the
 * renderer).
 */

const pathInput = z
  .string()
  .min(1)
  .max(4096)
  .refine((s) => !s.includes('\0'), 'path must not contain NUL');

export const riskLevelSchema = z.enum(['Low', 'Medium', 'High']);
export type RiskLevel = z.infer<typeof riskLevelSchema>;

// ---- outputs --------------------------------------------------------------------------------

export interface SpecInfo {
  id: number;
  file: string;
  sha256: string;
  title: string;
  version: string;
  kind: string;
  loadedAt: string;
  operations: number;
  /** External $refs the offline loader did not follow. */
  unresolvedRefs: string[];
}

export interface SpecStatusCounts {
  documented: number;
  shadow: number;
  /** Shadow paths that only ever answered 404 (probes); included in `shadow`. */
  probes: number;
  zombie: number;
  orphans: number;
}

export interface SpecFinding {
  eid: string;
  method: string;
  host: string;
  template: string;
  status: 'shadow' | 'zombie';
  reason: 'deprecated' | 'removed' | 'not-found' | null;
  specPath: string | null;
}

export interface SpecOrphan {
  specId: number;
  method: string;
  pathTemplate: string;
  deprecated: boolean;
}

export interface SpecOverview {
  specs: SpecInfo[];
  counts: SpecStatusCounts;
  findings: SpecFinding[];
  orphans: SpecOrphan[];
}

export interface RiskFactorInfo {
  id: string;
  weight: number;
  /** What was seen, in English (the CLI's text, the CSV export). */
  detail: string;
  /**
   * The values the detail is made of (shared/analysis/risk.ts RiskFactorArgs: counts, lists,
   * the zombie's reason), for a UI to say in its language. Absent from a case scored by a
   * version before it, until it is scored again (a rebuild, a spec load, a flow tag): show
   * `detail` then.
   */
  args?: Readonly<Record<string, number | string | readonly string[]>>;
}

export interface EndpointRiskItem {
  eid: string;
  method: string;
  host: string;
  template: string;
  score: number;
  level: z.infer<typeof riskLevelSchema>;
  factors: RiskFactorInfo[];
  /** null while no spec is loaded. */
  specStatus: 'documented' | 'shadow' | 'zombie' | null;
}

// ---- calls ----------------------------------------------------------------------------------

export const specCalls = {
  listSpecs: call<SpecOverview>()(z.strictObject({}).optional()),
  loadSpec: call<SpecOverview>()(
    z.strictObject({ path: pathInput, force: z.boolean().optional() }),
  ),
  listEndpointRisk: call<EndpointRiskItem[]>()(
    z
      .strictObject({
        level: riskLevelSchema.optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
      })
      .optional(),
  ),
} as const;
