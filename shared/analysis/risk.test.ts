import { describe, expect, it } from 'vitest';
import type { RiskFactorInfo } from '../contract/specApi.js';
import {
  RISK_FACTORS,
  RISK_WEIGHTS,
  isSensitiveParam,
  isStaticAsset,
  looksLikeCardNumber,
  objectIdSegments,
  riskDetail,
  riskLevel,
  scoreEndpoint,
  type EndpointRiskFacts,
  type RiskFactor,
  type RiskFactorId,
} from './risk.js';

const base: EndpointRiskFacts = {
  template: '/api/v1/status',
  params: [],
  requests: 100,
  serverErrors: 0,
  succeededAttacks: 0,
  bodyTypes: [],
  flows: [],
  unauthenticatedOk: 0,
  specStatus: null,
  cardNumbersInQuery: 0,
};

const only = (facts: Partial<EndpointRiskFacts>): { ids: RiskFactorId[]; score: number } => {
  const r = scoreEndpoint({ ...base, ...facts });
  return { ids: r.factors.map((f) => f.id), score: r.score };
};

describe('scoreEndpoint factors', () => {
  it('scores 1 (Low) with no factor', () => {
    expect(scoreEndpoint(base)).toEqual({ score: 1, level: 'Low', factors: [] });
  });

  it.each<[string, Partial<EndpointRiskFacts>, RiskFactorId, number]>([
    ['a flagged request answered 2xx', { succeededAttacks: 3 }, 'succeeded-attack', 9],
    ['a password in the query', { params: ['user', 'password'] }, 'sensitive-params', 8],
    ['an api_key in the query', { params: ['api_key'] }, 'sensitive-params', 8],
    ['a card number in a query value', { cardNumbersInQuery: 1 }, 'sensitive-params', 8],
    ['deprecated but called', { specStatus: 'zombie', specReason: 'deprecated' }, 'zombie', 7],
    [
      'anonymous 2xx on SMS',
      { flows: ['SMS GW'], unauthenticatedOk: 40 },
      'unauthenticated-sensitive-flow',
      7,
    ],
    ['ten parameters', { params: 'abcdefghij'.split('') }, 'many-params', 6],
    ['JSON bodies', { bodyTypes: ['application/json'] }, 'structured-body', 6],
    ['XML bodies', { bodyTypes: ['application/soap+xml'] }, 'structured-body', 6],
    ['multipart uploads', { bodyTypes: ['multipart/form-data'] }, 'file-upload', 6],
    ['an object id in the path', { template: '/orders/{id}' }, 'bola', 6],
    ['a spec-style id parameter', { template: '/orders/{orderId}/lines' }, 'bola', 6],
    ['the Billing flow', { flows: ['Billing'] }, 'sensitive-flow', 5],
    ['not in the spec', { specStatus: 'shadow' }, 'shadow', 5],
    ['5xx above 5%', { serverErrors: 6, requests: 100 }, 'server-errors', 4],
    ['a scanner fingerprint answered 2xx', { scannerProbed: 4 }, 'scanner-probed', 3],
  ])('%s', (_, facts, id, score) => {
    const r = only(facts);
    expect(r.ids).toEqual([id]);
    expect(r.score).toBe(score);
    expect(RISK_WEIGHTS[id]).toBe(score);
  });

  it('keeps a proven attack above a scanner probe: an endpoint with both is High', () => {
    expect(only({ succeededAttacks: 1, scannerProbed: 50 })).toEqual({
      ids: ['succeeded-attack', 'scanner-probed'],
      score: 9,
    });
  });

  it('does not count a static file as a shadow API, whatever the spec says', () => {
    for (const template of [
      '/js/vendor/modernizr-2.8.3.min.js',
      '/DVWA/dvwa/css/help.css',
      '/img/{name}.PNG',
      '/fonts/a.woff2',
      '/robots.txt',
      '/about/team.html',
    ])
      expect(only({ template, specStatus: 'shadow' })).toEqual({ ids: [], score: 1 });
    // An API whose path only looks like a file still counts.
    expect(only({ template: '/api/report.json', specStatus: 'shadow' }).ids).toEqual(['shadow']);
    expect(only({ template: '/api/js', specStatus: 'shadow' }).ids).toEqual(['shadow']);
    expect(isStaticAsset('/css/site.css')).toBe(true);
    expect(isStaticAsset('/css.php')).toBe(false);
  });

  it('does not take a static file by id for an object behind an authorization check', () => {
    for (const template of ['/image/{id}/200x200', '/avatars/{uuid}.png', '/static/{hash}'])
      expect(only({ template }).ids).toEqual([]);
    // Documents may be private; an API under a folder of another name still counts.
    expect(only({ template: '/files/{id}/invoice.pdf' }).ids).toEqual(['bola']);
    expect(only({ template: '/api/users/{id}/avatar' }).ids).toEqual(['bola']);
  });

  it('does not fire below the thresholds', () => {
    expect(only({ params: 'abcdefghi'.split('') }).ids).toEqual([]);
    expect(only({ serverErrors: 5, requests: 100 }).ids).toEqual([]);
    expect(only({ serverErrors: 2, requests: 2 }).ids).toEqual([]);
    expect(only({ flows: ['Auth'], unauthenticatedOk: 100 }).ids).toEqual(['sensitive-flow']);
    expect(only({ flows: ['SMS GW'], unauthenticatedOk: 0 }).ids).toEqual([]);
    expect(only({ specStatus: 'shadow', specReason: 'not-found' }).ids).toEqual([]);
    expect(only({ specStatus: 'documented' }).ids).toEqual([]);
    expect(only({ bodyTypes: ['text/plain'] }).ids).toEqual([]);
  });

  it('scores by the strongest factor and lists every factor, strongest first', () => {
    const r = scoreEndpoint({
      ...base,
      template: '/admin/users/{id}',
      flows: ['Admin'],
      succeededAttacks: 2,
      serverErrors: 50,
    });
    expect(r.score).toBe(9);
    expect(r.level).toBe('High');
    expect(r.factors.map((f) => f.id)).toEqual([
      'succeeded-attack',
      'bola',
      'sensitive-flow',
      'server-errors',
    ]);
    expect(r.factors[3]!.detail).toBe('5xx on 50.0% (50 of 100)');
  });
});

