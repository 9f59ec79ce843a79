import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyRecord, splitTarget } from '../../../shared/model/requestRecord.js';
import { applyRequestLine } from './requestLine.js';

/** The request-line reading as it was before the scanner: the regex alone. */
function byRegex(line: string): ReturnType<typeof emptyRecord> {
  const rec = emptyRecord();
  const m = /^([A-Za-z][A-Za-z0-9_-]{0,31}) (\S+)(?: (HTTP\/[0-9.]+|HTTPS?\/\S*))?$/.exec(line);
  if (!m) {
    if (line !== '-' && line !== '') rec.extra = { request_line: line };
    return rec;
  }
  rec.method = m[1]!.toUpperCase();
  const t = splitTarget(m[2]!);
  rec.path = t.path;
  rec.query = t.query;
  if (t.scheme) rec.scheme = t.scheme;
  if (t.host) rec.host = t.host;
  rec.protocol = m[3] ?? null;
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
  fc.string({ maxLength: 30 }),
);

describe('request line', () => {
  it('reads every line exactly as the reference regex does', () => {
    fc.assert(
      fc.property(requestLine, (line) => {
        const rec = emptyRecord();
        applyRequestLine(rec, line);
        expect(rec).toEqual(byRegex(line));
      }),
      { numRuns: 3000 },
    );
  });

  it('splits a plain line into method, path, query and protocol', () => {
    const rec = emptyRecord();
    applyRequestLine(rec, 'get /api/users/42?x=1 HTTP/1.1');
    expect([rec.method, rec.path, rec.query, rec.protocol]).toEqual([
      'GET',
      '/api/users/42',
      'x=1',
      'HTTP/1.1',
    ]);
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
    expect(splitTarget(target).host).toBe(host);
  });
});
