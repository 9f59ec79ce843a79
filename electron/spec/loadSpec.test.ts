import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors.js';
import { corpusFile, describeCorpus } from '../../test/corpus.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { listAudit } from '../store/auditLog.js';
import { loadSpecFile } from './loadSpec.js';
import { listSpecs, loadedSpecs } from './specsRepo.js';

const SPEC = `openapi: 3.0.0
info: { title: Tiny, version: "1.0" }
servers: [{ url: "https://tiny.test/v1" }]
paths:
  /things/{id}:
    get: { deprecated: true, responses: { "200": { description: ok } } }
    parameters: [{ $ref: "shared.yaml#/Id" }]
`;

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

describe('loadSpecFile', () => {
  it('stores the spec and its operations, and audits the load', async () => {
    const db = ws.openCase();
    const file = ws.file('tiny.yaml', SPEC);
    const res = await loadSpecFile(db, file);
    expect(res).toMatchObject({
      specId: 1,
      title: 'Tiny',
      version: '1.0',
      operations: 1,
      deprecated: 1,
    });
    expect(res.unresolvedRefs).toEqual(['shared.yaml#/Id']);
    expect(res.sha256).toMatch(/^[0-9a-f]{64}$/);
    const [spec] = listSpecs(db);
    expect(spec).toMatchObject({
      file,
      kind: 'openapi3',
      servers: [{ host: 'tiny.test', basePath: '/v1' }],
    });
    expect(loadedSpecs(db)[0]!.operations).toEqual([
      {
        method: 'GET',
        pathTemplate: '/things/{id}',
        deprecated: true,
        operationId: null,
        parameters: [],
      },
    ]);
    const entry = listAudit(db).find((a) => a.action === 'spec.load');
    expect(entry?.details).toMatchObject({
      file,
      sha256: res.sha256,
      title: 'Tiny',
      operations: 1,
    });
  });

  it('refuses the same content twice unless forced, and a missing file', async () => {
    const db = ws.openCase();
    const file = ws.file('tiny.yaml', SPEC);
    await loadSpecFile(db, file);
    // Named as the specs panel lists it (title and version), the CLI's flag not given as advice.
    await expect(loadSpecFile(db, ws.file('copy.yaml', SPEC))).rejects.toMatchObject({
      code: 'DUPLICATE_SOURCE',
      message:
        "copy.yaml is already loaded as Tiny 1.0 (same SHA-256; the CLI's --force loads it again)",
    });
    expect((await loadSpecFile(db, file, { force: true })).specId).toBe(2);
    await expect(loadSpecFile(db, ws.file('nope.yaml', 'a: 1'))).rejects.toBeInstanceOf(AppError);
    await expect(loadSpecFile(db, `${ws.dir}/missing.yaml`)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(listSpecs(db)).toHaveLength(2);
  });

  it('refuses a log given for a spec, naming it a log to import', async () => {
    const db = ws.openCase();
    const line = (i: number) =>
      JSON.stringify({
        ts: 1716723772 + i,
        request: { method: 'GET', uri: `/a/${i}` },
        status: 200,
      });
    const jsonl = ws.file('access.jsonl', `${line(1)}\n${line(2)}\n`);
    await expect(loadSpecFile(db, jsonl)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message:
        'access.jsonl: a log (jsonl format), not an API description. Import it instead: the ' +
        'Import view, or sessionscope import <case> <file>',
    });
    const combined = ws.file(
      'access.log',
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0200] "GET /a HTTP/1.1" 200 512 "-" "curl/8"\n',
    );
    await expect(loadSpecFile(db, combined)).rejects.toThrow(/^access\.log: a log \(combined/);
    // A JSON array of records is a log too.
    const array = ws.file('export.json', `[${line(1)}, ${line(2)}]`);
    await expect(loadSpecFile(db, array)).rejects.toThrow(/^export\.json: a log \(json format\)/);
    // Neither a spec nor a log (a spec cut short): the parser's own reason.
    const notes = ws.file('notes.json', '{"openapi": ');
    await expect(loadSpecFile(db, notes)).rejects.toThrow(/^notes\.json: not valid JSON or YAML/);
    expect(listSpecs(db)).toHaveLength(0);
  });

  it('refuses a directory as bad input, not an internal error', async () => {
    const db = ws.openCase();
    const err = await loadSpecFile(db, ws.dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'BAD_INPUT', message: `${ws.dir} is not a file` });
    expect(listSpecs(db)).toHaveLength(0);
  });
});

describeCorpus('loadSpecFile on the OpenAPI corpus', () => {
  it.each([
    [
      'F_openapi/oai_petstore.yaml',
      'Swagger Petstore',
      [{ host: 'petstore.swagger.io', basePath: '/v1' }],
      ['GET /pets', 'POST /pets', 'GET /pets/{petId}'],
    ],
    [
      'F_openapi/oai_petstore-expanded.yaml',
      'Swagger Petstore',
      [{ host: 'petstore.swagger.io', basePath: '/v2' }],
      ['GET /pets', 'POST /pets', 'DELETE /pets/{id}', 'GET /pets/{id}'],
    ],
    [
      'F_openapi/oai_uspto.yaml',
      'USPTO Data Set API',
      [{ host: 'developer.uspto.gov', basePath: '/ds-api' }],
      ['GET /', 'GET /{dataset}/{version}/fields', 'POST /{dataset}/{version}/records'],
    ],
    [
      'F_openapi/oai_api-with-examples.yaml',
      'Simple API overview',
      [{ host: null, basePath: '' }],
      ['GET /', 'GET /v2'],
    ],
  ])('%s', async (rel, title, servers, ops) => {
    const db = ws.openCase();
    const res = await loadSpecFile(db, corpusFile(rel));
    expect(res.title).toBe(title);
    expect(res.unresolvedRefs).toEqual([]);
    const [spec] = loadedSpecs(db);
    expect(spec!.servers).toEqual(servers);
    expect(spec!.operations.map((o) => `${o.method} ${o.pathTemplate}`)).toEqual(ops);
  });
});
