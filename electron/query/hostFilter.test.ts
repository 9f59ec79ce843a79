import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filtersSchema, type FiltersInput } from '../../shared/query/filterModel.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import {
  expectFilterAnswers,
  expectStrategiesAgree,
  requestsPerCookie,
} from '../../test/fixtures/query/sessionFilterChecks.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';

/*
 * Host names are compared without regard to the case of their ASCII letters (RFC 4343): logs
 * write them as the client sent them (`Shop.Example` in a Host header), and the host filter
 * finds them however either is spelled. Letters outside ASCII are compared as written, as DNS
 * does (an IDN's punycode is ASCII).
 */

const T0 = Date.UTC(2024, 4, 1) * 1000;
const SESSIONS = 2000;

/** Hosts as logs spell them (most sessions on WWW.example); `fold` is what the filter compares. */
const SPELLINGS = ['Shop.Example', 'shop.example', 'SHOP.EXAMPLE:8443', 'BÜCHER.example'];
const spelled = (k: number): string => SPELLINGS[k % 10] ?? 'WWW.example';
const fold = (h: string | null | undefined): string =>
  (h ?? '').replace(/[A-Z]/g, (c) => c.toLowerCase());

function capture(): SeedRequest[] {
  const rows: SeedRequest[] = [];
  for (let k = 0; k < SESSIONS; k++) {
    const base = { ip: `10.3.${k >> 8}.${k & 255}`, cookies: `JSESSIONID=H${k}` };
    rows.push({ ...base, tsUs: T0 + k * 60e6, host: spelled(k), path: `/p/${k % 7}`, status: 200 });
  }
  return rows;
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
let rows: SeedRequest[];

beforeAll(() => {
  ws = tempWorkspace('ss-hostfilter-');
  db = ws.openCase();
  rows = capture();
  seedSource(db, 'h', rows);
  rebuild(db);
});
afterAll(() => ws.cleanup());

const cases: [string, FiltersInput, (r: SeedRequest) => boolean, 'listed' | 'looked up'][] = [
  [
    'upper case finds every spelling of the host',
    { hosts: ['SHOP.example'] },
    (r) => fold(r.host) === 'shop.example',
    'listed',
  ],
  [
    'a port is part of the host',
    { hosts: ['shop.Example:8443'] },
    (r) => fold(r.host) === 'shop.example:8443',
    'listed',
  ],
  [
    'lower case finds a host logged in capitals, on many sessions',
    { hosts: ['www.example'] },
    (r) => r.host === 'WWW.example',
    'looked up',
  ],
  ['non-ASCII letters compare as written', { hosts: ['Bücher.example'] }, () => false, 'listed'],
  [
    'an IDN host as logged is found',
    { hosts: ['bÜcher.EXAMPLE'] },
    (r) => r.host === 'BÜCHER.example',
    'listed',
  ],
];

describe('the host filter ignores the case of ASCII letters', () => {
  it.each(cases)('%s', (_n, input, pred, how) => {
    const filters = filtersSchema.parse(input);
    const want = requestsPerCookie(rows, pred);
    if (input.hosts?.[0] !== 'Bücher.example') expect(want.size).toBeGreaterThan(0);
    expectFilterAnswers(db, rows, filters, pred, how);
  });

  it.each(cases)('%s: both strategies give the same page, neither scans the facts', (_n, input) =>
    expectStrategiesAgree(db, filtersSchema.parse(input)),
  );
});
