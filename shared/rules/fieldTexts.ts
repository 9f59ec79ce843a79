import type { RuleField } from './ruleModel.js';

/**
 * How much of a field a pattern rule reads. Texts are bounded as the signature engine bounds
 * them (shared/detect/README.md), so a hostile 100 MB body costs no more than 64 KiB; the rule
 * form checks a pattern's cost against these (linearRegex.ts, WORK_MAX).
 */
export const TEXT_MAX = 4096;
export const BODY_MAX = 65_536;

/** The longest text a pattern on this field is run on (a parameter's value: TEXT_MAX). */
export function fieldTextMax(field: RuleField): number {
  return field === 'body' ? BODY_MAX : TEXT_MAX;
}
