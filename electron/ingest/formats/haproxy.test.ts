import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDb } from '../../store/openCase.js';
import { corpusFile, describeCorpus } from '../../../test/corpus.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { importAndRead, type Row } from '../../../test/importedRows.js';
import { FORMATS, makeSniffSample, sniffFormat } from './index.js';
import { haproxyFormat } from './haproxy.js';
import type { ImportOptions } from '../importSource.js';

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-haproxy-');
  db = ws.openCase();
});
afterEach(() => ws.cleanup());

const extraOf = (r: Row | undefined): Record<string, unknown> =>
  JSON.parse(r!.extra as string) as Record<string, unknown>;
const utcUs = (...p: [number, number, number, number, number, number, number]): number =>
  Date.UTC(...p) * 1000;

const load = (path: string, opts: ImportOptions = {}) =>
  importAndRead(db, path, opts, { raw: false });

/** Every column a request row has from a parser (the ids and line number aside). */
const NULLS = {
  xff: null,
  method: null,
  scheme: null,
  host: null,
  path: null,
  query: null,
  protocol: null,
  status: null,
  latency_ms: null,
  req_bytes: null,
  resp_bytes: null,
  user_agent: null,
  referer: null,
  request_id: null,
  cookies: null,
  headers: null,
  req_body: null,
  resp_headers: null,
  resp_body: null,
  src_session: null,
  src_user: null,
  src_role: null,
  src_label: null,
};

const COMMON = {
  termination_state: '----',
  actconn: '1',
  feconn: '1',
  beconn: '0',
  srv_conn: '0',
  retries: '0',
  srv_queue: '0',
  backend_queue: '0',
};

const LINES = [
  // 1: syslog header, both capture blocks, a TLS frontend, a captured cookie.
  'Feb 25 16:19:49 lb1 haproxy[7]: 203.0.113.7:53332 [25/Feb/2019:16:19:48.143] www~ api/srv1 0/0/7/1457/1487 200 11394 SESSID=abc - ---- 2/1/0/0/0 0/0 {Mozilla/5.0 (X11; Linux x86_64)|www.example.com} {nginx/1.14.0} "GET /admin?survey=130 HTTP/1.1"',
  // 2: no header (stdout), no captures, a bracketed IPv6 client, aborted: -1 timers and status.
  '[2001:db8::1]:40000 [25/Feb/2019:16:19:50.001] www api/srv2 10/0/1/-1/-1 -1 0 - - CD-- 3/3/1/1/0 0/0 "POST /upload HTTP/1.1"',
  // 3: a bad request from a bare IPv6 client; one (empty) capture block.
  '::1:41000 [25/Feb/2019:16:19:51.500] www www/<NOSRV> -1/-1/-1/-1/0 400 187 - - PR-- 1/1/0/0/0 0/0 {} "<BADREQ>"',
  // 4: priority and no host (HAProxy's own header), logasap '+' counts, two UA-like captures.
  '<134>Feb 25 16:19:52 haproxy[8]: 198.51.100.2:1234 [25/Feb/2019:16:19:52.000] www~ api/srv1 0/0/1/2/+3 200 +1024 - - ---- 1/1/1/1/+1 0/0 {curl/8.4.0|Mozilla/5.0 x} "GET http://evil.example/x HTTP/1.1"',
  // 5: RFC 5424 header.
  '<134>1 2019-02-25T16:19:53.000+01:00 lb2 haproxy 9 - - 198.51.100.3:5555 [25/Feb/2019:16:19:53.250] www api/srv1 0/0/0/1/1 304 0 - - ---- 1/1/0/0/0 0/0 "GET /a HTTP/2.0"',
  // 6: a startup message.
  'Feb 25 16:19:38 lb1 haproxy[1]: Proxy www started.',
  // 7: a tcplog line.
  'Feb 25 16:19:54 lb1 haproxy[7]: 198.51.100.4:6000 [25/Feb/2019:16:19:54.000] ssh_in ssh/srv1 0/1/5003 2345 -- 1/1/0/0/0 0/0',
  // 8: the connection notice HAProxy writes without httplog.
  'Feb 25 16:19:55 lb1 haproxy[7]: Connect from 198.51.100.5:7000 to 10.0.0.1:80 (www/HTTP)',
  // 9: a connection error.
  'Feb 25 16:20:15 lb1 haproxy[7]: 95.216.197.33:56224 [25/Feb/2019:16:20:10.111] www/1: SSL handshake failure',
  // 10: a date that does not exist.
  '198.51.100.6:1 [31/Feb/2019:10:00:00.000] www api/srv1 0/0/0/1/1 200 5 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"',
  // 11: cut at HAProxy's log length: no closing quote.
  '198.51.100.7:2 [25/Feb/2019:16:19:56.000] www api/srv1 0/0/0/1/1 200 5 - - ---- 1/1/0/0/0 0/0 "GET /very/long?x=aaaa',
  // 12: a timer that is not a number.
  '198.51.100.8:3 [25/Feb/2019:16:19:57.000] www api/srv1 0/0/x/1/1 200 5 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"',
  // 13: empty.
  '',
  // 14: a long message, cut in the reason.
  `Feb 25 16:19:58 lb1 haproxy[1]: Server api/srv1 is DOWN, reason: ${'x'.repeat(200)}`,
  // 15: another program's syslog line.
  'Feb 25 16:19:59 lb1 sshd[99]: Accepted publickey for root',
  // 16: three capture blocks.
  '198.51.100.9:4 [25/Feb/2019:16:19:59.000] www api/srv1 0/0/0/1/1 200 5 - - ---- 1/1/0/0/0 0/0 {a} {b} {c} "GET / HTTP/1.1"',
];

