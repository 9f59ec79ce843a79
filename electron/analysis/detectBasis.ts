import type { CaseDb } from '../store/openCase.js';
import { codeIdentity } from './codeIdentity.js';
import { defaultDetectWorkerFile } from './detectWorker.js';
import type { RebuildContext } from './rebuildContext.js';
import { onlyAppended, requestsCoverage, type Coverage } from './requestsCoverage.js';
import { readPatternRows } from './ruleVerdicts.js';
import { readState, writeState } from './settingsRepo.js';

/**
 * What the stored findings were scanned from: the requests (their coverage), the
 * investigator's enabled detect rules, and the detection code. Findings depend on nothing
 * else (marks and suppress rules only move them between detections and fp_detections, which
 * a rebuild re-applies), so a rebuild that meets the same basis re-judges the stored findings
 * instead of scanning every request again (detectStep.ts).
 */
const STATE_KEY = 'detections_basis';

let engine: string | null | undefined;

/** Detection code as run from source: the engine, its signatures and decoders, custom rules. */
const SOURCES = [
  '../../shared/detect',
  '../../shared/rules',
  './detectRows.ts',
  './ruleVerdicts.ts',
];

/**
 * The detection code: this version, and the bytes of the detection worker's bundle (engine,
 * signatures, decoders, custom rules) or, run from source (tests, a checkout), of those sources;
 * null when neither can be read (nothing is then kept: every rebuild scans).
 */
function engineIdentity(): string | null {
  if (engine === undefined) engine = codeIdentity(defaultDetectWorkerFile(), SOURCES);
  return engine;
}

/** `count`: the number of requests, when the caller knows it (see requestsCoverage). */
export function detectionBasis(db: CaseDb, count?: number): string {
  return JSON.stringify({
    engine: engineIdentity(),
    requests: requestsCoverage(db, count),
    rules: readPatternRows(db, 'detect'),
  });
}

/** Records that the findings now stored were scanned from `basis`. */
export function writeDetectionBasis(db: CaseDb, basis: string): void {
  writeState(db, STATE_KEY, basis);
}

/** Forgets the basis: the next rebuild scans (a change to the findings other than a scan). */
export function clearDetectionBasis(db: CaseDb): void {
  db.prepare('DELETE FROM analysis_state WHERE key = ?').run(STATE_KEY);
}

/** What a rebuild sees of the stored findings (read once per rebuild). */
export interface DetectionsSeen {
  basis: string;
  /** The stored findings were scanned from this basis: nothing to scan. */
  current: boolean;
  /**
   * The last request id the stored findings cover, when they were scanned by this code and
   * these detect rules and requests were only added since (an import into an analysed case):
   * a scan of the requests after it, appended to them, gives what a scan of every request
   * would (findings are made from each request alone, written in request order). Null: scan
   * every request.
   */
  appendAfter: number | null;
}

interface StoredBasis {
  engine: string | null;
  requests: Coverage;
  rules: unknown;
}

const seen = new WeakMap<RebuildContext, DetectionsSeen>();

/**
 * The basis this rebuild sees, and whether the stored findings already come from it or from
 * fewer requests alone (read once per rebuild: the scan step asks first, to choose how to share
 * the scan between cores).
 */
export function detectionsFor(ctx: RebuildContext): DetectionsSeen {
  let s = seen.get(ctx);
  if (s === undefined) {
    // The scan step, when it ran, counted the requests this transaction sees.
    const basis = detectionBasis(ctx.db, ctx.stats['requests']);
    const stored = readState(ctx.db, STATE_KEY);
    const known = engineIdentity() !== null && stored !== null;
    const current = known && stored === basis;
    s = { basis, current, appendAfter: current || !known ? null : appendAfter(ctx, stored, basis) };
    seen.set(ctx, s);
  }
  return s;
}

function appendAfter(ctx: RebuildContext, stored: string, basis: string): number | null {
  const before = JSON.parse(stored) as StoredBasis;
  const now = JSON.parse(basis) as StoredBasis;
  const same =
    before.engine === now.engine && JSON.stringify(before.rules) === JSON.stringify(now.rules);
  return same && onlyAppended(ctx.db, before.requests, now.requests) ? before.requests.maxId : null;
}
