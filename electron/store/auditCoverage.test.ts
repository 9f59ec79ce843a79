import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EndpointSummary, SessionPage } from '../../shared/contract/analysisApi.js';
import type { AuditEntryInfo, AuditPage } from '../../shared/contract/auditApi.js';
import type { ImportDoneEvent } from '../../shared/contract/caseApi.js';
import type { AttackList, FpMarkResult } from '../../shared/contract/detectApi.js';
import type { RuleChangeResult } from '../../shared/contract/rulesApi.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { createBackend, type Backend } from '../api/backend.js';
import { dispatch } from '../api/dispatch.js';
import { inProcessRunner } from '../api/importRunner.js';
import { cli } from '../../test/runCliCapture.js';

/**
 * Every action that changes the analysis or the handling of evidence leaves an entry in the
 * case's audit trail with its time and what it did: performed through the same entry points
 * the app and the CLI use, then read back through the listAudit call and `audit --json`.
 */

const line = (i: number, req: string, ua = 'Firefox'): string =>
  `10.0.0.${i % 3} - - [01/Mar/2024:10:${String(i).padStart(2, '0')}:00 +0000] "${req} HTTP/1.1" 200 512 "-" "${ua}"`;

const LOG =
  [
    line(1, 'GET /login'),
    line(2, 'POST /login'),
    line(3, "GET /search?q=1'%20union%20select%20password%20from%20users--"),
    line(4, 'GET /admin/users/42'),
    line(5, 'GET /admin/users/43'),
    'not a request line',
  ].join('\n') + '\n';

const SPEC = `openapi: 3.0.0
info: { title: Shop, version: "2.1" }
paths:
  /login:
    post: { responses: { "200": { description: ok } } }
`;

let ws: ReturnType<typeof tempWorkspace>;
let backend: Backend | undefined;
beforeEach(() => {
  ws = tempWorkspace('ss-audit-');
});
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
  ws.cleanup();
});

