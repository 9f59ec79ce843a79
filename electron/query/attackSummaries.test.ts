import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { listAttacks, markFalsePositive } from '../api/detectHandlers.js';
import { audit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-attack-summaries-');
  db = ws.openCase();
  seedSource(
    db,
    'attacks',
    Array.from({ length: 40 }, (_, i) => ({
      tsUs: Date.UTC(2024, 0, 1) * 1000 + i * 1e6,
      ip: `10.0.0.${i % 3}`,
      method: 'GET',
      path: i % 2 === 0 ? `/items/${i}` : '/search',
      query:
        i % 2 === 0
          ? `id=${i}'%20union%20select%20password%20from%20users--`
          : `q=%3Cscript%3E${i}`,
      status: 200,
    })),
  );
  rebuild(db);
});
afterEach(() => ws.cleanup());

const summary = (type?: string) => {
  const { types, groups } = listAttacks(db, type === undefined ? undefined : { type });
  return { types, groups };
};

describe('attack summaries', () => {
  it('are counted once per state of the findings, and again after any audited change', () => {
    const first = summary();
    expect(first.types.map((t) => t.type)).toEqual(expect.arrayContaining(['sqli', 'xss']));
    // A change behind the case's back (no audit entry) is not seen: the counts were kept.
    db.prepare("DELETE FROM detections WHERE type = 'xss'").run();
    expect(summary()).toEqual(first);
    // Each kind of input keeps its own counts, computed from the findings as they are now.
    expect(summary('xss').types).toEqual([]);
    // Every change Sessionscope makes is audited with it: the counts are made again.
    audit(db, 'test.change', {});
    expect(summary().types.map((t) => t.type)).not.toContain('xss');
  });

  it('follow a false-positive mark at once', () => {
    const before = summary('sqli').types[0]!;
    const one = listAttacks(db, { type: 'sqli', limit: 1 }).items[0]!;
    markFalsePositive(db, { ruleId: one.ruleId, requestId: one.requestId });
    const after = summary('sqli').types[0]!;
    expect(after.requests).toBe(before.requests - 1);
  });

  it('hand each caller its own copy', () => {
    const a = summary();
    a.types.length = 0;
    a.groups[0]!.requests = -1;
    expect(summary().types.length).toBeGreaterThan(0);
    expect(summary().groups[0]!.requests).toBeGreaterThan(0);
  });
});

describe('attack groups', () => {
  it('name the endpoint of their path, with its template, unless the path is on several hosts', () => {
    const other = ws.openCase('groups');
    const at = (i: number) => Date.UTC(2024, 0, 1) * 1000 + i * 1e6;
    // 25 names under /index.php/ merge into one endpoint /index.php/{name}/search/.
    const rows = Array.from({ length: 25 }, (_, k) => ({
      tsUs: at(k),
      ip: '10.0.0.1',
      method: 'GET',
      host: 'a.example',
      path: `/index.php/c${k}/search/`,
      query: k === 1 ? "id=1'%20union%20select%20password%20from%20users--" : 'q=shoes',
      status: 200,
    }));
    // One path with an attack on two hosts: two endpoints.
    for (const host of ['a.example', 'b.example']) {
      rows.push({
        tsUs: at(rows.length),
        ip: '10.0.0.2',
        method: 'GET',
        host,
        path: '/other',
        query: 'q=%3Cscript%3Ealert(1)%3C/script%3E',
        status: 200,
      });
    }
    seedSource(other, 'groups', rows);
    rebuild(other);
    const { groups } = listAttacks(other, undefined);
    const eid = (
      other
        .prepare("SELECT eid FROM endpoints WHERE host = 'a.example' AND template = ?")
        .get('/index.php/{name}/search/') as { eid: string } | undefined
    )?.eid;
    expect(eid).toMatch(/^e[0-9a-f]{16}$/);
    expect(groups.find((g) => g.type === 'sqli')).toMatchObject({
      method: 'GET',
      // The path as it was: the groups are per path.
      endpoint: '/index.php/c1/search/',
      requests: 1,
      endpointId: eid,
      endpointTemplate: '/index.php/{name}/search/',
    });
    expect(groups.find((g) => g.type === 'xss')).toMatchObject({
      endpoint: '/other',
      requests: 2,
      endpointId: null,
      endpointTemplate: null,
    });
  });
});

describe('attack groups on a host logged in capitals', () => {
  it('name its one endpoint: the spellings of a host are one host', () => {
    const other = ws.openCase('spellings');
    seedSource(
      other,
      'spellings',
      ['Shop.Example', 'shop.example', 'SHOP.EXAMPLE'].map((host, k) => ({
        tsUs: Date.UTC(2024, 0, 1) * 1000 + k * 1e6,
        ip: '10.0.0.2',
        method: 'GET',
        host,
        path: '/other',
        query: 'q=%3Cscript%3Ealert(1)%3C/script%3E',
        status: 200,
      })),
    );
    rebuild(other);
    const eid = other.prepare('SELECT eid FROM endpoints').pluck().all();
    expect(eid).toHaveLength(1);
    expect(listAttacks(other, undefined).groups.find((g) => g.type === 'xss')).toMatchObject({
      endpoint: '/other',
      requests: 3,
      endpointId: eid[0],
      endpointTemplate: '/other',
    });
  });
});

describe('a page of attack groups', () => {
  it('says how many groups there are in all, and pages through them largest first', () => {
    const all = listAttacks(db, {});
    expect(all.groups.length).toBe(2);
    expect(all.groupsTotal).toBe(2);
    const first = listAttacks(db, { groupLimit: 1 });
    expect(first.groups).toEqual([all.groups[0]]);
    expect(first.groupsTotal).toBe(2);
    const second = listAttacks(db, { groupLimit: 1, groupOffset: 1 });
    expect(second.groups).toEqual([all.groups[1]]);
    expect(second.groupsTotal).toBe(2);
    expect(listAttacks(db, { groupOffset: 2 }).groups).toEqual([]);
    // One type's groups are counted on their own.
    expect(listAttacks(db, { type: 'xss' }).groupsTotal).toBe(1);
    // A page of findings alone counts no group.
    expect(listAttacks(db, { summaries: false }).groupsTotal).toBe(0);
  });
});
