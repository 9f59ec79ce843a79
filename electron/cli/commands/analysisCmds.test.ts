import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../../test/tempCase.js';
import { cli } from '../../../test/runCliCapture.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-cli-analysis-');
});
afterEach(() => ws.cleanup());

/** A combined log: two clients (ip + user agent) with known requests, one of them in two visits. */
function combinedLog(): string {
  const line = (
    ip: string,
    min: number,
    sec: number,
    req: string,
    status: number,
    ua: string,
  ): string =>
    `${ip} - - [01/Mar/2024:10:${String(min).padStart(2, '0')}:${String(sec).padStart(2, '0')} +0000] "${req} HTTP/1.1" ${status} 512 "-" "${ua}"`;
  return (
    [
      line('10.0.0.1', 0, 0, 'GET /login', 200, 'Firefox'),
      line('10.0.0.1', 0, 5, 'POST /login', 302, 'Firefox'),
      line('10.0.0.2', 0, 7, 'GET /admin/users/42', 403, 'curl/8'),
      line('10.0.0.1', 1, 0, 'GET /checkout?step=2', 200, 'Firefox'),
      line('10.0.0.2', 1, 30, 'GET /admin/users/43', 404, 'curl/8'),
      line('10.0.0.1', 50, 0, 'GET /profile', 500, 'Firefox'),
    ].join('\n') + '\n'
  );
}

