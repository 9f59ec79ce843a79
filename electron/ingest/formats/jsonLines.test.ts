import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDb } from '../../store/openCase.js';
import { corpusFile, describeCorpus } from '../../../test/corpus.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { importAndRead } from '../../../test/importedRows.js';
import type { ImportOptions } from '../importSource.js';
import { makeSniffSample, sniffFormat } from './index.js';
import { explainJsonLine, jsonLinesFormat, sniffJsonLines } from './jsonLines.js';

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-jsonl-');
  db = ws.openCase();
});
afterEach(() => ws.cleanup());

const load = (file: string, opts: ImportOptions = {}) =>
  importAndRead(db, file, { force: true, ...opts });

const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
const lines = (...objs: (object | string)[]): string =>
  objs.map((o) => (typeof o === 'string' ? o : JSON.stringify(o))).join('\n') + '\n';

describe('JSON lines: known shapes', () => {
  it('maps a Caddy access record, keeping unmapped fields in extra', async () => {
    const caddy = {
      level: 'info',
      ts: 1716723772.5,
      logger: 'http.log.access.log0',
      msg: 'handled request',
      request: {
        remote_ip: '10.0.0.2',
        remote_port: '5555',
        client_ip: '203.0.113.9',
        proto: 'HTTP/2.0',
        method: 'post',
        host: 'shop.example',
        uri: '/cart/add?item=7&qty=2',
        headers: {
          'User-Agent': ['curl/8.0'],
          Cookie: ['sid=abc', 'theme=dark'],
          'X-Forwarded-For': ['203.0.113.9, 10.0.0.1'],
          Accept: ['a/b', 'c/d'],
        },
        tls: { resumed: false, proto: 'h2' },
      },
      bytes_read: 12,
      user_id: 'alice',
      duration: 0.0421,
      size: 512,
      status: 201,
      resp_headers: { 'Set-Cookie': ['a=1; Path=/', 'b=2, x; HttpOnly'], Server: ['Caddy'] },
    };
    const { r, requests } = await load(ws.file('caddy.log', lines(caddy)));
    expect(r.format).toBe('jsonl');
    expect(requests[0]).toMatchObject({
      line_no: 1,
      ts_us: 1716723772500000,
      ip: '203.0.113.9',
      xff: '203.0.113.9, 10.0.0.1',
      method: 'POST',
      scheme: 'https',
      host: 'shop.example',
      path: '/cart/add',
      query: 'item=7&qty=2',
      protocol: 'HTTP/2.0',
      status: 201,
      latency_ms: 42.1,
      req_bytes: 12,
      resp_bytes: 512,
      user_agent: 'curl/8.0',
      cookies: 'sid=abc; theme=dark',
      src_user: 'alice',
    });
    expect(json(requests[0]!.headers)).toEqual({
      'user-agent': 'curl/8.0',
      'x-forwarded-for': '203.0.113.9, 10.0.0.1',
      accept: 'a/b, c/d',
    });
    expect(json(requests[0]!.resp_headers)).toEqual({
      'set-cookie': 'a=1; Path=/\nb=2, x; HttpOnly',
      server: 'Caddy',
    });
    expect(json(requests[0]!.extra)).toEqual({
      // Read as seconds: kept as written, so the unit assumed shows.
      duration: 0.0421,
      level: 'info',
      logger: 'http.log.access.log0',
      msg: 'handled request',
      request: { remote_ip: '10.0.0.2', remote_port: '5555', tls: { resumed: false, proto: 'h2' } },
    });
  });

  it('maps Envoy, Traefik and Cloudflare (ns epoch and RFC 3339) records', async () => {
    const envoy = {
      start_time: '2024-05-01T10:00:00.250Z',
      method: 'GET',
      'x-envoy-original-path': '/v1/users?id=3',
      path: '/users?id=3',
      protocol: 'HTTP/1.1',
      response_code: 503,
      response_flags: 'UF',
      bytes_received: 0,
      bytes_sent: 91,
      duration: 12,
      'x-forwarded-for': '198.51.100.4',
      'user-agent': 'okhttp/4',
      'x-request-id': 'b4f8c2d0',
      authority: 'api.example',
      upstream_host: '10.1.2.3:8080',
      downstream_remote_address: '198.51.100.4:61000',
    };
    const traefik = {
      ClientHost: '192.0.2.10',
      ClientUsername: '-',
      RequestMethod: 'GET',
      RequestPath: '/dash?tab=2',
      RequestProtocol: 'HTTP/1.1',
      RequestHost: 'app.example',
      RequestScheme: 'https',
      DownstreamStatus: 302,
      DownstreamContentSize: 31,
      Duration: 2_500_000,
      StartUTC: '2024-05-01T10:00:01.123456789Z',
      'request_User-Agent': 'Firefox/125',
      request_Cookie: 'sid=zz',
      'downstream_Set-Cookie': 'sid=yy',
      RouterName: 'web@docker',
    };
    const cfNs = {
      ClientIP: '2001:db8::5',
      ClientRequestHost: 'www.example.com',
      ClientRequestMethod: 'GET',
      ClientRequestURI: '/about?x=1',
      ClientRequestProtocol: 'HTTP/2',
      ClientRequestUserAgent: '',
      ClientRequestReferer: 'https://www.google.com/',
      EdgeStartTimestamp: 1712790001180000000,
      EdgeEndTimestamp: 1712790001200000000,
      EdgeResponseBytes: 8320,
      EdgeResponseStatus: 403,
      RayID: '87a1b2c3d4e5f002',
      WAFAction: 'block',
    };
    const cfIso = {
      ClientIP: '87.226.160.250',
      ClientRequestMethod: 'HEAD',
      ClientRequestURI: '/',
      EdgeStartTimestamp: '2022-10-30T00:00:02Z',
      EdgeEndTimestamp: '2022-10-30T00:00:02Z',
      EdgeResponseStatus: 301,
    };
    const { requests } = await load(ws.file('mixed.jsonl', lines(envoy, traefik, cfNs, cfIso)));
    const [e, t, c, c2] = requests;
    expect(e).toMatchObject({
      ts_us: Date.UTC(2024, 4, 1, 10, 0, 0, 250) * 1000,
      ip: '198.51.100.4',
      xff: '198.51.100.4',
      method: 'GET',
      path: '/v1/users',
      query: 'id=3',
      host: 'api.example',
      status: 503,
      latency_ms: 12,
      req_bytes: 0,
      resp_bytes: 91,
      user_agent: 'okhttp/4',
      request_id: 'b4f8c2d0',
    });
    // The rewritten path, the upstream, the address with its port and the duration (whose
    // unit, milliseconds, is Envoy's and not its key's) stay in extra.
    expect(json(e!.extra)).toEqual({
      duration: 12,
      path: '/users?id=3',
      response_flags: 'UF',
      upstream_host: '10.1.2.3:8080',
      downstream_remote_address: '198.51.100.4:61000',
    });
    expect(t).toMatchObject({
      ts_us: Date.UTC(2024, 4, 1, 10, 0, 1, 123) * 1000 + 456,
      ip: '192.0.2.10',
      method: 'GET',
      scheme: 'https',
      host: 'app.example',
      path: '/dash',
      query: 'tab=2',
      status: 302,
      latency_ms: 2.5,
      resp_bytes: 31,
      user_agent: 'Firefox/125',
      cookies: 'sid=zz',
      src_user: null,
    });
    expect(json(t!.resp_headers)).toEqual({ 'set-cookie': 'sid=yy' });
    expect(json(t!.extra)).toEqual({
      ClientUsername: '-',
      Duration: 2500000,
      RouterName: 'web@docker',
    });
    expect(c).toMatchObject({
      ts_us: 1712790001180000,
      ip: '2001:db8::5',
      host: 'www.example.com',
      path: '/about',
      query: 'x=1',
      status: 403,
      latency_ms: 20,
      user_agent: null,
      referer: 'https://www.google.com/',
      request_id: '87a1b2c3d4e5f002',
      resp_bytes: 8320,
    });
    expect(json(c!.extra)).toMatchObject({ WAFAction: 'block', ClientRequestUserAgent: '' });
    // Whole-second RFC 3339 stamps are too coarse for a latency.
    expect(c2).toMatchObject({ ts_us: Date.UTC(2022, 9, 30, 0, 0, 2) * 1000, latency_ms: null });
  });
});

