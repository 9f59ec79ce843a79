import { describe, expect, it } from 'vitest';
import {
  compileExtractor,
  issuedKeyCandidates,
  issuedKeys,
  keyKindLabel,
  parseCookies,
  pickIssuedKey,
  queryParam,
  queryParamNames,
  type RequestContextInput,
} from './sessionKeys.js';
import { testJwt } from './jwtTestToken.js';
import { DEFAULT_CONTEXT_PARAMS, effectiveParams, analysisSettingsSchema } from './settings.js';

const jwt = (claims: unknown): string => testJwt(claims);

const req = (over: Partial<RequestContextInput>): RequestContextInput => ({
  cookies: null,
  headers: null,
  query: null,
  srcSession: null,
  srcUser: null,
  srcRole: null,
  ...over,
});

const params = [...DEFAULT_CONTEXT_PARAMS];
const extract = compileExtractor(params);
const kind = (r: RequestContextInput): string => keyKindLabel(params[extract(r).keyParam]);

describe('session key extraction', () => {
  it('parses cookies, first occurrence wins, quotes removed', () => {
    const c = parseCookies('a=1; JSESSIONID="xyz"; a=2; bad; =x');
    expect(c.get('a')).toBe('1');
    expect(c.get('JSESSIONID')).toBe('xyz');
    expect(c.size).toBe(2);
  });

  it('picks the first default parameter that has a value', () => {
    expect(kind(req({ cookies: 'theme=dark; PHPSESSID=p1' }))).toBe('cookie:PHPSESSID');
    expect(kind(req({ cookies: 'PHPSESSID=p1; JSESSIONID=j1' }))).toBe('cookie:JSESSIONID');
    expect(kind(req({ srcSession: 's-1', cookies: 'JSESSIONID=j1' }))).toBe('source:session');
    expect(kind(req({ headers: { 'x-api-key': 'k' } }))).toBe('header:x-api-key');
    expect(kind(req({}))).toBe('ip+ua');
  });

  it('prefers the sid claim, then sub, from a bearer JWT; user and role from claims', () => {
    const a = extract(
      req({
        headers: {
          authorization:
            'Bearer ' + jwt({ sub: 'u1', sid: 'S9', roles: ['admin'], email: 'u1@x.io' }),
        },
      }),
    );
    expect(keyKindLabel(params[a.keyParam])).toBe('jwt:sid');
    expect(a.keyValue).toBe('S9');
    expect(a.user).toBe('u1@x.io');
    expect(a.role).toBe('admin');
    const b = extract(
      req({ headers: { authorization: 'Bearer ' + jwt({ sub: 'u2', scope: 'read write' }) } }),
    );
    expect(keyKindLabel(params[b.keyParam])).toBe('jwt:sub');
    expect(b.keyValue).toBe('u2');
    expect(b.user).toBe('u2');
    // A space-separated scope is a list of roles, stored as a token's role list is.
    expect(b.role).toBe('read,write');
  });

  it('reads a role list claim as a comma-joined list; a header or a column as written', () => {
    const role = (over: Partial<RequestContextInput>): string | null => extract(req(over)).role;
    const bearer = (claims: unknown): Record<string, string> => ({
      authorization: 'Bearer ' + jwt(claims),
    });
    expect(role({ headers: bearer({ roles: ['admin', 'billing'] }) })).toBe('admin,billing');
    expect(role({ headers: bearer({ groups: ['ops', '', 7, 'audit'] }) })).toBe('ops,audit');
    expect(role({ headers: bearer({ scope: ' openid  profile\temail ' }) })).toBe(
      'openid,profile,email',
    );
    expect(role({ headers: bearer({ scope: '   ' }), srcRole: null })).toBeNull();
    // Only a role read from a scope is split at spaces: a role claim keeps its spaces.
    expect(role({ headers: bearer({ role: 'Account Manager', scope: 'a b' }) })).toBe(
      'Account Manager',
    );
    expect(role({ headers: { 'x-role': 'ops, audit' } })).toBe('ops, audit');
    expect(role({ srcRole: 'read write' })).toBe('read write');
    // The session key and the user read a scope as written.
    const scoped = compileExtractor([
      { kind: 'jwt', name: 'scope', names: 'session', secret: false },
      { kind: 'jwt', name: 'scope', names: 'user', secret: false },
    ])(req({ headers: bearer({ scope: 'read write' }) }));
    expect([scoped.keyValue, scoped.user]).toEqual(['read write', 'read write']);
  });

  it('ignores malformed tokens: the raw Authorization value (hashed later) keys the session', () => {
    const r = extract(req({ headers: { authorization: 'Bearer not.a.jwt' } }));
    expect(keyKindLabel(params[r.keyParam])).toBe('header:authorization');
    expect(params[r.keyParam]!.secret).toBe(true);
    expect(r.user).toBeNull();
  });

  it('gives a secret user or role only as the caller hides it; a secret key as it is', () => {
    const secretParams = [
      { kind: 'query', name: 'api_key', names: 'session', secret: true },
      { kind: 'query', name: 'api_key', names: 'user', secret: true },
      { kind: 'query', name: 'tier', names: 'role', secret: true },
      { kind: 'query', name: 'team', names: 'role', secret: false },
    ] as const;
    const input = req({ query: 'api_key=ak_live_1&tier=gold&team=blue' });
    const r = compileExtractor([...secretParams], (v) => `hidden(${v})`)(input);
    expect([r.keyValue, r.user, r.role]).toEqual([
      'ak_live_1',
      'hidden(ak_live_1)',
      'hidden(gold)',
    ]);
    const plain = compileExtractor([...secretParams.slice(0, 1), ...secretParams.slice(3)])(input);
    expect(plain.role).toBe('blue');
    // Without a way to hide it, a secret user is never given in clear.
    expect(() => compileExtractor([...secretParams])(input)).toThrow(/secret user or role/);
  });

  it('reads users and roles from headers and source columns', () => {
    const r = extract(req({ headers: { 'x-user': 'bob', 'x-role': 'ops' } }));
    expect([r.user, r.role]).toEqual(['bob', 'ops']);
    const s = extract(req({ srcUser: 'carol', srcRole: 'auditor', headers: { 'x-user': 'bob' } }));
    expect([s.user, s.role]).toEqual(['carol', 'auditor']);
  });

  it("puts the investigator's parameters first", () => {
    const settings = analysisSettingsSchema.parse({
      contextParams: [
        { kind: 'query', name: 'tenant_sess' },
        { kind: 'header', name: 'X-Customer', names: 'user' },
      ],
    });
    const p = effectiveParams(settings);
    const ex = compileExtractor(p);
    const r = ex(
      req({
        query: 'a=1&tenant_sess=T%207',
        cookies: 'JSESSIONID=j',
        headers: { 'x-customer': 'acme', 'x-user': 'bob' },
      }),
    );
    expect(keyKindLabel(p[r.keyParam])).toBe('query:tenant_sess');
    expect(r.keyValue).toBe('T 7');
    expect(r.user).toBe('acme');
  });

  it('finds keys issued by Set-Cookie and by a JSON login response', () => {
    const fromCookie = issuedKeys(
      params,
      { 'set-cookie': 'theme=x; Path=/\nJSESSIONID=NEW1; HttpOnly' },
      null,
    );
    expect(fromCookie).toEqual([
      { keyParam: params.findIndex((x) => x.name === 'JSESSIONID'), keyValue: 'NEW1' },
    ]);
    const fromBody = issuedKeys(params, null, JSON.stringify({ access_token: jwt({ sub: 'u7' }) }));
    expect(keyKindLabel(params[fromBody[0]!.keyParam])).toBe('jwt:sub');
    expect(fromBody[0]!.keyValue).toBe('u7');
    expect(
      issuedKeys(params, { 'set-cookie': 'JSESSIONID=deleted; Max-Age=0' }, '{broken'),
    ).toEqual([]);
  });
});

