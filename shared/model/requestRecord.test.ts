import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beforeFragment, emptyRecord, fillTarget, parseTarget } from './requestRecord.js';

/** The target as path and query give it back. */
function rejoined(t: { path: string; query: string | null }): string {
  return t.query === null ? t.path : `${t.path}?${t.query}`;
}

describe('a request target', () => {
  it.each([
    // A fragment stays in the part it was sent in: the query when a '?' comes first…
    ['/a?x=1#<script>alert(1)</script>', '/a', 'x=1#<script>alert(1)</script>'],
    ['/a?#x', '/a', '#x'],
    // …else the path, a '?' after the '#' included (it is the fragment's).
    ["/b#' OR 1=1--", "/b#' OR 1=1--", null],
    ['/c#f?x=1', '/c#f?x=1', null],
    ['#x', '#x', null],
    ['/a?x=1', '/a', 'x=1'],
    ['*', '*', null],
  ])('%j has path %j and query %j', (target, path, query) => {
    expect(parseTarget(target)).toEqual({ scheme: null, userinfo: null, host: null, path, query });
  });

  it('loses nothing: path and query give back any target that names no scheme', () => {
    const text = fc.string({
      unit: fc.constantFrom('/', '?', '#', '&', '=', 'a', ' ', '%', ':', '@', 'é'),
      maxLength: 20,
    });
    fc.assert(
      fc.property(text, (target) => {
        fc.pre(!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(target));
        expect(rejoined(parseTarget(target))).toBe(target);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['http://evil.example/c#frag', 'evil.example', '/c#frag', null],
    ['http://evil.example#frag', 'evil.example', '/#frag', null],
    ['http://evil.example?q=1#f', 'evil.example', '/', 'q=1#f'],
    ['https://x.example:443/a?b#c', 'x.example', '/a', 'b#c'],
  ])(
    'an absolute URL %j keeps its fragment: host %j, path %j, query %j',
    (url, host, path, query) => {
      expect(parseTarget(url)).toMatchObject({ host, path, query, userinfo: null });
    },
  );

  it.each([
    ['https://user:pass@x.example/cred', 'user:pass', 'x.example'],
    ['https://user:pass@x.example:443/cred', 'user:pass', 'x.example'],
    ['http://a@b@x.example:8080/', 'a@b', 'x.example:8080'],
    ['http://%40dmin:p%3Ass@x.example', '%40dmin:p%3Ass', 'x.example'],
    ['http://@x.example/', '', 'x.example'],
    ['http://x.example/p@q', null, 'x.example'],
  ])('%j has userinfo %j, and host %j without it', (url, userinfo, host) => {
    expect(parseTarget(url)).toMatchObject({ userinfo, host });
  });
});

describe('fillTarget', () => {
  it('keeps the userinfo in extra, beside what extra held, and out of the host', () => {
    const rec = emptyRecord();
    rec.extra = { ident: 'x' };
    fillTarget(rec, 'https://user:pass@x.example:443/cred?a=1#f');
    expect(rec).toMatchObject({
      scheme: 'https',
      host: 'x.example',
      path: '/cred',
      query: 'a=1#f',
      extra: { ident: 'x', userinfo: 'user:pass' },
    });
  });

  it('adds nothing to extra when there is no userinfo, and leaves an unnamed host alone', () => {
    const rec = emptyRecord();
    rec.host = 'from-header.example';
    fillTarget(rec, '/a#b');
    expect(rec).toMatchObject({ host: 'from-header.example', path: '/a#b', extra: null });
  });
});

describe('beforeFragment', () => {
  it.each([
    ['x=1#<script>', 'x=1'],
    ['/b#c#d', '/b'],
    ['#x', ''],
    ['/a?b', '/a?b'],
  ])('%j → %j', (text, before) => {
    expect(beforeFragment(text)).toBe(before);
  });
});
