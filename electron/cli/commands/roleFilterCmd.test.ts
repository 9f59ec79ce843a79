import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeJwt } from '../../../test/fixtures/analysis/seedCase.js';
import { cli } from '../../../test/runCliCapture.js';
import { tempWorkspace } from '../../../test/tempCase.js';

const ws = tempWorkspace('ss-cli-roles-');
let casePath = '';

/**
 * A JSON-lines log of four clients (one cookie each): a token listing admin and billing, a token
 * listing billing alone, an X-Role header listing two roles, and one whose header was sent twice.
 */
function log(): string {
  const line = (k: number, headers: Record<string, string | string[]>): string =>
    JSON.stringify({
      timestamp: `2024-03-01T10:00:0${k}Z`,
      client_ip: `10.0.0.${k}`,
      method: 'GET',
      path: '/account',
      status: 200,
      headers: { cookie: `JSESSIONID=S${k}`, ...headers },
    });
  return (
    [
      line(0, { authorization: `Bearer ${fakeJwt({ sub: 'a', roles: ['admin', 'billing'] })}` }),
      line(1, { authorization: `Bearer ${fakeJwt({ sub: 'b', groups: ['billing'] })}` }),
      line(2, { 'x-role': 'ops, audit' }),
      line(3, { 'x-role': ['support', 'ops'] }),
    ].join('\n') + '\n'
  );
}

beforeAll(async () => {
  casePath = `${ws.dir}/roles.sscase`;
  const r = await cli('import', casePath, ws.file('roles.jsonl', log()), '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
});
afterAll(() => ws.cleanup());

/** The sessions `sessions --json` lists under the flags, as [key, role shown]. */
async function sessions(...flags: string[]): Promise<[string, string][]> {
  const r = await cli('sessions', casePath, ...flags, '--json');
  expect(r.code).toBe(0);
  const page = JSON.parse(r.out) as { sessions: { keyValue: string; role: string }[] };
  return page.sessions.map((s) => [s.keyValue, s.role] as [string, string]).sort();
}

describe('sessions --role finds each role a token or a header lists', () => {
  it("finds a session by either of its token's roles, shown as stored", async () => {
    expect(await sessions('--role', 'admin')).toEqual([['S0', 'admin,billing']]);
    expect(await sessions('--role', 'billing')).toEqual([
      ['S0', 'admin,billing'],
      ['S1', 'billing'],
    ]);
    // The whole list still names it, escaped as any value with a comma is.
    expect(await sessions('--role', 'admin\\,billing')).toEqual([['S0', 'admin,billing']]);
  });

  it('does not find a role by a part of its name, nor in another case', async () => {
    expect(await sessions('--role', 'adm')).toEqual([]);
    expect(await sessions('--role', 'Admin')).toEqual([]);
  });

  it('finds a role an X-Role header lists, or that a header sent twice gave', async () => {
    expect(await sessions('--role', 'audit')).toEqual([['S2', 'ops, audit']]);
    expect(await sessions('--role', 'ops')).toEqual([
      ['S2', 'ops, audit'],
      ['S3', 'support, ops'],
    ]);
    // Several roles asked for: sessions with any of them.
    expect(await sessions('--role', 'support,admin')).toEqual([
      ['S0', 'admin,billing'],
      ['S3', 'support, ops'],
    ]);
  });
});
