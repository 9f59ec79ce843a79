import { z } from 'zod';
import { FLOWS, type Flow, type FlowRule } from '../analysis/flowRules.js';
import { analysisSettingsSchema, type AnalysisSettings } from '../analysis/settings.js';
import { filtersSchema, SESSION_SORTS } from '../query/filterModel.js';
import { call, event } from './define.js';
import { ERROR_CODES } from './errors.js';
import type { SessionVerdictSummary } from './verdictApi.js';
import { riskLevelSchema, type RiskFactorInfo, type RiskLevel } from './specApi.js';

/**
 * The analysis area of the contract: rebuild, sessions, their requests, endpoints and flow
 * tags, settings. Field names of the outputs are a public interface (CLI --json, links).
 */

// ---- input pieces ---------------------------------------------------------------------------

export const sessionIdSchema = z.string().regex(/^s[0-9a-f]{16}$/, 'not a session id');
export const endpointIdSchema = z.string().regex(/^e[0-9a-f]{16}$/, 'not an endpoint id');

/**
 * Opaque keyset cursor as handed out with the previous page: "<sort value>:<id>", with the
 * first time between them for the sorts whose ties go by first time.
 */
export const sessionCursorSchema = z
  .string()
  .max(64)
  .regex(/^-?\d+(:-?\d+)?:s[0-9a-f]{16}$/, 'not a cursor');
export const requestCursorSchema = z
  .string()
  .max(64)
  .regex(/^-?\d+:\d+$/, 'not a cursor');

const limit = z.number().int().min(1).max(1000).optional();
const filters = filtersSchema.optional();

// ---- outputs --------------------------------------------------------------------------------

export interface FlowShare {
  flow: Flow;
  count: number;
  /** Share of the counted requests, 0–100, one decimal. */
  percent: number;
}

export interface SessionSummary {
  id: string;
  /** How the session was keyed: "cookie:JSESSIONID", "jwt:sub", "ip+ua"… */
  keyKind: string;
  /** The key value; a salted hash ("sha256:…") for secret parameters; the IP for ip+ua. */
  keyValue: string | null;
  firstSeen: string;
  lastSeen: string;
  firstUs: number;
  lastUs: number;
  durationMs: number;
  requestCount: number;
  /** Requests that match the filters (equals requestCount without filters). */
  matchedRequests: number;
  ipCount: number;
  firstIp: string | null;
  userAgent: string | null;
  hosts: string[];
  /** The last user seen in the session (one of `users`). */
  user: string | null;
  /** Distinct users of the whole session's requests (whatever the filters); 0 for none. */
  userCount: number;
  /**
   * Up to 10 of them, sorted: all when userCount ≤ 10, else the first 10 the case saw
   * (userCount − users.length are not named).
   */
  users: string[];
  role: string | null;
  flows: Flow[];
  outlierCount: number;
  attackCount: number;
  /**
   * The behavioural verdict (shared/verdicts) and its review. The backend always sets it;
   * optional only so summaries built before verdicts existed (fixtures, stale pages) still fit.
   */
  verdict?: SessionVerdictSummary;
}

/** One of a session's most requested endpoints, for the sessions list. */
export interface TopEndpoint {
  method: string;
  template: string;
  count: number;
}

/**
 * A row of the sessions list: the summary plus what its counted requests (those matching the
 * filters, so only the ones in the time range) touched, computed for the page's sessions only.
 */
export interface SessionListItem extends SessionSummary {
  /** Flows of the counted requests; percent is of matchedRequests. */
  flowShares: FlowShare[];
  /** The most requested endpoints, most first (at most 3). */
  topEndpoints: TopEndpoint[];
  /** Distinct endpoints among the counted requests (so "+N more" = this − topEndpoints). */
  endpointCount: number;
  /** Counted requests with at least one finding (equals attackCount when every request counts). */
  matchedAttacks: number;
  /** Counted requests that are latency or size outliers (equals outlierCount likewise). */
  matchedOutliers: number;
}

export interface SessionPage {
  sessions: SessionListItem[];
  nextCursor: string | null;
}

