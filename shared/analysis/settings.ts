import { z } from 'zod';
import { verdictThresholdsSchema } from '../verdicts/thresholds.js';

/**
 * Analysis settings, stored in the case and changed only through an audited call. Every field
 * has a default so an empty object is a complete setting. Every object is strict: a misspelt
 * key is refused rather than dropped, which would leave the setting meant at its default
 * without a word (settingsIssueText names the key and the one probably meant).
 */

export const CONTEXT_KINDS = ['cookie', 'header', 'jwt', 'query', 'column'] as const;
export type ContextKind = (typeof CONTEXT_KINDS)[number];

/** What a context parameter's value names: the session, the user, or the role. */
export const CONTEXT_ROLES = ['session', 'user', 'role'] as const;
export type ContextRole = (typeof CONTEXT_ROLES)[number];

export const SOURCE_COLUMNS = ['src_session', 'src_user', 'src_role'] as const;

export const contextParamSchema = z
  .strictObject({
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

export const analysisSettingsSchema = z.strictObject({
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
    .strictObject({
      minSamples: z.number().int().min(3).max(1_000_000).default(30),
      zThreshold: z.number().positive().max(1000).default(3.5),
      /** A latency outlier must also exceed the median by at least this much. */
      latencyFloorMs: z.number().min(0).default(200),
      /** A size outlier must also exceed the median by at least this much. */
      sizeFloorBytes: z.number().min(0).default(10_240),
    })
    .prefault({}),
  templates: z
    .strictObject({
      /** Distinct values under one parent before a literal segment becomes `{name}`. */
      mergeMinDistinct: z.number().int().min(2).max(1_000_000).default(20),
    })
    .prefault({}),
  /** Behavioural detector thresholds (shared/verdicts/README.md). */
  verdicts: verdictThresholdsSchema.strict().prefault({}),
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

/** The settings that are groups of their own: a change names some of their fields. */
export const SETTINGS_GROUPS = ['outliers', 'templates', 'verdicts'] as const;
type SettingsGroup = (typeof SETTINGS_GROUPS)[number];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `current` changed by `change` (a settings file: validated, so its keys are known): each
 * top-level setting it gives replaces the current one (a list of context parameters is taken
 * whole), a group's fields it gives replace those fields, and everything it does not name
 * keeps its current value. Parse the result with analysisSettingsSchema.
 */
export function applySettingsChange(
  current: AnalysisSettings,
  change: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...current, ...change };
  for (const g of SETTINGS_GROUPS) {
    const given = change[g];
    if (isRecord(given)) out[g] = { ...current[g], ...given };
  }
  return out;
}

/** The keys an object of the settings at `path` may hold (none: not an object of them). */
function keysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return Object.keys(analysisSettingsSchema.shape);
  if (path.length === 2 && path[0] === 'contextParams' && typeof path[1] === 'number') {
    return Object.keys(contextParamSchema.shape);
  }
  const g = path[0];
  if (path.length === 1 && (SETTINGS_GROUPS as readonly PropertyKey[]).includes(g!)) {
    return Object.keys(defaultSettings()[g as SettingsGroup]);
  }
  return [];
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      row[j] = Math.min(
        d[i - 1]![j]! + 1,
        row[j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
      }
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known key a typed one most likely meant: the same but for case, the start or the whole
 * of a longer key (`inactivityTimeout`), or a few letters off (`zThreshhold`); none when
 * nothing is close.
 */
export function closestKey(typed: string, known: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  if (t.length === 0) return undefined;
  const same = known.find((k) => k.toLowerCase() === t);
  if (same !== undefined) return same;
  const part = known.filter((k) => t.length >= 4 && k.toLowerCase().includes(t));
  if (part.length === 1) return part[0];
  let best: string | undefined;
  let bestD = Math.max(1, Math.min(3, Math.floor(t.length / 4)));
  for (const k of known) {
    const d = editDistance(t, k.toLowerCase());
    if (d < bestD || (d === bestD && best === undefined)) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

/** A path into the settings as it is written in a settings file: `contextParams[0].name`. */
export function settingsPathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`))
    .join('');
}

/** The subset of a zod issue the text below reads. */
export interface SettingsIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  expected?: string;
}

const KIND_TEXT: Record<string, string> = {
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  object: 'an object { … }',
  array: 'a list [ … ]',
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/**
 * One problem of a settings object, in the names it was written with (a settings file's keys):
 * an unknown key with the key probably meant, a missing or wrongly typed value, or the
 * schema's own message after the setting's path. `input` is the object that was checked.
 */
export function settingsIssueText(issue: SettingsIssue, input: unknown): string {
  const at = settingsPathText(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const known = keysAt(issue.path);
    return (issue.keys ?? [])
      .map((k) => {
        const meant = closestKey(k, known);
        const full = (key: string) => settingsPathText([...issue.path, key]);
        return `unknown setting "${full(k)}"${meant ? ` (did you mean "${full(meant)}"?)` : ''}`;
      })
      .join('; ');
  }
  if (issue.code === 'invalid_type') {
    if (valueAt(input, issue.path) === undefined) return `${at || 'settings'} is missing`;
    const want = KIND_TEXT[issue.expected ?? ''] ?? issue.expected;
    return `${at || 'settings'} must be ${want}`;
  }
  return `${at || 'settings'}: ${issue.message}`;
}
