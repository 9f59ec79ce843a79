import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  groundTruthCapture,
  T0,
  type LabelledRequest,
} from '../../test/fixtures/analysis/groundTruth.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { listAudit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';
import { listSessions } from '../query/sessionsQuery.js';
import { analysisIsCurrent, checkpointAfterRebuild, rebuild } from './rebuild.js';
import { runRebuildHere } from './rebuildWorker.js';
import { statSync } from 'node:fs';
import { writeSettings } from './settingsRepo.js';
import { analysisSettingsSchema } from '../../shared/analysis/settings.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-analysis-');
});
afterEach(() => ws.cleanup());

interface FactRow {
  lineNo: number;
  sid: string;
  keyKind: string;
  keyDisplay: string | null;
  requestCount: number;
  user: string | null;
  role: string | null;
  outlierCount: number;
}

function factsByLine(db: CaseDb): FactRow[] {
  return db
    .prepare(
      `SELECT r.line_no AS lineNo, s.sid, s.key_kind AS keyKind, s.key_display AS keyDisplay,
        s.request_count AS requestCount, s.user, s.role, s.outlier_count AS outlierCount
       FROM request_facts f JOIN requests r ON r.id = f.request_id
       JOIN sessions s ON s.id = f.session_id ORDER BY r.line_no`,
    )
    .all() as FactRow[];
}

function allSids(db: CaseDb): string[] {
  return (db.prepare('SELECT sid FROM sessions ORDER BY sid').all() as { sid: string }[]).map(
    (r) => r.sid,
  );
}

