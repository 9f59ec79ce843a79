import { afterAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../shared/model/requestRecord.js';
import { AppError } from '../../../shared/contract/errors.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { importSource } from '../importSource.js';
import { compileLogFormat, createNginxParser } from './nginxLogFormat.js';

const COMBINED_PLUS =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for" rt=$request_time urt="$upstream_response_time" rid=$request_id';

function parse(fmt: string, line: string, tz = 'UTC'): RequestRecord {
  const r = createNginxParser({ logFormat: fmt, tz }).parse(line, 1);
  if (typeof r === 'string') throw new Error(`rejected: ${r}`);
  return r;
}

describe('nginx log_format', () => {
  it('reads $request and $request_uri targets with the shared rules: spaces, fragment, userinfo', () => {
    const fmt = '$remote_addr [$time_local] "$request" $status';
    const at = '203.0.113.9 [10/Oct/2024:13:55:36 +0200]';
    expect(parse(fmt, `${at} "GET /s?q=' OR 1=1-- HTTP/1.1" 200`)).toMatchObject({
      method: 'GET',
      path: '/s',
      query: "q=' OR 1=1--",
      protocol: 'HTTP/1.1',
    });
    const uri = parse(
      '$remote_addr [$time_local] "$request_uri" $status',
      `${at} "https://user:pass@x.example/cred#<svg>" 200`,
    );
    expect(uri).toMatchObject({
      host: 'x.example',
      path: '/cred#<svg>',
      extra: { userinfo: 'user:pass' },
    });
  });

  it('maps the usual variables to fields, keeping upstream times as logged', () => {
    const r = parse(
      COMBINED_PLUS,
      '203.0.113.9 - bob [10/Oct/2024:13:55:36 +0200] "POST /login?next=%2F HTTP/2.0" 302 0 "https://shop/" "Mozilla/5.0 (X11)" "198.51.100.7" rt=0.120 urt="0.010, 0.020" rid=abc123',
    );
    expect(r).toMatchObject({
      tsUs: Date.UTC(2024, 9, 10, 11, 55, 36) * 1000,
      ip: '203.0.113.9',
      srcUser: 'bob',
      method: 'POST',
      path: '/login',
      query: 'next=%2F',
      protocol: 'HTTP/2.0',
      status: 302,
      respBytes: 0,
      referer: 'https://shop/',
      userAgent: 'Mozilla/5.0 (X11)',
      xff: '198.51.100.7',
      latencyMs: 120,
      requestId: 'abc123',
    });
    expect(r.extra).toEqual({ upstream_response_time: '0.010, 0.020' });
  });

  it('treats "-" as no value', () => {
    const r = parse(
      COMBINED_PLUS,
      '::1 - - [10/Oct/2024:13:55:36 +0000] "GET / HTTP/1.1" 200 12 "-" "-" "-" rt=0.000 urt="-" rid=-',
    );
    expect(r).toMatchObject({ ip: '::1', srcUser: null, referer: null, xff: null, latencyMs: 0 });
    expect(r.extra).toBeNull();
  });

  it('reads $time_iso8601, $msec, split request parts, headers, cookies and unknown variables', () => {
    const fmt =
      '$time_iso8601|$msec|$request_method|$scheme://$host$request_uri|$server_protocol|$status|$bytes_sent|$request_length|$http_x_api_key|$sent_http_content_type|$cookie_sid|$cookie_lang|$geoip_country';
    const r = parse(
      fmt,
      '2024-03-10T01:59:59+01:00|1710032399.123|get|https://api.example/v1/items?id=3|HTTP/1.1|201|734|88|k-1|application/json|S1|fa|IR',
    );
    expect(r).toMatchObject({
      // $msec comes after $time_iso8601 and, being finer, is what the record keeps.
      tsUs: 1710032399123000,
      method: 'GET',
      scheme: 'https',
      host: 'api.example',
      path: '/v1/items',
      query: 'id=3',
      status: 201,
      respBytes: 734,
      reqBytes: 88,
      headers: { 'x-api-key': 'k-1' },
      respHeaders: { 'content-type': 'application/json' },
      cookies: 'sid=S1; lang=fa',
    });
    expect(r.extra).toEqual({ geoip_country: 'IR' });
  });

  it('lets a quoted value hold an escaped quote (escape=json)', () => {
    const r = parse(
      '$remote_addr [$time_local] "$http_user_agent" $status',
      '1.2.3.4 [10/Oct/2024:13:55:36 +0000] "say \\"hi\\" \\" x" 200',
    );
    expect(r.userAgent).toBe('say \\"hi\\" \\" x');
    expect(r.status).toBe(200);
  });

  it('reads zone-less $time_local in the given zone', () => {
    const r = parse('[$time_local] $status', '[31/Mar/2024:03:30:00] 200', 'Europe/Berlin');
    expect(new Date(r.tsUs / 1000).toISOString()).toBe('2024-03-31T01:30:00.000Z');
  });

  it('rejects lines that do not fit, with the reason', () => {
    const p = createNginxParser({ logFormat: COMBINED_PLUS, tz: 'UTC' });
    expect(p.parse('garbage', 1)).toMatch(/does not match the log_format/);
    expect(p.parse('', 1)).toBe('empty line');
    expect(
      createNginxParser({ logFormat: '[$time_local] $status', tz: 'UTC' }).parse('x', 1),
    ).toMatch(/does not start with "\["/);
    expect(
      createNginxParser({ logFormat: '[$time_local] $status', tz: 'UTC' }).parse('[-] 200', 1),
    ).toMatch(/no time/);
    expect(
      createNginxParser({ logFormat: '[$time_local] $status', tz: 'UTC' }).parse(
        '[10/Oct/2024:13:55:36 +0000] abc',
        1,
      ),
    ).toMatch(/bad status/);
  });

  it('refuses formats it cannot read, saying why', () => {
    expect(() => compileLogFormat('$remote_addr $status')).toThrow(/no time variable/);
    expect(() => compileLogFormat('[$time_local] $status$body_bytes_sent')).toThrow(/touch/);
    expect(() => compileLogFormat('plain text')).toThrow(/no \$variables/);
    expect(() => createNginxParser({ tz: 'UTC' })).toThrow(AppError);
  });

  it('accepts a format pasted from nginx.conf with its quotes', () => {
    const c = compileLogFormat(`'$remote_addr [$time_local] '\n    '"$request" $status';`);
    expect(c.names).toEqual(['remote_addr', 'time_local', 'request', 'status']);
  });
});

describe('nginx format through importSource', () => {
  const ws = tempWorkspace();
  afterAll(() => ws.cleanup());

  it('is chosen by --format/--log-format only and accounts for every line', async () => {
    const file = ws.file(
      'custom.log',
      [
        '10.0.0.1 [10/Oct/2024:13:55:36 +0000] "GET /a HTTP/1.1" 200 0.010',
        'not a line of this log',
        '10.0.0.2 [10/Oct/2024:13:55:37 +0000] "GET /b HTTP/1.1" 404 1.500',
      ].join('\n'),
    );
    const db = ws.openCase();
    const logFormat = '$remote_addr [$time_local] "$request" $status $request_time';
    const r = await importSource(db, file, { format: 'nginx', logFormat });
    expect(r).toMatchObject({ format: 'nginx', lines: 3, accepted: 2, rejected: 1 });
    const lat = db.prepare('SELECT latency_ms FROM requests ORDER BY line_no').pluck().all();
    expect(lat).toEqual([10, 1500]);
    const src = db.prepare('SELECT parser_options FROM sources').pluck().get() as string;
    expect(JSON.parse(src)).toMatchObject({ logFormat });
  });

  it('fails before touching the case when the log_format is missing or bad', async () => {
    const file = ws.file('x.log', 'a\n');
    const db = ws.openCase('bad.sscase');
    await expect(importSource(db, file, { format: 'nginx' })).rejects.toThrow(/log_format/);
    await expect(
      importSource(db, file, { format: 'nginx', logFormat: '$remote_addr' }),
    ).rejects.toThrow(/no time variable/);
    expect(db.prepare('SELECT count(*) FROM sources').pluck().get()).toBe(0);
  });
});
