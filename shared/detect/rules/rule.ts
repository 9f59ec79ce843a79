import type { AttackType, Location, Part } from '../types.js';

/** What a rule's extra check may look at besides the match. */
export interface RuleContext {
  /** The request's Host (lower-cased, port removed) when the source gives it. */
  host: string | null;
}

/**
 * One signature. Patterns run on ASCII-folded text (write them in lower case), without the
 * `g` flag, and must not nest quantifiers: every repetition is bounded or over a single
 * character class, so matching stays linear in practice (regexSafety.test.ts checks it).
 */
export interface Rule {
  /** Stable id, `<type>.<name>`; stored in cases, never reused for another meaning. */
  id: string;
  type: AttackType;
  summary: string;
  locations: readonly Location[];
  /** Whether the rule reads parameter names, values, or both (default: values). */
  parts?: readonly Part[];
  /** `raw`: the rule is about encodings themselves and reads the undecoded text. */
  basis?: 'raw' | 'decoded';
  /** charMask bits, one of which every matching text contains (see charMask.ts). */
  trigger: number;
  /**
   * Literal (lower-case) strings one of which every match contains. Rules whose trigger is
   * common in benign text (slashes, dots, spaces) declare them, so the engine can skip all of
   * them with one search when none occurs.
   */
  keywords?: readonly string[];
  pattern: RegExp;
  /** Only parameters whose folded, decoded name matches this (open redirect, RFI). */
  paramName?: RegExp;
  /** A last check on the match, for what a regex cannot say (e.g. "another host"). */
  check?: (match: RegExpExecArray, ctx: RuleContext) => boolean;
  /**
   * Values that must match and near misses that must not (as raw, still-encoded values of a
   * parameter named `param`, default "q"); tested and documented.
   */
  examples: { param?: string; match: readonly string[]; miss: readonly string[] };
}

/** Request parts that carry user-chosen values. */
export const PARAMS: readonly Location[] = ['query', 'body', 'cookie', 'header'];
export const REQUEST: readonly Location[] = ['path', ...PARAMS];
export const REQUEST_AND_UA: readonly Location[] = [...REQUEST, 'ua'];
