import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectCalls } from '../../shared/contract/detectApi.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { detectStep } from '../analysis/detectStep.js';
import { attacksCommand } from '../cli/commands/attacksCmd.js';
import type { CaseDb } from '../store/openCase.js';
import { listAudit } from '../store/auditLog.js';
import { addRule } from '../rules/rulesDb.js';
import {
  listAttacks,
  listFpMarks,
  markFalsePositive,
  requestDetections,
  unmarkFalsePositive,
} from './detectHandlers.js';

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;

beforeEach(() => {
  ws = tempWorkspace();
  db = ws.openCase();
  const src = db
    .prepare(
      `INSERT INTO sources (path_given, file_name, size_bytes, sha256, format, parser_options,
        imported_at, status) VALUES ('x', 'x', 0, 'x', 'test', '{}', '2026-01-01', 'complete')`,
    )
    .run().lastInsertRowid;
  const ins = db.prepare(`INSERT INTO requests (source_id, line_no, ts_us, method, path, query,
      src_label) VALUES (?, ?, ?, 'GET', ?, ?, ?)`);
  ins.run(src, 1, 1, '/users/17/orders', 'q=1%27%20or%20%271%27%3D%271', null);
  ins.run(src, 2, 2, '/users/42/orders', 'q=%27%20union%20select%201--', null);
  ins.run(src, 3, 3, '/search', 'q=%3Cscript%3Ealert(1)%3C/script%3E', 'xss');
  ins.run(src, 4, 4, '/home', 'page=2', null);
  detectStep(db);
});
afterEach(() => ws.cleanup());

describe('detection handlers', () => {
  it('groups by type and endpoint with ids folded', () => {
    const r = listAttacks(db, undefined);
    const sqli = r.groups.find((g) => g.type === 'sqli')!;
    expect(sqli.endpoint).toBe('/users/{id}/orders');
    expect(sqli.requests).toBe(2);
    expect(sqli.exampleRequestId).toBe(1);
    // Findings and rules of both paths, as the detections table holds them.
    const stored = db
      .prepare(
        "SELECT rule_id AS ruleId FROM detections WHERE type = 'sqli' AND request_id IN (1, 2)",
      )
      .all() as { ruleId: string }[];
    expect(sqli.detections).toBe(stored.length);
    expect(sqli.rules).toEqual([...new Set(stored.map((x) => x.ruleId))].sort());
    expect(r.types.find((t) => t.type === 'xss')).toMatchObject({ requests: 1, sourceLabel: 1 });
    expect(r.items.every((d) => d.requestId !== 4)).toBe(true);
  });

  it('gives only the page of findings when asked for no summaries', () => {
    const all = listAttacks(db, { limit: 2 });
    const page = listAttacks(db, { limit: 2, summaries: false });
    expect(all.types.length).toBeGreaterThan(0);
    expect([page.types, page.groups]).toEqual([[], []]);
    expect(page.items).toEqual(all.items);
    expect(page.nextCursor).toBe(all.nextCursor);
  });

  it('filters by type and source and pages by cursor', () => {
    const xss = listAttacks(db, { type: 'xss', source: 'engine' });
    expect(xss.items.length).toBeGreaterThan(0);
    expect(xss.items.every((d) => d.type === 'xss' && d.source === 'engine')).toBe(true);
    const first = listAttacks(db, { limit: 1 });
    expect(first.items).toHaveLength(1);
    const next = listAttacks(db, { limit: 1, cursor: first.nextCursor! });
    expect(next.items[0]!.id).toBeGreaterThan(first.items[0]!.id);
  });

  it('lists one request’s findings, source labels last', () => {
    const ds = requestDetections(db, 3);
    expect(ds.at(-1)).toMatchObject({ source: 'source-label', type: 'xss', fragment: 'xss' });
    expect(ds[0]).toMatchObject({ source: 'engine', location: 'query', param: 'q' });
    expect(requestDetections(db, 4)).toEqual([]);
  });

  it('validates input with the contract schema', () => {
    expect(detectCalls.listAttacks.input.safeParse({ type: "x' or 1" }).success).toBe(false);
    // Investigators name custom types, so any lowercase identifier is a type.
    expect(detectCalls.listAttacks.input.safeParse({ type: 'card_testing' }).success).toBe(true);
    expect(detectCalls.listAttacks.input.safeParse({ cursor: '1; drop' }).success).toBe(false);
    expect(detectCalls.requestDetections.input.safeParse({ requestId: -1 }).success).toBe(false);
    expect(detectCalls.listAttacks.input.safeParse({ type: 'labelled' }).success).toBe(true);
  });
});