describe('haproxy import', () => {
  it('stores every httplog line and says what each other line is', async () => {
    const file = ws.file('haproxy.log', LINES.join('\n') + '\n');
    const { r, requests, rejects } = await load(file, { tz: 'Europe/Berlin' });
    expect(r).toMatchObject({ format: 'haproxy', lines: 16, accepted: 6, rejected: 10 });
    expect(rejects).toEqual([
      { line_no: 6, reason: 'HAProxy message, not an HTTP log line: Proxy www started.' },
      {
        line_no: 7,
        reason: 'HAProxy tcplog line (a TCP connection, not an HTTP request): ssh_in ssh/srv1',
      },
      {
        line_no: 8,
        reason:
          'HAProxy connection log (no httplog), not an HTTP request: Connect from 198.51.100.5:7000 to 10.0.0.1:80 (www/HTTP)',
      },
      {
        line_no: 9,
        reason: 'HAProxy connection error, not an HTTP request: www/1: SSL handshake failure',
      },
      { line_no: 10, reason: 'bad accept date: 31/Feb/2019:10:00:00.000' },
      { line_no: 12, reason: 'bad timers (expected Tq/Tw/Tc/Tr/Ta): 0/0/x/1/1' },
      { line_no: 13, reason: 'empty line' },
      {
        line_no: 14,
        reason: `HAProxy message, not an HTTP log line: Server api/srv1 is DOWN, reason: ${'x'.repeat(46)}…`,
      },
      {
        line_no: 15,
        reason:
          'syslog message from sshd, not an HAProxy HTTP log line: Accepted publickey for root',
      },
      { line_no: 16, reason: 'more than two {captured headers} blocks' },
    ]);
    const [tls, aborted, badreq, logasap, rfc5424, cutShort] = requests;

    // The accept date is local time: read in --tz (CET, UTC+1 in February).
    expect(tls).toMatchObject({
      ...NULLS,
      line_no: 1,
      ts_us: utcUs(2019, 1, 25, 15, 19, 48, 143),
      ip: '203.0.113.7',
      method: 'GET',
      scheme: 'https',
      path: '/admin',
      query: 'survey=130',
      protocol: 'HTTP/1.1',
      status: 200,
      latency_ms: 1487,
      resp_bytes: 11394,
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64)',
      cookies: 'SESSID=abc',
    });
    expect(extraOf(tls)).toEqual({
      ...COMMON,
      actconn: '2',
      client_port: 53332,
      frontend: 'www',
      backend: 'api',
      server: 'srv1',
      Tq: '0',
      Tw: '0',
      Tc: '7',
      Tr: '1457',
      Ta: '1487',
      captured_request_cookie: 'SESSID=abc',
      captured_request_headers: ['Mozilla/5.0 (X11; Linux x86_64)', 'www.example.com'],
      captured_response_headers: ['nginx/1.14.0'],
      syslog_time: 'Feb 25 16:19:49',
      syslog_host: 'lb1',
      syslog_tag: 'haproxy',
      syslog_pid: '7',
    });

    expect(aborted).toMatchObject({
      ...NULLS,
      line_no: 2,
      ts_us: utcUs(2019, 1, 25, 15, 19, 50, 1),
      ip: '2001:db8::1',
      method: 'POST',
      path: '/upload',
      protocol: 'HTTP/1.1',
      resp_bytes: 0,
    });
    expect(extraOf(aborted)).toEqual({
      ...COMMON,
      actconn: '3',
      feconn: '3',
      beconn: '1',
      srv_conn: '1',
      termination_state: 'CD--',
      client_port: 40000,
      status: '-1',
      frontend: 'www',
      backend: 'api',
      server: 'srv2',
      Tq: '10',
      Tw: '0',
      Tc: '1',
      Tr: '-1',
      Ta: '-1',
    });

    expect(badreq).toMatchObject({
      ...NULLS,
      line_no: 3,
      ip: '::1',
      status: 400,
      latency_ms: 0,
      resp_bytes: 187,
    });
    expect(extraOf(badreq)).toEqual({
      ...COMMON,
      termination_state: 'PR--',
      client_port: 41000,
      request_line: '<BADREQ>',
      frontend: 'www',
      backend: 'www',
      server: '<NOSRV>',
      Tq: '-1',
      Tw: '-1',
      Tc: '-1',
      Tr: '-1',
      Ta: '0',
      captured_headers: [''],
    });

    // '+' counts are partial (option logasap): null in the columns, kept as written.
    expect(logasap).toMatchObject({
      ...NULLS,
      line_no: 4,
      ts_us: utcUs(2019, 1, 25, 15, 19, 52, 0),
      ip: '198.51.100.2',
      method: 'GET',
      scheme: 'https',
      host: 'evil.example',
      path: '/x',
      protocol: 'HTTP/1.1',
      status: 200,
    });
    expect(extraOf(logasap)).toEqual({
      ...COMMON,
      beconn: '1',
      srv_conn: '1',
      retries: '+1',
      client_port: 1234,
      target_scheme: 'http',
      bytes_read: '+1024',
      frontend: 'www',
      backend: 'api',
      server: 'srv1',
      Tq: '0',
      Tw: '0',
      Tc: '1',
      Tr: '2',
      Ta: '+3',
      captured_headers: ['curl/8.4.0', 'Mozilla/5.0 x'],
      syslog_priority: '134',
      syslog_time: 'Feb 25 16:19:52',
      syslog_tag: 'haproxy',
      syslog_pid: '8',
    });

    expect(rfc5424).toMatchObject({
      ...NULLS,
      line_no: 5,
      ts_us: utcUs(2019, 1, 25, 15, 19, 53, 250),
      ip: '198.51.100.3',
      method: 'GET',
      path: '/a',
      protocol: 'HTTP/2.0',
      status: 304,
      latency_ms: 1,
      resp_bytes: 0,
    });
    expect(extraOf(rfc5424)).toMatchObject({
      syslog_priority: '134',
      syslog_time: '2019-02-25T16:19:53.000+01:00',
      syslog_host: 'lb2',
      syslog_tag: 'haproxy',
      syslog_pid: '9',
    });

    expect(cutShort).toMatchObject({
      ...NULLS,
      line_no: 11,
      ip: '198.51.100.7',
      method: 'GET',
      path: '/very/long',
      query: 'x=aaaa',
      status: 200,
      latency_ms: 1,
      resp_bytes: 5,
    });
    expect(extraOf(cutShort)).toMatchObject({ truncated: 'request line has no closing quote' });
  });

  it('knows HAProxy messages without a syslog header (stdout logs)', async () => {
    const file = ws.file(
      'stdout.log',
      'Proxy www started.\n[NOTICE]   (1) : New worker (8) forked\nhello\n' + LINES[1] + '\n',
    );
    const { r, rejects } = await load(file);
    expect(r).toMatchObject({ format: 'haproxy', lines: 4, accepted: 1, rejected: 3 });
    expect(rejects).toEqual([
      { line_no: 1, reason: 'HAProxy message, not an HTTP log line: Proxy www started.' },
      {
        line_no: 2,
        reason: 'HAProxy message, not an HTTP log line: [NOTICE]   (1) : New worker (8) forked',
      },
      { line_no: 3, reason: 'not an HAProxy HTTP log line: hello' },
    ]);
  });

  it('reads the accept date in UTC when no --tz is given', async () => {
    const file = ws.file('one.log', LINES[0] + '\n');
    const { requests } = await load(file);
    expect(requests[0]!.ts_us).toBe(utcUs(2019, 1, 25, 16, 19, 48, 143));
  });

  it('sniffs httplog lines with and without a syslog header, and nothing else', () => {
    const sample = (text: string) => makeSniffSample(Buffer.from(text + '\n'), 'x.log');
    const s = (text: string) => haproxyFormat.sniff(sample(text));
    expect(s(LINES[0]!)).toBe(1);
    expect(s(LINES[1]!)).toBe(1);
    expect(s(LINES[4]!)).toBe(1);
    // Startup messages around the requests are HAProxy's by their tag.
    expect(s([LINES[5], LINES[0], LINES[8]].join('\n'))).toBe(1);
    // Only startup messages: plausible, not certain.
    expect(s(LINES[5]!)).toBe(0.6);
    expect(s('1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET / HTTP/1.1" 200 5')).toBe(0);
    expect(s('time,ip\n2024-01-01T00:00:00Z,1.2.3.4')).toBe(0);
    expect(s('{"time":"2024-01-01T00:00:00Z","ip":"1.2.3.4"}')).toBe(0);
    expect(
      s(
        'http 2018-07-02T22:23:00.186641Z app/lb/50dc 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://e/ HTTP/1.1" "-"',
      ),
    ).toBe(0);
    expect(s('Feb 25 16:19:59 lb1 sshd[99]: Accepted publickey for root')).toBe(0);

    // And the other sniffers leave HAProxy lines alone.
    const mixed = sample(LINES.slice(0, 6).join('\n'));
    expect(sniffFormat(mixed).format.id).toBe('haproxy');
    for (const f of FORMATS) {
      if (f.id !== 'haproxy') expect(f.sniff(mixed), f.id).toBeLessThan(0.5);
    }
  });
});

