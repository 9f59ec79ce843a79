import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rulesCalls } from '../../shared/contract/rulesApi.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { dumpDerived } from '../../test/derivedDump.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { VerdictReason } from '../../shared/verdicts/types.js';
import { addRule, deleteRule, markDetection, unmarkDetection } from '../rules/rulesDb.js';
import { listAudit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';
import { rebuild } from './rebuild.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-verdicts-');
});
afterEach(() => ws.cleanup());

const T0 = Date.UTC(2026, 2, 12, 8) * 1000;
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0';

/** Sixteen people who log in once and browse at human pace, each in a cookie session. */
function normalTraffic(): SeedRequest[] {
  const rows: SeedRequest[] = [];
  for (let u = 0; u < 16; u++) {
    let ts = T0 + u * 3_600e6;
    const cookies = `session=c${u}`;
    const ip = `100.64.0.${u + 1}`;
    rows.push({
      tsUs: ts,
      ip,
      method: 'POST',
      path: '/api/v1/auth/login',
      status: 200,
      srcUser: `user${u}@example.com`,
      cookies,
      userAgent: FIREFOX,
    });
    for (let k = 0; k < 20; k++) {
      ts += (5 + ((u * 7 + k * 13) % 40)) * 1e6;
      rows.push({
        tsUs: ts,
        ip,
        path: `/api/v1/projects/${(u + k) % 4}`,
        status: 200,
        respBytes: 4000 + k * 100,
        srcUser: `user${u}@example.com`,
        cookies,
        userAgent: FIREFOX,
      });
    }
  }
  return rows;
}

/** Twelve failed logins for one account from one client, then the one that works. */
function bruteForce(): SeedRequest[] {
  const rows: SeedRequest[] = [];
  let ts = T0 + 30 * 60e6;
  for (let k = 0; k < 13; k++) {
    ts += (20 + (k % 3) * 7) * 1e6;
    rows.push({
      tsUs: ts,
      ip: '198.51.100.77',
      method: 'POST',
      path: '/api/v1/auth/login',
      status: k < 12 ? 401 : 200,
      srcUser: 'maria@example.com',
      userAgent: FIREFOX,
    });
  }
  return rows;
}

function verdictOfSession(db: CaseDb, where: string, ...params: unknown[]) {
  return db
    .prepare(
      `SELECT v.level, v.bot_type AS botType, v.confidence, v.reasons FROM sessions s
       LEFT JOIN session_verdicts v ON v.session_id = s.id WHERE ${where}`,
    )
    .all(...params) as {
    level: string | null;
    botType: string | null;
    confidence: number | null;
    reasons: string | null;
  }[];
}

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const CRAWLER_IP = '66.249.66.1';

/** A search engine walking 80 product ids at a steady pace, `query(k)` on its k-th request. */
const crawl = (query: (k: number) => string | null): SeedRequest[] =>
  Array.from({ length: 80 }, (_, k) => ({
    tsUs: T0 + 50 * 60e6 + k * (3 + (k % 4)) * 1e6,
    ip: CRAWLER_IP,
    path: `/product/${5000 + k}`,
    query: query(k),
    status: 200,
    userAgent: GOOGLEBOT,
  }));

