import { Detector } from '../../shared/detect/engine.js';
import { sourceLabelType } from '../../shared/detect/sourceLabel.js';
import { FRAGMENT_MAX } from '../../shared/detect/types.js';
import type { LoadedPatternRule } from './ruleVerdicts.js';

/**
 * The request scan of the detection step, free of any connection: rows in, detection rows out.
 * The same code runs on the rebuild's thread (detectStep.ts) and in the detection worker
 * (detectWorker.ts), so both give the same rows in the same order.
 */

/** Columns in `raw` order: arrays cost far less to build than one object per row. */
export const DETECT_SELECT = `SELECT id, host, path, query, req_body, cookies, headers,
  user_agent, referer, resp_body, src_label FROM requests WHERE id > ? ORDER BY id LIMIT ?`;

/** One request as DETECT_SELECT returns it in raw mode. */
export type DetectRow = [
  id: number,
  host: string | null,
  path: string | null,
  query: string | null,
  reqBody: string | null,
  cookies: string | null,
  headers: string | null,
  userAgent: string | null,
  referer: string | null,
  respBody: string | null,
  srcLabel: string | null,
];

/** A detections row in INSERT column order (request_id … source). */
export type FindingValues = [
  requestId: number,
  type: string,
  ruleId: string,
  location: string | null,
  param: string | null,
  part: string | null,
  start: number | null,
  end: number | null,
  basis: string | null,
  fragment: string,
  source: string,
];

export const FINDING_WIDTH = 11;

export const INSERT_FINDING = `INSERT INTO detections (request_id, type, rule_id, location, param,
  part, frag_start, frag_end, basis, fragment, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** What the scan counts (the step adds the suppressed count after the verdicts). */
export interface ScanCounts {
  requests: number;
  detections: number;
  flaggedRequests: number;
  sourceLabels: number;
  undecodable: number;
  custom: number;
}

export function emptyCounts(): ScanCounts {
  return {
    requests: 0,
    detections: 0,
    flaggedRequests: 0,
    sourceLabels: 0,
    undecodable: 0,
    custom: 0,
  };
}

/** A request's headers JSON as lower-case name → string value; null when it is not an object. */
export function parseHeaders(json: string | null): Record<string, string> | null {
  if (json === null) return null;
  try {
    const v = JSON.parse(json) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>))
      if (typeof x === 'string') out[k.toLowerCase()] = x;
    return out;
  } catch {
    return null;
  }
}

/** Header sets repeat per client (the same tokens, keys and browsers); parsed once each. */
const HEADER_CACHE_MAX = 16384;
const HEADER_KEY_MAX = 2048;

export class RequestScanner {
  readonly counts = emptyCounts();
  private readonly headerCache = new Map<string, Record<string, string> | null>();

  constructor(
    private readonly emit: (values: FindingValues) => void,
    private readonly custom: readonly LoadedPatternRule[],
    private readonly detector: Detector = new Detector(),
  ) {}

  /** Parsed objects are shared between requests: the engine and the rules only read them. */
  private headers(json: string | null): Record<string, string> | null {
    if (json === null) return null;
    if (json.length > HEADER_KEY_MAX) return parseHeaders(json);
    let h = this.headerCache.get(json);
    if (h === undefined) {
      h = parseHeaders(json);
      if (this.headerCache.size >= HEADER_CACHE_MAX) this.headerCache.clear();
      this.headerCache.set(json, h);
    }
    return h;
  }

  scan(r: DetectRow): void {
    const [id, host, path, query, body, cookies, headerJson, userAgent, referer, respBody, label] =
      r;
    const counts = this.counts;
    counts.requests++;
    const headers = this.headers(headerJson);
    const { detections, notes } = this.detector.detect({
      host,
      path,
      query,
      body,
      cookies,
      headers,
      userAgent,
      referer,
      respBody,
    });
    for (const d of detections) {
      this.emit([
        id,
        d.type,
        d.ruleId,
        d.location,
        d.param,
        d.part,
        d.start,
        d.end,
        d.basis,
        d.fragment,
        'engine',
      ]);
    }
    counts.detections += detections.length;
    let customWritten = 0;
    if (this.custom.length > 0) {
      const req = { path, query, body, cookies, headers, userAgent };
      for (const c of this.custom) {
        const hit = c.matcher.find(req);
        if (hit === null) continue;
        customWritten++;
        this.emit([
          id,
          c.type,
          c.ruleId,
          hit.location,
          hit.param,
          'value',
          hit.start,
          hit.end,
          'raw',
          hit.fragment,
          'custom',
        ]);
      }
      counts.custom += customWritten;
    }
    if (detections.length + customWritten > 0) counts.flaggedRequests++;
    if (notes.length > 0 && notes.some((n) => n.flag === 'bad-percent' || n.flag === 'too-deep'))
      counts.undecodable++;
    if (label !== null) {
      const type = sourceLabelType(label);
      if (type !== null) {
        this.emit([
          id,
          type,
          'source-label',
          null,
          null,
          null,
          null,
          null,
          null,
          label.slice(0, FRAGMENT_MAX),
          'source-label',
        ]);
        counts.sourceLabels++;
      }
    }
  }
}
