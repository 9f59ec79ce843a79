import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { specCalls } from '../../shared/contract/specApi.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { importSource } from '../ingest/importSource.js';
import type { CaseDb } from '../store/openCase.js';
import { getEndpoint, listEndpoints } from '../query/endpointsQuery.js';
import { listEndpointRisk, loadSpecAndRefresh, specOverview } from './specHandlers.js';

const line = (ts: number, method: string, uri: string, status: number, extra = {}): string =>
  JSON.stringify({
    level: 'info',
    ts,
    logger: 'http.log.access',
    msg: 'handled request',
    request: {
      remote_ip: '192.0.2.1',
      remote_port: '5000',
      client_ip: '192.0.2.1',
      proto: 'HTTP/1.1',
      method,
      host: 'shop.test',
      uri,
      headers: { 'User-Agent': ['t'], ...extra },
    },
    bytes_read: 0,
    user_id: '',
    duration: 0.01,
    size: 10,
    status,
    resp_headers: {},
  });

const SPEC = `openapi: 3.0.0
info: { title: Shop, version: "2" }
paths:
  /orders/{orderId}:
    get: { deprecated: true, responses: { "200": { description: ok } } }
  /health:
    get: { responses: { "200": { description: ok } } }
  /carts:
    post: { responses: { "200": { description: ok } } }
`;

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(async () => {
  ws = tempWorkspace();
  db = ws.openCase();
  const log = [
    line(1773300000, 'GET', '/orders/1', 200),
    line(1773300001, 'GET', '/orders/2', 200),
    line(1773300002, 'GET', '/health', 200),
    line(1773300003, 'GET', '/debug?password=x', 200),
  ].join('\n');
  await importSource(db, ws.file('access.jsonl', log + '\n'));
  rebuild(db);
});
afterEach(() => ws.cleanup());

describe('spec handlers', () => {
  it('shows nothing before a spec is loaded, and risk without spec factors', () => {
    expect(specOverview(db)).toEqual({
      specs: [],
      counts: { documented: 0, shadow: 0, probes: 0, zombie: 0, orphans: 0 },
      findings: [],
      orphans: [],
    });
    const risk = listEndpointRisk(db, undefined);
    expect(risk[0]).toMatchObject({
      template: '/debug',
      score: 8,
      level: 'High',
      specStatus: null,
    });
  });

  it('loads a spec and refreshes status and risk', async () => {
    const o = await loadSpecAndRefresh(db, ws.file('shop.yaml', SPEC), false);
    expect(o.specs.map((s) => [s.title, s.version, s.operations])).toEqual([['Shop', '2', 3]]);
    expect(o.counts).toEqual({ documented: 1, shadow: 1, probes: 0, zombie: 1, orphans: 1 });
    expect(o.findings.map((f) => [f.status, f.reason, f.template])).toEqual([
      ['shadow', null, '/debug'],
      ['zombie', 'deprecated', '/orders/{id}'],
    ]);
    expect(o.orphans).toEqual([
      { specId: 1, method: 'POST', pathTemplate: '/carts', deprecated: false },
    ]);
    const orders = listEndpointRisk(db, { level: 'Medium' }).find(
      (r) => r.template === '/orders/{id}',
    );
    expect(orders).toMatchObject({ score: 7, specStatus: 'zombie' });
    expect(orders!.factors.map((f) => f.id)).toEqual(['zombie', 'bola']);
  });

  it("gives each endpoint of the inventory its risk and spec status, as the spec's lists do", async () => {
    const before = listEndpoints(db);
    expect(before.every((e) => e.spec === null && e.risk !== null)).toBe(true);
    const o = await loadSpecAndRefresh(db, ws.file('shop.yaml', SPEC), false);
    const all = listEndpoints(db);
    const risk = new Map(listEndpointRisk(db, undefined).map((r) => [r.eid, r]));
    for (const e of all) {
      const r = risk.get(e.id)!;
      expect(e.risk, e.template).toEqual({ score: r.score, level: r.level, factors: r.factors });
      expect(e.spec?.status ?? null, e.template).toBe(r.specStatus);
      expect(getEndpoint(db, e.id)).toEqual(e);
    }
    const byTemplate = new Map(all.map((e) => [e.template, e.spec]));
    expect(byTemplate.get('/orders/{id}')).toEqual({
      status: 'zombie',
      reason: 'deprecated',
      specPath: '/orders/{orderId}',
    });
    expect(byTemplate.get('/debug')).toEqual({ status: 'shadow', reason: null, specPath: null });
    expect(o.findings.map((f) => f.template).sort()).toEqual(
      all
        .filter((e) => e.spec?.status !== 'documented')
        .map((e) => e.template)
        .sort(),
    );
  });

  it('validates inputs', () => {
    expect(specCalls.loadSpec.input.safeParse({ path: 'a\0b' }).success).toBe(false);
    expect(specCalls.loadSpec.input.safeParse({ path: '/x.yaml', extra: 1 }).success).toBe(false);
    expect(specCalls.listEndpointRisk.input.safeParse({ level: 'Severe' }).success).toBe(false);
    expect(specCalls.listEndpointRisk.input.safeParse({ level: 'High', limit: 5 }).success).toBe(
      true,
    );
  });
});
