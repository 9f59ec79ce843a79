import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { benchRequests } from '../../bench/analysisBench.js';
import { rulesCalls } from '../../shared/contract/rulesApi.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { addRule as addParsed, markDetection } from '../rules/rulesDb.js';
import { listAudit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';
import { clearDetectionBasis } from './detectBasis.js';
import { detectStep, lastDetectionRun } from './detectStep.js';
import { rebuild } from './rebuild.js';
import { rebuildDetections } from './rebuildDetections.js';
import { readSettings, writeSettings } from './settingsRepo.js';

const T0 = Date.UTC(2024, 2, 1) * 1000;

/** Attacks among ordinary traffic, one of them labelled by its source. */
function* attacks(from = 0): Generator<SeedRequest> {
  for (let i = from; i < from + 40; i++) {
    yield {
      tsUs: T0 + i * 30_000_000,
      ip: `10.9.0.${i % 4}`,
      host: 'shop.example',
      path: '/search',
      query:
        i % 2 === 0
          ? `q=${i}'%20union%20select%20password%20from%20users--`
          : `q=%3Cscript%3Ealert(${i})%3C/script%3E`,
      userAgent: 'Firefox',
    };
  }
}

/** The findings, and the session attack counts that follow them. */
function detectionState(db: CaseDb): {
  detections: unknown[];
  fp: unknown[];
  attackCounts: unknown[];
} {
  const rows = (table: string): unknown[] =>
    db.prepare(`SELECT * FROM ${table} ORDER BY id`).raw(true).all();
  return {
    detections: rows('detections'),
    fp: rows('fp_detections'),
    attackCounts: db.prepare('SELECT id, attack_count FROM sessions ORDER BY id').raw(true).all(),
  };
}

const COUNTS = [
  'detections',
  'flaggedRequests',
  'sourceLabels',
  'customDetections',
  'falsePositives',
];

/**
 * Re-derives the findings alone (rebuildDetections, which audits its counts), keeping the
 * stored ones or, with `scan`, scanning every request; returns the findings and the counts.
 */
function rederived(db: CaseDb, scan: boolean): unknown {
  if (scan) clearDetectionBasis(db);
  rebuildDetections(db, 'detections');
  expect(lastDetectionRun()?.reused).toBe(!scan);
  const details = listAudit(db)
    .filter((e) => e.action === 'analysis.rebuild')
    .at(-1)!.details;
  expect(details['kind']).toBe('detections');
  return { ...detectionState(db), counts: COUNTS.map((k) => details[k]) };
}

/** What a full rebuild that scans every request gives now. */
function scanned(db: CaseDb): unknown {
  clearDetectionBasis(db);
  rebuild(db);
  expect(lastDetectionRun()?.reused).toBe(false);
  return detectionState(db);
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-detect-basis-');
  db = ws.openCase();
  // With their analysis columns, as the first rebuild's detection worker leaves a case.
  seedSource(db, 'bench', benchRequests(2000), { columns: true });
  seedSource(db, 'attacks', attacks(), { columns: true });
  db.prepare(
    "UPDATE requests SET src_label = 'SQL Injection' WHERE id = (SELECT max(id) FROM requests)",
  ).run();
  rebuild(db);
  expect(lastDetectionRun()?.reused).toBe(false);
});
afterEach(() => ws.cleanup());

const addRule = (input: unknown) => addParsed(db, rulesCalls.addRule.input.parse(input));

function newTimeout(): void {
  const s = readSettings(db);
  writeSettings(db, { ...s, inactivityTimeoutMin: s.inactivityTimeoutMin + 5 });
}