describe('false-positive marks', () => {
  /** Rule ids of the findings that count (false positives are listed, marked, apart). */
  const rulesOn = (id: number) =>
    requestDetections(db, id)
      .filter((d) => d.verdict !== 'false_positive')
      .map((d) => d.ruleId);

  it('set a rule aside on one request, survive rebuilds, and are audited and reversible', () => {
    expect(rulesOn(1)).toContain('sqli.tautology');
    const { id } = markFalsePositive(db, { ruleId: 'sqli.tautology', requestId: 1, note: 'test' });
    expect(rulesOn(1)).not.toContain('sqli.tautology');
    expect(requestDetections(db, 1).find((d) => d.ruleId === 'sqli.tautology')).toMatchObject({
      verdict: 'false_positive',
      markId: id,
      ruleRef: null,
      verdictNote: 'test',
    });
    expect(
      listAttacks(db, undefined).items.some(
        (d) => d.requestId === 1 && d.ruleId === 'sqli.tautology',
      ),
    ).toBe(false);
    expect(listFpMarks(db)).toMatchObject([{ id, ruleId: 'sqli.tautology', requestId: 1 }]);
    detectStep(db);
    expect(rulesOn(1)).not.toContain('sqli.tautology');
    expect(listAudit(db).map((a) => a.action)).toContain('detection.fp-mark');
    unmarkFalsePositive(db, id);
    expect(rulesOn(1)).toContain('sqli.tautology');
    expect(listAudit(db).map((a) => a.action)).toContain('detection.fp-unmark');
  });

  it('set a rule aside everywhere, or only on one parameter, through suppress rules', () => {
    addRule(db, { kind: 'suppress', scope: 'signature', ruleId: 'xss.script-tag', param: 'other' });
    expect(rulesOn(3)).toContain('xss.script-tag');
    addRule(db, { kind: 'suppress', scope: 'signature', ruleId: 'xss.script-tag' });
    expect(rulesOn(3)).not.toContain('xss.script-tag');
    // The source's own label is not hidden by a rule on our signatures.
    expect(
      requestDetections(db, 3).some((d) => d.source === 'source-label' && d.verdict === null),
    ).toBe(true);
  });

  it('refuse unknown requests and marks', () => {
    expect(() => markFalsePositive(db, { ruleId: 'xss.script-tag', requestId: 999 })).toThrow(
      /No request/,
    );
    expect(() => unmarkFalsePositive(db, 12345)).toThrow(/No false-positive mark/);
    expect(
      detectCalls.markFalsePositive.input.safeParse({ ruleId: "x'; drop", requestId: 1 }).success,
    ).toBe(false);
    expect(detectCalls.markFalsePositive.input.safeParse({ ruleId: 'sqli.x' }).success).toBe(false);
  });
});

describe('attacks command', () => {
  it('prints groups and a list, and JSON', async () => {
    const file = db.name;
    db.close();
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: () => {}, errIsTty: false };
    expect(await attacksCommand.run({ positionals: [file], values: {} }, io)).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('/users/{id}/orders');
    expect(text).toContain('sqli.tautology');
    out.length = 0;
    await attacksCommand.run({ positionals: [file], values: { json: true, type: 'sqli' } }, io);
    const json = JSON.parse(out.join('\n')) as { items: { type: string }[] };
    expect(json.items.every((d) => d.type === 'sqli')).toBe(true);
    await expect(
      attacksCommand.run({ positionals: [file], values: { type: "nope'; --" } }, io),
    ).rejects.toThrow(/--type/);
  });
});
