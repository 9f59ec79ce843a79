import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { runCli } from '../cli/runCli.js';
import { importSource } from '../ingest/importSource.js';
import { hasDetections } from '../query/detectionsLink.js';
import type { CaseDb } from '../store/openCase.js';
import { rebuild } from './rebuild.js';
import { rebuildSteps } from './rebuildSteps.js';
import { riskStep } from './riskStep.js';
import { specStep } from './specStep.js';

const demo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/demo');

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
let caseFile: string;
let cliOut = '';

beforeAll(async () => {
  ws = tempWorkspace();
  db = ws.openCase();
  caseFile = path.join(ws.dir, 'case.sscase');
  await importSource(db, path.join(demo, 'demo-capture.jsonl'));
  rebuild(db);
  db.close();
  const io = {
    out: (t: string) => (cliOut += t + '\n'),
    err: (t: string) => (cliOut += t),
    errIsTty: false,
  };
  const code = await runCli(
    [
      'spec',
      caseFile,
      path.join(demo, 'acme-api-v1.json'),
      path.join(demo, 'acme-api-v2.yaml'),
      '--json',
    ],
    io,
  );
  expect(code, cliOut).toBe(0);
  db = ws.openCase();
}, 60_000);
afterAll(() => ws.cleanup());

const status = (
  method: string,
  template: string,
): { status: string; reason: string | null } | undefined =>
  db
    .prepare('SELECT status, reason FROM endpoint_spec_status WHERE method = ? AND template = ?')
    .get(method, template) as { status: string; reason: string | null } | undefined;

const risk = (
  method: string,
  template: string,
): { score: number; level: string; ids: string[] } => {
  const r = db
    .prepare('SELECT score, level, factors FROM endpoint_risk WHERE method = ? AND template = ?')
    .get(method, template) as { score: number; level: string; factors: string };
  return { ...r, ids: (JSON.parse(r.factors) as { id: string }[]).map((f) => f.id) };
};

describe('spec step on the demo case', () => {
  it('reports the load as JSON, with the unresolved external $ref', () => {
    const out = JSON.parse(cliOut) as {
      loaded: { version: string; unresolvedRefs: string[] }[];
      status: { documented: number; shadow: number; zombie: number; orphans: number };
    };
    expect(out.loaded.map((l) => l.version)).toEqual(['1.9.0', '2.3.0']);
    expect(out.loaded[1]!.unresolvedRefs).toEqual(['./schemas/invoice-list.yaml']);
    expect(out.status.zombie).toBe(3);
    expect(out.status.orphans).toBe(3);
  });

  it('marks documented, shadow and zombie endpoints', () => {
    expect(status('GET', '/api/v1/users/{id}')).toEqual({ status: 'documented', reason: null });
    expect(status('POST', '/v1/chat/completions')).toEqual({ status: 'documented', reason: null });
    expect(status('GET', '/api/v0/users/{id}')).toEqual({ status: 'zombie', reason: 'deprecated' });
    expect(status('GET', '/api/v0/projects')).toEqual({ status: 'zombie', reason: 'removed' });
    expect(status('GET', '/api/internal/debug/config')).toEqual({ status: 'shadow', reason: null });
    expect(status('GET', '/actuator/prometheus')).toEqual({ status: 'shadow', reason: null });
    expect(status('GET', '/.env')).toEqual({ status: 'shadow', reason: 'not-found' });
  });

  it('lists the spec operations nobody called', () => {
    const rows = db
      .prepare('SELECT method, path_template AS p FROM spec_orphans ORDER BY p, method')
      .all() as { method: string; p: string }[];
    expect(rows.map((r) => `${r.method} ${r.p}`)).toEqual([
      'DELETE /api/v1/projects/{projectId}',
      'GET /api/v1/teams/{teamId}/members',
      'GET /api/v1/webhooks',
    ]);
  });

  it('lists the findings as text, hiding 404-only probes unless --all', async () => {
    let text = '';
    const io = {
      out: (t: string) => (text += t + '\n'),
      err: (t: string) => (text += t),
      errIsTty: false,
    };
    expect(await runCli(['spec', caseFile], io)).toBe(0);
    expect(text).toMatch(
      /\d+ documented, \d+ shadow, 3 zombie endpoints; 3 spec operations never called/,
    );
    expect(text).toMatch(/zombie +removed +GET +api\.acme-demo\.test +\/api\/v0\/projects/);
    expect(text).toContain('/api/v1/webhooks');
    expect(text).toContain('only ever answered 404');
    expect(text).not.toContain('/wp-login.php');
    text = '';
    expect(await runCli(['spec', caseFile, '--all'], io)).toBe(0);
    expect(text).toContain('/wp-login.php');
  });

  it('lists without writing: the summary is the one the load stored', async () => {
    const loadedStatus = (JSON.parse(cliOut) as { status: unknown }).status;
    db.close();
    // The bytes and the time of the last write: a rewrite of the same rows changes the latter.
    const digest = (): string =>
      createHash('sha256').update(readFileSync(caseFile)).digest('hex') +
      String(statSync(caseFile).mtimeMs);
    const before = digest();
    let out = '';
    const io = { out: (t: string) => (out += t), err: () => {}, errIsTty: false };
    try {
      expect(await runCli(['spec', caseFile, '--json'], io)).toBe(0);
      expect((JSON.parse(out) as { status: unknown }).status).toEqual(loadedStatus);
      expect(digest()).toBe(before);
    } finally {
      db = ws.openCase();
    }
  });

  it('audits each spec load', () => {
    const n = db
      .prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'spec.load'")
      .get() as { n: number };
    expect(n.n).toBe(2);
  });
});