describe('analysis rebuild on a capture with known ground truth', () => {
  it('finds exactly the sessions, keys, users, roles, flows and outliers put in', () => {
    const { rows, expected } = groundTruthCapture();
    const db = ws.openCase();
    seedSource(db, 'truth', rows);
    const report = rebuild(db);
    expect(report.requests).toBe(rows.length);
    expect(report.sessions).toBe(Object.keys(expected).length);

    // The partition of requests into sessions equals the partition by label.
    const facts = factsByLine(db);
    const sidOfLabel = new Map<string, string>();
    const labelOfSid = new Map<string, string>();
    for (const f of facts) {
      const label = rows[f.lineNo - 1]!.label;
      expect(sidOfLabel.get(label) ?? f.sid, `label ${label}`).toBe(f.sid);
      expect(labelOfSid.get(f.sid) ?? label, `session ${f.sid}`).toBe(label);
      sidOfLabel.set(label, f.sid);
      labelOfSid.set(f.sid, label);
    }

    const page = listSessions(db, { limit: 100 });
    expect(page.sessions).toHaveLength(Object.keys(expected).length);
    for (const s of page.sessions) {
      const label = labelOfSid.get(s.id)!;
      const e = expected[label]!;
      expect(
        {
          keyKind: s.keyKind,
          requests: s.requestCount,
          user: s.user,
          role: s.role,
          flows: s.flows,
          outliers: s.outlierCount,
        },
        label,
      ).toEqual(e);
    }
    // Sorted by first time.
    const firsts = page.sessions.map((s) => s.firstUs);
    expect([...firsts].sort((a, b) => a - b)).toEqual(firsts);
  });

  it('never stores a secret key value in clear in derived tables', () => {
    const { rows } = groundTruthCapture();
    const db = ws.openCase();
    seedSource(db, 'truth', rows);
    rebuild(db);
    const dump = JSON.stringify([
      db.prepare('SELECT * FROM sessions').all(),
      db.prepare('SELECT * FROM request_facts').all(),
      db.prepare('SELECT * FROM endpoints').all(),
    ]);
    expect(dump).not.toContain('KEY-SECRET-123');
    expect(dump).not.toContain('eyJhbGciOi.@@@');
    const keyed = db
      .prepare("SELECT key_display AS d FROM sessions WHERE key_kind = 'header:x-api-key'")
      .get() as { d: string };
    expect(keyed.d).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('stores endpoint templates, percentiles and outlier baselines', () => {
    const { rows } = groundTruthCapture();
    const db = ws.openCase();
    seedSource(db, 'truth', rows);
    rebuild(db);
    const items = db
      .prepare(
        `SELECT request_count AS n, latency_median AS med, outlier_count AS outliers
         FROM endpoints WHERE template = '/api/items/{id}'`,
      )
      .get() as { n: number; med: number; outliers: number };
    expect(items).toEqual({ n: 61, med: expect.any(Number), outliers: 3 });
    expect(items.med).toBeGreaterThanOrEqual(40);
    expect(items.med).toBeLessThanOrEqual(44);
    const slow = db
      .prepare(
        `SELECT f.outlier, f.latency_z AS z FROM request_facts f JOIN requests r ON r.id = f.request_id
         WHERE r.latency_ms = 870`,
      )
      .get() as { outlier: number; z: number };
    expect(slow.outlier).toBe(1);
    expect(slow.z).toBeGreaterThan(3.5);
  });

  it('is idempotent and deterministic: rebuilds and re-imports in another order give the same ids', () => {
    const { rows } = groundTruthCapture();
    const a = ws.openCase('a.sscase');
    seedSource(a, 'truth', rows);
    rebuild(a);
    const first = allSids(a);
    const firstFacts = factsByLine(a);
    rebuild(a);
    expect(allSids(a)).toEqual(first);
    expect(factsByLine(a)).toEqual(firstFacts);

    // Out-of-order lines: the same rows (same line numbers) inserted in a shuffled order.
    const shuffled = rows
      .map((r, i) => ({ ...r, lineNo: i + 1 }))
      .sort((x, y) => ((x.lineNo * 7919) % 101) - ((y.lineNo * 7919) % 101) || x.lineNo - y.lineNo);
    const b = ws.openCase('b.sscase');
    seedSource(b, 'other-file-first', [{ tsUs: T0 - 1e12, ip: '9.9.9.9', path: '/x' }]);
    seedSource(b, 'truth', shuffled);
    rebuild(b);
    const inB = new Set(allSids(b));
    for (const sid of first) expect(inB.has(sid), sid).toBe(true);
  });

  it('audits rebuilds and settings changes; settings change the result', () => {
    const { rows } = groundTruthCapture();
    const db = ws.openCase();
    seedSource(db, 'truth', rows);
    const before = rebuild(db).sessions;
    writeSettings(
      db,
      analysisSettingsSchema.parse({ inactivityTimeoutMin: 180, maxSessionHours: 48 }),
    );
    const after = rebuild(db).sessions;
    // alice and alice-later merge, long-1 and long-2 merge.
    expect(after).toBe(before - 2);
    const actions = listAudit(db).map((e) => e.action);
    expect(actions.filter((a) => a === 'analysis.rebuild')).toHaveLength(2);
    expect(actions).toContain('analysis.settings');
  });

  it('is current after a full rebuild, until the requests, settings or version change', () => {
    const { rows } = groundTruthCapture();
    const db = ws.openCase();
    seedSource(db, 'truth', rows);
    expect(analysisIsCurrent(db)).toBe(false);
    rebuild(db);
    expect(analysisIsCurrent(db)).toBe(true);
    writeSettings(db, analysisSettingsSchema.parse({ inactivityTimeoutMin: 180 }));
    expect(analysisIsCurrent(db)).toBe(false);
    rebuild(db);
    expect(analysisIsCurrent(db)).toBe(true);
    seedSource(db, 'more', rows.slice(0, 3));
    expect(analysisIsCurrent(db)).toBe(false);
    rebuild(db);
    // Made by another version of Sessionscope: it may derive other verdicts or outliers.
    const stored = db
      .prepare("SELECT value FROM analysis_state WHERE key = 'analysis_basis'")
      .pluck()
      .get() as string;
    db.prepare("UPDATE analysis_state SET value = ? WHERE key = 'analysis_basis'").run(
      JSON.stringify({ ...(JSON.parse(stored) as object), version: '0.0.1' }),
    );
    expect(analysisIsCurrent(db)).toBe(false);
  });
});

describe('session boundaries', () => {
  const MIN = 60e6;
  const at = (tsUs: number, extra: Partial<SeedRequest> = {}): SeedRequest => ({
    tsUs,
    ip: '10.0.0.1',
    cookies: 'JSESSIONID=B',
    ...extra,
  });
  const countSessions = (rows: SeedRequest[]): number => {
    const db = ws.openCase(`c${Math.random().toString(36).slice(2)}.sscase`);
    seedSource(db, 'b', rows);
    return rebuild(db).sessions;
  };

  it('a gap of exactly the timeout continues the session; one microsecond more splits it', () => {
    expect(countSessions([at(T0), at(T0 + 30 * MIN)])).toBe(1);
    expect(countSessions([at(T0), at(T0 + 30 * MIN + 1)])).toBe(2);
  });

  it('a session may last exactly the maximum length; one microsecond more starts a new one', () => {
    const rows = (end: number): SeedRequest[] => {
      const out: SeedRequest[] = [];
      for (let t = T0; t < end; t += 20 * MIN) out.push(at(t));
      out.push(at(end));
      return out;
    };
    expect(countSessions(rows(T0 + 24 * 60 * MIN))).toBe(1);
    expect(countSessions(rows(T0 + 24 * 60 * MIN + 1))).toBe(2);
  });

  it('orders out-of-order lines and skewed sources by time before splitting', () => {
    // Source 1 logs 10:00 and 10:50; source 2 (another server, same session) logs 10:25.
    const db = ws.openCase();
    seedSource(db, 's1', [at(T0 + 50 * MIN), at(T0)]);
    seedSource(db, 's2', [at(T0 + 25 * MIN)]);
    expect(rebuild(db).sessions).toBe(1);
    const s = listSessions(db).sessions[0]!;
    expect([s.firstUs, s.lastUs, s.requestCount]).toEqual([T0, T0 + 50 * MIN, 3]);
  });

  it('keeps requests with identical times in a stable, data-defined order', () => {
    const rows: LabelledRequest[] = [0, 1, 2].map((i) => ({
      ...at(T0),
      lineNo: 3 - i,
      label: 'x',
    }));
    const db = ws.openCase();
    seedSource(db, 'same', rows);
    rebuild(db);
    const sid = allSids(db);
    const db2 = ws.openCase('again.sscase');
    seedSource(db2, 'same', [...rows].reverse());
    rebuild(db2);
    expect(allSids(db2)).toEqual(sid);
  });
});

describe('the WAL checkpoint after a rebuild', () => {
  const caseBytes = (db: CaseDb): number => statSync(db.name).size;

  it('is left to the caller: the commit does not copy the pages into the case file', () => {
    const db = ws.openCase();
    seedSource(db, 'truth', groundTruthCapture().rows);
    db.pragma('wal_checkpoint(TRUNCATE)');
    // A threshold every rebuild passes: without the deferral its commit would checkpoint.
    db.pragma('wal_autocheckpoint = 10');
    const before = caseBytes(db);
    rebuild(db);
    expect(caseBytes(db)).toBe(before);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10);
    checkpointAfterRebuild(db);
    expect(caseBytes(db)).toBeGreaterThan(before);
  });

  it('follows the answer of a rebuild job, on the job’s own connection', async () => {
    const db = ws.openCase();
    seedSource(db, 'truth', groundTruthCapture().rows);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const before = caseBytes(db);
    // This connection stays open: the job's close is not the last one, which would checkpoint.
    const report = await runRebuildHere({ casePath: db.name });
    expect(report.sessions).toBeGreaterThan(0);
    expect(caseBytes(db)).toBeGreaterThan(before);
  });
});