describe('analysis CLI commands', () => {
  it('import rebuilds; sessions, session and endpoints report it, with filters', async () => {
    const log = ws.file('access.log', combinedLog());
    const casePath = `${ws.dir}/c.sscase`;
    expect((await cli('import', casePath, log, '--json')).code).toBe(0);

    const all = JSON.parse((await cli('sessions', casePath, '--json')).out) as {
      sessions: {
        id: string;
        keyKind: string;
        requestCount: number;
        matchedRequests: number;
        attackCount: number;
        matchedAttacks: number;
        outlierCount: number;
        matchedOutliers: number;
        flows: string[];
      }[];
      nextCursor: string | null;
    };
    // Without filters every request counts: the matched figures are the session's own.
    for (const s of all.sessions) {
      expect([s.matchedAttacks, s.matchedOutliers]).toEqual([s.attackCount, s.outlierCount]);
    }
    // 10.0.0.1 splits at the 49-minute gap; 10.0.0.2 is one session.
    expect(all.sessions.map((s) => [s.keyKind, s.requestCount])).toEqual([
      ['ip+ua', 3],
      ['ip+ua', 2],
      ['ip+ua', 1],
    ]);
    expect(all.sessions[0]!.flows).toEqual(['Auth', 'Billing']);
    expect(all.nextCursor).toBeNull();

    // A session matches when one of its requests matches; only matching requests are counted.
    const errs = JSON.parse(
      (await cli('sessions', casePath, '--status', '4xx', '--json')).out,
    ) as typeof all;
    expect(errs.sessions.map((s) => [s.requestCount, s.matchedRequests])).toEqual([[2, 2]]);
    const five = JSON.parse(
      (await cli('sessions', casePath, '--status', '5xx,302', '--json')).out,
    ) as typeof all;
    expect(five.sessions.map((s) => s.matchedRequests)).toEqual([1, 1]);
    const late = JSON.parse(
      (await cli('sessions', casePath, '--from', '2024-03-01T10:30:00Z', '--json')).out,
    ) as typeof all;
    expect(late.sessions.map((s) => s.requestCount)).toEqual([1]);
    // --count: how many sessions the list holds, without listing them.
    expect(JSON.parse((await cli('sessions', casePath, '--count', '--json')).out)).toEqual({
      count: 3,
    });
    expect((await cli('sessions', casePath, '--status', '5xx,302', '--count')).out.trim()).toBe(
      '2',
    );

    const first = all.sessions[0]!.id;
    const detail = JSON.parse(
      (await cli('session', casePath, first, '--method', 'POST', '--json')).out,
    ) as {
      session: { matchedRequests: number };
      flows: { flow: string; count: number; percent: number }[];
      byMethod: { value: string; count: number }[];
      byEndpoint: { template: string; count: number }[];
      requests: { path: string; template: string }[];
    };
    expect(detail.session.matchedRequests).toBe(1);
    expect(detail.flows).toEqual([{ flow: 'Auth', count: 1, percent: 100 }]);
    expect(detail.byMethod).toEqual([{ value: 'POST', count: 1 }]);
    expect(detail.requests.map((r) => r.path)).toEqual(['/login']);

    const text = await cli('session', casePath, first);
    expect(text.code).toBe(0);
    expect(text.out).toContain('by endpoint');
    expect(text.out).toContain('/checkout');
    expect(text.out).not.toContain('more values');

    // --top keeps each distribution's largest values and says what it left out.
    const whole = JSON.parse((await cli('session', casePath, first, '--json')).out) as {
      byEndpoint: { count: number }[];
      omitted?: unknown;
    };
    expect(whole.omitted).toBeUndefined();
    const top = JSON.parse((await cli('session', casePath, first, '--top', '1', '--json')).out) as {
      byEndpoint: unknown[];
      omitted: { byEndpoint: { values: number; count: number } };
    };
    expect(top.byEndpoint).toEqual(whole.byEndpoint.slice(0, 1));
    const rest = whole.byEndpoint.slice(1);
    expect(top.omitted.byEndpoint).toEqual({
      values: rest.length,
      count: rest.reduce((a, b) => a + b.count, 0),
    });
    expect(rest.length).toBeGreaterThan(0);
    const topText = await cli('session', casePath, first, '--top', '1');
    expect(topText.out).toContain(`(${rest.length} more values, `);
    expect((await cli('session', casePath, first, '--top', '0')).code).toBe(1);

    const eps = JSON.parse((await cli('endpoints', casePath, '--json')).out) as {
      endpoints: {
        method: string;
        template: string;
        requestCount: number;
        flows: string[];
        risk: { score: number; level: string; factors: { id: string }[] } | null;
        spec: unknown;
      }[];
    };
    const admin = eps.endpoints.find((e) => e.template === '/admin/users/{id}')!;
    expect(admin).toMatchObject({ method: 'GET', requestCount: 2, flows: ['Admin'], spec: null });
    // An admin endpoint with an object id: bola (6) is its strongest factor.
    expect(admin.risk).toMatchObject({ score: 6, level: 'Medium' });
    expect(admin.risk!.factors.map((f) => f.id)).toEqual(['bola', 'sensitive-flow']);
    // Narrowed: by text (any case), risk level, flow; a bad level is a usage error.
    const only = async (...flags: string[]): Promise<string[]> =>
      (
        JSON.parse((await cli('endpoints', casePath, ...flags, '--json')).out) as {
          endpoints: { template: string }[];
        }
      ).endpoints.map((e) => e.template);
    expect(await only('--text', 'ADMIN')).toEqual(['/admin/users/{id}']);
    expect(await only('--risk', 'medium', '--flow', 'Admin')).toEqual(['/admin/users/{id}']);
    expect(await only('--spec', 'shadow')).toEqual([]);
    const badRisk = await cli('endpoints', casePath, '--risk', 'severe');
    expect([badRisk.code, badRisk.err]).toEqual([1, expect.stringContaining('--risk')]);
    const epText = (await cli('endpoints', casePath)).out;
    expect(epText).toMatch(/\brisk\s+spec\b/);
    expect(epText).toMatch(/\/admin\/users\/\{id\}.*\b6 Medium\s+-/);

    const rebuilt = await cli('rebuild', casePath, '--json');
    expect(JSON.parse(rebuilt.out)).toEqual({
      requests: 6,
      endpoints: 5,
      sessions: 3,
      outliers: 0,
    });
  });

  it('rebuild --settings stores validated settings; bad flags and files are usage errors', async () => {
    const log = ws.file('access.log', combinedLog());
    const casePath = `${ws.dir}/c.sscase`;
    await cli('import', casePath, log);
    const settings = ws.file('s.json', JSON.stringify({ inactivityTimeoutMin: 60 }));
    const r = await cli('rebuild', casePath, '--settings', settings, '--json');
    expect(JSON.parse(r.out).sessions).toBe(2);
    const bad = ws.file('bad.json', JSON.stringify({ inactivityTimeoutMin: -1 }));
    expect((await cli('rebuild', casePath, '--settings', bad)).code).toBe(1);
    const status = await cli('sessions', casePath, '--status', '200,99');
    expect(status.code).toBe(1);
    // Named by the flag and the value typed, not the filter model's field path.
    expect(status.err).toContain('--status "99": a status code like 404');
    expect((await cli('sessions', casePath, '--from', 'yesterday')).code).toBe(1);
    // Every listing reads --limit alike: 0 listed one endpoint, and no request.
    for (const cmd of ['endpoints', 'requests', 'rejects', 'sessions', 'attacks']) {
      const r = await cli(cmd, casePath, '--limit', '0');
      expect([cmd, r.code, r.err]).toEqual([cmd, 1, expect.stringContaining('--limit must be')]);
    }
    expect((await cli('session', casePath, 'not-an-id')).code).toBe(1);
    const missing = await cli('session', casePath, 's0000000000000000');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('No session');
  });

  it('two fresh imports of the same log give the same session ids', async () => {
    const log = ws.file('access.log', combinedLog());
    const ids = async (name: string): Promise<string[]> => {
      const casePath = `${ws.dir}/${name}.sscase`;
      await cli('import', casePath, log);
      const page = JSON.parse((await cli('sessions', casePath, '--json')).out) as {
        sessions: { id: string }[];
      };
      return page.sessions.map((s) => s.id);
    };
    const first = await ids('one');
    expect(first).toHaveLength(3);
    expect(await ids('two')).toEqual(first);
  });

  it('pages sessions with a cursor, without gaps or repeats', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 7; i++) {
      lines.push(
        `10.0.1.${i} - - [01/Mar/2024:10:00:0${i} +0000] "GET /p HTTP/1.1" 200 1 "-" "ua"`,
      );
    }
    const casePath = `${ws.dir}/p.sscase`;
    await cli('import', casePath, ws.file('p.log', lines.join('\n') + '\n'));
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const args = [
        'sessions',
        casePath,
        '--limit',
        '3',
        '--json',
        ...(cursor ? ['--cursor', cursor] : []),
      ];
      const page = JSON.parse((await cli(...args)).out) as {
        sessions: { id: string }[];
        nextCursor: string | null;
      };
      seen.push(...page.sessions.map((s) => s.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });
});
