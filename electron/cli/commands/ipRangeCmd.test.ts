import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../../test/runCliCapture.js';
import { tempWorkspace } from '../../../test/tempCase.js';

const ws = tempWorkspace('ss-cli-iprange-');
let casePath = '';

/** Clients, one cookie each: the key is the session's name in the assertions below. */
const CLIENTS: [string, string][] = [
  ['A', '203.0.113.7'],
  ['B', '203.0.113.200'],
  ['C', '203.0.114.1'],
  ['D', '::ffff:203.0.113.9'],
  ['E', '2001:db8::1'],
  ['F', '[2001:db8:ffff::2]:443'],
  ['G', '2001:db9::1'],
  ['H', '10.9.8.7'],
];

function log(): string {
  return CLIENTS.map(([key, ip], k) =>
    JSON.stringify({
      timestamp: `2024-03-01T10:00:0${k}Z`,
      client_ip: ip,
      method: 'GET',
      path: '/account',
      status: 200,
      headers: { cookie: `JSESSIONID=${key}` },
    }),
  ).join('\n');
}

beforeAll(async () => {
  casePath = `${ws.dir}/ips.sscase`;
  const r = await cli('import', casePath, ws.file('ips.jsonl', `${log()}\n`), '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
});
afterAll(() => ws.cleanup());

/** The keys of the sessions `sessions --json` lists under the flags. */
async function sessions(...flags: string[]): Promise<string[]> {
  const r = await cli('sessions', casePath, ...flags, '--json');
  expect([r.code, r.err]).toEqual([0, '']);
  const page = JSON.parse(r.out) as { sessions: { keyValue: string }[] };
  return page.sessions.map((s) => s.keyValue).sort();
}

describe('sessions --ip takes CIDR ranges', () => {
  it('finds the sessions whose address is in an IPv4 range, IPv4-mapped ones too', async () => {
    expect(await sessions('--ip', '203.0.113.0/24')).toEqual(['A', 'B', 'D']);
    expect(await sessions('--ip', '203.0.0.0/16')).toEqual(['A', 'B', 'C', 'D']);
    expect(await sessions('--ip', '203.0.113.7/32')).toEqual(['A']);
  });

  it('finds IPv6 ranges, and ranges mixed with exact addresses in one list', async () => {
    expect(await sessions('--ip', '2001:db8::/32')).toEqual(['E', 'F']);
    expect(await sessions('--ip', '10.9.8.7,2001:db8::/32', '--ip', '203.0.114.0/24')).toEqual([
      'C',
      'E',
      'F',
      'H',
    ]);
  });

  it.each([
    [
      '203.0.113.7/24',
      '--ip "203.0.113.7/24": 203.0.113.7/24 has bits set past its prefix; the range is written 203.0.113.0/24',
    ],
    [
      '10.0.0.0/33',
      '--ip "10.0.0.0/33": the prefix length of an IPv4 range is a whole number from 0 to 32',
    ],
    [
      '2001:db8::/129',
      '--ip "2001:db8::/129": the prefix length of an IPv6 range is a whole number from 0 to 128',
    ],
    [
      '10.0.0/8',
      '--ip "10.0.0/8": a range is an IPv4 or IPv6 network address, a slash and a prefix length, like 203.0.113.0/24 or 2001:db8::/32',
    ],
  ])('refuses %s and says why', async (ip, message) => {
    const r = await cli('sessions', casePath, '--ip', `10.9.8.7,${ip}`, '--json');
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.out)).toEqual({ error: { code: 'BAD_INPUT', message } });
    expect(r.err).toContain(message);
  });
});
