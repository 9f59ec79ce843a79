import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { benchRequests } from '../../bench/analysisBench.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { CaseDb } from '../store/openCase.js';
import { rebuild } from './rebuild.js';
import type { RebuildStep } from './rebuildContext.js';
import { riskInputsFromDb, riskInputsFromScan, type RiskInputs } from './riskInputs.js';
import { storedRiskInputs } from './riskInputsStore.js';
import { rebuildSteps } from './rebuildSteps.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-risk-inputs-');
});
afterEach(() => ws.cleanup());

const T0 = Date.UTC(2024, 0, 1) * 1000;

/** Requests that hit every branch: body types, anonymity, card numbers, odd headers. */
function oddRequests(): SeedRequest[] {
  const base = { host: 'a.example', ip: '10.0.0.1', userAgent: 'ua' };
  const rows: Omit<SeedRequest, 'tsUs'>[] = [
    {
      ...base,
      method: 'POST',
      path: '/admin/users',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
    },
    { ...base, method: 'POST', path: '/admin/users', headers: { 'content-type': 'text/xml' } },
    { ...base, method: 'PUT', path: '/admin/users', headers: { 'content-type': ' ; x' } },
    { ...base, method: 'GET', path: '/admin/users', headers: { 'content-type': 'text/csv' } },
    { ...base, method: 'DELETE', path: '/billing/pay', status: 204 },
    { ...base, method: 'POST', path: '/billing/pay', headers: { authorization: 'Bearer x' } },
    { ...base, method: 'POST', path: '/billing/pay', cookies: 'sid=1', status: 201 },
    {
      ...base,
      method: 'GET',
      path: '/billing/pay',
      query: 'card=4111111111111111&x=1',
      status: 200,
    },
    {
      ...base,
      method: 'GET',
      path: '/billing/pay',
      query: 'a=4111+1111+1111+1111&b=0000000000000000',
    },
    { ...base, method: 'GET', path: '/billing/pay', query: 'n=1234567890123&bad=%E0%A4%A' },
    { ...base, method: 'GET', path: '/admin/x', status: 500 },
    { ...base, method: 'GET', path: '/admin/x', status: 503 },
    { ...base, method: null, path: '/admin/x', status: null },
    { ...base, method: 'PATCH', path: '/admin/x', status: 299 },
  ];
  return rows.map((r, i) => ({ ...r, tsUs: T0 + i * 1e6 }));
}

interface Ways {
  scan: RiskInputs;
  sql: RiskInputs;
  /** As the rebuild's risk step kept them (it runs before the probe). */
  stored: RiskInputs | null;
  protectedIds: number[];
}

function inputsBothWays(db: CaseDb): Ways {
  let got: Ways | undefined;
  const probe: RebuildStep = {
    name: 'probe',
    order: 99,
    run(ctx) {
      const protectedIds = (
        db.prepare('SELECT id FROM endpoints ORDER BY id').all() as { id: number }[]
      ).map((r) => r.id);
      got = {
        scan: riskInputsFromScan(ctx.scan!, ctx.endpoints!),
        sql: riskInputsFromDb(ctx.db, protectedIds),
        stored: storedRiskInputs(ctx.db, protectedIds),
        protectedIds,
      };
    },
  };
  // Detections are not a risk input read here; leaving them out keeps this test about its subject.
  rebuild(db, { steps: [...rebuildSteps.filter((s) => s.name !== 'attack detection'), probe] });
  return got!;
}

function sorted(m: Map<number, unknown>): [number, unknown][] {
  return [...m.entries()]
    .map(([k, v]): [number, unknown] => [k, v instanceof Set ? [...v].sort() : v])
    .sort((a, b) => a[0] - b[0]);
}

describe('risk inputs', () => {
  it('are the same from the rebuild scan as from SQL over the stored tables', () => {
    const db = ws.openCase();
    seedSource(db, 'odd', oddRequests());
    seedSource(db, 'bench', benchRequests(3000));
    // Headers that are not JSON count as absent in both ways.
    db.prepare(`UPDATE requests SET headers = '{not json' WHERE id % 97 = 0`).run();
    // Values that are not strings: a Content-Type object counts as its JSON text (as SQLite's
    // json_extract gives it), a numeric Authorization as present; the scan reads them with one
    // extraction in JS terms, the SQL with one expression each.
    db.prepare(
      `UPDATE requests SET headers = '{"content-type":{"a":[1,"x"]},"authorization":7}'
       WHERE id IN (SELECT id FROM requests WHERE method = 'POST' AND id > 100 ORDER BY id LIMIT 2)`,
    ).run();
    db.prepare(
      `UPDATE requests SET headers = '{"authorization":7}', cookies = NULL
       WHERE id IN (SELECT id FROM requests WHERE status = 200 AND id > 100 ORDER BY id LIMIT 3)`,
    ).run();
    db.prepare(
      `UPDATE requests SET headers = '{"content-type":12,"authorization":null}', cookies = NULL
       WHERE id IN (SELECT id FROM requests WHERE method = 'PUT' AND id > 100 ORDER BY id LIMIT 2)`,
    ).run();
    const { scan, sql, stored, protectedIds } = inputsBothWays(db);
    expect(stored).not.toBeNull();
    for (const k of ['serverErrors', 'bodyTypes', 'anonymousOk', 'cardNumbersInQuery'] as const) {
      expect(sorted(scan[k]), k).toEqual(sorted(sql[k]));
      expect(sorted(stored![k]), k).toEqual(sorted(scan[k]));
    }
    // Kept only for the endpoints of that rebuild: others (or none kept) read the requests.
    expect(storedRiskInputs(db, [...protectedIds, protectedIds.length + 1])).toBeNull();
    expect(storedRiskInputs(db, protectedIds.slice(1))).toBeNull();
    db.exec('DELETE FROM endpoint_risk_inputs');
    expect(storedRiskInputs(db, protectedIds)).toBeNull();
    // The fixture reaches every branch, so the comparison is not vacuous.
    expect([...scan.bodyTypes.values()].flatMap((s) => [...s])).toEqual(
      expect.arrayContaining(['application/json', 'text/xml', '{"a":[1,"x"]}']),
    );
    expect([...scan.cardNumbersInQuery.values()].reduce((a, b) => a + b, 0)).toBe(2);
    expect(scan.serverErrors.size).toBeGreaterThan(0);
    expect(scan.anonymousOk.size).toBeGreaterThan(0);
    db.close();
  });
});
