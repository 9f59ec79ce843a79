import type { Rule } from './rule.js';
import { fileAccessRules } from './fileAccess.js';
import { infoleakRules } from './infoleak.js';
import { injectionRules } from './injection.js';
import { networkRules } from './network.js';
import { scannerRules } from './scanner.js';
import { sqliRules } from './sqli.js';
import { xssRules } from './xss.js';

/** Every built-in rule, in the order detections are reported. */
export const RULES: readonly Rule[] = [
  ...sqliRules,
  ...xssRules,
  ...fileAccessRules,
  ...injectionRules,
  ...networkRules,
  ...scannerRules,
  ...infoleakRules,
];

const ids = new Set<string>();
for (const r of RULES) {
  if (ids.has(r.id)) throw new Error(`duplicate rule id ${r.id}`);
  if (!r.id.startsWith(`${r.type}.`)) throw new Error(`rule ${r.id} must start with ${r.type}.`);
  if (r.pattern.global || r.pattern.sticky) throw new Error(`rule ${r.id}: no g/y flags`);
  ids.add(r.id);
}

export type { Rule, RuleContext } from './rule.js';
