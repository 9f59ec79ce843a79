import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSchemaVersion } from '../../test/caseSchema.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { getEndpoint, setEndpointFlow } from '../query/endpointsQuery.js';
import { listSessions } from '../query/sessionsQuery.js';
import { listAudit } from '../store/auditLog.js';
import { openCase, type CaseDb } from '../store/openCase.js';
import { endpointId } from './hashIds.js';
import { rebuild } from './rebuild.js';

const T0 = Date.UTC(2024, 0, 1) * 1000;
const ws = tempWorkspace('ss-endpoint-aliases-');
let db: CaseDb;

/** The id `GET <host>/cart` had when endpoints were named by the host as logged. */
const before = (host: string) => endpointId('GET', host, '/cart');

beforeAll(() => {
  db = ws.openCase();
  seedSource(db, 'web', [
    { tsUs: T0, ip: '192.0.2.1', host: 'Shop.Example', path: '/cart' },
    { tsUs: T0 + 1e6, ip: '192.0.2.2', host: 'SHOP.example', path: '/cart' },
    { tsUs: T0 + 2e6, ip: '192.0.2.3', host: 'shop.example', path: '/cart' },
    { tsUs: T0 + 3e6, ip: '192.0.2.4', host: 'other.example', path: '/cart' },
  ]);
  rebuild(db);
});
afterAll(() => ws.cleanup());

describe('endpoint aliases', () => {
  it('name the folded endpoint by the ids its capitalised spellings had', () => {
    const now = before('shop.example');
    expect(
      db.prepare('SELECT alias, endpoint_id FROM endpoint_aliases ORDER BY alias').all(),
    ).toEqual(
      [before('SHOP.example'), before('Shop.Example')].sort().map((alias) => ({
        alias,
        endpoint_id: db.prepare('SELECT id FROM endpoints WHERE eid = ?').pluck().get(now),
      })),
    );
    for (const old of [before('Shop.Example'), before('SHOP.example')])
      expect(getEndpoint(db, old)).toMatchObject({
        id: now,
        host: 'shop.example',
        requestCount: 3,
      });
    expect(() => getEndpoint(db, before('Other.example'))).toThrow(/No endpoint/);
  });

  it('filter by an old id as by the endpoint’s own', () => {
    const sids = (endpoints: string[]) =>
      listSessions(db, { filters: { endpoints } }).sessions.map((s) => s.id);
    const own = sids([before('shop.example')]);
    expect(own).toHaveLength(3);
    expect(sids([before('Shop.Example')])).toEqual(own);
    expect(sids([before('SHOP.example'), before('other.example')])).toHaveLength(4);
  });

  it('audit a flow set through an old id under the endpoint’s own', () => {
    setEndpointFlow(db, before('Shop.Example'), 'Billing', 'add');
    expect(listAudit(db).at(-1)).toMatchObject({
      action: 'analysis.endpointFlow',
      details: { endpoint: before('shop.example'), host: 'shop.example', flow: 'Billing' },
    });
  });

  it('are an empty table in a case of an older version, until its rebuild', () => {
    const old = ws.openCase('old.sscase');
    seedSource(old, 'web', [{ tsUs: T0, ip: '192.0.2.1', host: 'Shop.Example', path: '/cart' }]);
    rebuild(old);
    asSchemaVersion(old, 28);
    const file = old.name;
    old.close();
    const upgraded = openCase(file);
    expect(upgraded.prepare('SELECT count(*) FROM endpoint_aliases').pluck().get()).toBe(0);
    rebuild(upgraded);
    expect(getEndpoint(upgraded, before('Shop.Example')).id).toBe(before('shop.example'));
    upgraded.close();
  });
});