describe('risk step on the demo case', () => {
  it('scores every endpoint 1-10 with a matching level', () => {
    const rows = db.prepare('SELECT score, level FROM endpoint_risk').all() as {
      score: number;
      level: string;
    }[];
    const endpoints = db.prepare('SELECT count(*) AS n FROM endpoints').get() as { n: number };
    expect(rows).toHaveLength(endpoints.n);
    for (const r of rows)
      expect(r.level).toBe(r.score >= 8 ? 'High' : r.score >= 4 ? 'Medium' : 'Low');
  });

  it('finds the story in the factors', () => {
    expect(risk('GET', '/api/v1/integrations/callback')).toMatchObject({ score: 8, level: 'High' });
    expect(risk('GET', '/api/v1/integrations/callback').ids).toContain('sensitive-params');
    expect(risk('GET', '/api/v1/auth/password-reset').ids).toContain('sensitive-params');
    expect(risk('POST', '/api/v1/sms/send-code').ids).toContain('unauthenticated-sensitive-flow');
    expect(risk('GET', '/api/v0/projects')).toMatchObject({ score: 7, ids: ['zombie'] });
    expect(risk('POST', '/api/v1/files').ids).toContain('file-upload');
    expect(risk('POST', '/api/v1/integrations/import').ids).toContain('structured-body');
    expect(risk('GET', '/api/v1/users/{id}').ids).toContain('bola');
    expect(risk('POST', '/v1/chat/completions').ids).toContain('server-errors');
    expect(risk('GET', '/admin/export').ids).toContain('sensitive-flow');
    expect(risk('GET', '/api/internal/debug/config').ids).toContain('shadow');
    expect(risk('GET', '/.env').ids).not.toContain('shadow');
    expect(risk('GET', '/api/v1/billing/verify-card')).toMatchObject({ score: 8, level: 'High' });
    expect(risk('GET', '/api/v1/billing/verify-card').ids).toEqual([
      'sensitive-params',
      'unauthenticated-sensitive-flow',
      'sensitive-flow',
      'shadow',
    ]);
    expect(risk('GET', '/api/v1/reports/export').ids).toContain('many-params');
  });

  it('counts sqlmap answers that came back 2xx as succeeded attacks, once detections exist', () => {
    // Detection lives in its own step and migration; without it this factor cannot fire.
    if (!hasDetections(db)) return;
    expect(risk('GET', '/api/v1/search')).toMatchObject({ score: 9, level: 'High' });
  });
});

describe('rebuild order', () => {
  it('runs specs and risk after the tables are written and detections, before session attacks', () => {
    const order = (name: string): number => rebuildSteps.find((s) => s.name === name)?.order ?? NaN;
    expect(rebuildSteps).toContain(specStep);
    expect(rebuildSteps).toContain(riskStep);
    expect(specStep.order).toBeGreaterThan(order('write'));
    expect(riskStep.order).toBeGreaterThan(specStep.order);
    expect(riskStep.order).toBeLessThan(order('session attack counts'));
    // Detections are another area's step; when registered they must come before risk.
    const detect = rebuildSteps.find((s) => s.name === 'attack detection');
    if (detect) expect(detect.order).toBeLessThan(riskStep.order);
  });
});