describe('scoreEndpoint args', () => {
  it.each<[Partial<EndpointRiskFacts>, RiskFactor]>([
    [
      { succeededAttacks: 3 },
      {
        id: 'succeeded-attack',
        weight: 9,
        args: { count: 3 },
        detail: '3 flagged request(s) answered 2xx',
      },
    ],
    [
      { params: ['user', 'password', 'token'], cardNumbersInQuery: 2 },
      {
        id: 'sensitive-params',
        weight: 8,
        args: { params: ['password', 'token'], cards: 2 },
        detail: 'in the query: password, token; 2 card number(s) in the query',
      },
    ],
    [
      { cardNumbersInQuery: 1 },
      {
        id: 'sensitive-params',
        weight: 8,
        args: { params: [], cards: 1 },
        detail: '1 card number(s) in the query',
      },
    ],
    [
      { specStatus: 'zombie', specReason: 'removed' },
      {
        id: 'zombie',
        weight: 7,
        args: { reason: 'removed' },
        detail: 'removed from the newest spec, still called',
      },
    ],
    [
      { specStatus: 'zombie', specReason: 'deprecated' },
      {
        id: 'zombie',
        weight: 7,
        args: { reason: 'deprecated' },
        detail: 'deprecated in the spec, still called',
      },
    ],
    [
      { flows: ['Admin', 'Billing'], unauthenticatedOk: 4 },
      {
        id: 'unauthenticated-sensitive-flow',
        weight: 7,
        args: { count: 4, flows: ['Admin', 'Billing'] },
        detail: '4 anonymous 2xx on Admin, Billing',
      },
    ],
    [
      { params: 'abcdefghijkl'.split('') },
      { id: 'many-params', weight: 6, args: { count: 12 }, detail: '12 distinct parameters' },
    ],
    [
      { bodyTypes: ['application/json', 'text/xml'] },
      {
        id: 'structured-body',
        weight: 6,
        args: { types: ['application/json', 'text/xml'] },
        detail: 'accepts application/json, text/xml',
      },
    ],
    [
      { bodyTypes: ['multipart/form-data'] },
      { id: 'file-upload', weight: 6, args: {}, detail: 'multipart/form-data uploads' },
    ],
    [
      { template: '/orders/{id}/lines/{lineId}' },
      {
        id: 'bola',
        weight: 6,
        args: { segments: ['{id}', '{lineId}'] },
        detail: 'object id in the path: {id}, {lineId}',
      },
    ],
    [
      { flows: ['Auth', 'Admin'] },
      {
        id: 'sensitive-flow',
        weight: 5,
        args: { flows: ['Auth', 'Admin'] },
        detail: 'business flow: Auth, Admin',
      },
    ],
    [
      { specStatus: 'shadow' },
      { id: 'shadow', weight: 5, args: {}, detail: 'not in any loaded spec' },
    ],
    [
      { serverErrors: 12, requests: 160 },
      {
        id: 'server-errors',
        weight: 4,
        args: { pct: 7.5, errors: 12, requests: 160 },
        detail: '5xx on 7.5% (12 of 160)',
      },
    ],
    [
      { serverErrors: 50, requests: 100 },
      {
        id: 'server-errors',
        weight: 4,
        args: { pct: 50, errors: 50, requests: 100 },
        detail: '5xx on 50.0% (50 of 100)',
      },
    ],
  ])('%o gives the values of its detail', (facts, factor) => {
    const { factors } = scoreEndpoint({ ...base, ...facts });
    expect(factors.filter((f) => f.id === factor.id)).toEqual([factor]);
    expect(riskDetail(factor)).toBe(factor.detail);
  });

  it('covers every factor, and fits the contract stored factors are read back as', () => {
    const all = scoreEndpoint({
      template: '/admin/{id}',
      params: ['password', ...'abcdefghij'.split('')],
      requests: 10,
      serverErrors: 5,
      succeededAttacks: 1,
      scannerProbed: 1,
      bodyTypes: ['application/json', 'multipart/form-data'],
      flows: ['Admin'],
      unauthenticatedOk: 1,
      specStatus: 'zombie',
      specReason: 'removed',
      cardNumbersInQuery: 0,
    }).factors;
    const shadow = scoreEndpoint({ ...base, specStatus: 'shadow' }).factors;
    const ids = [...all, ...shadow].map((f) => f.id);
    expect(new Set(ids)).toEqual(new Set(RISK_FACTORS));
    // What riskStep.ts stores and the queries read back as the contract's factors.
    const stored: RiskFactorInfo[] = JSON.parse(JSON.stringify(all)) as RiskFactorInfo[];
    expect(stored).toEqual(all);
  });
});

