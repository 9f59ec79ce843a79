import { z } from 'zod';

/**
 * Business flows: sensitive areas of an application an investigator follows (who touched
 * billing? who created accounts?). Rules are data (resources/flows.json, loaded by the
 * electron side); matching is pure and lives here.
 */

export const FLOWS = [
  'AI/LLM',
  'Acc create',
  'Acc mgmt',
  'Admin',
  'Auth',
  'Billing',
  'SMS GW',
] as const;
export type Flow = (typeof FLOWS)[number];
export const flowSchema = z.enum(FLOWS);

/** Flows are stored as a bit mask: bit i is FLOWS[i]. */
export function flowBit(flow: Flow): number {
  return 1 << FLOWS.indexOf(flow);
}

export function flowsOfMask(mask: number): Flow[] {
  return FLOWS.filter((_, i) => (mask & (1 << i)) !== 0);
}

export function maskOfFlows(flows: readonly Flow[]): number {
  let m = 0;
  for (const f of flows) m |= flowBit(f);
  return m;
}

export const flowRuleSchema = z.object({
  flow: flowSchema,
  /** Case-insensitive regular expressions tested against the path template. */
  paths: z.array(z.string().min(1)).default([]),
  /** Tested against the host. */
  hosts: z.array(z.string().min(1)).default([]),
  /** Tested against each query parameter name seen on the endpoint. */
  params: z.array(z.string().min(1)).default([]),
  description: z.string().optional(),
});

export const flowRulesFileSchema = z.object({ rules: z.array(flowRuleSchema) });
export type FlowRule = z.output<typeof flowRuleSchema>;

export interface EndpointForFlows {
  host: string;
  template: string;
  params: readonly string[];
}

export interface CompiledFlowRules {
  /** The bit mask of the flows the endpoint matches. */
  match(e: EndpointForFlows): number;
}

export function compileFlowRules(rules: readonly FlowRule[]): CompiledFlowRules {
  const compiled = rules.map((r) => ({
    bit: flowBit(r.flow),
    paths: r.paths.map((s) => new RegExp(s, 'i')),
    hosts: r.hosts.map((s) => new RegExp(s, 'i')),
    params: r.params.map((s) => new RegExp(s, 'i')),
  }));
  return {
    match(e) {
      let mask = 0;
      for (const r of compiled) {
        if ((mask & r.bit) !== 0) continue;
        if (
          r.paths.some((re) => re.test(e.template)) ||
          r.hosts.some((re) => re.test(e.host)) ||
          r.params.some((re) => e.params.some((p) => re.test(p)))
        )
          mask |= r.bit;
      }
      return mask;
    },
  };
}
