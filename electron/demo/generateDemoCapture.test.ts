import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { FORMATS } from '../ingest/formats/index.js';
import { importSource } from '../ingest/importSource.js';
import { DEMO_CAPTURE_PATH, generateDemoCapture } from './generateDemoCapture.js';
import { STORY, at } from './demoStory.js';
import { LEGACY } from './legacyTraffic.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const capturePath = path.join(root, DEMO_CAPTURE_PATH);

interface Line {
  ts: number;
  request: { client_ip: string; method: string; uri: string; headers: Record<string, string[]> };
  user_id: string;
  duration: number;
  size: number;
  status: number;
}

const text = generateDemoCapture();
const lines = text
  .trimEnd()
  .split('\n')
  .map((l) => JSON.parse(l) as Line);
const us = (l: Line): number => Math.round(l.ts * 1e6);
const between = (l: Line, from: string, to: string): boolean => us(l) >= at(from) && us(l) < at(to);
const pathOf = (l: Line): string => l.request.uri.split('?')[0]!;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('demo capture generator', () => {
  it('is deterministic and matches the committed capture byte for byte', () => {
    expect(generateDemoCapture()).toBe(text);
    const committed = readFileSync(capturePath);
    const sha = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');
    expect(sha(committed)).toBe(sha(text));
  });

  it('is one day of Caddy access-log lines in time order, under 10 MB', () => {
    expect(lines.length).toBeGreaterThan(15_000);
    expect(lines.length).toBeLessThan(30_000);
    expect(Buffer.byteLength(text)).toBeLessThan(10_000_000);
    for (let i = 1; i < lines.length; i++)
      expect(lines[i]!.ts).toBeGreaterThanOrEqual(lines[i - 1]!.ts);
    expect(us(lines[0]!)).toBeGreaterThanOrEqual(at('00:00'));
    expect(us(lines.at(-1)!)).toBeLessThan(at('23:59:59') + 1_000_000);
  });

  it('carries sessions as cookies and API clients as JWTs with sub and role claims', () => {
    const cookies = new Set(lines.flatMap((l) => l.request.headers['Cookie'] ?? []));
    expect(cookies.size).toBeGreaterThan(300);
    const subs = new Map<string, string>();
    for (const l of lines) {
      const auth = l.request.headers['Authorization']?.[0];
      if (!auth) continue;
      const parts = auth.replace(/^Bearer /, '').split('.');
      expect(parts).toHaveLength(3);
      const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()) as {
        sub: string;
        role: string;
      };
      subs.set(claims.sub, claims.role);
      expect(l.user_id).toBe(claims.sub);
    }
    expect(subs.get(STORY.llmAbuse.sub)).toBe('service');
    expect(subs.get(STORY.enumeration.sub)).toBe('member');
    expect(subs.size).toBeGreaterThan(20);
  });

  it('has credential stuffing: many usernames from rotating addresses, mostly 401', () => {
    const s = STORY.stuffing;
    const logins = lines.filter(
      (l) =>
        pathOf(l) === '/api/v1/auth/login' &&
        between(l, s.from, s.to) &&
        // Customers (100.64.0.0/10) keep logging in during the attack.
        !l.request.client_ip.startsWith('100.'),
    );
    expect(logins.length).toBe(s.attempts);
    expect(new Set(logins.map((l) => l.user_id)).size).toBe(s.attempts);
    expect(new Set(logins.map((l) => l.request.client_ip)).size).toBeGreaterThanOrEqual(90);
    expect(logins.filter((l) => l.status === 401).length / logins.length).toBeGreaterThan(0.9);
    expect(logins.filter((l) => l.status === 200).map((l) => l.user_id)).toEqual([...s.hits]);
  });

  it('has the account takeover: failures, a success, a password change, admin pages, the export', () => {
    const t = STORY.takeover;
    const atk = lines.filter((l) => l.request.client_ip === t.attackerIp);
    const logins = atk.filter((l) => pathOf(l) === '/api/v1/auth/login');
    expect(logins.map((l) => l.status)).toEqual([...Array<number>(t.failures).fill(401), 200]);
    expect(logins.every((l) => l.user_id === t.user)).toBe(true);
    expect(atk.some((l) => pathOf(l) === '/api/v1/account/password' && l.status === 200)).toBe(
      true,
    );
    expect(atk.filter((l) => pathOf(l) === '/admin/users').length).toBe(6);
    const exp = atk.filter((l) => pathOf(l) === '/admin/export');
    expect(exp).toHaveLength(2);
    expect(us(exp[0]!)).toBe(at(t.export));
    expect(exp[0]!.size).toBeGreaterThan(40_000_000);
  });

  it('has sequential ID enumeration from one client', () => {
    const e = STORY.enumeration;
    const ids = lines
      .filter((l) => l.request.client_ip === e.ip && /^\/api\/v1\/users\/\d+$/.test(pathOf(l)))
      .map((l) => Number(pathOf(l).split('/').pop()));
    expect(ids).toHaveLength(e.lastId - e.firstId + 1);
    expect(ids.every((id, i) => id === e.firstId + i)).toBe(true);
  });

  it('has an SMS-pumping burst to many distinct numbers', () => {
    const s = STORY.smsPumping;
    const burst = lines.filter(
      (l) =>
        pathOf(l) === '/api/v1/sms/send-code' &&
        between(l, s.from, s.to) &&
        // Genuine sign-ups verify their phone from a session; the pumping is anonymous.
        !l.request.headers['Cookie'],
    );
    expect(burst).toHaveLength(s.requests);
    expect(new Set(burst.map((l) => l.request.uri)).size).toBe(s.requests);
    expect(new Set(burst.map((l) => l.request.client_ip)).size).toBe(s.ipCount);
  });

  it('has LLM abuse: one token at high rate with large responses', () => {
    const s = STORY.llmAbuse;
    const abuse = lines.filter(
      (l) =>
        pathOf(l) === '/v1/chat/completions' && l.user_id === s.sub && between(l, s.from, s.to),
    );
    // The same token's ordinary traffic continues alongside, a handful of calls an hour.
    expect(abuse.length).toBeGreaterThanOrEqual(s.requests);
    expect(abuse.length).toBeLessThan(s.requests + 20);
    expect(median(abuse.map((l) => l.size))).toBeGreaterThan(40_000);
    const normal = lines.filter((l) => pathOf(l) === '/v1/chat/completions' && l.user_id !== s.sub);
    expect(normal.length).toBeGreaterThan(50);
    expect(median(normal.map((l) => l.size))).toBeLessThan(10_000);
  });

  it('has the /api/v1/reports latency regression at 14:00', () => {
    const r = STORY.regression;
    const reports = lines.filter((l) => pathOf(l) === r.path);
    const before = reports.filter((l) => us(l) < at(r.deployAt)).map((l) => l.duration * 1000);
    const after = reports.filter((l) => us(l) >= at(r.deployAt)).map((l) => l.duration * 1000);
    expect(before.length).toBeGreaterThan(50);
    expect(after.length).toBeGreaterThan(50);
    expect(median(before)).toBeLessThan(80);
    expect(median(after)).toBeGreaterThan(600);
  });

  it('has sqlmap and Nikto probes with payloads in query strings', () => {
    const ua = (l: Line): string => l.request.headers['User-Agent']![0]!;
    const sqlmap = lines.filter((l) => ua(l).startsWith('sqlmap/'));
    const nikto = lines.filter((l) => ua(l).includes('Nikto'));
    expect(sqlmap).toHaveLength(STORY.scan.sqlmapRequests);
    expect(nikto).toHaveLength(STORY.scan.niktoRequests);
    const decoded = (l: Line): string => decodeURIComponent(l.request.uri);
    expect(sqlmap.filter((l) => /UNION ALL SELECT/.test(decoded(l))).length).toBeGreaterThan(10);
    expect(nikto.filter((l) => /<script>|onerror=/.test(decoded(l))).length).toBeGreaterThan(10);
    const sqlHits = sqlmap.filter((l) => l.status === 200 && pathOf(l) === '/api/v1/search');
    expect(sqlHits).toHaveLength(STORY.scan.sqlmapSuccesses);
  });

  it('has the legacy findings: card numbers in a query, an eleven-parameter export', () => {
    const cards = lines.filter((l) => pathOf(l) === '/api/v1/billing/verify-card');
    expect(cards).toHaveLength(LEGACY.verifyCardCalls);
    for (const l of cards) {
      expect(l.request.uri).toMatch(/card_number=\d{15,16}&/);
      expect(l.request.headers['Cookie']).toBeUndefined();
    }
    const exports = lines.filter((l) => pathOf(l) === '/api/v1/reports/export');
    expect(exports).toHaveLength(LEGACY.biExportCalls);
    expect(new URLSearchParams(exports[0]!.request.uri.split('?')[1]).size).toBe(11);
  });

  it('covers every business flow', () => {
    const seen = new Set(lines.map((l) => `${l.request.method} ${pathOf(l)}`));
    for (const e of [
      'POST /api/v1/auth/signup',
      'POST /api/v1/auth/logout',
      'POST /api/v1/account/password',
      'POST /api/v1/auth/password-reset',
      'GET /api/v1/billing/invoices',
      'POST /api/v1/billing/checkout',
      'POST /api/v1/files',
      'GET /actuator/health',
      'GET /actuator/env',
      'GET /api/v0/projects',
      'GET /api/internal/debug/config',
    ]) {
      expect(seen, e).toContain(e);
    }
  });
});

const jsonFormat = FORMATS.find((f) => /json/i.test(f.id));

describe('demo capture import', () => {
  it.skipIf(!jsonFormat)('imports every line with no rejects', async () => {
    const ws = tempWorkspace();
    try {
      const db = ws.openCase();
      const res = await importSource(db, capturePath);
      expect(res.lines).toBe(lines.length);
      expect(res.accepted).toBe(lines.length);
      expect(res.rejected).toBe(0);
    } finally {
      ws.cleanup();
    }
  });
});
