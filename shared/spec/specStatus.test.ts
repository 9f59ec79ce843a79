import { describe, expect, it } from 'vitest';
import type { SpecOperation } from './parseSpec.js';
import { compareVersions, compareWithSpecs, type LoadedSpec } from './specStatus.js';

const op = (method: string, pathTemplate: string, deprecated = false): SpecOperation => ({
  method,
  pathTemplate,
  deprecated,
  operationId: null,
  parameters: [],
});

const v1: LoadedSpec = {
  id: 1,
  title: 'Shop API',
  version: '1.9.0',
  servers: [{ host: null, basePath: '/api' }],
  operations: [op('GET', '/orders'), op('GET', '/legacy/export'), op('GET', '/orders/{id}')],
};
const v2: LoadedSpec = {
  id: 2,
  title: 'shop api ',
  version: '1.10.0',
  servers: [{ host: null, basePath: '/api' }],
  operations: [
    op('GET', '/orders'),
    op('GET', '/orders/{orderId}', true),
    op('POST', '/orders'),
    op('DELETE', '/orders/{orderId}'),
  ],
};
const ep = (method: string, template: string, host = 'shop.test', answered = true) => ({
  method,
  host,
  template,
  answered,
});

describe('compareWithSpecs', () => {
  const endpoints = [
    ep('GET', '/api/orders'),
    ep('HEAD', '/api/orders'),
    ep('GET', '/api/orders/{id}'),
    ep('GET', '/api/legacy/export'),
    ep('GET', '/api/debug'),
    ep('GET', '/wp-login.php', 'shop.test', false),
    ep('POST', '/orders'),
  ];
  // Loaded newest first on purpose: version order, not load order, decides.
  const r = compareWithSpecs([v2, v1], endpoints);
  const view = r.verdicts.map((v) => [v.status, v.reason, v.specId, v.specPath]);

  it('marks documented, deprecated, removed and shadow endpoints', () => {
    expect(view).toEqual([
      ['documented', null, 2, '/orders'],
      ['documented', null, 2, '/orders'],
      ['zombie', 'deprecated', 2, '/orders/{orderId}'],
      ['zombie', 'removed', 1, '/legacy/export'],
      ['shadow', null, null, null],
      ['shadow', 'not-found', null, null],
      // Outside the /api base path: not the spec's /orders.
      ['shadow', null, null, null],
    ]);
  });

  it('lists the newest spec operations nobody called as orphans', () => {
    expect(r.newest).toEqual([2]);
    expect(r.orphans.map((o) => `${o.method} ${o.pathTemplate}`)).toEqual([
      'POST /orders',
      'DELETE /orders/{orderId}',
    ]);
  });

  it('treats equal versions by load order: the later load is the contract', () => {
    const again: LoadedSpec = { ...v1, id: 3, operations: [op('GET', '/orders')] };
    const res = compareWithSpecs([v1, again], [ep('GET', '/api/legacy/export')]);
    expect(res.newest).toEqual([3]);
    expect(res.verdicts[0]).toMatchObject({ status: 'zombie', reason: 'removed', specId: 1 });
  });

  it('takes files of one title and version with other servers together, in any load order', () => {
    const petsV1: LoadedSpec = {
      id: 1,
      title: 'Pets',
      version: '1.0.0',
      servers: [{ host: 'pets.test', basePath: '/v1' }],
      operations: [op('GET', '/pets'), op('GET', '/pets/{petId}')],
    };
    const petsV2: LoadedSpec = {
      ...petsV1,
      id: 2,
      servers: [{ host: 'pets.test', basePath: '/v2' }],
      operations: [op('GET', '/pets'), op('GET', '/pets/{id}')],
    };
    const called = [ep('GET', '/v1/pets', 'pets.test'), ep('GET', '/v2/pets/{id}', 'pets.test')];
    for (const order of [
      [petsV1, petsV2],
      [petsV2, petsV1],
    ]) {
      const res = compareWithSpecs(order, called);
      expect(res.newest.sort()).toEqual([1, 2]);
      expect(res.verdicts.map((v) => [v.status, v.specId])).toEqual([
        ['documented', 1],
        ['documented', 2],
      ]);
    }
  });

  it('applies a spec naming hosts only to those hosts, when another spec claims the host', () => {
    const a: LoadedSpec = {
      id: 1,
      title: 'A',
      version: '1',
      servers: [{ host: 'a.test', basePath: '' }],
      operations: [op('GET', '/x')],
    };
    const b: LoadedSpec = {
      id: 2,
      title: 'B',
      version: '1',
      servers: [{ host: 'b.test', basePath: '' }],
      operations: [op('GET', '/y')],
    };
    const res = compareWithSpecs(
      [a, b],
      [ep('GET', '/x', 'a.test'), ep('GET', '/x', 'b.test'), ep('GET', '/y', 'other.test')],
    );
    expect(res.verdicts.map((v) => v.status)).toEqual(['documented', 'shadow', 'documented']);
  });

  it('prefers a live operation over a deprecated one in another API', () => {
    const a: LoadedSpec = {
      id: 1,
      title: 'A',
      version: '1',
      servers: [],
      operations: [op('GET', '/x', true)],
    };
    const b: LoadedSpec = {
      id: 2,
      title: 'B',
      version: '1',
      servers: [],
      operations: [op('GET', '/x')],
    };
    expect(compareWithSpecs([a, b], [ep('GET', '/x')]).verdicts[0]!.status).toBe('documented');
  });

  it('puts an endpoint under a path whose $ref was not followed in the spec, not shadow', () => {
    const refd: LoadedSpec = { ...v2, unresolvedPaths: ['/pets/{petId}'] };
    const res = compareWithSpecs(
      [v1, refd],
      [ep('DELETE', '/api/pets/7'), ep('GET', '/api/pets'), ep('GET', '/api/orders')],
    );
    expect(res.verdicts.map((v) => [v.status, v.reason, v.specPath])).toEqual([
      ['documented', 'unresolved-ref', '/pets/{petId}'],
      ['shadow', null, null],
      ['documented', null, '/orders'],
    ]);
    // Its operations are unknown: nothing is an orphan for it.
    expect(res.orphans.some((o) => o.pathTemplate === '/pets/{petId}')).toBe(false);
  });

  it('with no spec, everything is shadow and nothing is orphan', () => {
    const res = compareWithSpecs([], [ep('GET', '/x')]);
    expect(res.verdicts[0]!.status).toBe('shadow');
    expect(res.orphans).toEqual([]);
  });
});

describe('compareVersions', () => {
  it('orders numeric parts numerically', () => {
    expect(compareVersions('1.10.0', '1.9.0')).toBe(1);
    expect(compareVersions('2', '2.0.1')).toBe(-1);
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
    expect(compareVersions('v2-beta', 'v2-alpha')).toBe(1);
  });
});