async function ok<T>(name: string, input: unknown): Promise<T> {
  const r = await dispatch(name, input, backend!.ctx);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

/** The whole trail through the contract, in small pages so the keyset is exercised. */
async function trail(action?: string): Promise<AuditEntryInfo[]> {
  const all: AuditEntryInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await ok<AuditPage>('listAudit', {
      limit: 2,
      ...(cursor ? { cursor } : {}),
      ...(action ? { action } : {}),
    });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

/** The entries added since `before`, each checked for a real, recent time. */
function added(before: AuditEntryInfo[], after: AuditEntryInfo[], t0: number): AuditEntryInfo[] {
  const fresh = after.slice(before.length);
  expect(after.slice(0, before.length)).toEqual(before);
  for (const e of fresh) {
    expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(Date.parse(e.at)).toBeGreaterThanOrEqual(t0 - 1000);
    expect(Date.parse(e.at)).toBeLessThanOrEqual(Date.now() + 1000);
  }
  return fresh;
}

function one(entries: AuditEntryInfo[], action: string): AuditEntryInfo {
  const found = entries.filter((e) => e.action === action);
  expect(
    found.map((e) => e.action),
    `one ${action} in ${JSON.stringify(entries)}`,
  ).toEqual([action]);
  return found[0]!;
}

describe('audit coverage through dispatch', () => {
  it('import, settings + rebuild, flow tag, false-positive mark/unmark, rule changes, verdict reviews, spec load and source removal are each audited', async () => {
    backend = createBackend({
      mode: 'browser',
      userDataDir: path.join(ws.dir, 'userdata'),
      demoCaptureDir: path.join(ws.dir, 'no-demo'),
      runner: inProcessRunner,
    });
    const t0 = Date.now();
    await ok('createCase', { path: path.join(ws.dir, 'c.sscase') });
    let seen = await trail();

    // Import.
    const log = ws.file('access.log', LOG);
    const done = new Promise<ImportDoneEvent>((resolve) => {
      const off = backend!.ctx.events.subscribe((event, payload) => {
        if (event !== 'importDone') return;
        off();
        resolve(payload as ImportDoneEvent);
      });
    });
    await ok('startImport', { paths: [log] });
    const imported = await done;
    expect(imported.error).toBeNull();
    const source = imported.result!.sources[0]!;
    let now = await trail();
    const imp = one(added(seen, now, t0), 'import');
    expect(imp.details).toMatchObject({
      sourceId: source.sourceId,
      file: log,
      sha256: source.sha256,
      format: 'combined',
      lines: 6,
      accepted: 5,
      rejected: 1,
    });
    seen = now;

    // Rebuild with new settings: the change (before and after) and the rebuild it caused.
    await ok('setSettings', { settings: { inactivityTimeoutMin: 7 } });
    now = await trail();
    let fresh = added(seen, now, t0);
    const settings = one(fresh, 'analysis.settings');
    expect(settings.details).toMatchObject({
      before: { inactivityTimeoutMin: 30 },
      after: { inactivityTimeoutMin: 7 },
    });
    expect(one(fresh, 'analysis.rebuild').details).toMatchObject({ requests: 5 });
    seen = now;

    // A flow tag on an endpoint, added then removed.
    const endpoints = await ok<EndpointSummary[]>('listEndpoints', {});
    const admin = endpoints.find((e) => e.template.startsWith('/admin/users'))!;
    expect(admin).toBeDefined();
    await ok('setEndpointFlow', { endpointId: admin.id, flow: 'Billing', action: 'add' });
    await ok('setEndpointFlow', { endpointId: admin.id, flow: 'Billing', action: 'remove' });
    now = await trail();
    fresh = added(seen, now, t0);
    expect(fresh.map((e) => [e.action, e.details.action])).toEqual([
      ['analysis.endpointFlow', 'add'],
      ['analysis.endpointFlow', 'remove'],
    ]);
    expect(fresh[0]!.details).toMatchObject({
      endpoint: admin.id,
      method: 'GET',
      template: admin.template,
      flow: 'Billing',
    });
    seen = now;

    // A false-positive mark on a real finding, then its removal.
    const attacks = await ok<AttackList>('listAttacks', {});
    const finding = attacks.items[0]!;
    expect(finding).toBeDefined();
    const mark = await ok<FpMarkResult>('markFalsePositive', {
      ruleId: finding.ruleId,
      requestId: finding.requestId,
      note: 'scanner run by the customer',
    });
    now = await trail();
    fresh = added(seen, now, t0);
    expect(one(fresh, 'detection.fp-mark').details).toEqual({
      id: mark.id,
      ruleId: finding.ruleId,
      requestId: finding.requestId,
      note: 'scanner run by the customer',
    });
    seen = now;
    await ok('unmarkFalsePositive', { id: mark.id });
    now = await trail();
    fresh = added(seen, now, t0);
    expect(one(fresh, 'detection.fp-unmark').details).toEqual({ id: mark.id });
    seen = now;

    // An investigator rule: added, disabled, deleted.
    const rule = await ok<RuleChangeResult>('addRule', {
      kind: 'tag',
      field: 'path',
      match: 'literal',
      pattern: '/admin/',
      label: 'admin-area',
    });
    await ok('updateRule', { id: rule.id, enabled: false });
    await ok('deleteRule', { id: rule.id });
    now = await trail();
    fresh = added(seen, now, t0);
    expect(fresh.filter((e) => e.action.startsWith('rule.')).map((e) => e.action)).toEqual([
      'rule.add',
      'rule.disable',
      'rule.delete',
    ]);
    expect(one(fresh, 'rule.add').details).toMatchObject({ id: rule.id, label: 'admin-area' });
    seen = now;

    // A session's behavioural verdict confirmed, then the review cleared.
    const sessionId = (await ok<SessionPage>('listSessions', {})).sessions[0]!.id;
    await ok('reviewVerdict', { sessionId, decision: 'confirm', note: 'seen on the firewall' });
    await ok('reviewVerdict', { sessionId, decision: 'clear' });
    now = await trail();
    fresh = added(seen, now, t0);
    expect(one(fresh, 'verdict.confirm').details).toMatchObject({
      session: sessionId,
      note: 'seen on the firewall',
      previous: null,
    });
    expect(one(fresh, 'verdict.clear').details).toMatchObject({
      session: sessionId,
      previous: 'confirmed',
    });
    seen = now;

    // A spec load.
    const spec = ws.file('shop.yaml', SPEC);
    await ok('loadSpec', { path: spec });
    now = await trail();
    fresh = added(seen, now, t0);
    expect(one(fresh, 'spec.load').details).toMatchObject({
      file: spec,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      title: 'Shop',
      version: '2.1',
      operations: 1,
    });
    seen = now;

    // Removal of the source: what was removed, identified by its hash.
    await ok('removeSource', { sourceId: source.sourceId });
    now = await trail();
    fresh = added(seen, now, t0);
    expect(one(fresh, 'source.remove').details).toMatchObject({
      sourceId: source.sourceId,
      file: log,
      sha256: source.sha256,
      accepted: 5,
      rejected: 1,
    });

    // The action filter takes a whole name or a dotted prefix, never a partial word.
    const analysis = await trail('analysis');
    expect(new Set(analysis.map((e) => e.action))).toEqual(
      new Set(['analysis.settings', 'analysis.rebuild', 'analysis.endpointFlow']),
    );
    expect(await trail('analys')).toEqual([]);
    expect(await trail('import')).toHaveLength(1);
  });

  it('refuses malformed listAudit input', async () => {
    backend = createBackend({
      mode: 'browser',
      userDataDir: path.join(ws.dir, 'userdata'),
      demoCaptureDir: path.join(ws.dir, 'no-demo'),
      runner: inProcessRunner,
    });
    await ok('createCase', { path: path.join(ws.dir, 'c.sscase') });
    for (const input of [{ cursor: '1 OR 1=1' }, { limit: 0 }, { action: "x' --" }, { x: 1 }]) {
      const r = await dispatch('listAudit', input, backend.ctx);
      expect(r.ok || r.error.code, JSON.stringify(input)).toBe('BAD_INPUT');
    }
  });
});

describe('audit coverage through the CLI', () => {
  it('import, rebuild --settings and spec are audited; audit --json and text show them', async () => {
    const t0 = Date.now();
    const casePath = path.join(ws.dir, 'cli.sscase');
    const log = ws.file('access.log', LOG);
    expect((await cli('import', casePath, log, '--json')).code).toBe(0);
    const settings = ws.file('settings.json', JSON.stringify({ maxSessionHours: 2 }));
    expect((await cli('rebuild', casePath, '--settings', settings)).code).toBe(0);
    const spec = ws.file('shop.yaml', SPEC);
    expect((await cli('spec', casePath, spec)).code).toBe(0);

    const res = await cli('audit', casePath, '--json');
    expect(res.code).toBe(0);
    const { entries } = JSON.parse(res.out) as { entries: AuditEntryInfo[] };
    for (const e of entries) expect(Object.keys(e)).toEqual(['id', 'at', 'action', 'details']);
    const fresh = added([], entries, t0);
    const actions = fresh.map((e) => e.action);
    for (const a of ['import', 'analysis.settings', 'analysis.rebuild', 'spec.load']) {
      expect(actions, a).toContain(a);
    }
    expect(fresh.find((e) => e.action === 'import')!.details).toMatchObject({
      file: log,
      accepted: 5,
    });
    expect(fresh.find((e) => e.action === 'analysis.settings')!.details).toMatchObject({
      before: { maxSessionHours: 24 },
      after: { maxSessionHours: 2 },
    });
    expect(fresh.map((e) => e.id)).toEqual([...fresh.map((e) => e.id)].sort((a, b) => a - b));

    const spec1 = JSON.parse((await cli('audit', casePath, '--action', 'spec', '--json')).out) as {
      entries: AuditEntryInfo[];
    };
    expect(spec1.entries.map((e) => e.action)).toEqual(['spec.load']);

    const text = await cli('audit', casePath, '--action', 'analysis.settings');
    expect(text.code).toBe(0);
    const lines = text.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^time \(UTC\)\s+action\s+details$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('analysis.settings');
    expect(lines[1]).toContain('maxSessionHours: 24 → 2');

    expect((await cli('audit', casePath, '--action', "x' or 1")).code).not.toBe(0);
  });
});
