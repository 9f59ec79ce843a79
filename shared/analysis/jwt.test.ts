import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bearerToken, claimString, decodeJwt, roleClaimString } from './jwt.js';
import { b64url, bytesToBase64Url } from './jwtTestToken.js';

const b64 = b64url;
const jwt = (payload: unknown): string =>
  `${b64('{"alg":"HS256"}')}.${b64(JSON.stringify(payload))}.sig`;

describe('decodeJwt', () => {
  it('decodes header and payload without verifying', () => {
    const d = decodeJwt(jwt({ sub: 'alice', roles: ['admin', 'ops'], n: 3, name: 'Zoë ✓' }));
    expect(d?.header).toEqual({ alg: 'HS256' });
    expect(d?.payload.sub).toBe('alice');
    expect(d?.payload.name).toBe('Zoë ✓');
    expect(claimString(d!.payload, 'roles')).toBe('admin,ops');
    expect(claimString(d!.payload, 'n')).toBe('3');
    expect(claimString(d!.payload, 'missing')).toBeNull();
  });

  it('reads a space-separated scope as a role list, other claims as claimString does', () => {
    const p = {
      scope: 'read  write\tadmin',
      scp: 'a b',
      roles: ['admin', 'billing'],
      role: 'Account Manager',
      blank: ' ',
      n: 3,
    };
    expect(roleClaimString(p, 'scope')).toBe('read,write,admin');
    expect(roleClaimString(p, 'scp')).toBe('a,b');
    expect(roleClaimString({ scope: ' \t ' }, 'scope')).toBeNull();
    expect(roleClaimString({ scp: ['x', 'y'] }, 'scp')).toBe('x,y');
    for (const c of ['roles', 'role', 'blank', 'n', 'missing'])
      expect(roleClaimString(p, c)).toBe(claimString(p, c));
  });

  it.each([
    ['empty', ''],
    ['one part', 'abc'],
    ['two parts', 'abc.def'],
    ['four parts', 'a.b.c.d'],
    ['bad base64', '!!!.@@@.x'],
    ['payload not JSON', `${b64('{}')}.${b64('not json')}.x`],
    ['payload an array', `${b64('{}')}.${b64('[1,2]')}.x`],
    ['payload null', `${b64('{}')}.${b64('null')}.x`],
    ['invalid UTF-8', `${b64('{}')}.${bytesToBase64Url([0x7b, 0xff, 0x7d])}.x`],
    ['empty payload', `${b64('{}')}..x`],
    ['huge', 'a'.repeat(20_000) + '.b.c'],
  ])('returns null for a malformed token (%s)', (_name, token) => {
    expect(decodeJwt(token)).toBeNull();
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
        const r = decodeJwt(`${a}.${b}.${c}`);
        expect(r === null || typeof r.payload === 'object').toBe(true);
      }),
    );
  });

  it('round-trips any JSON object payload', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (payload) => {
        expect(decodeJwt(jwt(payload))?.payload).toEqual(payload);
      }),
    );
  });

  it('finds a bearer token only with the Bearer scheme', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer   x')).toBe('x');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });
});
