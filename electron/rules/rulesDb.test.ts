import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rulesCalls } from '../../shared/contract/rulesApi.js';
import type { FiltersInput } from '../../shared/query/filterModel.js';
import { filtersSchema } from '../../shared/query/filterModel.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { factsWhere } from '../query/filterSql.js';
import { listAudit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';
import { listAttacks, requestDetections } from '../api/detectHandlers.js';
import {
  addRule as addParsed,
  deleteRule,
  listDetectionMarks,
  listRules,
  markDetection,
  unmarkDetection,
  updateRule,
} from './rulesDb.js';

const T0 = Date.UTC(2026, 2, 1, 10) * 1000;
const MIN = 60_000_000;
const req = (i: number, r: Omit<SeedRequest, 'tsUs'>): SeedRequest => ({
  tsUs: T0 + i * MIN,
  host: 'shop.example',
  userAgent: 'Firefox',
  ...r,
});

// Three clients, so sessions (one per IP here) show attack counts moving.
const ROWS: SeedRequest[] = [
  req(1, {
    ip: '10.0.0.1',
    path: '/search',
    query: "q=1'%20union%20select%20password%20from%20users--",
  }),
  req(2, { ip: '10.0.0.1', path: '/search', query: 'q=%3Cscript%3Ealert(1)%3C/script%3E' }),
  req(3, { ip: '10.0.0.2', path: '/search', query: "q=2'%20union%20select%201,2--" }),
  req(4, { ip: '10.0.0.2', path: '/products/42', query: "q=3'%20union%20select%201,2--" }),
  req(5, { ip: '10.0.0.3', path: '/api/cards', query: 'pan=4111111111111111&cvv=123' }),
  req(6, {
    ip: '10.0.0.3',
    path: '/api/cards',
    query: 'pan=5500000000000004',
    userAgent: 'InternalScanner/1.0',
  }),
  req(7, { ip: '10.0.0.3', path: '/home', headers: { 'X-Debug': 'trace-on' } }),
];

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-rules-');
  db = ws.openCase();
  seedSource(db, 'rules.log', ROWS);
  rebuild(db);
});
afterEach(() => ws.cleanup());

/** Request ids (= line numbers here) matching a filter, through the query layer's SQL. */
function matching(f: FiltersInput): number[] {
  const w = factsWhere(db, filtersSchema.parse(f));
  return (
    db
      .prepare(`SELECT f.request_id AS id FROM request_facts f WHERE ${w.sql} ORDER BY 1`)
      .all(...w.params) as { id: number }[]
  ).map((r) => r.id);
}

function sessionAttacks(): number {
  return (db.prepare('SELECT sum(attack_count) AS n FROM sessions').get() as { n: number }).n;
}

/** Everything the case counts about attacks, in one comparable value. */
function counts() {
  const list = listAttacks(db, { limit: 1000 });
  return {
    types: list.types.map((t) => [t.type, t.requests, t.detections]),
    items: list.items.map((d) => d.id),
    groups: list.groups.map((g) => [g.type, g.endpoint, g.requests]),
    sqli: matching({ attackTypes: ['sqli'] }),
    sessions: sessionAttacks(),
    risk: db.prepare('SELECT eid, score, factors FROM endpoint_risk ORDER BY eid').all(),
  };
}

/** Rules are added as the contract parses them (labels folded to lower case). */
const addRule = (d: CaseDb, input: unknown) => addParsed(d, rulesCalls.addRule.input.parse(input));

const findings = (requestId: number) => requestDetections(db, requestId);
const counted = (requestId: number) =>
  findings(requestId).filter((d) => d.verdict !== 'false_positive');