/** Part of a count of the sessions a list holds: go on from `nextCursor` until it is null. */
export interface SessionCount {
  count: number;
  nextCursor: string | null;
}

/** Requests in one time bucket by status class ("other": no status or 1xx). */
export interface HistogramBucket {
  startUs: number;
  endUs: number;
  s2xx: number;
  s3xx: number;
  s4xx: number;
  s5xx: number;
  other: number;
  /** With `marks`: requests flagged as latency/size outliers, and requests with a detection. */
  outliers?: number;
  attacks?: number;
  /**
   * The time of its earliest and latest matching request, where it holds one: where in the
   * bucket (weeks wide on a span of years) the requests really are.
   */
  firstUs?: number;
  lastUs?: number;
}

export interface RequestHistogram {
  /** Equal, round-width buckets covering the range without gaps (empty when no request). */
  buckets: HistogramBucket[];
  widthUs: number;
  /** Matching requests in all buckets. */
  total: number;
  /** The case's first and last request (whatever the filters), null when it has none. */
  caseFirstUs: number | null;
  caseLastUs: number | null;
}

export interface CountOf<T> {
  value: T;
  count: number;
}

export interface EndpointCount {
  endpointId: string;
  method: string;
  host: string;
  template: string;
  count: number;
}

/** What a distribution cut to its `top` values left out: distinct values and their requests. */
export interface OmittedValues {
  values: number;
  count: number;
}

/** The distributions of a session's detail, by field name. */
export type SessionDistribution =
  'byMethod' | 'byStatus' | 'byIp' | 'byEndpoint' | 'byUser' | 'byAttack';

export interface SessionDetail {
  session: SessionSummary;
  flows: FlowShare[];
  byMethod: CountOf<string>[];
  byStatus: CountOf<number | null>[];
  byIp: CountOf<string | null>[];
  byEndpoint: EndpointCount[];
  /** Matching requests per user (requests without one are left out: see withoutUser). */
  byUser?: CountOf<string>[];
  /** Matching requests without a user, so byUser's shares can be of every matching request. */
  withoutUser?: number;
  /** Matching requests per attack type detected on them. */
  byAttack?: CountOf<string>[];
  /**
   * Asked with `top`: each distribution holds its `top` largest values, and here is what each
   * one cut left out (a distribution with nothing left out is absent).
   */
  omitted?: Partial<Record<SessionDistribution, OmittedValues>>;
}

export interface OutlierMeasure {
  value: number;
  median: number;
  z: number;
  outlier: boolean;
}

export interface SessionRequest {
  id: number;
  time: string;
  tsUs: number;
  ip: string | null;
  method: string | null;
  host: string | null;
  path: string | null;
  query: string | null;
  status: number | null;
  latencyMs: number | null;
  respBytes: number | null;
  userAgent: string | null;
  requestId: string | null;
  endpointId: string;
  template: string;
  user: string | null;
  role: string | null;
  flows: Flow[];
  /** Attack types detected on the request (counted findings, not false positives), sorted. */
  attacks: string[];
  outlier: boolean;
  latency: OutlierMeasure | null;
  size: OutlierMeasure | null;
}

export interface RequestPage {
  requests: SessionRequest[];
  nextCursor: string | null;
}

export interface RequestDetail extends SessionRequest {
  sessionId: string;
  sourceId: number;
  lineNo: number;
  scheme: string | null;
  protocol: string | null;
  reqBytes: number | null;
  referer: string | null;
  headers: Record<string, unknown> | null;
  respHeaders: Record<string, unknown> | null;
  reqBody: string | null;
  respBody: string | null;
  srcSession: string | null;
  srcUser: string | null;
  srcRole: string | null;
  srcLabel: string | null;
  extra: Record<string, unknown> | null;
}

export interface Percentiles {
  count: number;
  median: number | null;
  p95: number | null;
}

