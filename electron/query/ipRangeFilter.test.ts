import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filtersSchema, type FiltersInput } from '../../shared/query/filterModel.js';
import { ipRangesMatcher, parseIpRange } from '../../shared/query/ipRange.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';
import {
  expectFilterAnswers,
  expectStrategiesAgree,
} from '../../test/fixtures/query/sessionFilterChecks.js';
import { factsWhere } from './filterSql.js';
import { listSessions } from './sessionsQuery.js';

const T0 = Date.UTC(2024, 4, 1) * 1000;
const SESSIONS = 1200;

/**
 * Sessions (one cookie each) from addresses written every way a log writes them: IPv4 in
 * 10.0.0.0/8 (most) and 203.0.113.0/24 (a few), IPv6 in 2001:db8::/32 (in two spellings),
 * IPv4-mapped IPv6, a link-local address with its %zone, and values that are no address.
 */
function address(k: number): string {
  if (k % 100 === 1) return `203.0.113.${k % 256}`;
  if (k % 100 === 2) return `2001:db8:${(k % 7).toString(16)}::${k.toString(16)}`;
  if (k % 100 === 3) return `2001:DB8:0:0:0:0:0:${k.toString(16)}`;
  if (k % 100 === 4) return `::ffff:203.0.113.${k % 256}`;
  if (k % 100 === 5) return `fe80::${k.toString(16)}%eth0`;
  if (k % 100 === 6) return k % 200 === 6 ? 'unknown' : 'crawl-10-0-0-1.example.com';
  if (k % 100 === 7) return `2001:db9::${k.toString(16)}`;
  return `10.${k % 3}.${k >> 8}.${k & 255}`;
}

