import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { runCli } from '../cli/runCli.js';
import { importSource } from '../ingest/importSource.js';
import type { CaseDb } from '../store/openCase.js';
import { rebuild } from './rebuild.js';

/**
 * A spec's path item that is a `$ref` to a URL (never fetched) still names the path: it is in
 * the spec, not shadow. A static file no spec lists is shadow, without the shadow risk factor.
 */
const browser = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36';
const line = (i: number, req: string): string =>
  `10.0.0.${i} - - [22/Dec/2016:10:00:0${i} +0300] "${req} HTTP/1.1" 200 100 "-" "${browser}"`;
const log = [
  line(1, 'GET /pets'),
  line(2, 'GET /pets/7'),
  line(3, 'GET /js/vendor/modernizr-2.8.3.min.js'),
  line(4, 'GET /hidden/report'),
].join('\n');
const spec = JSON.stringify({
  openapi: '3.0.0',
  info: { title: 'Pets', version: '1.0.0' },
  paths: {
    '/pets': { get: { responses: { 200: { description: 'ok' } } } },
    '/pets/{petId}': { $ref: 'https://specs.example/pets.yaml#/paths/~1pets~1{petId}' },
  },
});

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;

beforeAll(async () => {
  ws = tempWorkspace();
  const caseFile = path.join(ws.dir, 'case.sscase');
  db = ws.openCase();
  await importSource(db, ws.file('access.log', log + '\n'));
  rebuild(db);
  db.close();
  let out = '';
  const io = { out: (t: string) => (out += t), err: (t: string) => (out += t), errIsTty: false };
  const code = await runCli(['spec', caseFile, ws.file('pets.json', spec)], io);
  expect(code, out).toBe(0);
  db = ws.openCase();
}, 60_000);
afterAll(() => ws.cleanup());

const row = (template: string) => {
  const s = db
    .prepare('SELECT status, reason, spec_path FROM endpoint_spec_status WHERE template = ?')
    .get(template) as { status: string; reason: string | null; spec_path: string | null };
  const r = db
    .prepare('SELECT score, factors FROM endpoint_risk WHERE template = ?')
    .get(template) as {
    score: number;
    factors: string;
  };
  return {
    ...s,
    score: r.score,
    ids: (JSON.parse(r.factors) as { id: string }[]).map((f) => f.id),
  };
};

describe('spec status and risk of $ref paths and static files', () => {
  it('puts a path whose $ref was not followed in the spec, with that reason', () => {
    expect(row('/pets/{id}')).toMatchObject({
      status: 'documented',
      reason: 'unresolved-ref',
      spec_path: '/pets/{petId}',
    });
    expect(row('/pets/{id}').ids).not.toContain('shadow');
  });

  it('keeps a static file shadow, without the shadow factor', () => {
    expect(row('/js/vendor/modernizr-2.8.3.min.js')).toMatchObject({
      status: 'shadow',
      score: 1,
      ids: [],
    });
  });

  it('still scores an undocumented API path as shadow', () => {
    expect(row('/hidden/report')).toMatchObject({ status: 'shadow', score: 5, ids: ['shadow'] });
  });
});
