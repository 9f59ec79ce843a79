import { flowBit, flowSchema } from '../../shared/analysis/flowRules.js';
import { compiledBuiltInFlowRules } from './flowRulesFile.js';
import { need, type RebuildContext, type RebuildStep } from './rebuildContext.js';
import { hostKey } from '../../shared/analysis/hostName.js';

interface OverrideRow {
  method: string;
  host: string;
  template: string;
  flow: string;
  action: 'add' | 'remove';
}

/** Tags endpoints with flows from the built-in rules, then applies the investigator's tags. */
export const flowsStep: RebuildStep = {
  name: 'flows',
  order: 30,
  run(ctx: RebuildContext) {
    const { list } = need(ctx.endpoints, 'endpoints');
    const rules = compiledBuiltInFlowRules();
    const byKey = new Map(list.map((e) => [`${e.method}\n${e.host}\n${e.template}`, e]));
    for (const e of list) {
      e.flowsAuto = rules.match(e);
      e.flows = e.flowsAuto;
    }
    // Oldest first, so the latest word on a flow wins: a tag made on `Shop.Example` before
    // endpoints folded the case of their hosts applies to `shop.example`'s endpoint, as does one
    // made on it since.
    const overrides = ctx.db
      .prepare(
        `SELECT method, host, template, flow, action FROM endpoint_flow_overrides
         ORDER BY at, method, host, template, flow`,
      )
      .all() as OverrideRow[];
    for (const o of overrides) {
      const e = byKey.get(`${o.method}\n${hostKey(o.host)}\n${o.template}`);
      const flow = flowSchema.safeParse(o.flow);
      if (!e || !flow.success) continue;
      const bit = flowBit(flow.data);
      e.flows = o.action === 'add' ? e.flows | bit : e.flows & ~bit;
    }
  },
};
