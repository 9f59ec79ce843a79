import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analysisCalls,
  ENDPOINT_SORTS,
  type EndpointFilters,
  type EndpointSort,
  type EndpointSummary,
} from '../../shared/contract/analysisApi.js';
import { loadSpecAndRefresh } from '../api/specHandlers.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';
import { listEndpointPage } from './endpointPage.js';
import { flowTotals, getEndpoint, listEndpoints } from './endpointsQuery.js';

const T0 = Date.UTC(2024, 4, 1) * 1000;
const PATHS = ['/login', '/admin/users', '/billing/pay', '/v1/chat/completions', '/sms/send'];

/**
 * 45 endpoints (15 top-level names × GET/POST/PUT, plus five flow paths): each with its own
 * request count, status mix and latencies, some without any latency; many ties on purpose.
 */
function capture(): SeedRequest[] {
  const rows: SeedRequest[] = [];
  let t = T0;
  const paths = [...Array.from({ length: 15 }, (_, k) => `/p${k}x`), ...PATHS];
  paths.forEach((path, k) => {
    for (const method of ['GET', 'POST', 'PUT']) {
      if (k >= 15 && method !== 'GET') continue;
      const n = ((k * 7 + method.length) % 6) + 1;
      for (let i = 0; i < n; i++)
        rows.push({
          tsUs: (t += 1_000_000),
          ip: `10.0.${k}.${i}`,
          userAgent: 'ua',
          method,
          path,
          status: [200, 404, 500, 302][(k + i) % 4]!,
          latencyMs: k % 5 === 0 ? null : ((k * 13 + i * 7) % 40) + 1,
          respBytes: 100 + k,
        });
    }
  });
  return rows;
}

const ws = tempWorkspace('ss-endpoint-page-');
let db: CaseDb;
beforeAll(() => {
  db = ws.openCase();
  seedSource(db, 'endpoints', capture());
  rebuild(db);
});
afterAll(() => ws.cleanup());

/** The list as the view used to sort it in the renderer: by the sort's key, ties by id. */
function reference(all: EndpointSummary[], sort: EndpointSort, dir: 'asc' | 'desc') {
  const errors = (e: EndpointSummary): number => {
    let n = 0;
    for (const [code, c] of Object.entries(e.statusMix)) if (/^[45]/.test(code)) n += c;
    return n / Math.max(e.requestCount, 1);
  };
  const key: Record<EndpointSort, (e: EndpointSummary) => number | string> = {
    requests: (e) => e.requestCount,
    template: (e) => e.template,
    median: (e) => e.latencyMs.median ?? -1,
    p95: (e) => e.latencyMs.p95 ?? -1,
    errors,
    outliers: (e) => e.outlierCount,
    // By score, then by requests.
    risk: (e) => (e.risk?.score ?? 0) * 1e13 + e.requestCount,
  };
  const k = key[sort];
  const d = dir === 'asc' ? 1 : -1;
  return [...all].sort((a, b) => {
    const x = k(a);
    const y = k(b);
    if (x !== y) return (x < y ? -1 : 1) * d;
    return a.id < b.id ? -1 : 1;
  });
}