describeCorpus('haproxy corpus', () => {
  it('lnav HAProxy httplog: 13 requests, 3 startup messages and 1 TLS failure rejected', async () => {
    const { r, requests, rejects } = await load(
      corpusFile('D_proxy_lb_cdn/lnav_haproxy_httplog_syslog.log'),
      { tz: 'Europe/Berlin' },
    );
    expect(r).toMatchObject({ format: 'haproxy', lines: 17, accepted: 13, rejected: 4 });
    expect(rejects).toEqual([
      { line_no: 1, reason: 'HAProxy message, not an HTTP log line: Proxy prod_http_in started.' },
      {
        line_no: 2,
        reason: 'HAProxy message, not an HTTP log line: Proxy tools_http_frnt started.',
      },
      {
        line_no: 3,
        reason: 'HAProxy message, not an HTTP log line: Proxy git_inio_ssh_frnt started.',
      },
      {
        line_no: 14,
        reason:
          'HAProxy connection error, not an HTTP request: prod_http_in/sktst2: SSL handshake failure',
      },
    ]);
    expect(requests.every((x) => x.scheme === 'https' && x.user_agent !== null)).toBe(true);
    expect(requests[0]).toMatchObject({
      line_no: 4,
      ts_us: utcUs(2019, 1, 25, 15, 19, 48, 143),
      ip: '141.35.244.171',
      method: 'GET',
      path: '/admin/colt/administration',
      query: 'survey=130&input_stats=1&ajax=1&&ajax=1&refresh=1&ihandle=1',
      protocol: 'HTTP/1.1',
      status: 200,
      latency_ms: 1487,
      resp_bytes: 11394,
      user_agent: 'Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:65.0) Gecko/20100101 Firefox/65.0',
    });
    expect(extraOf(requests[0])).toMatchObject({
      frontend: 'prod_http_in',
      backend: 'bk_admin',
      server: 'nginx_sonst',
      Tr: '1457',
      Ta: '1487',
      captured_response_headers: [''],
      syslog_host: '192.168.4.2',
      syslog_pid: '7',
    });
    expect(requests.at(-1)).toMatchObject({ line_no: 17, path: '/media/core/core.css' });
  });
});
