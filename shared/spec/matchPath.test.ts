import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpecMatcher, matchTemplate, pathSegments } from './matchPath.js';

const routes = [
  { method: 'GET', pathTemplate: '/users/{id}' },
  { method: 'GET', pathTemplate: '/users/me' },
  { method: 'GET', pathTemplate: '/users/{id}/orders/{orderId}' },
  { method: 'POST', pathTemplate: '/users' },
  { method: 'GET', pathTemplate: '/files/{name}.json' },
  { method: 'GET', pathTemplate: '/' },
];

describe('matchTemplate', () => {
  it('matches one segment per parameter, never zero or two', () => {
    expect(matchTemplate('/users/{id}', '/users/42')).toBe(true);
    expect(matchTemplate('/users/{id}', '/users/')).toBe(false);
    expect(matchTemplate('/users/{id}', '/users/42/x')).toBe(false);
    expect(matchTemplate('/users/{id}', '/users')).toBe(false);
  });
  it('compares literals after percent-decoding and ignores a trailing slash', () => {
    expect(matchTemplate('/a b/{x}', '/a%20b/1')).toBe(true);
    expect(matchTemplate('/users', '/users/')).toBe(true);
    expect(matchTemplate('/Users', '/users')).toBe(false);
  });
  it('matches mixed segments by pattern', () => {
    expect(matchTemplate('/files/{name}.json', '/files/report.json')).toBe(true);
    expect(matchTemplate('/files/{name}.json', '/files/report.xml')).toBe(false);
  });
  it('accepts an observed endpoint template where the spec has a parameter', () => {
    expect(matchTemplate('/users/{userId}', '/users/{id}')).toBe(true);
    expect(matchTemplate('/users/me', '/users/{id}')).toBe(false);
  });
  it('property: any non-empty segment values fill the parameters', () => {
    const seg = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/);
    fc.assert(
      fc.property(seg, seg, (a, b) =>
        matchTemplate('/users/{id}/orders/{orderId}', `/users/${a}/orders/${b}`),
      ),
    );
  });
  it('splits paths into segments', () => {
    expect(pathSegments('/')).toEqual([]);
    expect(pathSegments('/a/b/')).toEqual(['a', 'b']);
  });
});

describe('SpecMatcher', () => {
  const m = new SpecMatcher(routes, ['']);
  it('prefers the literal template over a parameter', () => {
    expect(m.match('GET', '/users/me')?.pathTemplate).toBe('/users/me');
    expect(m.match('GET', '/users/7')?.pathTemplate).toBe('/users/{id}');
    expect(m.match('GET', '/users/7/orders/9')?.pathTemplate).toBe('/users/{id}/orders/{orderId}');
  });
  it('matches by method; HEAD falls back to GET', () => {
    expect(m.match('POST', '/users')?.pathTemplate).toBe('/users');
    expect(m.match('GET', '/users')).toBeNull();
    expect(m.match('DELETE', '/users/7')).toBeNull();
    expect(m.match('head', '/users/7')?.pathTemplate).toBe('/users/{id}');
    expect(m.match('GET', '/')?.pathTemplate).toBe('/');
  });
  it('honours base paths, longest first, and nothing outside them', () => {
    const b = new SpecMatcher(routes, ['/api/v1', '']);
    expect(b.match('GET', '/api/v1/users/me')?.pathTemplate).toBe('/users/me');
    expect(b.match('GET', '/users/me')?.pathTemplate).toBe('/users/me');
    const only = new SpecMatcher(routes, ['/api/v1']);
    expect(only.match('GET', '/users/me')).toBeNull();
    expect(only.match('GET', '/api/v1')?.pathTemplate).toBe('/');
    expect(only.match('GET', '/api/v10/users/me')).toBeNull();
  });
});
