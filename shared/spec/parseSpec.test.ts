import { describe, expect, it } from 'vitest';
import { AppError } from '../contract/errors.js';
import { parseSpec, parseSpecText, serverOfUrl } from './parseSpec.js';

const OAS3 = `
openapi: 3.0.3
info: { title: Shop API, version: 2.1.0 }
servers:
  - url: https://api.shop.test/v2/
  - url: /internal
paths:
  /orders:
    get:
      operationId: listOrders
      parameters:
        - $ref: '#/components/parameters/Page'
        - name: status
          in: query
    post:
      requestBody: { required: true, content: { application/json: { schema: { type: object } } } }
      responses: { '201': { description: created } }
  /orders/{orderId}:
    parameters:
      - name: orderId
        in: path
        required: true
    get:
      deprecated: true
      parameters:
        - name: orderId
          in: path
          required: true
          description: the operation's own copy wins
        - $ref: 'common.yaml#/components/parameters/Expand'
      responses:
        '200':
          content:
            application/json:
              schema: { $ref: 'https://schemas.example/order.json' }
              example: { $ref: 'not-a-ref-inside-an-example.yaml' }
  x-internal-note: ignored
components:
  parameters:
    Page: { name: page, in: query, required: false }
`;

describe('parseSpec: OpenAPI 3', () => {
  const spec = parseSpecText(OAS3, 'shop.yaml');

  it('reads identity, servers and base paths', () => {
    expect(spec).toMatchObject({
      kind: 'openapi3',
      specVersion: '3.0.3',
      title: 'Shop API',
      version: '2.1.0',
    });
    expect(spec.servers).toEqual([
      { host: 'api.shop.test', basePath: '/v2' },
      { host: null, basePath: '/internal' },
    ]);
  });

  it('lists operations sorted, with deprecation and merged parameters', () => {
    expect(spec.operations.map((o) => `${o.method} ${o.pathTemplate} ${o.deprecated}`)).toEqual([
      'GET /orders false',
      'POST /orders false',
      'GET /orders/{orderId} true',
    ]);
    expect(spec.operations[0]!.parameters).toEqual([
      { name: 'page', in: 'query', required: false },
      { name: 'status', in: 'query', required: false },
    ]);
    expect(spec.operations[1]!.parameters).toEqual([{ name: '', in: 'body', required: true }]);
    expect(spec.operations[2]!.parameters).toEqual([
      { name: 'orderId', in: 'path', required: true },
    ]);
    expect(spec.operations[0]!.operationId).toBe('listOrders');
  });

  it('reports external $refs without following them, and ignores examples', () => {
    expect(spec.unresolvedRefs).toEqual([
      'common.yaml#/components/parameters/Expand',
      'https://schemas.example/order.json',
    ]);
  });

  it('reports a dangling local $ref as unresolved', () => {
    const s = parseSpec({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: { '/a': { get: { parameters: [{ $ref: '#/components/parameters/Missing' }] } } },
    });
    expect(s.unresolvedRefs).toEqual(['#/components/parameters/Missing']);
    expect(s.operations[0]!.parameters).toEqual([]);
    expect(s.servers).toEqual([{ host: null, basePath: '' }]);
  });

  it('substitutes server variables with their defaults', () => {
    const s = parseSpec({
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      servers: [
        {
          url: '{scheme}://h.test:{port}/{base}',
          variables: { port: { default: '8443' }, base: { default: 'api' } },
        },
      ],
      paths: { '/x': { get: {} } },
    });
    expect(s.servers).toEqual([{ host: 'h.test:8443', basePath: '/api' }]);
  });

  it('refuses a document with no operation: every endpoint would be called shadow', () => {
    for (const doc of [
      { openapi: '3.0.0' },
      { openapi: '3.0.0', info: { title: 't', version: '1' }, paths: {} },
      { openapi: '3.0.0', paths: { '/x': { 'x-note': 1 } } },
    ]) {
      expect(() => parseSpec(doc, 'empty.json')).toThrow(
        /empty\.json: no operations under "paths"; there is nothing to compare/,
      );
    }
  });

  it('keeps the paths whose path item is a $ref it does not follow: in the spec, operations unknown', () => {
    const s = parseSpec({
      openapi: '3.0.0',
      paths: {
        '/pets': { get: {} },
        '/pets/{petId}': { $ref: 'https://example.com/specs/pet.yaml#/paths/~1pets~1{petId}' },
        '/users': { $ref: 'users.yaml' },
      },
    });
    expect(s.operations.map((o) => o.pathTemplate)).toEqual(['/pets']);
    expect(s.unresolvedPaths).toEqual(['/pets/{petId}', '/users']);
    expect(s.unresolvedRefs).toEqual([
      'https://example.com/specs/pet.yaml#/paths/~1pets~1{petId}',
      'users.yaml',
    ]);
  });

  it('a path item that refers to itself is unresolved, not silently dropped', () => {
    const doc = {
      openapi: '3.0.0',
      paths: {
        '/ok': { get: {} },
        '/loop': { $ref: '#/paths/~1loop' },
      },
    };
    const s = parseSpec(doc);
    expect(s.operations.map((o) => o.pathTemplate)).toEqual(['/ok']);
    expect(s.unresolvedRefs).toEqual(['#/paths/~1loop']);
    expect(s.unresolvedPaths).toEqual(['/loop']);
    expect(() => parseSpec({ openapi: '3.0.0', paths: { '/loop': doc.paths['/loop'] } })).toThrow(
      /no operations under "paths" \(unresolved: #\/paths\/~1loop\)/,
    );
  });
});

describe('parseSpec: Swagger 2', () => {
  it('reads host, basePath and operations from JSON', () => {
    const s = parseSpecText(
      JSON.stringify({
        swagger: '2.0',
        info: { title: 'Old', version: '1.0' },
        host: 'old.test',
        basePath: '/api/',
        paths: {
          '/users/{id}': {
            get: { deprecated: true, parameters: [{ $ref: '#/parameters/Id' }] },
            delete: {},
          },
        },
        parameters: { Id: { name: 'id', in: 'path', required: true } },
      }),
      'old.json',
    );
    expect(s.kind).toBe('swagger2');
    expect(s.servers).toEqual([{ host: 'old.test', basePath: '/api' }]);
    expect(s.operations.map((o) => [o.method, o.deprecated, o.parameters.length])).toEqual([
      ['GET', true, 1],
      ['DELETE', false, 0],
    ]);
  });
});

describe('parseSpec: refusals', () => {
  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      return err instanceof AppError ? err.code : 'other';
    }
    return 'none';
  };
  it('refuses what is not an OpenAPI 3 / Swagger 2 document', () => {
    expect(code(() => parseSpecText('just: yaml', 'x.yaml'))).toBe('BAD_INPUT');
    expect(code(() => parseSpecText('{"swagger": "1.2"}', 'x.json'))).toBe('BAD_INPUT');
    expect(code(() => parseSpecText('openapi: 4.0.0', 'x.yaml'))).toBe('BAD_INPUT');
    expect(code(() => parseSpecText('{ not json', 'x.json'))).toBe('BAD_INPUT');
    expect(code(() => parseSpecText('- a list', 'x.yaml'))).toBe('BAD_INPUT');
  });
});

describe('serverOfUrl', () => {
  it('splits absolute and relative server URLs', () => {
    expect(serverOfUrl('http://petstore.swagger.io/v1')).toEqual({
      host: 'petstore.swagger.io',
      basePath: '/v1',
    });
    expect(serverOfUrl('//cdn.test')).toEqual({ host: 'cdn.test', basePath: '' });
    expect(serverOfUrl('v3')).toEqual({ host: null, basePath: '/v3' });
    expect(serverOfUrl('/')).toEqual({ host: null, basePath: '' });
  });
});