describe('verdicts step', () => {
  it('judges a brute-force session malicious account takeover, and normal sessions none', () => {
    const db = ws.openCase();
    seedSource(db, 'capture', [...normalTraffic(), ...bruteForce()]);
    rebuild(db);
    const [brute] = verdictOfSession(db, 's.first_ip = ?', '198.51.100.77');
    expect(brute).toMatchObject({ level: 'malicious', botType: 'account_takeover' });
    const reasons = JSON.parse(brute!.reasons!) as VerdictReason[];
    expect(reasons.map((r) => r.detector)).toEqual(
      expect.arrayContaining(['brute', 'account_takeover']),
    );
    const bruteReason = reasons.find((r) => r.detector === 'brute')!;
    expect(bruteReason).toMatchObject({ value: 12, baseline: 0, ratio: 12, direction: 'above' });
    const normal = verdictOfSession(db, 's.first_ip LIKE ?', '100.64.0.%');
    expect(normal).toHaveLength(16);
    for (const v of normal) expect(v.level).toBeNull();
  });

  it('judges the ip+ua sessions of one IP together when the client rotates its user agent', () => {
    const db = ws.openCase();
    // Each login with another browser agent: sixteen one-request sessions, one IP, 16 accounts.
    const stuffing: SeedRequest[] = Array.from({ length: 16 }, (_, k) => ({
      tsUs: T0 + 40 * 60e6 + k * 9e6,
      ip: '203.0.113.9',
      method: 'POST',
      path: '/api/v1/auth/login',
      status: 401,
      srcUser: `victim${k}@example.org`,
      userAgent: `${FIREFOX} build/${k}`,
    }));
    seedSource(db, 'capture', [...normalTraffic(), ...stuffing]);
    rebuild(db);
    const rotated = verdictOfSession(db, 's.first_ip = ?', '203.0.113.9');
    expect(rotated).toHaveLength(16);
    for (const v of rotated) {
      expect(v).toMatchObject({ level: 'malicious', botType: 'account_takeover' });
      const reasons = JSON.parse(v.reasons!) as VerdictReason[];
      expect(reasons.find((r) => r.detector === 'credential_stuffing')).toMatchObject({
        value: 16,
        scope: 'ip',
      });
    }
  });

  it('rewrites the verdicts on a rebuild with other thresholds', () => {
    const db = ws.openCase();
    seedSource(db, 'capture', [...normalTraffic(), ...bruteForce()]);
    rebuild(db);
    expect(
      (db.prepare('SELECT count(*) AS n FROM session_verdicts').get() as { n: number }).n,
    ).toBe(1);
    db.prepare(`INSERT INTO analysis_settings (id, settings, updated_at) VALUES (1, ?, 'now')`).run(
      JSON.stringify({ verdicts: { bruteMinFailures: 50, takeoverMinFailures: 50 } }),
    );
    rebuild(db);
    expect(verdictOfSession(db, 's.first_ip = ?', '198.51.100.77')[0]!.level).toBeNull();
  });

  it('gives a session no verdict from what another client of its address did alone', () => {
    const db = ws.openCase();
    const ip = '203.0.113.40';
    // One client walks 80 object ids at a steady pace (bola); another agent on the same
    // address (a phone behind the same NAT, the bot's other agent) asks for one page.
    const walker: SeedRequest[] = Array.from({ length: 80 }, (_, k) => ({
      tsUs: T0 + 50 * 60e6 + k * (3 + (k % 4)) * 1e6,
      ip,
      path: `/api/v1/items/${7000 + k}`,
      status: 200,
      userAgent: FIREFOX,
    }));
    const neighbour: SeedRequest = {
      tsUs: T0 + 52 * 60e6,
      ip,
      path: '/api/v1/projects/1',
      status: 200,
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Safari/604.1',
    };
    seedSource(db, 'capture', [...normalTraffic(), ...walker, neighbour]);
    rebuild(db);
    const [walked] = verdictOfSession(db, 's.first_ip = ? AND s.request_count = 80', ip);
    expect(walked).toMatchObject({ level: 'malicious', botType: 'api_abuse' });
    const [alone] = verdictOfSession(db, 's.first_ip = ? AND s.request_count = 1', ip);
    expect(alone!.level).toBeNull();
  });

  it('still judges rotating sessions together beside a session with a verdict of its own', () => {
    const db = ws.openCase();
    const ip = '203.0.113.41';
    const walker: SeedRequest[] = Array.from({ length: 80 }, (_, k) => ({
      tsUs: T0 + 50 * 60e6 + k * (3 + (k % 4)) * 1e6,
      ip,
      path: `/api/v1/items/${7000 + k}`,
      status: 200,
      userAgent: FIREFOX,
    }));
    const stuffing: SeedRequest[] = Array.from({ length: 12 }, (_, k) => ({
      tsUs: T0 + 40 * 60e6 + k * 9e6,
      ip,
      method: 'POST',
      path: '/api/v1/auth/login',
      status: 401,
      srcUser: `victim${k}@example.org`,
      userAgent: `${FIREFOX} build/${k}`,
    }));
    seedSource(db, 'capture', [...normalTraffic(), ...walker, ...stuffing]);
    rebuild(db);
    const rotated = verdictOfSession(db, 's.first_ip = ? AND s.request_count = 1', ip);
    expect(rotated).toHaveLength(12);
    for (const v of rotated) {
      expect(v).toMatchObject({ level: 'malicious', botType: 'account_takeover' });
      const reasons = JSON.parse(v.reasons!) as VerdictReason[];
      expect(reasons.map((r) => r.detector)).not.toContain('bola');
    }
  });

  it('does not take thumbnails loaded by id for object enumeration', () => {
    const db = ws.openCase();
    const ip = '100.64.9.9';
    // A shopper's phone: a catalogue page, then its thumbnails, 90 of them by product id.
    const shopper: SeedRequest[] = Array.from({ length: 100 }, (_, k) => ({
      tsUs: T0 + 50 * 60e6 + k * (2 + (k % 5)) * 1e6,
      ip,
      path: k % 10 === 0 ? `/m/browse/${k}` : `/image/${3000 + k}/productModel/200x200`,
      status: 200,
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 12_1 like Mac OS X) Safari/604.1',
    }));
    seedSource(db, 'capture', [...normalTraffic(), ...shopper]);
    rebuild(db);
    expect(verdictOfSession(db, 's.first_ip = ?', ip)).toEqual([
      { level: null, botType: null, confidence: null, reasons: null },
    ]);
  });

  it('caps a search crawler at suspicious scraping, unless its requests hold attacks', () => {
    const db = ws.openCase();
    seedSource(db, 'capture', [...normalTraffic(), ...crawl(() => null)]);
    rebuild(db);
    const [crawler] = verdictOfSession(db, 's.first_ip = ?', '66.249.66.1');
    expect(crawler).toMatchObject({ level: 'suspicious', botType: 'scraping', confidence: 0.75 });
    expect((JSON.parse(crawler!.reasons!) as VerdictReason[])[0]).toMatchObject({
      detector: 'bola',
      strong: true,
    });

    // The same agent sending SQL injection: its attacks show it is no search engine.
    const spoofed = ws.openCase('spoofed.sscase');
    seedSource(spoofed, 'capture', [
      ...normalTraffic(),
      ...crawl((k) => (k % 10 === 0 ? "id=1' UNION SELECT username,password FROM users--" : null)),
    ]);
    rebuild(spoofed);
    expect(
      (
        spoofed
          .prepare('SELECT attack_count AS n FROM sessions WHERE first_ip = ?')
          .get('66.249.66.1') as { n: number }
      ).n,
    ).toBeGreaterThan(0);
    expect(verdictOfSession(spoofed, 's.first_ip = ?', '66.249.66.1')[0]).toMatchObject({
      level: 'malicious',
      botType: 'api_abuse',
    });
  });
});