describe('false positives', () => {
  it('round trip through rebuild: gone from counts, filters and lists, kept on the request, undone', () => {
    const before = counts();
    expect(before.sqli).toContain(1);
    // Mark every finding on request 1 a false positive on that request only.
    for (;;) {
      const open = counted(1).filter((d) => d.source === 'engine');
      if (open.length === 0) break;
      markDetection(db, {
        detectionId: open[0]!.id,
        verdict: 'false_positive',
        scope: 'request',
        note: 'customer pentest',
      });
    }
    const after = counts();
    expect(after.sqli).not.toContain(1);
    expect(after.sqli).toContain(3);
    expect(after.items.length).toBeLessThan(before.items.length);
    // Session counts are requests with a counted finding: request 1 no longer is one.
    expect(after.sessions).toBe(before.sessions - 1);
    expect(listAttacks(db, { limit: 1000 }).items.some((d) => d.requestId === 1)).toBe(false);
    // Still on the request, with the mark and its note.
    const shown = findings(1);
    expect(shown.length).toBeGreaterThan(0);
    for (const d of shown) {
      expect(d).toMatchObject({ verdict: 'false_positive', ruleRef: null });
      expect(d.verdictNote).toBe('customer pentest');
      expect(d.markId).toEqual(expect.any(Number));
    }
    // A rebuild keeps it so.
    rebuild(db);
    expect(counts()).toEqual(after);
    // Undo every mark: the case is as before.
    for (const m of listDetectionMarks(db, 1)) unmarkDetection(db, m.id);
    expect(counts()).toEqual(before);
    expect(findings(1).every((d) => d.verdict === null)).toBe(true);
  });

  it('a session with only false positives counts no attacks', () => {
    const sessionOf = (id: number) =>
      (
        db
          .prepare(
            `SELECT s.attack_count AS n FROM sessions s JOIN request_facts f ON f.session_id = s.id
             WHERE f.request_id = ?`,
          )
          .get(id) as { n: number }
      ).n;
    expect(sessionOf(3)).toBe(2);
    addRule(db, { kind: 'suppress', scope: 'type', type: 'sqli' });
    expect(sessionOf(3)).toBe(0);
    expect(matching({ attackTypes: ['sqli'] })).toEqual([]);
  });

  it('scope signature: that rule, on this endpoint and parameter', () => {
    const f = counted(1).find((d) => d.type === 'sqli')!;
    const r = markDetection(db, {
      detectionId: f.id,
      verdict: 'false_positive',
      scope: 'signature',
    });
    expect(r.ruleRef).toEqual(expect.any(Number));
    expect(listRules(db)).toMatchObject([
      {
        id: r.ruleRef,
        kind: 'suppress',
        scope: 'signature',
        ruleId: f.ruleId,
        endpoint: { method: 'GET', host: 'shop.example', template: '/search' },
        param: 'q',
      },
    ]);
    for (const id of [1, 3]) expect(counted(id).map((d) => d.ruleId)).not.toContain(f.ruleId);
    const elsewhere = findings(4).filter((d) => d.ruleId === f.ruleId);
    expect(elsewhere.length).toBeGreaterThan(0);
    expect(elsewhere.every((d) => d.verdict === null)).toBe(true);
    const hidden = findings(3).find((d) => d.ruleId === f.ruleId)!;
    expect(hidden).toMatchObject({ verdict: 'false_positive', ruleRef: r.ruleRef, markId: null });
    // Undo = delete the rule.
    deleteRule(db, r.ruleRef!);
    expect(counted(3).map((d) => d.ruleId)).toContain(f.ruleId);
  });

  it('a rule naming its endpoint host in capitals hides findings on that endpoint', () => {
    // As a rule saved when the endpoint kept the log's spelling (hosts now fold to lower case).
    const sqli = counted(1).find((d) => d.type === 'sqli')!;
    addRule(db, {
      kind: 'suppress',
      scope: 'signature',
      ruleId: sqli.ruleId,
      endpoint: { method: 'GET', host: 'Shop.EXAMPLE', template: '/search' },
    });
    for (const id of [1, 3]) expect(counted(id).map((d) => d.ruleId)).not.toContain(sqli.ruleId);
    expect(counted(4).some((d) => d.ruleId === sqli.ruleId)).toBe(true);
  });

  it('scope type and all on the endpoint; widened to any endpoint; source labels kept', () => {
    db.prepare("UPDATE requests SET src_label = 'SQL Injection' WHERE id = 3").run();
    rebuild(db);
    const sqli = counted(1).find((d) => d.type === 'sqli')!;
    markDetection(db, { detectionId: sqli.id, verdict: 'false_positive', scope: 'type' });
    expect(counted(3).filter((d) => d.type === 'sqli' && d.source === 'engine')).toEqual([]);
    expect(counted(2).some((d) => d.type === 'xss')).toBe(true);
    // The source's own label on request 3 is its verdict, not ours to suppress by type.
    expect(matching({ attackTypes: ['sqli'] })).toEqual([3, 4]);
    expect(counted(3).map((d) => d.source)).toEqual(['source-label']);
    const label = counted(3)[0]!;
    expect(() =>
      markDetection(db, { detectionId: label.id, verdict: 'false_positive', scope: 'all' }),
    ).toThrow(/source's label/);
    const xss = counted(2).find((d) => d.type === 'xss')!;
    markDetection(db, { detectionId: xss.id, verdict: 'false_positive', scope: 'all' });
    expect(counted(2)).toEqual([]);
    expect(counted(4).length).toBeGreaterThan(0);
    const other = counted(4).find((d) => d.type === 'sqli')!;
    markDetection(db, {
      detectionId: other.id,
      verdict: 'false_positive',
      scope: 'type',
      anyEndpoint: true,
    });
    expect(matching({ attackTypes: ['sqli'] })).toEqual([3]);
    expect(listRules(db).at(-1)).toMatchObject({ scope: 'type', type: 'sqli', endpoint: null });
  });

  it('marking a finding the same way twice names the one rule, so one undo restores it', () => {
    const sqli = counted(1).find((d) => d.type === 'sqli')!;
    const rulesBefore = listRules(db).length;
    const first = markDetection(db, {
      detectionId: sqli.id,
      verdict: 'false_positive',
      scope: 'type',
    });
    const again = markDetection(db, {
      detectionId: sqli.id,
      verdict: 'false_positive',
      scope: 'type',
    });
    expect(again.ruleRef).toBe(first.ruleRef);
    expect(listRules(db).length).toBe(rulesBefore + 1);
    expect(counted(1).some((d) => d.type === 'sqli')).toBe(false);
    deleteRule(db, first.ruleRef!);
    expect(counted(1).some((d) => d.type === 'sqli')).toBe(true);
    // Another scope is another rule.
    const sig = markDetection(db, {
      detectionId: sqli.id,
      verdict: 'false_positive',
      scope: 'signature',
    });
    expect(sig.ruleRef).not.toBe(first.ruleRef);
  });

  it('a rule saved under a capitalised host is the same rule as its folded endpoint', () => {
    const sqli = counted(1).find((d) => d.type === 'sqli')!;
    const mark = { detectionId: sqli.id, verdict: 'false_positive', scope: 'type' } as const;
    const first = markDetection(db, mark);
    // As a rule saved before endpoint hosts were folded holds it (DNS names ignore case).
    db.prepare('UPDATE rules SET host = upper(host) WHERE id = ?').run(first.ruleRef);
    const host = listRules(db).find((r) => r.id === first.ruleRef)!.endpoint!.host;
    expect(host).toMatch(/[A-Z]/);
    const rulesBefore = listRules(db).length;
    expect(markDetection(db, mark).ruleRef).toBe(first.ruleRef);
    expect(listRules(db).length).toBe(rulesBefore);
  });

  it('a true positive is shown, changes no count, and exempts its finding from suppress rules', () => {
    const before = counts();
    const f = counted(3).find((d) => d.type === 'sqli')!;
    const r = markDetection(db, { detectionId: f.id, verdict: 'true_positive', scope: 'request' });
    expect(counts()).toEqual(before);
    expect(findings(3).find((d) => d.ruleId === f.ruleId)).toMatchObject({
      verdict: 'true_positive',
      markId: r.markId,
    });
    addRule(db, { kind: 'suppress', scope: 'all' });
    expect(counted(3).map((d) => d.ruleId)).toEqual([f.ruleId]);
    // Marking again replaces the verdict (one verdict per finding).
    const again = findings(3).find((d) => d.ruleId === f.ruleId)!;
    markDetection(db, { detectionId: again.id, verdict: 'false_positive', scope: 'request' });
    expect(listDetectionMarks(db, 3)).toMatchObject([{ verdict: 'false_positive' }]);
    expect(counted(3)).toEqual([]);
  });

  it('refuses a rule-scoped true positive, unknown findings and unknown marks', () => {
    expect(
      rulesCalls.markDetection.input.safeParse({
        detectionId: 1,
        verdict: 'true_positive',
        scope: 'type',
      }).success,
    ).toBe(false);
    expect(() =>
      markDetection(db, { detectionId: 99_999, verdict: 'false_positive', scope: 'request' }),
    ).toThrow(/No finding/);
    expect(() => unmarkDetection(db, 4242)).toThrow(/No mark/);
  });
});

describe('custom rules', () => {
  it('a detect rule names an attack type, is counted and filterable, and obeys enable/disable/delete', () => {
    const { id } = addRule(db, {
      kind: 'detect',
      field: 'param',
      fieldName: 'pan',
      match: 'regex',
      pattern: '^4\\d{15}$',
      type: 'card_testing',
      note: 'Visa test numbers',
    });
    expect(matching({ attackTypes: ['card_testing'] })).toEqual([5]);
    const f = findings(5).find((d) => d.type === 'card_testing')!;
    expect(f).toMatchObject({
      source: 'custom',
      ruleId: `custom.${id}`,
      location: 'query',
      param: 'pan',
      fragment: '4111111111111111',
      verdict: null,
    });
    expect(listAttacks(db, { type: 'card_testing' }).types).toMatchObject([
      { type: 'card_testing', requests: 1, custom: 1 },
    ]);
    updateRule(db, { id, enabled: false });
    expect(matching({ attackTypes: ['card_testing'] })).toEqual([]);
    updateRule(db, { id, enabled: true });
    expect(matching({ attackTypes: ['card_testing'] })).toEqual([5]);
    // Edit: any card number.
    updateRule(db, {
      id,
      rule: {
        kind: 'detect',
        field: 'param',
        fieldName: 'pan',
        match: 'regex',
        pattern: '^\\d{16}$',
        type: 'card_testing',
      },
    });
    expect(matching({ attackTypes: ['card_testing'] })).toEqual([5, 6]);
    // A custom finding can be marked like a built-in one.
    const six = findings(6).find((d) => d.type === 'card_testing')!;
    markDetection(db, { detectionId: six.id, verdict: 'false_positive', scope: 'request' });
    expect(matching({ attackTypes: ['card_testing'] })).toEqual([5]);
    deleteRule(db, id);
    expect(matching({ attackTypes: ['card_testing'] })).toEqual([]);
    expect(listRules(db)).toEqual([]);
  });

  it('a tag rule labels requests, filterable, ignored when disabled', () => {
    const ua = addRule(db, {
      kind: 'tag',
      field: 'ua',
      match: 'literal',
      pattern: 'internalscanner',
      label: 'Internal',
    });
    addRule(db, {
      kind: 'tag',
      field: 'header',
      fieldName: 'X-Debug',
      match: 'literal',
      pattern: 'trace',
      label: 'debug',
    });
    expect(listRules(db, 'tag').map((r) => r.label)).toEqual(['internal', 'debug']);
    expect(matching({ tags: ['internal'] })).toEqual([6]);
    expect(matching({ tags: ['debug'] })).toEqual([7]);
    expect(matching({ tags: ['internal', 'debug'] })).toEqual([6, 7]);
    expect(matching({ tags: ['INTERNAL'], ips: ['10.0.0.3'] })).toEqual([6]);
    updateRule(db, { id: ua.id, enabled: false });
    expect(matching({ tags: ['internal'] })).toEqual([]);
    expect(matching({ tags: ['debug'] })).toEqual([7]);
  });

  it('lists a stored pattern the compiler now refuses as not applied, with the reason', () => {
    // A row as an older build (or a hand-edited case) may hold: saving it today is refused.
    const stored = db.prepare(
      `INSERT INTO rules (kind, enabled, field, match, pattern, type, label, created_at, updated_at)
       VALUES (?, ?, 'query', 'regex', ?, ?, ?, '2026-01-01', '2026-01-01')`,
    );
    const broken = stored.run('detect', 1, '(union)\\s+\\1', 'old_sqli', null).lastInsertRowid;
    const off = stored.run('tag', 0, '(?=x)y', null, 'old_tag').lastInsertRowid;
    const good = stored.run('detect', 1, 'union', 'plain_union', null).lastInsertRowid;
    rebuild(db);
    // The rebuild runs the others and leaves it out (it cannot run it) ...
    expect(matching({ attackTypes: ['plain_union'] })).toEqual([1, 3, 4]);
    expect(matching({ attackTypes: ['old_sqli'] })).toEqual([]);
    // ... and the list says so, where the CLI and the Rules view read it.
    const notApplied = new Map(listRules(db).map((r) => [r.id, r.notApplied]));
    expect(notApplied.get(Number(broken))).toBe(
      'the pattern does not compile: backreferences are not supported',
    );
    expect(notApplied.get(Number(good))).toBeNull();
    // A rule that is off is not applied anyway.
    expect(notApplied.get(Number(off))).toBeNull();
  });

  it('lists a stored pattern over the work budget as not applied and leaves it out', () => {
    // Saved before the budget was checked: it compiles, but saving it today is refused.
    const costly = 'union.{0,100}.{0,100}.{0,100}select';
    const input = { kind: 'detect', field: 'query', match: 'regex', type: 'x' };
    expect(rulesCalls.addRule.input.safeParse({ ...input, pattern: costly }).success).toBe(false);
    const stored = db.prepare(
      `INSERT INTO rules (kind, enabled, field, match, pattern, type, label, created_at, updated_at)
       VALUES (?, 1, 'query', 'regex', ?, ?, ?, '2026-01-01', '2026-01-01')`,
    );
    const slow = stored.run('detect', costly, 'old_costly', null).lastInsertRowid;
    const slowTag = stored.run('tag', costly, null, 'old_costly_tag').lastInsertRowid;
    const cheap = stored.run('detect', 'union.{0,20}select', 'union_select', null).lastInsertRowid;
    rebuild(db);
    expect(matching({ attackTypes: ['union_select'] })).toEqual([1, 3, 4]);
    expect(matching({ attackTypes: ['old_costly'] })).toEqual([]);
    expect(matching({ tags: ['old_costly_tag'] })).toEqual([]);
    const notApplied = new Map(listRules(db).map((r) => [r.id, r.notApplied]));
    const reason =
      'the pattern is too costly on texts of up to 4 KiB: size 612, at most 512 there ' +
      '(a counted repeat {m,n} copies its part n times; + and * do not); edit it';
    expect(notApplied.get(Number(slow))).toBe(reason);
    expect(notApplied.get(Number(slowTag))).toBe(reason);
    expect(notApplied.get(Number(cheap))).toBeNull();
  });

  it('refuses patterns that cannot run safely and incomplete definitions', () => {
    const parse = (v: unknown) => rulesCalls.addRule.input.safeParse(v);
    const base = { kind: 'detect', field: 'path', match: 'regex', type: 'x' };
    expect(parse({ ...base, pattern: '(a+)\\1' }).success).toBe(false);
    expect(parse({ ...base, pattern: '(?=a)' }).success).toBe(false);
    expect(parse({ ...base, pattern: '(a+)+$' }).success).toBe(true);
    expect(parse({ ...base, field: 'header', pattern: 'a' }).success).toBe(false);
    expect(parse({ ...base, pattern: 'a', type: "x'; drop" }).success).toBe(false);
    expect(parse({ kind: 'suppress', scope: 'signature' }).success).toBe(false);
    expect(parse({ kind: 'suppress', scope: 'all', ruleId: 'sqli.x' }).success).toBe(false);
    expect(() => updateRule(db, { id: 77, enabled: false })).toThrow(/No rule/);
  });
});

describe('audit', () => {
  it('every change is in the audit log with its time', () => {
    const f = counted(1).find((d) => d.type === 'sqli')!;
    const mark = markDetection(db, {
      detectionId: f.id,
      verdict: 'false_positive',
      scope: 'request',
    });
    unmarkDetection(db, mark.markId!);
    const rule = markDetection(db, { detectionId: f.id, verdict: 'false_positive', scope: 'type' });
    updateRule(db, { id: rule.ruleRef!, enabled: false });
    updateRule(db, { id: rule.ruleRef!, enabled: true });
    updateRule(db, { id: rule.ruleRef!, note: 'reviewed' });
    deleteRule(db, rule.ruleRef!);
    const trail = listAudit(db).filter((a) => /^(rule|detection)\./.test(a.action));
    expect(trail.map((a) => a.action)).toEqual([
      'detection.mark',
      'detection.unmark',
      'rule.add',
      'rule.disable',
      'rule.enable',
      'rule.update',
      'rule.delete',
    ]);
    for (const a of trail) expect(Date.parse(a.at)).not.toBeNaN();
    expect(trail[0]!.details).toMatchObject({
      id: mark.markId,
      requestId: 1,
      ruleId: f.ruleId,
      verdict: 'false_positive',
    });
    expect(trail[2]!.details).toMatchObject({
      id: rule.ruleRef,
      kind: 'suppress',
      scope: 'type',
      type: 'sqli',
      fromRequest: 1,
    });
    expect(trail[6]!.details).toMatchObject({ id: rule.ruleRef, rule: { note: 'reviewed' } });
  });
});
