import builtInFlows from '../../resources/flows.json' with { type: 'json' };
import {
  compileFlowRules,
  flowRulesFileSchema,
  type CompiledFlowRules,
  type FlowRule,
} from '../../shared/analysis/flowRules.js';

let compiled: CompiledFlowRules | undefined;

/** The built-in rules (resources/flows.json), validated once; a bad file is a build bug. */
export function builtInFlowRules(): FlowRule[] {
  return flowRulesFileSchema.parse(builtInFlows).rules;
}

export function compiledBuiltInFlowRules(): CompiledFlowRules {
  compiled ??= compileFlowRules(builtInFlowRules());
  return compiled;
}