describe('declared crawler cap after a mark or rule change', () => {
  const crawlerVerdict = (db: CaseDb) => verdictOfSession(db, 's.first_ip = ?', CRAWLER_IP)[0];
  const lastRebuildKind = (db: CaseDb) =>
    listAudit(db)
      .filter((e) => e.action === 'analysis.rebuild')
      .at(-1)!.details['kind'];
  /** The partial rebuild the change ran left the verdicts (and counts) a full rebuild gives. */
  const expectSameAsFull = (db: CaseDb, kind: string): void => {
    expect(lastRebuildKind(db)).toBe(kind);
    const { session_verdicts: verdicts, sessions } = dumpDerived(db);
    rebuild(db);
    const full = dumpDerived(db);
    expect(verdicts).toEqual(full.session_verdicts);
    expect(sessions).toEqual(full.sessions);
  };
  const crawlerFindings = (db: CaseDb) =>
    db
      .prepare(
        `SELECT d.id FROM detections d JOIN request_facts f ON f.request_id = d.request_id
         JOIN sessions s ON s.id = f.session_id WHERE s.first_ip = ? ORDER BY d.id`,
      )
      .pluck()
      .all(CRAWLER_IP) as number[];

  it('caps it again when its only attack is marked a false positive, and lifts it on unmark', () => {
    const db = ws.openCase();
    // One request of the crawl carries an injection: its one attack finding.
    seedSource(db, 'capture', [
      ...normalTraffic(),
      ...crawl((k) => (k === 40 ? "id=1' UNION SELECT username,password FROM users--" : null)),
    ]);
    rebuild(db);
    expect(crawlerVerdict(db)).toMatchObject({ level: 'malicious', botType: 'api_abuse' });
    const [finding, ...others] = crawlerFindings(db);
    expect(others).toEqual([]);

    const { markId } = markDetection(db, {
      detectionId: finding!,
      verdict: 'false_positive',
      scope: 'request',
    });
    expect(crawlerFindings(db)).toEqual([]);
    expect(crawlerVerdict(db)).toMatchObject({
      level: 'suspicious',
      botType: 'scraping',
      confidence: 0.75,
    });
    expectSameAsFull(db, 'marks');

    unmarkDetection(db, markId!);
    expect(crawlerVerdict(db)).toMatchObject({ level: 'malicious', botType: 'api_abuse' });
    expectSameAsFull(db, 'marks');
  });

  it('lifts it when a detect rule finds its first attack, and caps it when the rule goes', () => {
    const db = ws.openCase();
    seedSource(db, 'capture', [
      ...normalTraffic(),
      ...crawl((k) => (k === 40 ? 'ref=exfil-7731' : null)),
    ]);
    rebuild(db);
    expect(crawlerFindings(db)).toEqual([]);
    expect(crawlerVerdict(db)).toMatchObject({ level: 'suspicious', botType: 'scraping' });

    const rule = addRule(
      db,
      rulesCalls.addRule.input.parse({
        kind: 'detect',
        field: 'param',
        fieldName: 'ref',
        match: 'literal',
        pattern: 'exfil-7731',
        type: 'card_testing',
      }),
    );
    expect(crawlerFindings(db)).toHaveLength(1);
    expect(crawlerVerdict(db)).toMatchObject({ level: 'malicious', botType: 'api_abuse' });
    expectSameAsFull(db, 'detections');

    deleteRule(db, rule.id);
    expect(crawlerVerdict(db)).toMatchObject({ level: 'suspicious', botType: 'scraping' });
    expectSameAsFull(db, 'detections');
  });
});