export interface EndpointSummary {
  id: string;
  method: string;
  host: string;
  template: string;
  requestCount: number;
  firstSeen: string;
  lastSeen: string;
  /** Status code → count ("-" when the source had none). */
  statusMix: Record<string, number>;
  latencyMs: Percentiles;
  respBytes: Percentiles;
  flows: Flow[];
  /** Flows from the built-in rules, before the investigator's tags. */
  autoFlows: Flow[];
  params: string[];
  outlierCount: number;
  /** The endpoint's risk, 1–10, with the factors that gave it; null until it is scored. */
  risk: EndpointRisk | null;
  /** How the endpoint stands against the loaded API specs; null while none is loaded. */
  spec: EndpointSpecStatus | null;
}

export interface EndpointRisk {
  score: number;
  level: RiskLevel;
  /** Strongest first; the score is the strongest factor's weight (1 with none). */
  factors: RiskFactorInfo[];
}

export interface EndpointSpecStatus {
  status: 'documented' | 'shadow' | 'zombie';
  /**
   * Zombie: 'deprecated' or 'removed' (from a newer version); shadow: 'not-found' for probes;
   * documented: 'unresolved-ref' when its spec path is a `$ref` that was not followed.
   */
  reason: 'deprecated' | 'removed' | 'not-found' | 'unresolved-ref' | null;
  /** The spec path it matched (documented, zombie), null for shadow. */
  specPath: string | null;
}

/** What the endpoint list can be sorted by (ties: by endpoint id). */
export const ENDPOINT_SORTS = [
  'requests',
  'template',
  'median',
  'p95',
  'errors',
  'outliers',
  'risk',
] as const;
export type EndpointSort = (typeof ENDPOINT_SORTS)[number];

/**
 * What narrows the endpoint inventory (all of them together): text found in the method, host
 * or template (case-insensitive), risk levels, statuses against the loaded specs, flows (any).
 */
export const endpointFiltersSchema = z.strictObject({
  text: z.string().trim().min(1).max(1000).optional(),
  levels: z.array(riskLevelSchema).max(3).optional(),
  spec: z
    .array(z.enum(['documented', 'shadow', 'zombie']))
    .max(3)
    .optional(),
  flows: z.array(z.enum(FLOWS)).max(FLOWS.length).optional(),
});
export type EndpointFilters = z.infer<typeof endpointFiltersSchema>;

/** One keyset page of the endpoint inventory. */
export interface EndpointPage {
  items: EndpointSummary[];
  /** How many endpoints match the filters (all the case has without): the pages hold them all. */
  total: number;
  /** The last item's id: pass it back as `cursor` for the next page; null after the last. */
  nextCursor: string | null;
}

/** Requests of the endpoints tagged with a business flow. */
export interface FlowTotal {
  flow: Flow;
  requests: number;
}

export interface RebuildSummary {
  requests: number;
  endpoints: number;
  sessions: number;
  outliers: number;
}

// ---- events ---------------------------------------------------------------------------------

/** A full rebuild runs off the answering thread; one event as each of its steps starts. */
export const rebuildProgressSchema = z.object({
  rebuildId: z.string(),
  /** The step's name (scan, endpoints, … session verdicts). */
  step: z.string(),
  /** 0-based position of the step, and how many steps the rebuild runs. */
  index: z.number().int(),
  total: z.number().int(),
});
export type RebuildProgressEvent = z.infer<typeof rebuildProgressSchema>;

export const rebuildDoneSchema = z.object({
  rebuildId: z.string(),
  result: z
    .object({
      requests: z.number(),
      endpoints: z.number(),
      sessions: z.number(),
      outliers: z.number(),
    })
    .nullable(),
  /** Set when it failed or was cancelled (CANCELLED); the case is then as it was before. */
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).nullable(),
});
export type RebuildDoneEvent = z.infer<typeof rebuildDoneSchema>;

export const analysisEvents = {
  rebuildProgress: event(rebuildProgressSchema),
  rebuildDone: event(rebuildDoneSchema),
} as const;

// ---- calls ----------------------------------------------------------------------------------

