import { paramValues, QueryParser } from './queryParams.js';
import { U32Set } from './u32Set.js';
import type { UaClass } from './userAgent.js';

/** What the detectors look at in one session. Counts are of the session's own requests. */
export interface SessionFeatures {
  requests: number;
  /** Requests per minute over the session's span, the span counted as at least one minute. */
  ratePerMinute: number;
  /**
   * The same without static files (`asset` endpoints): a browser showing one catalogue page
   * asks for a hundred thumbnails within seconds by itself.
   */
  pageRatePerMinute: number;
  /** Coefficient of variation of the gaps between requests; null below three requests. */
  intervalCv: number | null;
  ipCount: number;
  uaClass: UaClass;
  authFailures: number;
  /** Auth requests answered 2xx/3xx. */
  authSuccesses: number;
  authDistinctUsers: number;
  /** The longest run of failed logins that a successful login ended; 0 without success. */
  failuresBeforeSuccess: number;
  /** Distinct IPs behind the session's user over the capture (the session's own otherwise). */
  userIps: number;
  /** Distinct session keys (cookies, tokens) behind the session's user (1 without a user). */
  userSessions: number;
  notFoundPaths: number;
  /**
   * The most distinct paths on one templated endpoint ({id} segments: object ids) within any
   * window of the builder's length (ten minutes unless set).
   */
  maxIdsPerEndpoint: number;
  /** The most distinct values of one query parameter. */
  maxValuesPerParam: number;
  smsNumbers: number;
  distinctResources: number;
  /** distinctResources without static files (`asset` endpoints): what scraping copies. */
  distinctPages: number;
  responseBytes: number;
  /** distinctResources / requests. */
  uniqueness: number;
  /** Share of the requests answered 4xx or 5xx. */
  errorShare: number;
}

/** One request as the feature builder needs it: numbers, and the query text it parses. */
export interface RequestObservation {
  tsUs: number;
  /** Any stable number per client IP (an interned id); negative when unknown. */
  ip: number;
  status: number | null;
  respBytes: number | null;
  /** Any stable number per endpoint. */
  endpoint: number;
  /** The endpoint's template has placeholders, so its paths name objects. */
  templated: boolean;
  /**
   * The endpoint serves static files (images, css, js, fonts, media: staticAssets.ts): the ids
   * in its paths and the values in its query name the page's assets, not objects, so they
   * count towards neither maxIdsPerEndpoint nor maxValuesPerParam.
   */
  asset: boolean;
  auth: boolean;
  sms: boolean;
  /** The submitted or signed-in user, as any stable number; negative when none. */
  user: number;
  /** fnv1a of the path (hash.ts): the caller hashes once, however it stores paths. */
  pathHash: number;
  query: string | null;
}

export const DEFAULT_ID_WINDOW_US = 10 * 60e6;

/**
 * Distinct ids among the requests of the last `windowUs` (requests arrive in time order), and
 * the most there ever were: "many object ids in a short window", not over a whole day.
 */
class IdWindow {
  private readonly ts: number[] = [];
  private readonly ids: number[] = [];
  private head = 0;
  private readonly counts = new Map<number, number>();
  max = 0;
  constructor(private readonly windowUs: number) {}

  /** Empty again, for another session (windows are reused: a session may open dozens). */
  clear(): void {
    this.ts.length = 0;
    this.ids.length = 0;
    this.head = 0;
    this.counts.clear();
    this.max = 0;
  }

  add(tsUs: number, id: number): void {
    this.ts.push(tsUs);
    this.ids.push(id);
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    while (tsUs - this.ts[this.head]! > this.windowUs) {
      const old = this.ids[this.head++]!;
      const n = this.counts.get(old)! - 1;
      if (n === 0) this.counts.delete(old);
      else this.counts.set(old, n);
    }
    if (this.counts.size > this.max) this.max = this.counts.size;
  }
}

function isAuthFailure(status: number | null): boolean {
  return status === 401 || status === 403 || status === 429;
}

function isSuccess(status: number | null): boolean {
  return status !== null && status >= 200 && status < 400;
}