describe('issued keys', () => {
  const at = (name: string): number => params.findIndex((x) => x.name === name);
  const keyOf = (cookies: string) => {
    const c = extract(req({ cookies }));
    return { keyParam: c.keyParam, keyValue: c.keyValue };
  };

  it('a quoted Set-Cookie value is the key a quoted or bare Cookie presents', () => {
    const issued = issuedKeys(params, { 'set-cookie': 'sid="Q123"; Path=/' }, null);
    expect(issued).toEqual([keyOf('sid="Q123"')]);
    expect(issued).toEqual([keyOf('sid=Q123')]);
    expect(issuedKeys(params, { 'set-cookie': 'sid=""; Max-Age=0' }, null)).toEqual([]);
  });

  it('lists every session key a response issues, in parameter order', () => {
    const headers = { 'set-cookie': 'sid=S1; Path=/\ntheme=x\nJSESSIONID=J1; Path=/app' };
    const all = issuedKeyCandidates(params, headers, null);
    expect(all).toEqual([
      { keyParam: at('JSESSIONID'), keyValue: 'J1' },
      { keyParam: at('sid'), keyValue: 'S1' },
    ]);
    // Linked by the one later requests present: only sid here (JSESSIONID is for /app).
    const presented = new Set([JSON.stringify(keyOf('sid=S1'))]);
    expect(pickIssuedKey(all, (k) => presented.has(JSON.stringify(k)))).toEqual(all[1]);
    // A client presenting both is keyed by JSESSIONID, which is also the choice when the
    // later requests are not known.
    expect(keyOf('sid=S1; JSESSIONID=J1')).toEqual(all[0]);
    expect(pickIssuedKey(all, () => false)).toEqual(all[0]);
    expect(issuedKeys(params, headers, null)).toEqual([all[0]]);
    expect(pickIssuedKey([], () => true)).toBeUndefined();
  });
});

describe('queryParamNames', () => {
  it('lists each name once in first-seen order, decoded, without empty names', () => {
    expect(queryParamNames('b=1&a=2&b=3&&=x&c&%61=4&d%20e=5')).toEqual(['b', 'a', 'c', 'd e']);
    expect(queryParamNames(null)).toEqual([]);
  });

  it('leaves out a fragment kept in the query: the server never read it as a parameter', () => {
    expect(queryParamNames('a=1&b=2#c=3&d')).toEqual(['a', 'b']);
    expect(queryParamNames('#x=1')).toEqual([]);
    expect(queryParam('sid=abc#frag', 'sid')).toBe('abc');
    expect(queryParam('a=1#sid=abc', 'sid')).toBeNull();
  });

  it("takes a fuzzer's query of 50,000 parameters, every name once", () => {
    const q = Array.from({ length: 50_000 }, (_, i) => `p${i % 25_000}=${i}`).join('&');
    const names = queryParamNames(q);
    expect(names.length).toBe(25_000);
    expect(names[24_999]).toBe('p24999');
  });
});
