import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testJwt } from '../../shared/analysis/jwtTestToken.js';
import { cli } from '../../test/runCliCapture.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { listItems } from './command.js';
import { filtersFromFlags } from './filterFlags.js';

describe('list flags', () => {
  it('split on commas and repeats; \\, is a comma of the value, \\\\ a backslash', () => {
    expect(listItems(['4xx, 5xx', '302'])).toEqual(['4xx', '5xx', '302']);
    expect(listItems('Doe\\, John')).toEqual(['Doe, John']);
    expect(listItems(['admin\\,billing', 'ops'])).toEqual(['admin,billing', 'ops']);
    expect(listItems('a\\,b,c')).toEqual(['a,b', 'c']);
    // Any other backslash is itself: Windows accounts are typed as they are.
    expect(listItems('CORP\\jdoe')).toEqual(['CORP\\jdoe']);
    expect(listItems('ends\\\\,next')).toEqual(['ends\\', 'next']);
    expect(listItems([',, ,'])).toEqual([]);
    expect(listItems(undefined)).toEqual([]);
  });

  it('give the filter model the values as meant', () => {
    expect(filtersFromFlags({ user: ['Doe\\, John'], role: 'admin,ops' })).toMatchObject({
      users: ['Doe, John'],
      roles: ['admin', 'ops'],
    });
  });

  it('name a refused value by its flag, with the values it takes, not the schema’s words', () => {
    expect(() => filtersFromFlags({ verdict: 'bad' })).toThrow(
      '--verdict "bad": must be one of none, suspicious, malicious',
    );
    expect(() => filtersFromFlags({ endpoint: 'x' })).toThrow(
      '--endpoint "x": not an endpoint id (the `id` that `endpoints --json` gives, e and 16 hex digits)',
    );
  });
});

describe('filters on values with commas, through the CLI', () => {
  const ws = tempWorkspace('ss-cli-filters-');
  const kase = `${ws.dir}/c.sscase`;
  // A token's roles array is stored as one role, "admin,billing" (shared/analysis/jwt.ts), which
  // the role filter also finds by each role it lists (role_members).
  const line = (sec: number, claims: Record<string, unknown>) =>
    JSON.stringify({
      ts: `2024-05-01T10:00:0${sec}Z`,
      client_ip: '203.0.113.9',
      method: 'GET',
      host: 'h',
      uri: '/api/x',
      status: 200,
      request: { headers: { Authorization: [`Bearer ${testJwt(claims)}`] } },
    });
  beforeAll(async () => {
    const log = ws.file(
      'jwt.jsonl',
      [
        line(0, { sub: 'u1', preferred_username: 'Doe, John', roles: ['admin', 'billing'] }),
        line(1, { sub: 'u2', preferred_username: 'Roe', role: 'admin' }),
      ].join('\n') + '\n',
    );
    expect((await cli('import', kase, log)).code).toBe(0);
  });
  afterAll(() => ws.cleanup());

  const users = async (...flags: string[]): Promise<(string | null)[]> => {
    const r = await cli('sessions', kase, ...flags, '--json');
    expect([r.code, r.err]).toEqual([0, '']);
    return (JSON.parse(r.out) as { sessions: { user: string | null }[] }).sessions
      .map((s) => s.user)
      .sort();
  };

  it('reaches a value with a comma by escaping it; a plain comma still lists values', async () => {
    expect(await users()).toEqual(['Doe, John', 'Roe']);
    expect(await users('--user', 'Doe\\, John')).toEqual(['Doe, John']);
    expect(await users('--user', 'Doe, John')).toEqual([]);
    expect(await users('--role', 'admin\\,billing')).toEqual(['Doe, John']);
    expect(await users('--role', 'admin\\,billing,admin')).toEqual(['Doe, John', 'Roe']);
    // A role list is also found by each of its roles: the token's "admin,billing" holds admin.
    expect(await users('--role', 'admin')).toEqual(['Doe, John', 'Roe']);
    expect(await users('--role', 'billing')).toEqual(['Doe, John']);
  });
});