describe('endpoint pages', () => {
  it('page through every endpoint in each sort and direction, as the full list sorts', () => {
    const all = listEndpoints(db, 10_000);
    expect(all.length).toBe(50);
    // The fixture must give ties and missing latencies for the order to be tested.
    expect(new Set(all.map((e) => e.requestCount)).size).toBeLessThan(all.length);
    expect(all.some((e) => e.latencyMs.median === null)).toBe(true);
    // Every endpoint scored, with ties and several scores.
    expect(all.every((e) => e.risk !== null)).toBe(true);
    expect(new Set(all.map((e) => e.risk?.score)).size).toBeGreaterThan(2);
    for (const sort of ENDPOINT_SORTS)
      for (const dir of ['asc', 'desc'] as const) {
        const got: EndpointSummary[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = listEndpointPage(db, { sort, dir, limit: 7, cursor });
          expect(page.total).toBe(50);
          got.push(...page.items);
          cursor = page.nextCursor ?? undefined;
          pages++;
        } while (cursor !== undefined);
        expect(pages).toBe(Math.ceil(50 / 7));
        expect(
          got.map((e) => e.id),
          `${sort} ${dir}`,
        ).toEqual(reference(all, sort, dir).map((e) => e.id));
      }
  });

  it('refuses a cursor the case does not hold (the list changed)', () => {
    expect(() => listEndpointPage(db, { cursor: 'e0000000000000000' })).toThrow(/changed/);
  });

  it('gives one endpoint by id, and the requests per flow over the tagged endpoints', () => {
    const all = listEndpoints(db, 10_000);
    expect(getEndpoint(db, all[3]!.id)).toEqual(all[3]);
    const sums = new Map<string, number>();
    for (const e of all) for (const f of e.flows) sums.set(f, (sums.get(f) ?? 0) + e.requestCount);
    expect(sums.size).toBeGreaterThanOrEqual(4);
    const totals = flowTotals(db);
    expect(new Map(totals.map((t) => [t.flow, t.requests]))).toEqual(sums);
    expect(totals.map((t) => t.requests)).toEqual(
      [...totals.map((t) => t.requests)].sort((a, b) => b - a),
    );
  });

  it('narrows by text, risk level, spec status and flow, all together, paging through them', async () => {
    await loadSpecAndRefresh(
      db,
      ws.file(
        'spec.yaml',
        'openapi: 3.0.0\ninfo: { title: T, version: "1" }\npaths:\n  /p1x:\n    get: { responses: { "200": { description: ok } } }\n  /login:\n    get: { deprecated: true, responses: { "200": { description: ok } } }\n',
      ),
      false,
    );
    const all = listEndpoints(db, 10_000);
    const cases: [EndpointFilters, (e: EndpointSummary) => boolean][] = [
      [{ text: 'P1' }, (e) => e.template.includes('p1')],
      [{ text: 'post' }, (e) => e.method === 'POST'],
      [{ text: '/LOGIN' }, (e) => e.template.includes('/login')],
      [{ levels: ['Medium'] }, (e) => e.risk?.level === 'Medium'],
      [{ levels: ['Low', 'High'] }, (e) => e.risk?.level === 'Low' || e.risk?.level === 'High'],
      [{ spec: ['zombie'] }, (e) => e.spec?.status === 'zombie'],
      [{ spec: ['documented', 'zombie'] }, (e) => e.spec?.status !== 'shadow'],
      [
        { flows: ['Auth', 'Billing'] },
        (e) => e.flows.includes('Auth') || e.flows.includes('Billing'),
      ],
      [
        { text: 'x', levels: ['Medium', 'Low'], spec: ['shadow'] },
        (e) => e.template.includes('x') && e.risk?.level !== 'High' && e.spec?.status === 'shadow',
      ],
      [{ text: 'no-such-endpoint' }, () => false],
    ];
    for (const [filters, pred] of cases) {
      const want = reference(all, 'risk', 'desc').filter(pred);
      if (!('text' in filters && filters.text === 'no-such-endpoint')) {
        expect(want.length, JSON.stringify(filters)).toBeGreaterThan(0);
      }
      const got: EndpointSummary[] = [];
      let cursor: string | undefined;
      do {
        const page = listEndpointPage(db, { sort: 'risk', dir: 'desc', limit: 4, cursor, filters });
        expect(page.total, JSON.stringify(filters)).toBe(want.length);
        got.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(
        got.map((e) => e.id),
        JSON.stringify(filters),
      ).toEqual(want.map((e) => e.id));
    }
    // Input that is not a filter is refused by the contract, before any SQL.
    const input = analysisCalls.listEndpointPage.input;
    expect(input.safeParse({ filters: { levels: ['Severe'] } }).success).toBe(false);
    expect(input.safeParse({ filters: { text: "x' OR 1=1 --" } }).success).toBe(true);
    expect(listEndpointPage(db, { filters: { text: "x' OR 1=1 --" } }).total).toBe(0);
  });
});
