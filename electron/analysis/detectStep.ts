import type { Statement } from 'better-sqlite3';
import { Detector } from '../../shared/detect/engine.js';
import { sourceLabelType } from '../../shared/detect/sourceLabel.js';
import { FRAGMENT_MAX } from '../../shared/detect/types.js';
import { AppError } from '../../shared/contract/errors.js';
import type { CaseDb } from '../store/openCase.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import { applyVerdicts, loadPatternRules, type LoadedPatternRule } from './ruleVerdicts.js';

export interface DetectStepOptions {
  /** Requests read per query (default 2000). */
  batchSize?: number;
  detector?: Detector;
  onProgress?: (done: number, total: number) => void;
  /** Polled between batches; true aborts (the caller's transaction then rolls back). */
  shouldCancel?: () => boolean;
}

export interface DetectStepResult {
  requests: number;
  /** Engine findings written, and requests with at least one. */
  detections: number;
  flaggedRequests: number;
  /** Source labels kept as 'source-label' rows. */
  sourceLabels: number;
  /** Requests with at least one text that could not be fully decoded (flagged, still scanned). */
  undecodable: number;
  /** Findings of the investigator's detect rules (source 'custom'). */
  custom: number;
  /**
   * Findings judged false positives (by a mark or a suppress rule): moved to fp_detections,
   * so no count, filter or list sees them, while the request still shows them.
   */
  suppressed: number;
}

interface Row {
  id: number;
  method: string | null;
  host: string | null;
  path: string | null;
  query: string | null;
  reqBody: string | null;
  cookies: string | null;
  headers: string | null;
  userAgent: string | null;
  referer: string | null;
  respBody: string | null;
  srcLabel: string | null;
}

const SELECT_BATCH = `SELECT id, method, host, path, query, req_body AS reqBody, cookies, headers,
  user_agent AS userAgent, referer, resp_body AS respBody, src_label AS srcLabel
  FROM requests WHERE id > ? ORDER BY id LIMIT ?`;

const INSERT = `INSERT INTO detections (request_id, type, rule_id, location, param, part,
  frag_start, frag_end, basis, fragment, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function parseHeaders(json: string | null): Record<string, string> | null {
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

/**
 * Rewrites the detections table from `requests`: runs the signature engine and the
 * investigator's detect rules over every request (in id order, batch by batch), keeps each
 * source attack label as its own row, then sets aside what marks and suppress rules judge
 * false positives.
 * Deterministic and idempotent; runs in one transaction (a savepoint inside the rebuild's).
 */
export function detectStep(db: CaseDb, opts: DetectStepOptions = {}): DetectStepResult {
  const batchSize = opts.batchSize ?? 2000;
  const detector = opts.detector ?? new Detector();
  const select = db.prepare(SELECT_BATCH);
  const insert = db.prepare(INSERT);
  const total = (db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
  const result: DetectStepResult = {
    requests: 0,
    detections: 0,
    flaggedRequests: 0,
    sourceLabels: 0,
    undecodable: 0,
    custom: 0,
    suppressed: 0,
  };
  const custom = loadPatternRules(db, 'detect');
  db.transaction(() => {
    db.prepare('DELETE FROM detections').run();
    db.prepare('DELETE FROM fp_detections').run();
    let after = 0;
    for (;;) {
      if (opts.shouldCancel?.()) throw new AppError('CANCELLED', 'Attack detection cancelled');
      const rows = select.all(after, batchSize) as Row[];
      if (rows.length === 0) break;
      for (const r of rows) writeRequest(detector, insert, r, result, custom);
      after = rows[rows.length - 1]!.id;
      result.requests += rows.length;
      opts.onProgress?.(result.requests, total);
    }
    // Every finding is written before any moves, so ids stay unique across both tables.
    result.suppressed = applyVerdicts(db);
  })();
  return result;
}

function writeRequest(
  detector: Detector,
  insert: Statement,
  r: Row,
  result: DetectStepResult,
  custom: readonly LoadedPatternRule[],
): void {
  const headers = parseHeaders(r.headers);
  const { detections, notes } = detector.detect({
    method: r.method,
    host: r.host,
    path: r.path,
    query: r.query,
    body: r.reqBody,
    cookies: r.cookies,
    headers,
    userAgent: r.userAgent,
    referer: r.referer,
    respBody: r.respBody,
  });
  let written = 0;
  for (const d of detections) {
    written++;
    insert.run(
      r.id,
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
    );
  }
  result.detections += written;
  let customWritten = 0;
  if (custom.length > 0) {
    const req = {
      path: r.path,
      query: r.query,
      body: r.reqBody,
      cookies: r.cookies,
      headers,
      userAgent: r.userAgent,
    };
    for (const c of custom) {
      const hit = c.matcher.find(req);
      if (hit === null) continue;
      customWritten++;
      insert.run(
        r.id,
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
      );
    }
    result.custom += customWritten;
  }
  if (written + customWritten > 0) result.flaggedRequests++;
  if (notes.some((n) => n.flag === 'bad-percent' || n.flag === 'too-deep')) result.undecodable++;
  if (r.srcLabel !== null) {
    const type = sourceLabelType(r.srcLabel);
    if (type !== null) {
      insert.run(
        r.id,
        type,
        'source-label',
        null,
        null,
        null,
        null,
        null,
        null,
        r.srcLabel.slice(0, FRAGMENT_MAX),
        'source-label',
      );
      result.sourceLabels++;
    }
  }
}

/** The detection step of the analysis rebuild: after the derived tables, before session counts. */
export const detectRebuildStep: RebuildStep = {
  name: 'attack detection',
  order: 70,
  run(ctx: RebuildContext) {
    const r = detectStep(ctx.db);
    ctx.stats['detections'] = r.detections;
    ctx.stats['flaggedRequests'] = r.flaggedRequests;
    ctx.stats['sourceLabels'] = r.sourceLabels;
    ctx.stats['customDetections'] = r.custom;
    ctx.stats['falsePositives'] = r.suppressed;
  },
};
