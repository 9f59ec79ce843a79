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
