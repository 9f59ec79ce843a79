import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analysisCalls } from '../../shared/contract/analysisApi.js';
import type { ParsedInput } from '../../shared/contract/define.js';
import { groundTruthCapture } from '../../test/fixtures/analysis/groundTruth.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { listAudit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';
import { analysisDbHandlers as h } from './analysisHandlers.js';

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-handlers-');
  db = ws.openCase();
  seedSource(db, 'truth', groundTruthCapture().rows);
  h.rebuild(db, undefined);
});
afterEach(() => ws.cleanup());

const parse = <K extends keyof typeof analysisCalls>(
  name: K,
  input: unknown,
): ParsedInput<(typeof analysisCalls)[K]> =>
  analysisCalls[name].input.parse(input) as ParsedInput<(typeof analysisCalls)[K]>;

describe('analysis handlers', () => {
  it('a manual flow tag applies at once, survives rebuilds, can be removed, and is audited', () => {
    const items = h.listEndpoints(db, undefined).find((e) => e.template === '/api/items/{id}')!;
    expect(items.flows).toEqual([]);
    const tagged = h.setEndpointFlow(
      db,
      parse('setEndpointFlow', { endpointId: items.id, flow: 'Billing', action: 'add' }),
    );
    expect(tagged.flows).toEqual(['Billing']);
    expect(tagged.autoFlows).toEqual([]);
    const bulk = (): string[] =>
      h
        .listSessions(db, parse('listSessions', { filters: { endpoints: [items.id] } }))
        .sessions.map((s) => s.flows.join(','));
    expect(bulk()).toContain('Billing');

    h.rebuild(db, undefined);
    expect(h.listEndpoints(db, undefined).find((e) => e.id === items.id)!.flows).toEqual([
      'Billing',
    ]);
    expect(bulk()).toContain('Billing');

    // Removing a built-in flow works the same way.
    const login = h
      .listEndpoints(db, undefined)
      .find((e) => e.template === '/login' && e.method === 'POST')!;
    h.setEndpointFlow(
      db,
      parse('setEndpointFlow', { endpointId: login.id, flow: 'Auth', action: 'remove' }),
    );
    h.setEndpointFlow(
      db,
      parse('setEndpointFlow', { endpointId: items.id, flow: 'Billing', action: 'remove' }),
    );
    h.rebuild(db, undefined);
    const after = h.listEndpoints(db, undefined);
    expect(after.find((e) => e.id === login.id)!.flows).toEqual([]);
    expect(after.find((e) => e.id === login.id)!.autoFlows).toEqual(['Auth']);
    expect(after.find((e) => e.id === items.id)!.flows).toEqual([]);
    expect(listAudit(db).filter((a) => a.action === 'analysis.endpointFlow')).toHaveLength(3);
  });

  it('a flow tag re-scores the endpoints at once, as a rebuild would', () => {
    const risk = (): unknown[] =>
      db.prepare('SELECT * FROM endpoint_risk ORDER BY eid').raw(true).all();
    const items = h.listEndpoints(db, undefined).find((e) => e.template === '/api/items/{id}')!;
    const before = risk();
    h.setEndpointFlow(
      db,
      parse('setEndpointFlow', { endpointId: items.id, flow: 'Admin', action: 'add' }),
    );
    const tagged = risk();
    expect(tagged).not.toEqual(before);
    h.rebuild(db, undefined);
    expect(risk()).toEqual(tagged);
  });

  it('settings round-trip, are validated by the contract, and rebuild', () => {
    const s = h.getSettings(db, undefined);
    expect(s.inactivityTimeoutMin).toBe(30);
    expect(s.maxSessionHours).toBe(24);
    expect(
      analysisCalls.setSettings.input.safeParse({ settings: { inactivityTimeoutMin: 0 } }).success,
    ).toBe(false);
    const out = h.setSettings(
      db,
      analysisCalls.setSettings.input.parse({
        settings: { contextParams: [{ kind: 'header', name: 'X-User', names: 'session' }] },
      }),
    );
    expect(out.settings.contextParams[0]).toEqual({
      kind: 'header',
      name: 'X-User',
      names: 'session',
      secret: false,
    });
    expect(out.rebuild.sessions).toBeGreaterThan(0);
    const keyed = h.listSessions(db, parse('listSessions', { filters: { users: ['alice'] } }));
    // alice's two visits, 2 h apart, are still two sessions under the new key.
    expect(keyed.sessions.map((x) => x.keyKind)).toEqual(['header:x-user', 'header:x-user']);
  });

  it('getRequest returns the evidence with its session, endpoint and outlier baseline', () => {
    const row = db.prepare('SELECT id FROM requests WHERE latency_ms = 870').get() as {
      id: number;
    };
    const r = h.getRequest(db, parse('getRequest', { id: row.id }));
    expect(r.template).toBe('/api/items/{id}');
    expect(r.sessionId).toMatch(/^s[0-9a-f]{16}$/);
    expect(r.outlier).toBe(true);
    expect(r.latency).toMatchObject({ value: 870, outlier: true });
    expect(r.latency!.median).toBeLessThan(50);
    expect(r.headers).toEqual({ 'x-user': 'alice' });
    expect(() => h.getRequest(db, parse('getRequest', { id: 999999 }))).toThrow(
      /No analysed request/,
    );
  });

  it('contract inputs reject hostile shapes', () => {
    expect(analysisCalls.listSessions.input.safeParse({ cursor: "1' OR 1=1" }).success).toBe(false);
    expect(analysisCalls.getSession.input.safeParse({ id: '../etc' }).success).toBe(false);
    expect(
      analysisCalls.listSessions.input.safeParse({ filters: { ips: ['x'], extra: 1 } }).success,
    ).toBe(false);
  });
});
