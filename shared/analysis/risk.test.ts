import { describe, expect, it } from 'vitest';
import {
  RISK_WEIGHTS,
  isSensitiveParam,
  looksLikeCardNumber,
  objectIdSegments,
  riskLevel,
  scoreEndpoint,
  type EndpointRiskFacts,
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
  ])('%s', (_, facts, id, score) => {
    const r = only(facts);
    expect(r.ids).toEqual([id]);
    expect(r.score).toBe(score);
    expect(RISK_WEIGHTS[id]).toBe(score);
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