describe('JSON lines: generic objects', () => {
  it('reads flat and nested generic keys with units from key names, in the given zone', async () => {
    const flat = {
      time: '2024-03-10 01:30:00',
      remote_addr: '203.0.113.50',
      request: 'GET /search?q=%27or%201=1 HTTP/1.1',
      status: '200',
      request_time: 0.25,
      body_bytes_sent: 99,
      http_user_agent: 'sqlmap/1.7',
      session_id: 'S1',
      user: 'bob',
      role: 'admin',
      attack_type: 'sqli',
      tenant: 'acme',
    };
    const ecs = {
      '@timestamp': '2024-03-10T09:00:00.5+01:00',
      source: { ip: '198.51.100.7' },
      http: {
        request: { method: 'put', referrer: 'https://x.example/' },
        response: { status_code: 204, body: { bytes: 0 } },
        version: '1.1',
      },
      url: { path: '/api/items/9', query: 'v=2', domain: 'api.example' },
      user_agent: { original: 'Go-http-client/1.1' },
      event: { duration: 3_000_000 },
      user: { name: 'carol', roles: ['ops', 'dev'] },
    };
    const dotted = {
      '@timestamp': 1709280000123,
      'http.request.method': 'DELETE',
      'url.original': 'https://h.example/x/1?y',
      'http.response.status_code': 404,
      'client.ip': '192.0.2.1',
    };
    const pino = {
      level: 30,
      time: 1709280001000,
      hostname: 'box1',
      req: {
        id: 7,
        method: 'GET',
        url: '/health',
        headers: { host: 'svc.local', 'x-request-id': 'r-1' },
        remoteAddress: '::ffff:10.0.0.9',
      },
      res: { statusCode: 200 },
      responseTime: 1.5,
    };
    const { requests } = await load(ws.file('generic.jsonl', lines(flat, ecs, dotted, pino)), {
      tz: 'Europe/Berlin',
    });
    const [f, e, d, p] = requests;
    expect(f).toMatchObject({
      ts_us: Date.UTC(2024, 2, 10, 0, 30, 0) * 1000, // 01:30 CET
      ip: '203.0.113.50',
      method: 'GET',
      path: '/search',
      query: 'q=%27or%201=1',
      protocol: 'HTTP/1.1',
      status: 200,
      latency_ms: 250,
      resp_bytes: 99,
      user_agent: 'sqlmap/1.7',
      src_session: 'S1',
      src_user: 'bob',
      src_role: 'admin',
      src_label: 'sqli',
    });
    expect(json(f!.extra)).toEqual({ request_time: 0.25, tenant: 'acme' });
    expect(e).toMatchObject({
      ts_us: Date.UTC(2024, 2, 10, 8, 0, 0, 500) * 1000,
      ip: '198.51.100.7',
      method: 'PUT',
      host: 'api.example',
      path: '/api/items/9',
      query: 'v=2',
      protocol: 'HTTP/1.1',
      status: 204,
      latency_ms: 3,
      resp_bytes: 0,
      referer: 'https://x.example/',
      user_agent: 'Go-http-client/1.1',
      src_user: 'carol',
      src_role: 'ops,dev',
    });
    expect(json(e!.extra)).toEqual({ event: { duration: 3000000 } }); // nanoseconds
    expect(d).toMatchObject({
      ts_us: 1709280000123000,
      method: 'DELETE',
      scheme: 'https',
      host: 'h.example',
      path: '/x/1',
      query: 'y',
      status: 404,
      ip: '192.0.2.1',
    });
    expect(p).toMatchObject({
      ts_us: 1709280001000000,
      ip: '::ffff:10.0.0.9',
      method: 'GET',
      path: '/health',
      status: 200,
      latency_ms: 1.5,
      host: 'svc.local',
      request_id: '7',
    });
    // The machine's hostname is not the HTTP host; the header id lost to req.id stays.
    expect(json(p!.extra)).toEqual({ level: 30, hostname: 'box1', responseTime: 1.5 });
    expect(json(p!.headers)).toEqual({ host: 'svc.local', 'x-request-id': 'r-1' });
  });

  it('rejects what is not an access record, with a reason, and counts every line', async () => {
    const text = [
      '{"ts":1716723772.1,"level":"info","msg":"server running"}',
      '',
      'not json at all',
      '[{"method":"GET"}]',
      '{"method":"GET","url":"/a"}',
      '{"method":"GET","url":"/a","time":"yesterday"}',
      '{"method":"GET","url":"/a", "time": 17',
      '42',
      'web-1  | {"time":"2024-01-01T00:00:00Z","method":"GET","path":"/ok","status":200}',
      '{"time":"2024-01-01T00:00:01Z","method":"GET","path":"/p","__proto__":{"polluted":1},"headers":{"__proto__":"x"}}',
    ].join('\r\n');
    const { r, requests, rejects } = await load(ws.file('bad.jsonl', text), { format: 'jsonl' });
    expect(r.lines).toBe(10);
    expect(rejects.map((x) => [x.line_no, x.reason])).toEqual([
      [
        1,
        'not an HTTP access record: no method, URL or status field (log message: "server running")',
      ],
      [2, 'empty line'],
      [3, 'not a JSON object'],
      [4, 'not a JSON object: the line is a JSON array'],
      [
        5,
        'no timestamp field (looked for @timestamp, timestamp, time, ts, datetime, date_time, …)',
      ],
      [6, 'unreadable timestamp in "time": "yesterday"'],
      [7, expect.stringMatching(/^invalid JSON: /) as unknown as string],
      [8, 'not a JSON object'],
    ]);
    expect(rejects[2]!.raw.toString()).toBe('not json at all');
    expect(requests.map((x) => x.line_no)).toEqual([9, 10]);
    expect(requests[0]).toMatchObject({ path: '/ok', status: 200 });
    expect(json(requests[0]!.extra)).toEqual({ _line_prefix: 'web-1  | ' });
    expect(json(requests[1]!.extra)).toEqual({ ['__proto__']: { polluted: 1 } });
    expect(json(requests[1]!.headers)).toEqual({ ['__proto__']: 'x' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('imports its own example', async () => {
    const { r, requests } = await load(ws.file('example.jsonl', jsonLinesFormat.example + '\n'));
    expect(r).toMatchObject({ format: 'jsonl', lines: 1, accepted: 1 });
    expect(requests[0]).toMatchObject({ ip: '203.0.113.7', path: '/api/users/42', latency_ms: 42 });
  });

  it('explains which shape a line matched and where each field came from', () => {
    const ex = explainJsonLine(
      'caddy | {"ts":1.7e9,"request":{"method":"GET","uri":"/"},"status":200,"duration":0.5}',
      'UTC',
    );
    expect(typeof ex).toBe('object');
    if (typeof ex === 'string') return;
    expect(ex.shape).toBe('caddy');
    expect(ex.fields).toEqual(
      expect.arrayContaining([
        { field: 'tsUs', from: 'ts' },
        { field: 'method', from: 'request.method' },
        { field: 'latencyMs', from: 'duration', note: 's' },
      ]),
    );
    expect(explainJsonLine('{"a":1}', 'UTC')).toMatchObject({ shape: 'generic' });
    expect(explainJsonLine('nope', 'UTC')).toBe('not a JSON object');
  });

  it('sniffs JSON lines but not a HAR, an array or an access log', () => {
    const s = (text: string, name = 'x.log') => makeSniffSample(Buffer.from(text), name);
    expect(sniffJsonLines(s('{"a":1}\n{"b":2}\n'))).toBeCloseTo(0.95);
    expect(sniffJsonLines(s('{"log":{"version":"1.2","entries":[]}}\n'))).toBe(0);
    expect(sniffJsonLines(s('[{"a":1}]\n'))).toBe(0);
    expect(
      sniffJsonLines(s('1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1\n')),
    ).toBe(0);
    expect(sniffFormat(s('app | {"time":1,"method":"GET"}\n')).format.id).toBe('jsonl');
  });
});

describeCorpus('JSON lines: corpus', () => {
  it('Caddy access log (mirrors): 4 records with client_ip behind a proxy', async () => {
    const { r, requests } = await load(
      corpusFile('D_proxy_lb_cdn/lnav_caddy_json_access_mirrors-tnonline.log'),
    );
    expect(r).toMatchObject({ format: 'jsonl', lines: 4, accepted: 4, rejected: 0 });
    expect(requests[0]).toMatchObject({
      ts_us: 1716723772601481,
      ip: '10.10.10.117',
      xff: '10.10.10.117',
      method: 'GET',
      host: 'mirrors.tnonline.net:400',
      path: '/gentoo/gentoo-distfiles/distfiles/9b/tl-hrlatex.source-2021.tar.xz',
      protocol: 'HTTP/2.0',
      status: 200,
      latency_ms: 17.557019,
      resp_bytes: 3768,
      user_agent: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    });
    expect(json(requests[0]!.extra)).toMatchObject({ request: { remote_ip: '10.5.1.1' } });
  });

  it('Caddy in docker compose output: 4 access records, 35 startup lines rejected', async () => {
    const { r, requests, rejects } = await load(
      corpusFile('D_proxy_lb_cdn/lnav_caddy_json_docker-compose-prefixed.log'),
    );
    expect(r).toMatchObject({ format: 'jsonl', lines: 39, accepted: 4, rejected: 35 });
    expect(rejects.every((x) => x.reason.startsWith('not an HTTP access record'))).toBe(true);
    expect(requests.map((x) => x.line_no)).toEqual([16, 37, 38, 39]);
    expect(requests[1]).toMatchObject({
      ts_us: 1761019859196494,
      ip: '172.19.0.1',
      method: 'GET',
      host: 'localhost',
      path: '/',
      cookies: 'REDACTED',
      status: 304,
    });
    expect(requests[3]).toMatchObject({ path: '/index.html' });
    expect(json(requests[0]!.extra)).toMatchObject({ _line_prefix: 'caddy  | ' });
  });

  it('Cloudflare Logpush with epoch-nanosecond stamps: 15 records', async () => {
    const { r, requests } = await load(corpusFile('D_proxy_lb_cdn/lnav_cloudflare_logpush.jsonl'));
    expect(r).toMatchObject({ format: 'jsonl', lines: 15, accepted: 15, rejected: 0 });
    expect(requests[0]).toMatchObject({
      ts_us: 1712790000100000,
      ip: '89.163.242.206',
      method: 'GET',
      host: 'www.example.com',
      path: '/',
      protocol: 'HTTP/2',
      status: 200,
      latency_ms: 23,
      resp_bytes: 12480,
      request_id: '87a1b2c3d4e5f001',
    });
    expect(json(requests[0]!.extra)).toMatchObject({ WAFAction: 'allow', ClientCountry: 'US' });
  });
});