/** Phone-number-looking text: at least 7 digits once spaces, dashes, dots, parens and + go. */
function phoneDigits(value: string): string | null {
  const d = value.replace(/[\s().+-]/g, '');
  return /^\d{7,16}$/.test(d) ? d : null;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * Folds one session's requests, in time order, into its features. Reused across sessions
 * (`reset`) so a rebuild allocates per session, not per request. The user-level figures
 * (userIps, userSessions) come from the whole capture; the caller sets them.
 */
export class SessionFeatureBuilder {
  /** @param idWindowUs the window over which distinct object ids are counted (bola). */
  constructor(private readonly idWindowUs = DEFAULT_ID_WINDOW_US) {}

  private n = 0;
  private firstUs = 0;
  private lastUs = 0;
  private gapSum = 0;
  private gapSq = 0;
  private readonly ips = new Set<number>();
  private authFailures = 0;
  private authSuccesses = 0;
  private readonly authUsers = new Set<number>();
  private run = 0;
  private failuresBeforeSuccess = 0;
  private readonly notFound = new U32Set();
  private readonly notFoundEndpoints = new Set<number>();
  private readonly idsPerEndpoint = new Map<number, IdWindow>();
  private readonly freeWindows: IdWindow[] = [];
  /** Distinct value hashes per (endpoint, parameter name), by paramId. */
  private readonly valuesPerParam = new Map<number, U32Set>();
  private readonly freeSets: U32Set[] = [];
  private readonly queries = new QueryParser();
  /** Dense ids of (endpoint, parameter name id) pairs, kept across sessions. */
  private readonly paramIds = new Map<number, Map<number, number>>();
  private paramIdCount = 0;
  private readonly sms = new Set<string>();
  private readonly resources = new U32Set();
  private readonly pages = new U32Set();
  private bytes = 0;
  private errors = 0;
  /** Requests to endpoints other than static files. */
  private pageRequests = 0;

  reset(): void {
    this.n = 0;
    this.pageRequests = 0;
    this.gapSum = this.gapSq = 0;
    this.ips.clear();
    this.authFailures = this.authSuccesses = 0;
    this.authUsers.clear();
    this.run = this.failuresBeforeSuccess = 0;
    this.notFound.clear();
    this.notFoundEndpoints.clear();
    for (const w of this.idsPerEndpoint.values()) {
      w.clear();
      this.freeWindows.push(w);
    }
    this.idsPerEndpoint.clear();
    for (const set of this.valuesPerParam.values()) {
      set.clear();
      this.freeSets.push(set);
    }
    this.valuesPerParam.clear();
    this.sms.clear();
    this.resources.clear();
    this.pages.clear();
    this.bytes = this.errors = 0;
  }

  add(r: RequestObservation): void {
    if (this.n === 0) this.firstUs = r.tsUs;
    else {
      const gap = (r.tsUs - this.lastUs) / 1e6;
      this.gapSum += gap;
      this.gapSq += gap * gap;
    }
    this.lastUs = r.tsUs;
    this.n++;
    if (r.ip >= 0) this.ips.add(r.ip);
    if (r.respBytes !== null && r.respBytes > 0) this.bytes += r.respBytes;
    if (r.status !== null && r.status >= 400) this.errors++;
    if (!r.asset) this.pageRequests++;
    if (r.auth) {
      if (r.user >= 0) this.authUsers.add(r.user);
      if (isAuthFailure(r.status)) {
        this.authFailures++;
        this.run++;
      } else if (isSuccess(r.status)) {
        this.authSuccesses++;
        if (this.run > this.failuresBeforeSuccess) this.failuresBeforeSuccess = this.run;
        this.run = 0;
      }
    }
    const pathHash = r.pathHash;
    // Forced browsing guesses paths; ids guessed on one template are object enumeration (bola),
    // so a templated endpoint counts once however many of its ids were not found.
    if (r.status === 404) {
      if (r.templated) this.notFoundEndpoints.add(r.endpoint);
      else this.notFound.add(pathHash);
    }
    // A static file's id names a picture of the page, not an object (staticAssets.ts).
    if (r.templated && !r.asset) {
      let ids = this.idsPerEndpoint.get(r.endpoint);
      if (!ids) {
        ids = this.freeWindows.pop() ?? new IdWindow(this.idWindowUs);
        this.idsPerEndpoint.set(r.endpoint, ids);
      }
      ids.add(r.tsUs, pathHash);
    }
    if (!r.query) {
      this.resources.add(pathHash);
      if (!r.asset) this.pages.add(pathHash);
      return;
    }
    const q = this.queries.parse(r.query);
    const resource = (Math.imul(pathHash, 31) ^ q.hash) >>> 0;
    this.resources.add(resource);
    if (!r.asset) this.pages.add(resource);
    if (!r.asset)
      for (let k = 0; k < q.names.length; k++) {
        const id = this.paramId(r.endpoint, q.names[k]!);
        let values = this.valuesPerParam.get(id);
        if (!values) this.valuesPerParam.set(id, (values = this.freeSets.pop() ?? new U32Set()));
        values.add(q.values[k]!);
      }
    if (r.sms)
      for (const raw of paramValues(r.query)) {
        const phone = phoneDigits(decode(raw));
        if (phone) this.sms.add(phone);
      }
  }

  private paramId(endpoint: number, name: number): number {
    let names = this.paramIds.get(endpoint);
    if (!names) this.paramIds.set(endpoint, (names = new Map()));
    let id = names.get(name);
    if (id === undefined) names.set(name, (id = this.paramIdCount++));
    return id;
  }

  finish(): SessionFeatures {
    const n = this.n;
    const spanMin = Math.max(1, (this.lastUs - this.firstUs) / 60e6);
    let intervalCv: number | null = null;
    if (n >= 3) {
      const gaps = n - 1;
      const mean = this.gapSum / gaps;
      const variance = Math.max(0, this.gapSq / gaps - mean * mean);
      intervalCv = mean > 0 ? Math.sqrt(variance) / mean : 0;
    }
    let maxIds = 0;
    for (const w of this.idsPerEndpoint.values()) maxIds = Math.max(maxIds, w.max);
    let maxValues = 0;
    for (const s of this.valuesPerParam.values()) maxValues = Math.max(maxValues, s.size);
    return {
      requests: n,
      ratePerMinute: n / spanMin,
      pageRatePerMinute: this.pageRequests / spanMin,
      intervalCv,
      ipCount: this.ips.size,
      uaClass: 'other',
      authFailures: this.authFailures,
      authSuccesses: this.authSuccesses,
      authDistinctUsers: this.authUsers.size,
      failuresBeforeSuccess: this.failuresBeforeSuccess,
      userIps: this.ips.size,
      userSessions: 1,
      notFoundPaths: this.notFound.size + this.notFoundEndpoints.size,
      maxIdsPerEndpoint: maxIds,
      maxValuesPerParam: maxValues,
      smsNumbers: this.sms.size,
      distinctResources: this.resources.size,
      distinctPages: this.pages.size,
      responseBytes: this.bytes,
      uniqueness: n > 0 ? this.resources.size / n : 1,
      errorShare: n > 0 ? this.errors / n : 0,
    };
  }
}