describe('a rebuild keeps the findings scanned from the same requests, rules and code', () => {
  it('after a settings change re-judges the stored findings, as a scan would give them', () => {
    const before = detectionState(db);
    expect(before.detections.length).toBeGreaterThan(10);
    newTimeout();
    rebuild(db);
    expect(lastDetectionRun()?.reused).toBe(true);
    const kept = detectionState(db);
    // The findings did not move; the session attack counts follow the new sessions.
    expect(kept.detections).toEqual(before.detections);
    expect(kept).toEqual(scanned(db));
    // The counts recorded for the findings too.
    const counts = rederived(db, false);
    expect((counts as { counts: number[] }).counts.every((n) => typeof n === 'number')).toBe(true);
    expect(counts).toEqual(rederived(db, true));
  });

  it('with marks and suppress rules in force, sets aside what a scan would', () => {
    const first = db
      .prepare('SELECT id FROM detections ORDER BY id LIMIT 1')
      .pluck()
      .get() as number;
    markDetection(db, { detectionId: first, verdict: 'false_positive', scope: 'request' });
    addRule({ kind: 'suppress', scope: 'type', type: 'xss' });
    newTimeout();
    rebuild(db);
    expect(lastDetectionRun()?.reused).toBe(true);
    const kept = detectionState(db);
    expect(kept.fp.length).toBeGreaterThan(1);
    expect(kept).toEqual(scanned(db));
    expect(rederived(db, false)).toEqual(rederived(db, true));
  });

  it('scans again after a detect rule is added, then keeps what that scan found', () => {
    addRule({
      kind: 'detect',
      field: 'query',
      match: 'literal',
      pattern: 'password',
      type: 'credential_probe',
    });
    // The rule's own re-derivation of the findings (rebuildDetections) met other rules.
    expect(lastDetectionRun()?.reused).toBe(false);
    const custom = db
      .prepare("SELECT count(*) FROM detections WHERE source = 'custom'")
      .pluck()
      .get() as number;
    expect(custom).toBeGreaterThan(0);
    newTimeout();
    rebuild(db);
    expect(lastDetectionRun()?.reused).toBe(true);
    expect(detectionState(db)).toEqual(scanned(db));
    expect(rederived(db, false)).toEqual(rederived(db, true));
  });

  it('after an import scans its requests alone, as a scan of every request would find', () => {
    const first = db
      .prepare('SELECT id FROM detections ORDER BY id LIMIT 1')
      .pluck()
      .get() as number;
    markDetection(db, { detectionId: first, verdict: 'false_positive', scope: 'request' });
    addRule({ kind: 'suppress', scope: 'type', type: 'xss' });
    const last = db.prepare('SELECT max(id) FROM requests').pluck().get() as number;
    seedSource(db, 'more', attacks(100));
    rebuild(db);
    expect(lastDetectionRun()).toMatchObject({ reused: false, scannedFrom: last });
    const withMore = detectionState(db);
    expect(withMore.detections.length + withMore.fp.length).toBeGreaterThan(
      db
        .prepare('SELECT count(*) FROM detections WHERE request_id <= ?')
        .pluck()
        .get(last) as number,
    );
    expect(withMore.fp.length).toBeGreaterThan(1);
    expect(withMore).toEqual(scanned(db));
    expect(lastDetectionRun()).toMatchObject({ reused: false, scannedFrom: 0 });
    // The counts recorded are those of every finding.
    seedSource(db, 'still more', attacks(200));
    rebuild(db);
    expect(lastDetectionRun()?.scannedFrom).toBeGreaterThan(last);
    const appended = listAudit(db).at(-1)!.details;
    clearDetectionBasis(db);
    rebuild(db);
    expect(listAudit(db).at(-1)!.details).toEqual(appended);
  });

  it('scans every request again once a source is removed', () => {
    seedSource(db, 'more', attacks(100));
    rebuild(db);
    db.prepare("DELETE FROM sources WHERE file_name = 'attacks'").run();
    rebuild(db);
    expect(lastDetectionRun()).toMatchObject({ reused: false, scannedFrom: 0 });
    expect(detectionState(db)).toEqual(scanned(db));
  });

  it('scans again after an import, a request changed in place, or a scan outside a rebuild', () => {
    seedSource(db, 'more', attacks(100));
    rebuild(db);
    expect(lastDetectionRun()?.reused).toBe(false);

    // Sessionscope never does this; whatever does makes the stored basis forget itself.
    db.prepare("UPDATE requests SET query = 'q=plain' WHERE id = 2001").run();
    rebuild(db);
    expect(lastDetectionRun()?.reused).toBe(false);
    expect(
      db.prepare('SELECT count(*) FROM detections WHERE request_id = 2001').pluck().get(),
    ).toBe(0);

    detectStep(db);
    rebuild(db);
    expect(lastDetectionRun()?.reused).toBe(false);
  });

  it('scans again when the stored findings came from other detection code', () => {
    const stored = () =>
      db
        .prepare("SELECT value FROM analysis_state WHERE key = 'detections_basis'")
        .pluck()
        .get() as string;
    const basis = JSON.parse(stored()) as { engine: string };
    expect(basis.engine).toMatch(/^\d+\.\d+\.\d+.*:(source|bundle):[0-9a-f]{64}$/);
    db.prepare("UPDATE analysis_state SET value = ? WHERE key = 'detections_basis'").run(
      JSON.stringify({ ...basis, engine: `${basis.engine}-older` }),
    );
    rebuild(db);
    expect(lastDetectionRun()?.reused).toBe(false);
    expect(JSON.parse(stored())).toEqual(basis);
  });
});