describe('risk helpers', () => {
  it('levels: 1–3 Low, 4–7 Medium, 8–10 High', () => {
    expect([1, 3, 4, 7, 8, 10].map(riskLevel)).toEqual([
      'Low',
      'Low',
      'Medium',
      'Medium',
      'High',
      'High',
    ]);
  });
  it('recognises sensitive parameter names, not look-alikes', () => {
    for (const n of [
      'password',
      'Passwd',
      'access_token',
      'apiKey',
      'api_key',
      'ssn',
      'card_number',
      'cvv',
      'client_secret',
    ])
      expect(isSensitiveParam(n), n).toBe(true);
    for (const n of ['page', 'passage', 'tokens_used', 'cards_per_page', 'author'])
      expect(isSensitiveParam(n), n).toBe(false);
  });
  it('recognises Luhn-valid card numbers only', () => {
    expect(looksLikeCardNumber('4111111111111111')).toBe(true);
    expect(looksLikeCardNumber('4111 1111 1111 1111')).toBe(true);
    expect(looksLikeCardNumber('4111111111111112')).toBe(false);
    expect(looksLikeCardNumber('0000000000000000')).toBe(false);
    expect(looksLikeCardNumber('37142001316')).toBe(false);
  });
  it('finds object-id segments', () => {
    expect(objectIdSegments('/a/{id}/b/{uuid}')).toEqual(['{id}', '{uuid}']);
    expect(objectIdSegments('/a/{date}/{email}')).toEqual([]);
    expect(objectIdSegments('/img/{id}.png')).toEqual(['{id}.png']);
  });
});
