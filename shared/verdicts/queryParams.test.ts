import { describe, expect, it } from 'vitest';
import { SessionFeatureBuilder, type RequestObservation } from './features.js';
import { fnv1a } from './hash.js';
import { MAX_PARAMS, paramValues, QueryParser } from './queryParams.js';
import { irregular, prng, req } from './verdictTestSessions.js';

/** The counted parameters, spelled out: name=value pairs with a name, among the first 20. */
function reference(query: string): { name: string; raw: string }[] {
  return query
    .split('&')
    .slice(0, MAX_PARAMS)
    .filter((p) => p.indexOf('=') > 0)
    .map((p) => ({ name: p.slice(0, p.indexOf('=')), raw: p.slice(p.indexOf('=') + 1) }));
}

const EDGE_QUERIES = [
  'a=1',
  'a=1&b=2&a=3',
  '=x&b=',
  'flag&c=d=e',
  '&&a=1&&',
  Array.from({ length: 25 }, (_, k) => `p${k}=${k}`).join('&'),
  Array.from({ length: 19 }, () => 'x').join('&') + '&late=1&later=2',
  'q=%2B1%20(555)%20123-4567',
];

function generatedQueries(n: number, seed: number): string[] {
  const rnd = prng(seed);
  const names = ['id', 'page', 'sort', 'q', 'phone', ''];
  return Array.from({ length: n }, () =>
    Array.from({ length: 1 + Math.floor(rnd() * 24) }, () => {
      const name = names[Math.floor(rnd() * names.length)]!;
      return rnd() < 0.1 ? name : `${name}=${Math.floor(rnd() * 50)}`;
    }).join('&'),
  );
}

describe('QueryParser', () => {
  const queries = [...EDGE_QUERIES, ...generatedQueries(500, 3)];

  it('counts the name=value pairs with a name among the first twenty, as spelled out', () => {
    const parser = new QueryParser();
    const ids = new Map<string, number>();
    for (const q of queries) {
      const parsed = parser.parse(q);
      const want = reference(q);
      expect(parsed.hash).toBe(fnv1a(q));
      expect(Array.from(parsed.values)).toEqual(want.map((p) => fnv1a(p.raw)));
      expect(paramValues(q)).toEqual(want.map((p) => p.raw));
      // One id per name, whichever query it came from.
      want.forEach((p, k) => {
        const id = parsed.names[k]!;
        expect(ids.get(p.name) ?? id).toBe(id);
        ids.set(p.name, id);
      });
    }
    expect(new Set(ids.values()).size).toBe(ids.size);
  });

  it('answers the same with the cache full, empty or hit', () => {
    const cached = new QueryParser();
    const uncached = new QueryParser(0);
    for (const q of [...queries, ...queries]) {
      const a = cached.parse(q);
      const b = uncached.parse(q);
      expect(a.hash).toBe(b.hash);
      expect(Array.from(a.values)).toEqual(Array.from(b.values));
      expect(Array.from(a.names)).toEqual(Array.from(b.names));
    }
    expect(cached.parse(queries[0]!)).toBe(cached.parse(queries[0]!));
    expect(uncached.parse(queries[0]!)).not.toBe(uncached.parse(queries[0]!));
  });
});

describe('SessionFeatureBuilder query parameters', () => {
  it('counts a parameter name per endpoint, and ignores pairs past the twentieth', () => {
    const b = new SessionFeatureBuilder();
    const padding = Array.from({ length: MAX_PARAMS }, (_, k) => `p${k}=1`).join('&');
    for (const r of irregular(30, (k) => ({ endpoint: k % 3, query: `id=${k % 12}` }))) b.add(r);
    for (const r of irregular(30, (k) => ({ query: `${padding}&late=${k}` }))) b.add(r);
    const f = b.finish();
    // id takes 12 values in all, but at most 4 on one of the three endpoints; late never counts.
    expect(f.maxValuesPerParam).toBe(4);
  });

  it('gives every session the same features whether its builder is fresh or reused', () => {
    const rnd = prng(11);
    const queries = generatedQueries(40, 5);
    const sessions: RequestObservation[][] = Array.from({ length: 60 }, (_, s) =>
      irregular(
        1 + Math.floor(rnd() * (s % 7 === 0 ? 400 : 40)),
        () => ({
          endpoint: Math.floor(rnd() * 4),
          templated: rnd() < 0.5,
          status: rnd() < 0.2 ? 404 : 200,
          sms: rnd() < 0.1,
          path: `/api/items/${Math.floor(rnd() * 300)}`,
          query: rnd() < 0.7 ? queries[Math.floor(rnd() * queries.length)]! : null,
        }),
        s,
      ),
    );
    const reused = new SessionFeatureBuilder(60e6);
    for (const reqs of sessions) {
      const fresh = new SessionFeatureBuilder(60e6);
      reused.reset();
      for (const r of reqs) {
        fresh.add(r);
        reused.add(r);
      }
      expect(reused.finish()).toEqual(fresh.finish());
    }
  });

  it('reads phone numbers from the SMS endpoint parameters only', () => {
    const b = new SessionFeatureBuilder();
    b.add(req({ sms: true, query: 'phone=%2B37120000001&x' }));
    b.add(req({ sms: true, query: 'phone=%2B37120000001' }));
    b.add(req({ sms: true, query: 'to=371-2000-0002&phone' }));
    b.add(req({ sms: false, query: 'phone=37120000003' }));
    expect(b.finish().smsNumbers).toBe(2);
  });
});
