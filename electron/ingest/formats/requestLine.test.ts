import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyRecord, fillTarget, parseTarget } from '../../../shared/model/requestRecord.js';
import { applyRequestLine } from './requestLine.js';

type Rec = ReturnType<typeof emptyRecord>;

function fromParts(method: string, target: string, protocol: string | undefined): Rec {
  const rec = emptyRecord();
  rec.method = method.toUpperCase();
  fillTarget(rec, target);
  rec.protocol = protocol ?? null;
  return rec;
}

function notARequest(line: string): Rec {
  const rec = emptyRecord();
  if (line !== '-' && line !== '') rec.extra = { request_line: line };
  return rec;
}

/**
 * The request-line reading before targets could hold spaces: the regex alone. Every line it
 * read must still be read the same way (and mostly by the scanner, which it was written for).
 */
function byRegex(line: string): Rec | null {
  const m = /^([A-Za-z][A-Za-z0-9_-]{0,31}) (\S+)(?: (HTTP\/[0-9.]+|HTTPS?\/\S*))?$/.exec(line);
  return m ? fromParts(m[1]!, m[2]!, m[3]) : null;
}

/**
 * The definition, in words: a method, then the target, then a protocol when the last word is
 * one; the target is the words between, joined by the spaces that separated them, and holds
 * something other than white space.
 */
function byWords(line: string): Rec {
  const words = line.split(' ');
  const method = words[0]!;
  if (words.length < 2 || !/^[A-Za-z][A-Za-z0-9_-]{0,31}$/.test(method)) return notARequest(line);
  const protocol =
    words.length > 2 && /^HTTPS?\/\S*$/.test(words.at(-1)!) ? words.at(-1) : undefined;
  const target = words.slice(1, protocol === undefined ? undefined : -1).join(' ');
  return /\S/.test(target) ? fromParts(method, target, protocol) : notARequest(line);
}

function read(line: string): Rec {
  const rec = emptyRecord();
  applyRequestLine(rec, line);
  return rec;
}

const piece = fc.oneof(
  fc.constantFrom('GET', 'get', 'PoSt', 'M-SEARCH', 'X_1', '1GET', 'A'.repeat(32), 'A'.repeat(33)),
  fc.constantFrom('/', '/a?b=1', 'http://h:8/x?y', '*', '/é', '/a\tb', '/a\u00a0b', '\u0001'),
  fc.constantFrom(
    'HTTP/1.1',
    'HTTP/2',
    'HTTPS/1',
    'HTTP/',
    'HTTPS/',
    'HTTP',
    'http/1.1',
    'HTTPX/1',
  ),
  fc.string({ maxLength: 6 }),
);
const sep = fc.constantFrom(' ', ' ', ' ', '  ', '\t', '');
const requestLine = fc.oneof(
  fc.tuple(piece, sep, piece, sep, piece, fc.constantFrom('', ' ')).map((p) => p.join('')),
  fc.tuple(piece, sep, piece).map((p) => p.join('')),
  // Targets with spaces in them: several words between the method and the protocol.
  fc.array(fc.tuple(piece, sep), { minLength: 3, maxLength: 6 }).map((ws) => ws.flat().join('')),
  fc.string({ maxLength: 30 }),
);

describe('request line', () => {
  it('reads every line as its definition says', () => {
    fc.assert(
      fc.property(requestLine, (line) => {
        expect(read(line)).toEqual(byWords(line));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a line the old regex read as it did', () => {
    fc.assert(
      fc.property(requestLine, (line) => {
        const old = byRegex(line);
        if (old !== null) expect(read(line)).toEqual(old);
      }),
      { numRuns: 3000 },
    );
  });

  it('splits a plain line into method, path, query and protocol', () => {
    const rec = read('get /api/users/42?x=1 HTTP/1.1');
    expect([rec.method, rec.path, rec.query, rec.protocol]).toEqual([
      'GET',
      '/api/users/42',
      'x=1',
      'HTTP/1.1',
    ]);
  });

  it.each([
    // The target runs to the last word when that is a protocol, spaces and all.
    ["GET /search?q=' OR 1=1-- HTTP/1.1", '/search', "q=' OR 1=1--", 'HTTP/1.1'],
    [
      'GET /p?q=<script>alert(1)</script> x HTTP/1.1',
      '/p',
      'q=<script>alert(1)</script> x',
      'HTTP/1.1',
    ],
    ["GET /admin' OR '1'='1 HTTP/1.0", "/admin' OR '1'='1", null, 'HTTP/1.0'],
    ['GET /a HTTP/1.1 HTTP/1.1', '/a HTTP/1.1', null, 'HTTP/1.1'],
    ['GET /a?x=1 HTTP/1.1  HTTP/2', '/a', 'x=1 HTTP/1.1 ', 'HTTP/2'],
    // Without a protocol (HTTP/0.9, a line cut short) the target is the rest of the line.
    ["GET /search?q=' OR 1=1--", '/search', "q=' OR 1=1--", null],
    ['GET /a HTTPX/1', '/a HTTPX/1', null, null],
    ['GET /a b ', '/a b ', null, null],
    ['GET /é?q=a\tb HTTP/1.1', '/é', 'q=a\tb', 'HTTP/1.1'],
  ])('%j has path %j, query %j, protocol %j', (line, path, query, protocol) => {
    const rec = read(line);
    expect(rec).toMatchObject({ method: 'GET', path, query, protocol, extra: null });
  });

  it.each([
    '\x16\x03\x01\x00',
    'GET  HTTP/1.1',
    'GET   HTTP/1.1',
    'GET ',
    'GET \t ',
    ' GET /a HTTP/1.1',
    '1GET /a HTTP/1.1',
    'GET\t/a HTTP/1.1',
    `${'A'.repeat(33)} /a HTTP/1.1`,
    '<BADREQ>',
  ])('keeps %j, which is no request, whole in extra', (line) => {
    expect(read(line)).toEqual(notARequest(line));
  });

  it('keeps a fragment where it was sent, and userinfo out of the host', () => {
    expect(read('GET /a?x=1#<script>alert(1)</script> HTTP/1.1')).toMatchObject({
      path: '/a',
      query: 'x=1#<script>alert(1)</script>',
    });
    expect(read('GET https://user:pass@x.example/cred HTTP/1.1')).toMatchObject({
      scheme: 'https',
      host: 'x.example',
      path: '/cred',
      extra: { userinfo: 'user:pass' },
    });
  });
});

describe('an absolute target’s host', () => {
  it.each([
    ['https://example.com:443/a', 'example.com'],
    ['http://example.com:80/a', 'example.com'],
    ['HTTPS://Example.com:443', 'Example.com'],
    ['wss://example.com:443/s', 'example.com'],
    ['https://[::1]:443/', '[::1]'],
    // Another port, or the other scheme's, is part of the host.
    ['https://example.com:80/a', 'example.com:80'],
    ['http://example.com:443/a', 'example.com:443'],
    ['http://example.com:8080/a', 'example.com:8080'],
    ['https://example.com:4430/a', 'example.com:4430'],
    ['ftp://example.com:443/a', 'example.com:443'],
    // A port alone is not turned into no host at all.
    ['https://:443/a', ':443'],
  ])('%s → %s', (target, host) => {
    expect(parseTarget(target).host).toBe(host);
  });
});
