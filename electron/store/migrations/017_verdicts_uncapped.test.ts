import { afterAll, describe, expect, it } from 'vitest';
import { analysisIsCurrent, rebuild } from '../../analysis/rebuild.js';
import { CAPPED_VERDICTS } from '../../analysis/verdictsStep.js';
import { markDetection } from '../../rules/rulesDb.js';
import { seedSource, type SeedRequest } from '../../../test/fixtures/analysis/seedCase.js';
import { dumpDerived } from '../../../test/derivedDump.js';
import { asSchemaVersion, indexNames } from '../../../test/caseSchema.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { listAudit } from '../auditLog.js';
import { openCase, type CaseDb } from '../openCase.js';
import { SCHEMA_VERSION } from './index.js';

const ws = tempWorkspace('ss-m017-');
afterAll(() => ws.cleanup());

const T0 = Date.UTC(2026, 2, 12, 8) * 1000;
const CRAWLER_IP = '66.249.66.1';

/** Browsing sessions at human pace, and Googlebot walking product ids, one with an injection. */
function capture(): SeedRequest[] {
  const rows: SeedRequest[] = [];
  for (let u = 0; u < 16; u++)
    for (let k = 0; k < 20; k++)
      rows.push({
        tsUs: T0 + u * 3_600e6 + k * (5 + ((u * 7 + k * 13) % 40)) * 1e6,
        ip: `100.64.0.${u + 1}`,
        path: `/api/v1/projects/${(u + k) % 4}`,
        status: 200,
        cookies: `session=c${u}`,
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0',
      });
  for (let k = 0; k < 80; k++)
    rows.push({
      tsUs: T0 + 50 * 60e6 + k * (3 + (k % 4)) * 1e6,
      ip: CRAWLER_IP,
      path: `/product/${5000 + k}`,
      query: k === 40 ? "id=1' UNION SELECT username,password FROM users--" : null,
      status: 200,
      userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    });
  return rows;
}

const crawlerLevel = (db: CaseDb) =>
  db
    .prepare(
      `SELECT v.level FROM sessions s JOIN session_verdicts v ON v.session_id = s.id
       WHERE s.first_ip = ?`,
    )
    .pluck()
    .get(CRAWLER_IP);

/** As a case analysed by version 16 has it: no verdict before the cap kept. */
function asV16(db: CaseDb): string {
  asSchemaVersion(db, 16);
  const file = db.name;
  db.close();
  return file;
}

describe('migration 17: verdicts before the crawler cap', () => {
  it('keeps the capped verdict of a declared crawler, read through its partial index', () => {
    const db = ws.openCase('new.sscase');
    seedSource(db, 'capture', capture());
    rebuild(db);
    expect(crawlerLevel(db)).toBe('malicious');
    expect(
      db.prepare('SELECT uncapped FROM session_verdicts WHERE uncapped IS NOT NULL').pluck().all(),
    ).toEqual([JSON.stringify({ level: 'malicious', botType: 'api_abuse', confidence: 0.75 })]);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${CAPPED_VERDICTS}`).all() as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/USING INDEX session_verdicts_capped/);
    expect(plan).not.toMatch(/SCAN s\b/);
  });

  it('makes an analysed case stale, so that its next mark rebuilds in full', () => {
    const db = ws.openCase('old.sscase');
    seedSource(db, 'capture', capture());
    rebuild(db);
    const indexes = indexNames(db);
    const migrated = openCase(asV16(db));
    expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(indexNames(migrated)).toEqual(indexes);
    expect(analysisIsCurrent(migrated)).toBe(false);

    const finding = migrated
      .prepare(
        `SELECT d.id FROM detections d JOIN request_facts f ON f.request_id = d.request_id
         JOIN sessions s ON s.id = f.session_id WHERE s.first_ip = ?`,
      )
      .pluck()
      .get(CRAWLER_IP) as number;
    markDetection(migrated, { detectionId: finding, verdict: 'false_positive', scope: 'request' });
    const last = listAudit(migrated)
      .filter((e) => e.action === 'analysis.rebuild')
      .at(-1)!;
    expect(last.details['kind']).toBe('full');
    expect(crawlerLevel(migrated)).toBe('suspicious');
    const verdicts = dumpDerived(migrated).session_verdicts;
    rebuild(migrated);
    expect(dumpDerived(migrated).session_verdicts).toEqual(verdicts);
    migrated.close();
  });

  it('leaves a case without verdicts current', () => {
    const db = ws.openCase('quiet.sscase');
    seedSource(db, 'capture', capture().slice(0, 40));
    rebuild(db);
    expect(db.prepare('SELECT count(*) FROM session_verdicts').pluck().get()).toBe(0);
    const migrated = openCase(asV16(db));
    expect(analysisIsCurrent(migrated)).toBe(true);
    migrated.close();
  });
});
