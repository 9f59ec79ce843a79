import { z } from 'zod';
import { flowSchema } from '../analysis/flowRules.js';
import { ipRangeProblemText, isIpRangeText, parseIpRange } from './ipRange.js';
import { VERDICT_LEVELS } from '../verdicts/types.js';
import { hostKey } from '../analysis/hostName.js';

/**
 * The one filter model: the CLI flags, the UI's filter bar and shared links all produce this.
 * Every filter is about requests; a session matches when at least one of its requests matches
 * all of them, and inside a session only matching requests are counted and listed.
 */

/** "200" (one code) or "4xx" (a class). */
export const statusFilterSchema = z
  .string()
  .trim()
  .regex(/^(?:[1-5]\d\d|[1-5]xx)$/i, 'a status code like 404 or a class like 4xx')
  .transform((s) => s.toLowerCase());

/** ISO-8601 with a zone, or microseconds since the epoch. Stored as µs UTC. */
const timeSchema = z.union(
  [
    z.number().int(),
    z
      .string()
      .trim()
      .refine((s) => /(?:Z|[+-]\d{2}:?\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s)), {
        message: 'an ISO time with a zone (Z or ±hh:mm)',
      })
      .transform((s) => Date.parse(s) * 1000),
  ],
  { error: 'an ISO time with a zone (Z or ±hh:mm), like 2024-03-01T10:00:00Z' },
);

const text = z.string().trim().min(1).max(1000);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(100).optional();

/**
 * One value of the IP filter: an address, matched in any spelling (as its /32 or /128 would;
 * electron/query/ipRangeIds.ts), a host name as the log holds it, matched exactly, or a CIDR
 * range (it has a slash: 203.0.113.0/24, 2001:db8::/32) that matches every stored address in
 * it (shared/query/ipRange.ts). A range is read strictly (a network address, no host
 * bits set) and kept in its one spelling, so a link names it one way.
 */
export const ipFilterSchema = text.transform((s, ctx) => {
  if (!isIpRangeText(s)) return s;
  const r = parseIpRange(s);
  if (r.ok) return r.range.text;
  ctx.issues.push({ code: 'custom', input: s, message: ipRangeProblemText(s, r.problem) });
  return z.NEVER;
});

/**
 * A host name as endpoints hold it (hostKey: its ASCII letters in lower case, RFC 4343); the
 * endpoints of a case analysed before they did are compared the same way (filterSql.ts, NOCASE).
 */
const hostFilterSchema = text.transform(hostKey);

export const filtersSchema = z
  .object({
    /** Inclusive lower bound, µs UTC (ISO accepted on input). */
    from: timeSchema.optional(),
    /** Exclusive upper bound, µs UTC. */
    to: timeSchema.optional(),
    /** Host names (with a port when the log names one), any case of their ASCII letters. */
    hosts: list(hostFilterSchema),
    /** Addresses (any spelling), host names (exactly), or CIDR ranges (ipFilterSchema). */
    ips: list(ipFilterSchema),
    users: list(text),
    roles: list(text),
    flows: list(flowSchema),
    /** Attack types are lowercase identifiers (engine, custom rules, source labels): SQLi is sqli. */
    attackTypes: list(text.transform((s) => s.toLowerCase())),
    /** Labels the investigator's tag rules put on requests. */
    tags: list(text.transform((s) => s.toLowerCase())),
    statuses: list(statusFilterSchema),
    methods: list(text.transform((s) => s.toUpperCase())),
    /** Endpoint ids as listEndpoints returns them. */
    endpoints: list(z.string().regex(/^e[0-9a-f]{16}$/)),
    sessionId: z
      .string()
      .regex(/^s[0-9a-f]{16}$/)
      .optional(),
    /** The source's own request id (X-Request-Id and the like). */
    requestId: text.optional(),
    /** Case-insensitive substring of path, query, user agent or referer. */
    text: text.optional(),
    outliersOnly: z.boolean().optional(),
    /** Behavioural verdict levels of the request's session (shared/verdicts). */
    verdicts: list(z.enum(VERDICT_LEVELS)),
  })
  .strict();

export type Filters = z.output<typeof filtersSchema>;
export type FiltersInput = z.input<typeof filtersSchema>;

export const SESSION_SORTS = [
  'firstSeen',
  'lastSeen',
  'requests',
  'duration',
  'outliers',
  'attacks',
] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];

/** True when no filter narrows the requests. */
export function isEmptyFilter(f: Filters): boolean {
  return Object.values(f).every(
    (v) => v === undefined || (Array.isArray(v) && v.length === 0) || v === false,
  );
}
