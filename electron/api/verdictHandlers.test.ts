import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verdictCalls } from '../../shared/contract/verdictApi.js';
import { filtersSchema } from '../../shared/query/filterModel.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CliIO } from '../cli/command.js';
import { runCli } from '../cli/runCli.js';
import { factsWhere } from '../query/filterSql.js';
import { listSessions } from '../query/sessionsQuery.js';
import { listAudit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';
import { reviewVerdict, sessionVerdict } from './verdictHandlers.js';

const T0 = Date.UTC(2026, 2, 12, 8) * 1000;
const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0';

/** Twelve people browsing in cookie sessions, and one client failing fifteen logins. */
function capture(): SeedRequest[] {
  const rows: SeedRequest[] = [];
  for (let u = 0; u < 12; u++) {
    for (let k = 0; k < 12; k++)
      rows.push({
        tsUs: T0 + u * 3_600e6 + k * (9 + ((u + k * 5) % 30)) * 1e6,
        ip: `100.64.0.${u + 1}`,
        path: `/api/v1/projects/${k % 3}`,
        cookies: `session=c${u}`,
        userAgent: UA,
      });
  }
  for (let k = 0; k < 15; k++)
    rows.push({
      tsUs: T0 + 20 * 60e6 + k * (15 + (k % 4) * 6) * 1e6,
      ip: '198.51.100.77',
      method: 'POST',
      path: '/api/v1/auth/login',
      status: 401,
      srcUser: 'maria@example.com',
      userAgent: UA,
    });
  return rows;
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
let path: string;
beforeEach(() => {
  ws = tempWorkspace('ss-verdict-api-');
  db = ws.openCase();
  path = db.name;
  seedSource(db, 'capture', capture());
  rebuild(db);
});
afterEach(() => ws.cleanup());

function bruteSid(): string {
  return (
    db.prepare("SELECT sid FROM sessions WHERE first_ip = '198.51.100.77'").get() as {
      sid: string;
    }
  ).sid;
}

describe('verdict calls', () => {
  it('give the full verdict with its reasons; a quiet session has none', () => {
    const v = sessionVerdict(db, bruteSid());
    expect(v).toMatchObject({ level: 'malicious', botType: 'account_takeover', review: null });
    expect(v.reasons.map((r) => r.detector)).toContain('brute');
    const quiet = (
      db.prepare("SELECT sid FROM sessions WHERE first_ip = '100.64.0.1'").get() as { sid: string }
    ).sid;
    expect(sessionVerdict(db, quiet)).toEqual({
      sessionId: quiet,
      level: 'none',
      botType: null,
      confidence: 0,
      reasons: [],
      review: null,
    });
  });

  it('a review is audited, shows in the session list and survives a rebuild', () => {
    const sid = bruteSid();
    const after = reviewVerdict(db, sid, 'dismiss', 'our pen test, ticket <b>42</b>');
    expect(after.review).toMatchObject({
      decision: 'dismissed',
      note: 'our pen test, ticket <b>42</b>',
      level: 'malicious',
      botType: 'account_takeover',
    });
    const entry = listAudit(db).at(-1)!;
    expect(entry.action).toBe('verdict.dismiss');
    expect(entry.details).toMatchObject({
      session: sid,
      level: 'malicious',
      botType: 'account_takeover',
      note: 'our pen test, ticket <b>42</b>',
      previous: null,
    });

    rebuild(db);
    expect(sessionVerdict(db, sid).review?.decision).toBe('dismissed');
    const row = listSessions(db, { limit: 100 }).sessions.find((s) => s.id === sid)!;
    expect(row.verdict).toEqual({
      level: 'malicious',
      botType: 'account_takeover',
      confidence: expect.any(Number) as number,
      review: 'dismissed',
    });

    reviewVerdict(db, sid, 'confirm', undefined);
    expect(listAudit(db).at(-1)).toMatchObject({
      action: 'verdict.confirm',
      details: { previous: 'dismissed' },
    });
    expect(reviewVerdict(db, sid, 'clear', undefined).review).toBeNull();
    expect(listAudit(db).at(-1)!.action).toBe('verdict.clear');
  });

  it('inputs are checked: a session id and one of confirm, dismiss, clear', () => {
    const parse = (v: unknown) => verdictCalls.reviewVerdict.input.safeParse(v).success;
    expect(parse({ sessionId: bruteSid(), decision: 'confirm' })).toBe(true);
    expect(parse({ sessionId: bruteSid(), decision: 'approve' })).toBe(false);
    expect(parse({ sessionId: "s1' OR 1=1", decision: 'confirm' })).toBe(false);
    expect(parse({ sessionId: bruteSid(), decision: 'dismiss', note: 'x'.repeat(2001) })).toBe(
      false,
    );
    expect(() => sessionVerdict(db, 's0000000000000000')).toThrow(/No session/);
  });
});

describe('verdict filter', () => {
  it('finds sessions by verdict level, none included, through the sessions query and the CLI', async () => {
    const ids = (verdicts: ('none' | 'suspicious' | 'malicious')[]) =>
      listSessions(db, { filters: filtersSchema.parse({ verdicts }), limit: 100 }).sessions.map(
        (s) => s.id,
      );
    expect(ids(['malicious'])).toEqual([bruteSid()]);
    expect(ids(['suspicious'])).toEqual([]);
    expect(ids(['none'])).toHaveLength(12);
    expect(ids(['none', 'malicious'])).toHaveLength(13);
    // Narrowing by a session's verdict walks that session's key range, never every request.
    const where = factsWhere(db, filtersSchema.parse({ verdicts: ['malicious', 'none'] }));
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT s.sid FROM sessions s
           WHERE EXISTS (SELECT 1 FROM request_facts f WHERE f.session_id = s.id AND ${where.sql})`,
        )
        .all(...where.params) as { detail: string }[]
    ).map((r) => r.detail);
    expect(plan.filter((d) => /SCAN (f|fs|request_facts|keyed_facts)\b/.test(d))).toEqual([]);

    const sid = bruteSid();
    db.close();
    const out = JSON.parse(
      (await cli('sessions', path, '--verdict', 'malicious', '--json')).out,
    ) as {
      sessions: { id: string }[];
    };
    expect(out.sessions.map((s) => s.id)).toEqual([sid]);
    expect((await cli('sessions', path, '--verdict', 'evil')).code).toBe(1);
  });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), errIsTty: false };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('verdict CLI', () => {
  it('shows the reasons as text, records a review, and session/sessions --json carry it', async () => {
    const sid = bruteSid();
    db.close();
    const shown = await cli('verdict', path, sid);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`session ${sid}: malicious (account takeover)`);
    expect(shown.out).toMatch(/- Failed logins 15 vs ≤ 0 \(none elsewhere\)/);

    const reviewed = await cli(
      'verdict',
      path,
      sid,
      'confirm',
      '--note',
      'seen in the VPN logs',
      '--json',
    );
    expect(reviewed.code).toBe(0);
    expect(JSON.parse(reviewed.out)).toMatchObject({
      sessionId: sid,
      level: 'malicious',
      review: { decision: 'confirmed', note: 'seen in the VPN logs' },
    });

    const one = JSON.parse((await cli('session', path, sid, '--json')).out) as {
      session: { verdict: unknown };
      verdict: { reasons: unknown[]; review: { decision: string } };
    };
    expect(one.session.verdict).toMatchObject({ level: 'malicious', review: 'confirmed' });
    expect(one.verdict.reasons.length).toBeGreaterThan(0);
    const list = JSON.parse((await cli('sessions', path, '--limit', '100', '--json')).out) as {
      sessions: { id: string; verdict: { level: string } }[];
    };
    expect(list.sessions.find((s) => s.id === sid)!.verdict.level).toBe('malicious');
    expect(list.sessions.filter((s) => s.verdict.level === 'none')).toHaveLength(12);

    expect((await cli('verdict', path, sid, 'approve')).code).toBe(1);
    expect((await cli('verdict', path, sid, '--note', 'x')).code).toBe(1);
  });
});
