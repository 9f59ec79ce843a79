import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDb } from '../../store/openCase.js';
import { fixture } from '../../../test/corpus.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { importAndRead } from '../../../test/importedRows.js';
import { makeSniffSample, sniffFormat } from './index.js';
import { createW3cParser, w3cFormat } from './w3c.js';

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-w3c-');
  db = ws.openCase();
});
afterEach(() => ws.cleanup());

const iso = (us: unknown): string => new Date(Number(us) / 1000).toISOString();

const load = (path: string) => importAndRead(db, path, {}, { raw: false });

describe('w3c import', () => {
  it('reads an IIS log whose #Fields change after a restart', async () => {
    const { r, requests, rejects } = await load(fixture('w3c/iis_restart.log'));
    expect(r).toMatchObject({ format: 'w3c', lines: 13, accepted: 3, rejected: 10 });
    expect(rejects).toEqual([
      { line_no: 1, reason: 'directive' },
      { line_no: 2, reason: 'directive' },
      { line_no: 3, reason: 'directive' },
      { line_no: 4, reason: 'directive' },
      { line_no: 7, reason: 'expected 15 fields (per #Fields), found 7' },
      { line_no: 8, reason: 'directive' },
      { line_no: 9, reason: 'directive' },
      { line_no: 10, reason: 'directive' },
      { line_no: 11, reason: 'directive' },
      { line_no: 13, reason: 'bad date/time: 24-02-03 05:00:02' },
    ]);
    const [a, b, c] = requests;
    expect(iso(a!.ts_us)).toBe('2024-02-03T04:05:06.000Z');
    expect(a).toMatchObject({
      line_no: 5,
      ip: '203.0.113.9',
      method: 'GET',
      path: '/default.aspx',
      query: 'id=7&q=a+b',
      user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
      referer: 'https://example.com/?a+b',
      status: 200,
      latency_ms: 15,
      src_user: null,
    });
    expect(JSON.parse(a!.extra as string)).toEqual({
      's-ip': '10.0.0.5',
      's-port': '443',
      'sc-substatus': '0',
      'sc-win32-status': '0',
    });
    expect(b).toMatchObject({
      line_no: 6,
      ip: '2001:db8::7',
      method: 'POST',
      query: null,
      src_user: 'CONTOSO\\alice',
      user_agent: null,
      status: 401,
      latency_ms: 3,
    });
    expect(iso(c!.ts_us)).toBe('2024-02-03T05:00:01.250Z');
    expect(c).toMatchObject({
      line_no: 12,
      method: 'PUT',
      path: '/api/items/9',
      ip: '198.51.100.4',
      host: 'shop.example.com',
      status: 204,
      resp_bytes: 120,
      req_bytes: 2048,
      latency_ms: 1200,
      cookies: 'ASP.NET_SessionId=abc; theme=dark',
      xff: '192.0.2.1, 10.0.0.1',
      extra: null,
    });
  });

  it('reads tab-separated CloudFront lines with time-taken in seconds', async () => {
    const log =
      '#Version: 1.0\n' +
      '#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken\n' +
      [
        '2019-12-04',
        '21:02:31',
        'LAX1',
        '392',
        '192.0.2.100',
        'GET',
        'd111111abcdef8.cloudfront.net',
        '/index.html',
        '200',
        '-',
        'Mozilla/5.0%20(Windows)',
        '-',
        '-',
        'Hit',
        'SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==',
        'd111111abcdef8.cloudfront.net',
        'https',
        '23',
        '0.001',
      ].join('\t') +
      '\n';
    const { r, requests } = await load(ws.file('cf.log', log));
    expect(r).toMatchObject({ format: 'w3c', lines: 3, accepted: 1 });
    expect(requests[0]).toMatchObject({
      ip: '192.0.2.100',
      host: 'd111111abcdef8.cloudfront.net',
      scheme: 'https',
      status: 200,
      resp_bytes: 392,
      req_bytes: 23,
      latency_ms: 1,
      user_agent: 'Mozilla/5.0%20(Windows)',
      request_id: 'SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==',
    });
    expect(JSON.parse(requests[0]!.extra as string)).toEqual({
      'x-edge-location': 'LAX1',
      'x-edge-result-type': 'Hit',
    });
    expect(iso(requests[0]!.ts_us)).toBe('2019-12-04T21:02:31.000Z');
  });

  it('reads an ANSI (Latin-1) IIS log with a BOM, keeping the original bytes', async () => {
    const log = Buffer.concat([
      Buffer.from(
        '\uFEFF#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(User-Agent)\r\n',
      ),
      Buffer.from('2024-01-01 00:00:00 10.0.0.1 GET /caf'),
      Buffer.from([0xe9]),
      Buffer.from(' 200 Agent+caf'),
      Buffer.from([0xe9]),
      Buffer.from('\r\n'),
    ]);
    const { r, requests } = await load(ws.file('ansi.log', log));
    expect(r).toMatchObject({ format: 'w3c', lines: 2, accepted: 1, rejected: 1 });
    expect(requests[0]).toMatchObject({
      path: '/caf\uFFFD',
      status: 200,
      user_agent: 'Agent caf\uFFFD',
    });
    const extra = JSON.parse(requests[0]!.extra as string) as Record<string, string>;
    expect(extra._encoding).toBe('invalid-utf8');
    expect(Buffer.from(extra._raw_base64!, 'base64').toString('latin1')).toBe(
      '2024-01-01 00:00:00 10.0.0.1 GET /caf\u00e9 200 Agent+caf\u00e9',
    );
  });

  it('rejects data before any #Fields unless it has exactly the IIS default fields', () => {
    const p = createW3cParser({ tz: 'UTC' });
    expect(p.parse('2024-01-01 00:00:00 GET /', 1)).toBe('no #Fields directive before this line');
    const rec = p.parse('2024-01-01 00:00:00 10.0.0.5 GET / - 80 - 10.9.9.9 curl/8 - 200 0 0 7', 2);
    expect(rec).toMatchObject({ ip: '10.9.9.9', status: 200, latencyMs: 7 });
    expect(typeof rec !== 'string' && rec.extra?._fields_assumed).toBe('iis-default');
    expect(p.parse('', 3)).toBe('empty line');
  });

  it('reads a cs-uri’s userinfo into extra, out of the host, and keeps its fragment', () => {
    const p = createW3cParser({ tz: 'UTC' });
    expect(p.parse('#Fields: date time cs-method cs-uri sc-status', 1)).toBe('directive');
    const rec = p.parse('2024-01-01 00:00:00 GET https://u:p@x.example/a?b=1#<svg> 200', 2);
    expect(rec).toMatchObject({
      host: 'x.example',
      path: '/a',
      query: 'b=1#<svg>',
      extra: { userinfo: 'u:p' },
    });
  });

  it('sniffs W3C by its directives without claiming CSV or combined logs', () => {
    const sample = (text: string, name = 'x.log') => makeSniffSample(Buffer.from(text), name);
    const iis = sample(readFileSync(fixture('w3c/iis_restart.log'), 'utf8'));
    expect(w3cFormat.sniff(iis)).toBe(1);
    expect(sniffFormat(iis).format.id).toBe('w3c');
    expect(w3cFormat.sniff(sample('time,ip\n2024-01-01T00:00:00Z,1.2.3.4\n'))).toBe(0);
    expect(
      w3cFormat.sniff(sample('1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET / HTTP/1.1" 200 5\n')),
    ).toBe(0);
  });
});