export const analysisCalls = {
  /**
   * Rebuilds the whole analysis on a worker thread (rebuildProgress events per step) and
   * answers when it is done. One at a time: a second request while one runs is refused
   * with BUSY. Calls that read keep answering from the last committed analysis meanwhile.
   */
  rebuild: call<RebuildSummary>()(z.strictObject({}).optional()),
  /** Stops the running rebuild (its call then fails with CANCELLED); false when none runs. */
  cancelRebuild: call<{ cancelled: boolean }>()(z.strictObject({}).optional()),
  /**
   * The rebuild running now (whoever started it) at its latest step, or null: how a page opened
   * while one runs learns of it before its next step's event.
   */
  rebuildStatus: call<{ running: RebuildProgressEvent | null }>()(z.strictObject({}).optional()),
  /**
   * The built-in business-flow rules (resources/flows.json) as the rebuild applies them: what
   * tags an endpoint with each flow. Needs no open case.
   */
  flowRules: call<FlowRule[]>()(z.strictObject({}).optional()),
  listSessions: call<SessionPage>()(
    z.strictObject({
      filters,
      sort: z.enum(SESSION_SORTS).optional(),
      descending: z.boolean().optional(),
      cursor: sessionCursorSchema.optional(),
      limit,
    }),
  ),
  /**
   * How many sessions listSessions gives under `filters`, in parts that each hold the case
   * briefly: add them up, passing each part's nextCursor, until it is null.
   */
  countSessions: call<SessionCount>()(
    z.strictObject({ filters, cursor: sessionCursorSchema.optional() }),
  ),
  /** Matching requests over time for the whole case, counted in SQL (no cap). */
  requestHistogram: call<RequestHistogram>()(
    z.strictObject({
      filters,
      buckets: z.number().int().min(1).max(1000).optional(),
      /** Also count outliers and attacks per bucket (a probe per request: for one session). */
      marks: z.boolean().optional(),
    }),
  ),
  getSession: call<SessionDetail>()(
    z.strictObject({
      id: sessionIdSchema,
      filters,
      /** Each distribution's largest values only (a scan's session can touch 100,000 endpoints). */
      top: z.number().int().min(1).max(100_000).optional(),
    }),
  ),
  listSessionRequests: call<RequestPage>()(
    z.strictObject({
      id: sessionIdSchema,
      filters,
      cursor: requestCursorSchema.optional(),
      limit,
    }),
  ),
  getRequest: call<RequestDetail>()(
    z.strictObject({ id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
  ),
  listEndpoints: call<EndpointSummary[]>()(
    z.strictObject({ limit: z.number().int().min(1).max(100_000).optional() }).optional(),
  ),
  /** The endpoint inventory a page at a time, sorted in SQL (a scanner's case holds 100,000s). */
  listEndpointPage: call<EndpointPage>()(
    z.strictObject({
      sort: z.enum(ENDPOINT_SORTS).optional(),
      dir: z.enum(['asc', 'desc']).optional(),
      cursor: endpointIdSchema.optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      filters: endpointFiltersSchema.optional(),
    }),
  ),
  getEndpoint: call<EndpointSummary>()(z.strictObject({ id: endpointIdSchema })),
  /** Per business flow, the requests of its endpoints (busiest first). */
  flowTotals: call<FlowTotal[]>()(z.strictObject({}).optional()),
  setEndpointFlow: call<EndpointSummary>()(
    z.strictObject({
      endpointId: endpointIdSchema,
      flow: z.enum(FLOWS),
      action: z.enum(['add', 'remove']),
    }),
  ),
  getSettings: call<AnalysisSettings>()(z.strictObject({}).optional()),
  /**
   * Stores the settings (audited) and rebuilds the analysis with them, as `rebuild` does and
   * in the same transaction: a cancelled or failed rebuild leaves the old settings. `base`, the
   * settings the form was opened with: CONFLICT (nothing stored) when the case holds others.
   */
  setSettings: call<{ settings: AnalysisSettings; rebuild: RebuildSummary }>()(
    z.strictObject({ settings: analysisSettingsSchema, base: analysisSettingsSchema.optional() }),
  ),
} as const;