function capture(): SeedRequest[] {
  const rows: SeedRequest[] = [];
  for (let k = 0; k < SESSIONS; k++) {
    const base = { cookies: `JSESSIONID=S${k}` };
    const t = T0 + k * 60e6;
    rows.push({ ...base, tsUs: t, ip: address(k), path: '/a', status: 200 });
    // Every tenth session also comes through a gateway in 198.51.100.0/24.
    if (k % 10 === 0)
      rows.push({ ...base, tsUs: t + 1e6, ip: `198.51.100.${k % 7}`, path: '/b', status: 200 });
  }
  // fe80::5 on another link: an exact address with a zone finds its own zone only.
  rows.push({ cookies: 'JSESSIONID=eth1', tsUs: T0 + 1, ip: 'fe80::5%eth1', path: '/a' });
  return rows;
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
let rows: SeedRequest[];

beforeAll(() => {
  ws = tempWorkspace('ss-iprange-');
  db = ws.openCase();
  rows = capture();
  seedSource(db, 'ipr', rows);
  rebuild(db);
});
afterAll(() => ws.cleanup());

/** Rows whose ip is one of `exact` or in one of `ranges` (the reference: shared/query/ipRange). */
const ipIn =
  (exact: string[], ranges: string[] = []) =>
  (r: SeedRequest): boolean => {
    const inRange = ipRangesMatcher(
      ranges.map((s) => {
        const p = parseIpRange(s);
        if (!p.ok) throw new Error(s);
        return p.range;
      }),
    );
    return exact.includes(r.ip ?? '') || inRange(r.ip ?? '');
  };

const cases: [string, FiltersInput, (r: SeedRequest) => boolean, 'listed' | 'looked up'][] = [
  [
    'a /8 holding most sessions',
    { ips: ['10.0.0.0/8'] },
    (r) => /^10\.\d+\.\d+\.\d+$/.test(r.ip!),
    'looked up',
  ],
  ['a /16', { ips: ['10.1.0.0/16'] }, (r) => /^10\.1\.\d+\.\d+$/.test(r.ip!), 'listed'],
  [
    'a /24, with its IPv4-mapped addresses',
    { ips: ['203.0.113.0/24'] },
    (r) => /^(::ffff:)?203\.0\.113\.\d+$/.test(r.ip!),
    'listed',
  ],
  [
    'an IPv6 /32 in any spelling, not its neighbour',
    { ips: ['2001:db8::/32'] },
    (r) => /^2001:db8:/i.test(r.ip!),
    'listed',
  ],
  [
    'link-local, written with a zone',
    { ips: ['fe80::/10'] },
    (r) => r.ip!.startsWith('fe80:'),
    'listed',
  ],
  [
    'ranges mixed with an exact address and a host name',
    { ips: ['198.51.100.0/30', '2001:db8::/32', '10.0.4.8', 'unknown'] },
    ipIn(['10.0.4.8', 'unknown'], ['198.51.100.0/30', '2001:db8::/32']),
    'listed',
  ],
  [
    'every IPv4 address (not IPv6 ones, not names)',
    { ips: ['0.0.0.0/0'] },
    ipIn([], ['0.0.0.0/0']),
    'looked up',
  ],
  ['a range no address is in', { ips: ['192.0.2.0/24'] }, () => false, 'listed'],
  ['a /32 is its address', { ips: ['10.2.3.50/32'] }, (r) => r.ip === '10.2.3.50', 'listed'],
  [
    'an exact IPv6 address finds its other spellings',
    { ips: ['2001:db8::3eb'] },
    (r) => r.ip === '2001:DB8:0:0:0:0:0:3eb',
    'listed',
  ],
  [
    'an exact address is its /128 and a host name stays exact, with no range',
    { ips: ['2001:DB8:4::66', 'unknown', '203.0.113.4'] },
    ipIn(['unknown'], ['2001:db8:4::66/128', '203.0.113.4/32']),
    'listed',
  ],
  [
    'an exact address beside a range',
    { ips: ['198.51.100.0/30', '203.0.113.4'] },
    ipIn([], ['198.51.100.0/30', '203.0.113.4/32']),
    'listed',
  ],
  [
    'an exact address with a zone finds that zone only',
    { ips: ['FE80::5%eth0'] },
    (r) => r.ip === 'fe80::5%eth0',
    'listed',
  ],
];

describe('CIDR ranges in the ip filter', () => {
  it('the reference agrees with the fixture on what each range holds', () => {
    const all = ipIn([], ['0.0.0.0/0']);
    expect(rows.filter(all).length).toBeGreaterThan(1000);
    expect(rows.some((r) => r.ip === 'unknown' && all(r))).toBe(false);
    expect(ipIn([], ['203.0.113.0/24'])({ tsUs: 0, ip: '::ffff:203.0.113.4' })).toBe(true);
    // Every case but the empty range finds requests, and the mixed one finds each of its parts.
    for (const [name, , pred] of cases)
      expect([name, rows.some(pred)]).toEqual([name, name !== 'a range no address is in']);
    for (const ip of ['10.0.4.8', 'unknown', '198.51.100.3', '2001:db8:4::66'])
      expect(rows.some((r) => r.ip === ip)).toBe(true);
    // The exact-address cases find a spelling other than the one the filter names.
    for (const ip of ['2001:DB8:0:0:0:0:0:3eb', '::ffff:203.0.113.4', 'fe80::5%eth1'])
      expect(rows.some((r) => r.ip === ip)).toBe(true);
  });

  it.each(cases)('%s: the sessions and their matching requests', (_n, input, pred, how) =>
    expectFilterAnswers(db, rows, filtersSchema.parse(input), pred, how),
  );

  it.each(cases)('%s: both strategies give the same page, neither scans the facts', (_n, input) =>
    expectStrategiesAgree(db, filtersSchema.parse(input)),
  );

  it('reads the addresses again once the analysis changed', () => {
    const other = tempWorkspace('ss-iprange-again-');
    try {
      const c = other.openCase();
      const first = { cookies: 'JSESSIONID=first', tsUs: T0, ip: '10.0.0.1', path: '/a' };
      seedSource(c, 'one', [first]);
      rebuild(c);
      const keys = (ips: string[]): string[] =>
        listSessions(c, { filters: filtersSchema.parse({ ips }) }).sessions.map(
          (s) => s.keyValue ?? '',
        );
      expect(keys(['192.0.2.0/24'])).toEqual([]);
      expect(keys(['10.0.0.0/8'])).toEqual(['first']);
      // A second source: the rebuild numbers the addresses anew (first appearance).
      seedSource(c, 'two', [
        { cookies: 'JSESSIONID=second', tsUs: T0 - 1e6, ip: '192.0.2.9', path: '/a' },
        { ...first, tsUs: T0 + 1e6 },
      ]);
      rebuild(c);
      expect(keys(['192.0.2.0/24'])).toEqual(['second']);
      expect(keys(['10.0.0.0/8'])).toEqual(['first']);
    } finally {
      other.cleanup();
    }
  });

  it('binds the ids of the addresses it found; no address is spliced into the SQL', () => {
    const valuesOf = (list: string): string[] =>
      db
        .prepare('SELECT value FROM fact_values WHERE id IN (SELECT value FROM json_each(?))')
        .pluck()
        .all(list) as string[];
    const lists = (w: { sql: string; params: unknown[] }): string[] => {
      expect(w.sql).not.toMatch(/203|10\.0|198\./);
      return w.params.filter((p): p is string => typeof p === 'string' && p.startsWith('['));
    };
    // Few addresses in the range: their ids (an exact address among them).
    const few = factsWhere(db, filtersSchema.parse({ ips: ['203.0.113.0/24', '10.0.4.8'] }));
    expect(few.sql).not.toMatch(/NOT IN/);
    const found = valuesOf(lists(few)[0]!).sort();
    expect(found).toContain('10.0.4.8');
    expect(found.filter((v) => v !== '10.0.4.8').length).toBeGreaterThan(0);
    expect(found.every((v) => v === '10.0.4.8' || /^(::ffff:)?203\.0\.113\.\d+$/.test(v))).toBe(
      true,
    );
    // Most addresses in it: the ids of those outside.
    const most = factsWhere(db, filtersSchema.parse({ ips: ['10.0.0.0/8'] }));
    expect(most.sql).toMatch(/NOT IN/);
    const outside = valuesOf(lists(most)[0]!);
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.some((v) => /^10\.\d+\.\d+\.\d+$/.test(v))).toBe(false);
    expect(outside).toContain('unknown');
  });
});
