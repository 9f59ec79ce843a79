import { z } from 'zod';
import { verdictThresholdsSchema } from '../verdicts/thresholds.js';

/**
 * Analysis settings, stored in the case and changed only through an audited call. Every field
 * has a default so an empty object is a complete setting.
 */

export const CONTEXT_KINDS = ['cookie', 'header', 'jwt', 'query', 'column'] as const;
export type ContextKind = (typeof CONTEXT_KINDS)[number];

/** What a context parameter's value names: the session, the user, or the role. */
export const CONTEXT_ROLES = ['session', 'user', 'role'] as const;
export type ContextRole = (typeof CONTEXT_ROLES)[number];

export const SOURCE_COLUMNS = ['src_session', 'src_user', 'src_role'] as const;

export const contextParamSchema = z
  .object({
    kind: z.enum(CONTEXT_KINDS),
    /** Cookie name, header name, JWT claim, query parameter or source column. */
    name: z.string().trim().min(1).max(200),
    names: z.enum(CONTEXT_ROLES).default('session'),
    /** Secret values (API keys, tokens) are stored only as salted hashes. */
    secret: z.boolean().default(false),
  })
  .refine((p) => p.kind !== 'header' || /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(p.name), {
    message: 'a header parameter names an HTTP header (letters, digits, - and _)',
  })
  .refine((p) => p.kind !== 'column' || (SOURCE_COLUMNS as readonly string[]).includes(p.name), {
    message: `a column parameter names one of ${SOURCE_COLUMNS.join(', ')}`,
  });

export type ContextParam = z.output<typeof contextParamSchema>;

export const analysisSettingsSchema = z.object({
  /** The investigator's own parameters; they take precedence over the built-in defaults. */
  contextParams: z.array(contextParamSchema).max(200).default([]),
  useDefaultParams: z.boolean().default(true),
  inactivityTimeoutMin: z
    .number()
    .positive()
    .max(7 * 24 * 60)
    .default(30),
  maxSessionHours: z
    .number()
    .positive()
    .max(24 * 365)
    .default(24),
  outliers: z
    .object({
      minSamples: z.number().int().min(3).max(1_000_000).default(30),
      zThreshold: z.number().positive().max(1000).default(3.5),
      /** A latency outlier must also exceed the median by at least this much. */
      latencyFloorMs: z.number().min(0).default(200),
      /** A size outlier must also exceed the median by at least this much. */
      sizeFloorBytes: z.number().min(0).default(10_240),
    })
    .prefault({}),
  templates: z
    .object({
      /** Distinct values under one parent before a literal segment becomes `{name}`. */
      mergeMinDistinct: z.number().int().min(2).max(1_000_000).default(20),
    })
    .prefault({}),
  /** Behavioural detector thresholds (shared/verdicts/README.md). */
  verdicts: verdictThresholdsSchema.prefault({}),
});

export type AnalysisSettings = z.output<typeof analysisSettingsSchema>;
export type AnalysisSettingsInput = z.input<typeof analysisSettingsSchema>;

export function defaultSettings(): AnalysisSettings {
  return analysisSettingsSchema.parse({});
}

const p = (
  kind: ContextKind,
  name: string,
  names: ContextRole = 'session',
  secret = false,
): ContextParam => ({ kind, name, names, secret });

/** Built-in parameters, tried after the investigator's own, in this order. */
export const DEFAULT_CONTEXT_PARAMS: readonly ContextParam[] = [
  p('column', 'src_session'),
  p('cookie', 'JSESSIONID'),
  p('cookie', 'PHPSESSID'),
  p('cookie', 'ASP.NET_SessionId'),
  p('cookie', 'connect.sid'),
  p('cookie', 'sessionid'),
  p('cookie', 'session'),
  p('cookie', 'sid'),
  p('cookie', '_session_id'),
  p('cookie', 'laravel_session'),
  p('cookie', 'ci_session'),
  p('header', 'x-session-id'),
  p('jwt', 'sid'),
  p('jwt', 'sub'),
  p('header', 'x-api-key', 'session', true),
  p('header', 'authorization', 'session', true),
  p('column', 'src_user', 'user'),
  p('jwt', 'preferred_username', 'user'),
  p('jwt', 'email', 'user'),
  p('jwt', 'sub', 'user'),
  p('header', 'x-user', 'user'),
  p('header', 'x-user-id', 'user'),
  p('column', 'src_role', 'role'),
  p('jwt', 'role', 'role'),
  p('jwt', 'roles', 'role'),
  p('jwt', 'groups', 'role'),
  p('jwt', 'scope', 'role'),
  p('header', 'x-role', 'role'),
];

/** The ordered list the rebuild applies: the investigator's first, then the defaults. */
export function effectiveParams(s: AnalysisSettings): ContextParam[] {
  return [...s.contextParams, ...(s.useDefaultParams ? DEFAULT_CONTEXT_PARAMS : [])];
}
